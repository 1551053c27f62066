"""From an HTTP request to an answer: the Web API (auth, rate limits, the method), response_urls, uploads and
downloads, with the injected faults applied and every call recorded."""

from __future__ import annotations

import base64
import binascii
import copy
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import WebApiMethod
from bot.sandbox._args import arg_str
from bot.sandbox._args import parse_request_args
from bot.sandbox.emulator.calls import CallLog
from bot.sandbox.emulator.files import FilesApi
from bot.sandbox.emulator.http_server import Outcome
from bot.sandbox.emulator.oauth import Installations
from bot.sandbox.emulator.response_urls import ResponseUrls
from bot.sandbox.emulator.workspace import Workspace
from bot.sandbox.ratelimits import RateLimiter


@dataclass
class Dispatcher:
    """Routes ``/api/<method>``, ``/response/<token>``, ``/upload/<file id>`` and ``/files/<file id>/…``."""

    lock: threading.RLock
    workspace: Workspace
    methods: dict[str, WebApiMethod]
    call_log: CallLog
    limiter: RateLimiter
    files: FilesApi
    response_urls: ResponseUrls
    installations: Installations
    rate_limits: bool = False

    def handle(self, verb: str, target: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        parts = urlsplit(target)
        path = parts.path
        if path.startswith("/api/"):
            return self._web_api(path[len("/api/") :], parts.query, headers, body)
        if path.startswith("/response/") and verb == "POST":
            return self._response_url(path[len("/response/") :], body)
        if path.startswith("/upload/") and verb == "POST":
            return self._upload(path[len("/upload/") :], body)
        if path.startswith("/files/") and verb == "GET":
            return self._download(path[len("/files/") :], headers)
        return Outcome.text(404, "not_found")

    # ------------------------------------------------------------------ the Web API

    def _web_api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        parse_error: SlackError | None = None
        try:
            args = parse_request_args(query, headers.get("content-type", ""), body)
        except SlackError as exc:
            args, parse_error = {}, exc
        token = args.pop("token", None)
        auth_header = headers.get("authorization", "")
        if auth_header.lower().startswith("bearer "):
            token = auth_header[len("bearer ") :].strip()
        if auth_header.lower().startswith("basic "):
            args.update(_client_credentials(auth_header[len("basic ") :]))
        with self.lock:
            now = self.workspace.clock()
            recorded_args = copy.deepcopy(args)
            faults = self.call_log.take_faults(method)
            if faults.fail is not None:
                return self.call_log.failed(method, recorded_args, faults.fail, faults.delay, now)
            status, response, extra_headers = self._call(method, args, token, parse_error, now)
            team_id = self.installations.team_of(str(token)) if token else None
            self.call_log.record(
                method, recorded_args, status, copy.deepcopy(response), now, faults.drop, team_id=team_id
            )
        return Outcome.json(status, response, headers=extra_headers, delay=faults.delay, drop=faults.drop)

    def _call(
        self, method: str, args: JsonDict, token: object, parse_error: SlackError | None, now: float
    ) -> tuple[int, JsonDict, dict[str, str]]:
        if parse_error is not None:
            return 200, parse_error.body(), {}
        if method == "oauth.v2.access":
            # The app's client id and secret stand in for a token here.
            return self._answer(self.installations.oauth_v2_access, args, now)
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if method == "apps.connections.open":
            team_id = self.workspace.team_id if token == self.workspace.app_token else None
        else:
            team_id = self.installations.team_of(str(token))
        if team_id is None:
            return 200, {"ok": False, "error": self.installations.refusal(str(token))}, {}
        handler = self.methods.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        outside = self._outside_team(method, args, team_id)
        if outside is not None:
            return 200, {"ok": False, "error": outside}, {}
        if self.rate_limits:
            retry_after = self.limiter.check(method, arg_str(args, "channel"), now)
            if retry_after is not None:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        if method == "auth.test" and team_id != self.workspace.team_id:
            return self._answer(lambda _args, _now: self.installations.auth_test(team_id), args, now)
        self.workspace.calling_team = team_id
        try:
            return self._answer(handler, args, now)
        finally:
            self.workspace.calling_team = ""

    @staticmethod
    def _answer(handler: WebApiMethod, args: JsonDict, now: float) -> tuple[int, JsonDict, dict[str, str]]:
        try:
            return 200, {"ok": True, **handler(args, now)}, {}
        except SlackError as exc:
            return 200, exc.body(), {}

    def _outside_team(self, method: str, args: JsonDict, team_id: str) -> str | None:
        """Slack's answer when a token reaches into another workspace: it sees no such channel or user."""
        ws = self.workspace
        channel_id = arg_str(args, "channel") or arg_str(args, "channel_id")
        if channel_id:
            channel = ws.channels.get(channel_id)
            owner = (
                channel.team_id if channel is not None else (ws.users.get(channel_id) or {}).get("team_id")
            )
            if owner and owner != team_id:
                return "channel_not_found"
        user_id = arg_str(args, "user")
        if method == "users.info" and user_id and (ws.users.get(user_id) or {}).get("team_id") != team_id:
            return "user_not_found"
        return None

    # ------------------------------------------------------------------ the other URLs Slack hands out

    def _response_url(self, token: str, body: bytes) -> Outcome:
        with self.lock:
            now = self.workspace.clock()
            try:
                payload = json.loads(body.decode("utf-8")) if body else {}
            except (UnicodeDecodeError, json.JSONDecodeError):
                payload = None
            args = (
                copy.deepcopy(payload)
                if isinstance(payload, dict)
                else {"raw": body.decode("utf-8", "replace")}
            )
            faults = self.call_log.take_faults("response_url")
            if faults.fail is not None:
                return self.call_log.failed("response_url", args, faults.fail, faults.delay, now)
            status, error = self.response_urls.apply(token, payload, now)
            response: JsonDict = {"ok": True} if status == 200 else {"ok": False, "error": error}
            self.call_log.record(
                "response_url", args, status, response, now, faults.drop, response_url_token=token
            )
        return Outcome.text(status, "ok" if status == 200 else error, delay=faults.delay, drop=faults.drop)

    def _upload(self, file_id: str, body: bytes) -> Outcome:
        with self.lock:
            now = self.workspace.clock()
            faults = self.call_log.take_faults("file_upload")
            args: JsonDict = {"file_id": file_id, "length": len(body)}
            if faults.fail is not None:
                return self.call_log.failed("file_upload", args, faults.fail, faults.delay, now)
            if not self.files.receive_upload(file_id, body):
                self.call_log.record("file_upload", args, 404, {"ok": False, "error": "not_found"}, now)
                return Outcome.text(404, "not_found", delay=faults.delay)
            self.call_log.record("file_upload", args, 200, {"ok": True}, now, faults.drop)
        return Outcome.text(200, f"OK - {len(body)}", delay=faults.delay, drop=faults.drop)

    def _download(self, path: str, headers: Mapping[str, str]) -> Outcome:
        file_id = path.split("/", 1)[0]
        with self.lock:
            if headers.get("authorization", "") != f"Bearer {self.workspace.bot_token}":
                return Outcome.text(403, "forbidden")
            found = self.files.download(file_id)
        if found is None:
            return Outcome.text(404, "not_found")
        content, mimetype = found
        return Outcome(200, content, content_type=mimetype)


def _client_credentials(encoded: str) -> dict[str, str]:
    """The client id and secret of HTTP Basic authentication, as slack_sdk sends them to oauth.v2.access."""
    try:
        client_id, _, client_secret = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return {}
    return {"client_id": client_id, "client_secret": client_secret}
