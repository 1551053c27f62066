"""files.getUploadURLExternal, the upload URL, files.completeUploadExternal and the files' download URLs."""

from __future__ import annotations

import copy
import mimetypes
from collections.abc import Callable

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_int
from bot.sandbox._args import arg_json
from bot.sandbox._args import arg_str
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import thread_ts_arg
from bot.sandbox.emulator.workspace import Workspace


class FilesApi(MethodFamily):
    """Uploads under way (by file id) and the files completed, with their bytes."""

    def __init__(self, workspace: Workspace, base_url: Callable[[], str]) -> None:
        super().__init__(workspace)
        self._base_url = base_url
        self.files: dict[str, JsonDict] = {}
        self.contents: dict[str, bytes] = {}
        self._pending: dict[str, JsonDict] = {}

    def receive_upload(self, file_id: str, body: bytes) -> bool:
        """The bytes posted to an upload URL; False if the URL is not one handed out (or used up)."""
        pending = self._pending.get(file_id)
        if pending is None:
            return False
        pending["uploaded"] = True
        self.contents[file_id] = body
        return True

    def download(self, file_id: str) -> tuple[bytes, str] | None:
        """A completed file's bytes and mimetype, or None."""
        if file_id not in self.files:
            return None
        return self.contents.get(file_id, b""), self.files[file_id]["mimetype"]

    @serves("files.getUploadURLExternal")
    def get_upload_url_external(self, args: JsonDict, now: float) -> JsonDict:
        filename = arg_str(args, "filename")
        length = arg_int(args, "length", -1)
        if not filename or length < 0:
            raise SlackError("invalid_arguments")
        file_id = self._ws.new_id("F")
        self._pending[file_id] = {
            "filename": filename,
            "length": length,
            "alt_txt": arg_str(args, "alt_txt"),
            "uploaded": False,
        }
        return {"upload_url": f"{self._base_url()}/upload/{file_id}", "file_id": file_id}

    @serves("files.completeUploadExternal")
    def complete_upload_external(self, args: JsonDict, now: float) -> JsonDict:
        files = self._uploaded_files_arg(args)
        channel_ids = [c for c in (arg_str(args, "channels") or "").split(",") if c]
        if arg_str(args, "channel_id"):
            channel_ids.insert(0, arg_str(args, "channel_id") or "")
        channels = [self._ws.member_channel(cid) for cid in channel_ids]
        thread_ts = thread_ts_arg(args)
        comment = arg_str(args, "initial_comment") or ""
        completed: list[JsonDict] = []
        for item in files:
            pending = self._pending.pop(item["id"])
            file_object = self._file_object(
                item["id"], pending, item.get("title"), [c.id for c in channels], now
            )
            self.files[item["id"]] = file_object
            completed.append(copy.deepcopy(file_object))
        for channel in channels:
            self._ws.post_bot_message(
                channel, comment, None, thread_ts, now, files=copy.deepcopy(completed), upload=True
            )
        return {"files": completed}

    def _uploaded_files_arg(self, args: JsonDict) -> list[JsonDict]:
        files = arg_json(args, "files", error="invalid_arguments")
        if (
            not isinstance(files, list)
            or not files
            or not all(isinstance(f, dict) and f.get("id") for f in files)
        ):
            raise SlackError("invalid_arguments")
        for item in files:
            pending = self._pending.get(item["id"])
            if pending is None or not pending["uploaded"]:
                raise SlackError("file_not_found")
        return files

    def _file_object(
        self, file_id: str, pending: JsonDict, title: object, channel_ids: list[str], now: float
    ) -> JsonDict:
        ws = self._ws
        name = pending["filename"]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
        url = f"{self._base_url()}/files/{file_id}/{name}"
        return {
            "id": file_id,
            "created": int(now),
            "timestamp": int(now),
            "name": name,
            "title": title if isinstance(title, str) and title else name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": ws.bot_user_id,
            "user_team": ws.team_id,
            "editable": False,
            "size": len(self.contents.get(file_id, b"")),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": f"{url}?download=1",
            "permalink": f"https://{ws.team_domain}.slack.com/files/{ws.bot_user_id}/{file_id}/{name}",
            "alt_txt": pending.get("alt_txt"),
            "channels": [c for c in channel_ids if not c.startswith(("G", "D"))],
            "groups": [c for c in channel_ids if c.startswith("G")],
            "ims": [c for c in channel_ids if c.startswith("D")],
            "has_rich_preview": False,
        }
