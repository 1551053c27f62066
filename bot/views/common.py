"""Pieces every view uses."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any
from typing import Self

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import CheckboxesElement
from slack_sdk.models.blocks import ConfirmObject
from slack_sdk.models.blocks import ContextBlock
from slack_sdk.models.blocks import DatePickerElement
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import InputInteractiveElement
from slack_sdk.models.blocks import MarkdownTextObject
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import PlainTextInputElement
from slack_sdk.models.blocks import PlainTextObject
from slack_sdk.models.blocks import RadioButtonsElement
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.blocks import StaticSelectElement
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.text import truncate
from bot.views.ids_network import VALUE_ACTION

BAR_WIDTH = 10
"""How many blocks a full bar of a chart in text has."""


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


def header_block(text: str) -> HeaderBlock:
    """A header, cut to what Slack allows: one that names a network or a case can be long."""
    return HeaderBlock(text=plain(truncate(text, HeaderBlock.text_max_length)))


def bar_of(value: float, full: float) -> str:
    """`value` as a bar of blocks, BAR_WIDTH of them standing for `full`."""
    return "█" * round(BAR_WIDTH * value / full)


def chunk_lines(lines: Iterable[str], limit: int = SectionBlock.text_max_length) -> list[str]:
    """Lines joined into as few texts of at most `limit` characters as they fit in (a line longer
    than `limit` must be cut by the caller)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def mrkdwn_sections(lines: Iterable[str]) -> list[Block]:
    """Lines in as few sections as they fit in (see `chunk_lines`)."""
    return [mrkdwn_section(chunk) for chunk in chunk_lines(lines)]


def section_with_button(
    text: str,
    button: str,
    *,
    action_id: str,
    value: str,
    style: str | None = None,
    block_id: str | None = None,
) -> SectionBlock:
    """A line of text with one button beside it, labelled `button`."""
    return SectionBlock(
        block_id=block_id,
        text=MarkdownTextObject(text=text),
        accessory=ButtonElement(text=plain(button), action_id=action_id, value=value, style=style),
    )


def button_block(
    text: str,
    *,
    action_id: str,
    value: str,
    style: str | None = None,
    confirm: ConfirmObject | None = None,
    block_id: str | None = None,
) -> ActionsBlock:
    """A block holding one button (`confirm`: what Slack asks before it acts)."""
    button = ButtonElement(text=plain(text), action_id=action_id, value=value, style=style, confirm=confirm)
    return ActionsBlock(block_id=block_id, elements=[button])


def text_input(
    block_id: str,
    label: str,
    *,
    max_length: int,
    placeholder: str | None = None,
    multiline: bool | None = None,
    optional: bool | None = False,
    initial: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """A modal's text field, its value read back under VALUE_ACTION. `multiline` and `optional` go to
    Slack as given: None leaves them out of the JSON."""
    return InputBlock(
        block_id=block_id,
        label=plain(label),
        hint=plain(hint) if hint else None,
        element=PlainTextInputElement(
            action_id=VALUE_ACTION,
            multiline=multiline,
            max_length=max_length,
            placeholder=plain(placeholder) if placeholder else None,
            initial_value=initial or None,
        ),
        optional=optional,
    )


def named_options(texts: Texts, keys: str, values: Iterable[object]) -> list[Option]:
    """One option for each of `values` (enum members, numbers), named by the catalog text `<keys>.<value>`."""
    return [Option(value=str(value), text=texts(f"{keys}.{value}")) for value in values]


def option_for(options: Sequence[Option], value: str, *, otherwise: Option | None = None) -> Option | None:
    """The option of `value` among `options`, as a field's choice when it opens; else `otherwise`."""
    return next((option for option in options if option.value == value), otherwise)


def choice_input(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    """A modal's field where one chooses (radio buttons, checkboxes, a select)."""
    return InputBlock(
        block_id=block_id,
        label=plain(label),
        hint=plain(hint) if hint else None,
        element=element,
        optional=optional or None,
    )


def radio_input(
    block_id: str, label: str, options: list[Option], chosen: Option | None, *, hint: str | None = None
) -> InputBlock:
    """A modal's field of radio buttons, `chosen` picked as it opens (None: none)."""
    buttons = RadioButtonsElement(action_id=VALUE_ACTION, options=options, initial_option=chosen)
    return choice_input(block_id, label, buttons, hint=hint)


def select_input(
    block_id: str,
    label: str,
    options: list[Option],
    chosen: Option | None,
    *,
    placeholder: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """A modal's select of one of `options`, `chosen` as it opens (None: none, `placeholder` shown)."""
    select = StaticSelectElement(
        action_id=VALUE_ACTION, placeholder=placeholder, options=options, initial_option=chosen
    )
    return choice_input(block_id, label, select, hint=hint)


def checkbox_input(
    block_id: str, label: str, option: Option, *, ticked: bool = False, hint: str | None = None
) -> InputBlock:
    """A modal's one optional box to tick (`ticked`: as it opens), such as a consent to share."""
    box = CheckboxesElement(
        action_id=VALUE_ACTION, options=[option], initial_options=[option] if ticked else None
    )
    return choice_input(block_id, label, box, optional=True, hint=hint)


def date_input(block_id: str, label: str, initial: date, *, hint: str | None = None) -> InputBlock:
    """A modal's date field, `initial` picked to begin with."""
    picker = DatePickerElement(action_id=VALUE_ACTION, initial_date=initial.isoformat())
    return choice_input(block_id, label, picker, hint=hint)


def modal(
    texts: Texts,
    keys: str,
    *,
    callback_id: str,
    context: ModalContext,
    blocks: Sequence[Block],
    title: str = "title",
    submit: str = "submit",
) -> View:
    """A modal remembering `context`, its title and buttons the catalog texts `<keys>.title`,
    `<keys>.submit` and `<keys>.close` (`title` and `submit` name other keys under `keys`)."""
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=context.encode(),
        title=plain(texts(f"{keys}.{title}")),
        submit=plain(texts(f"{keys}.{submit}")),
        close=plain(texts(f"{keys}.close")),
        blocks=list(blocks),
    )


def setting_modal(
    texts: Texts,
    keys: str,
    *,
    callback_id: str,
    context: ModalContext,
    described: str,
    block_id: str,
    label: str,
    options: list[Option],
    chosen: Option | None,
) -> View:
    """A modal that changes one setting: what it is now (`described`), then a select of `options` with
    the current one `chosen`, its hint the catalog text `<keys>.hint` (for the rest see `modal`)."""
    return modal(
        texts,
        keys,
        callback_id=callback_id,
        context=context,
        blocks=[
            mrkdwn_section(described),
            select_input(block_id, label, options, chosen, hint=texts(f"{keys}.hint")),
        ],
    )


def notice(text: str) -> Message:
    """A one-paragraph answer, as most ephemeral replies are."""
    return Message(text=text, blocks=[mrkdwn_section(text)])


class ModalContext:
    """What a modal must remember until it is submitted, kept in its private_metadata as JSON.

    Subclasses are frozen dataclasses of plain strings and integers; `decode` turns each field back into
    its declared type, since the metadata comes back from Slack as text.
    """

    __slots__ = ()

    def encode(self) -> str:
        return json.dumps(dataclasses.asdict(self))  # type: ignore[call-overload]

    @classmethod
    def decode(cls, raw: str) -> Self:
        data = json.loads(raw or "{}")
        hints = typing.get_type_hints(cls)
        values = {
            spec.name: _as_declared(data[spec.name], hints[spec.name])
            for spec in dataclasses.fields(cls)  # type: ignore[arg-type]
            if spec.name in data
        }
        return cls(**values)


@dataclass(frozen=True, slots=True)
class ChannelModalContext(ModalContext):
    """What a modal opened from a channel remembers: the channel, where its answer goes, and the language
    it was asked in."""

    channel_id: str
    language: str


def _as_declared(value: Any, declared: Any) -> Any:
    if value is None:
        return None
    kinds = typing.get_args(declared) if isinstance(declared, types.UnionType) else (declared,)
    return int(value) if int in kinds else str(value)
