"""Every call the emulator receives, recorded in order, and the faults a test asks it to inject."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from bot.sandbox._args import JsonDict
from bot.sandbox.emulator.http_server import Outcome


@dataclass(frozen=True)
class RecordedCall:
    """One request the emulator received, in arrival order.

    ``method`` is the Web API method, or ``"response_url"`` / ``"file_upload"`` for posts to those URLs.
    ``dropped`` is true when the call was performed but its answer never sent (``drop_response_next``).
    """

    method: str
    args: JsonDict
    http_status: int
    response: JsonDict
    at: float
    dropped: bool = False
    team_id: str | None = None
    """The workspace of the bot token the call carried (None without a token the sandbox knows)."""
    response_url_token: str | None = None
    """For a post to a response_url, the URL's token: which request it answers (the benchmarks time it)."""


@dataclass
class _Fail:
    status: int
    body: JsonDict | str


@dataclass(frozen=True)
class Faults:
    """The faults one call meets: a failure instead of an answer, a delay, or a dropped answer."""

    fail: _Fail | None
    delay: float
    drop: bool


class CallLog:
    """The calls received and the faults still to inject, per method, ``response_url`` or ``file_upload``."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self._fails: dict[str, list[_Fail]] = {}
        self._delays: dict[str, list[float]] = {}
        self._drops: dict[str, int] = {}

    def fail_next(self, method: str, status: int, times: int, body: JsonDict | str | None) -> None:
        answer: JsonDict | str = body if body is not None else {"ok": False, "error": "fatal_error"}
        self._fails.setdefault(method, []).extend(_Fail(status, answer) for _ in range(times))

    def delay_next(self, method: str, seconds: float, times: int) -> None:
        self._delays.setdefault(method, []).extend([seconds] * times)

    def drop_response_next(self, method: str, times: int) -> None:
        self._drops[method] = self._drops.get(method, 0) + times

    def take_faults(self, method: str) -> Faults:
        """The faults for this call to ``method``; a failure takes the place of a dropped answer."""
        fails = self._fails.get(method)
        fail = fails.pop(0) if fails else None
        delays = self._delays.get(method)
        delay = delays.pop(0) if delays else 0.0
        drop = False
        if fail is None and self._drops.get(method, 0) > 0:
            self._drops[method] -= 1
            drop = True
        return Faults(fail, delay, drop)

    def record(
        self,
        method: str,
        args: JsonDict,
        status: int,
        response: JsonDict,
        at: float,
        dropped: bool = False,
        team_id: str | None = None,
        response_url_token: str | None = None,
    ) -> None:
        self.calls.append(
            RecordedCall(method, args, status, response, at, dropped, team_id, response_url_token)
        )

    def failed(self, method: str, args: JsonDict, fail: _Fail, delay: float, now: float) -> Outcome:
        """Answer with the injected failure, recorded like any other call; nothing changes."""
        headers = {"Retry-After": "1"} if fail.status == 429 else {}
        if isinstance(fail.body, dict):
            outcome = Outcome.json(fail.status, fail.body, headers=headers, delay=delay)
            recorded = copy.deepcopy(fail.body)
        else:
            outcome = Outcome.text(fail.status, fail.body, headers=headers, delay=delay)
            recorded = {"body": fail.body}
        self.record(method, args, fail.status, recorded, now)
        return outcome
