"""Pieces every view uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, PlainTextObject, SectionBlock


@dataclass(frozen=True, slots=True)
class Message:
    """A message to post: `text` is the notification fallback Slack always wants beside the blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def blocks_as_dicts(self) -> list[dict]:
        return [block.to_dict() for block in self.blocks]


def mrkdwn_section(text: str, *, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text), block_id=block_id)


def context_line(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def plain(text: str, *, emoji: bool = True) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=emoji)


def notice(text: str) -> Message:
    """A one-paragraph answer, as most ephemeral replies are."""
    return Message(text=text, blocks=[mrkdwn_section(text)])
