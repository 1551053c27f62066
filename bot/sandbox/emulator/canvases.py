"""Channel canvases (conversations.canvases.create, canvases.edit, canvases.sections.lookup,
canvases.delete) and pins (pins.add, pins.remove, pins.list).

A canvas is kept as its sections, in order: each heading is a section, and so is each paragraph or
list item under it, as Slack splits a canvas's markdown. A workspace on a plan without channel canvases
answers as Slack does to those methods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_json
from bot.sandbox._args import arg_str
from bot.sandbox._args import is_ts
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import api_message
from bot.sandbox.emulator.workspace import Workspace

MARKDOWN_MAX = 1_048_576
HEADING_TYPES = {"#": "h1", "##": "h2", "###": "h3"}
OPERATIONS = {"insert_after", "insert_before", "insert_at_start", "insert_at_end", "replace", "delete"}


@dataclass
class Section:
    id: str
    type: str
    """h1, h2, h3, or "any" for a paragraph or list item."""
    markdown: str


@dataclass
class Canvas:
    id: str
    channel_id: str
    title: str
    sections: list[Section] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n".join(section.markdown for section in self.sections)


class CanvasesApi(MethodFamily):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.canvases: dict[str, Canvas] = {}
        self.enabled = True
        """False: the workspace's plan has no channel canvases."""

    def of_channel(self, channel_id: str) -> Canvas | None:
        return next((c for c in self.canvases.values() if c.channel_id == channel_id), None)

    # ------------------------------------------------------------------ canvases

    @serves("conversations.canvases.create")
    def create(self, args: JsonDict, now: float) -> JsonDict:
        if not self.enabled:
            raise SlackError("team_tier_cannot_create_channel_canvases")
        channel = self._ws.member_channel(arg_str(args, "channel_id"))
        if self.of_channel(channel.id) is not None:
            raise SlackError("channel_canvas_already_exists")
        canvas = Canvas(id=self._ws.new_id("F"), channel_id=channel.id, title=arg_str(args, "title") or "")
        content = arg_json(args, "document_content", error="invalid_arguments")
        if content is not None:
            canvas.sections = self._sections(_content(content))
        self.canvases[canvas.id] = canvas
        channel.canvas_id = canvas.id
        return {"canvas_id": canvas.id}

    @serves("canvases.edit")
    def edit(self, args: JsonDict, now: float) -> JsonDict:
        canvas = self._canvas(args)
        changes = arg_json(args, "changes", error="invalid_arguments")
        # Slack applies one operation per call.
        if not isinstance(changes, list) or len(changes) != 1 or not isinstance(changes[0], dict):
            raise SlackError("invalid_arguments")
        change = changes[0]
        operation = change.get("operation")
        if operation not in OPERATIONS:
            raise SlackError("invalid_arguments")
        section_id = change.get("section_id")
        if operation == "delete":
            canvas.sections.pop(self._index(canvas, section_id))
            return {}
        new = self._sections(_content(change.get("document_content")))
        if operation == "replace" and section_id is None:
            canvas.sections = new
        elif operation == "replace":
            index = self._index(canvas, section_id)
            canvas.sections[index : index + 1] = new
        elif operation == "insert_at_start":
            canvas.sections[0:0] = new
        elif operation == "insert_at_end":
            canvas.sections.extend(new)
        else:
            index = self._index(canvas, section_id) + (operation == "insert_after")
            canvas.sections[index:index] = new
        if len(canvas.markdown) > MARKDOWN_MAX:
            raise SlackError("canvas_editing_failed")
        return {}

    @serves("canvases.sections.lookup")
    def lookup(self, args: JsonDict, now: float) -> JsonDict:
        canvas = self._canvas(args)
        criteria = arg_json(args, "criteria", error="invalid_arguments")
        if not isinstance(criteria, dict):
            raise SlackError("invalid_arguments")
        types = set(criteria.get("section_types") or [])
        text = str(criteria.get("contains_text") or "")
        if not types and not text:
            raise SlackError("invalid_arguments")
        found = [
            {"id": s.id}
            for s in canvas.sections
            if (not types or s.type in types or ("any_header" in types and s.type != "any"))
            and text in _plain(s.markdown)
        ]
        return {"sections": found}

    @serves("canvases.delete")
    def delete(self, args: JsonDict, now: float) -> JsonDict:
        self.remove(self._canvas(args))
        return {}

    def remove(self, canvas: Canvas) -> None:
        del self.canvases[canvas.id]
        channel = self._ws.channels.get(canvas.channel_id)
        if channel is not None:
            channel.canvas_id = None

    def _canvas(self, args: JsonDict) -> Canvas:
        canvas = self.canvases.get(arg_str(args, "canvas_id") or "")
        if canvas is None:
            raise SlackError("canvas_not_found")
        return canvas

    def _sections(self, markdown: str) -> list[Section]:
        sections: list[Section] = []
        for line in markdown.split("\n"):
            if not line.strip():
                continue
            marker = line.split(" ", 1)[0]
            kind = HEADING_TYPES.get(marker, "any")
            sections.append(Section(id=f"temp:C:{self._ws.random_alnum(28)}", type=kind, markdown=line))
        return sections

    @staticmethod
    def _index(canvas: Canvas, section_id: object) -> int:
        for index, section in enumerate(canvas.sections):
            if section.id == section_id:
                return index
        raise SlackError("canvas_editing_failed")

    # ------------------------------------------------------------------ pins

    @serves("pins.add")
    def pin(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"))
        message = channel.find(self._timestamp(args))
        if channel.id in message.get("pinned_to", []):
            raise SlackError("already_pinned")
        message.setdefault("pinned_to", []).append(channel.id)
        return {}

    @serves("pins.remove")
    def unpin(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"))
        message = channel.find(self._timestamp(args))
        if channel.id not in message.get("pinned_to", []):
            raise SlackError("no_pin")
        message["pinned_to"].remove(channel.id)
        return {}

    @serves("pins.list")
    def pins(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        items = [
            {"type": "message", "channel": channel.id, "message": api_message(m, include_metadata=False)}
            for m in channel.top_level()
            if channel.id in m.get("pinned_to", [])
        ]
        return {"items": items}

    @staticmethod
    def _timestamp(args: JsonDict) -> str:
        ts = arg_str(args, "timestamp")
        if not is_ts(ts):
            raise SlackError("invalid_timestamp" if ts else "no_item_specified")
        return str(ts)


def _plain(markdown: str) -> str:
    """A section's text as a reader sees it: no heading marks, no escaping backslashes."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"^#{1,3} ", "", markdown))


def _content(content: object) -> str:
    if (
        not isinstance(content, dict)
        or content.get("type") != "markdown"
        or not isinstance(content.get("markdown"), str)
    ):
        raise SlackError("invalid_arguments")
    markdown = content["markdown"]
    if len(markdown) > MARKDOWN_MAX:
        raise SlackError("canvas_creation_failed")
    return markdown
