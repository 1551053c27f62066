"""The safe group: the reading modal of a confidential case (in pages), its guest experts, the private
notes that point to it, and `/netwerk privacy`."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.blocks import UserSelectElement
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.safe import CaseReading
from bot.services.safe import GuestList
from bot.text import fit_user_text
from bot.text import split_user_text
from bot.views import ids
from bot.views.common import Message
from bot.views.common import ModalContext
from bot.views.common import button_block
from bot.views.common import checkbox_input
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.common import plain
from bot.views.common import section_with_button

# Room in one section for a piece of user text beside a heading of our own.
PIECE_ROOM = SectionBlock.text_max_length - 300
# Blocks of what the case says on one page of the reading modal; a modal holds 100, and a page that
# long would not be read anyway.
PAGE_BLOCKS = 40
TITLE_ROOM = 600


@dataclass(frozen=True, slots=True)
class ReadingContext(ModalContext):
    """The reading modal remembers which case and page it shows (its private_metadata)."""

    case_id: int
    page: int = 0
    channel_id: str = ""
    """Where a refusal of a click inside the modal is told (see handlers.errors)."""


@dataclass(frozen=True, slots=True)
class GuestsContext(ModalContext):
    case_id: int
    language: str
    channel_id: str = ""


def read_button(texts: Texts, case_id: int) -> ButtonElement:
    return ButtonElement(
        text=plain(texts("safe.button.read")),
        action_id=ids.SafeActions.READ,
        value=str(case_id),
        style="primary",
    )


def guests_button(texts: Texts, case_id: int) -> ButtonElement:
    return ButtonElement(
        text=plain(texts("safe.button.guests")), action_id=ids.SafeActions.GUESTS, value=str(case_id)
    )


# ---------------------------------------------------------------------- reading


def reading_pages(texts: Texts, reading: CaseReading) -> list[list[Block]]:
    """What the case says, in pages of at most PAGE_BLOCKS blocks: everything, never cut."""
    blocks = _reading_blocks(texts, reading)
    return [blocks[start : start + PAGE_BLOCKS] for start in range(0, len(blocks), PAGE_BLOCKS)] or [[]]


def reading_modal(texts: Texts, reading: CaseReading, *, page: int = 0) -> View:
    """One page of the reading modal; a page past the last shows the last."""
    pages = reading_pages(texts, reading)
    page = max(0, min(page, len(pages) - 1))
    blocks: list[Block] = list(pages[page])
    if len(pages) > 1:
        blocks += _page_navigation(texts, reading.case_id, page, len(pages))
    blocks.append(context_line(texts("safe.reading.keep_it_here")))
    return View(
        type="modal",
        callback_id=ids.CASE_READING_VIEW,
        private_metadata=ReadingContext(reading.case_id, page, reading.channel_id).encode(),
        title=plain(texts("safe.reading.title")),
        close=plain(texts("safe.reading.close")),
        blocks=blocks,
    )


def _reading_blocks(texts: Texts, reading: CaseReading) -> list[Block]:
    blocks: list[Block] = [
        mrkdwn_section(
            texts(
                "safe.reading.header",
                title=fit_user_text(reading.title, TITLE_ROOM),
                owner=reading.owner_id,
            )
        )
    ]
    if reading.details_forgotten:
        blocks.append(context_line(texts("safe.reading.forgotten")))
    else:
        blocks += _pieces(texts("safe.reading.situation"), reading.situation)
        blocks += _pieces(texts("safe.reading.question"), reading.question)
        if reading.tried:
            blocks += _pieces(texts("safe.reading.tried"), reading.tried)
    blocks.append(mrkdwn_section(texts("safe.reading.advice", count=len(reading.advice))))
    for advice in reading.advice:
        if advice.removed:
            blocks.append(context_line(texts("privacy.advice_removed")))
        elif advice.text:
            blocks += _pieces(texts("safe.reading.advice_from", giver=advice.giver_id), advice.text)
    if reading.lesson:
        blocks += _pieces(texts("safe.reading.lesson", owner=reading.owner_id), reading.lesson)
    return blocks


def _pieces(heading: str, text: str) -> list[Block]:
    """A heading and a user's text, split over as many sections as it needs."""
    pieces = split_user_text(text, PIECE_ROOM)
    return [
        mrkdwn_section((heading + "\n" if index == 0 else "") + piece) for index, piece in enumerate(pieces)
    ]


def _page_navigation(texts: Texts, case_id: int, page: int, count: int) -> list[Block]:
    buttons = []
    if page > 0:
        buttons.append(
            ButtonElement(
                text=plain(texts("safe.reading.previous")),
                action_id=ids.SafeActions.READ_PREVIOUS_PAGE,
                value=f"{case_id}:{page - 1}",
            )
        )
    if page + 1 < count:
        buttons.append(
            ButtonElement(
                text=plain(texts("safe.reading.next")),
                action_id=ids.SafeActions.READ_PAGE,
                value=f"{case_id}:{page + 1}",
                style="primary",
            )
        )
    return [
        context_line(texts("safe.reading.page", page=page + 1, count=count)),
        ActionsBlock(block_id=ids.SafeBlocks.READ_PAGES, elements=buttons),
    ]


# ---------------------------------------------------------------------- guest experts


def guests_modal(texts: Texts, guests: GuestList) -> View:
    """The owner's guest experts, each with a button to withdraw, and a field to invite one more."""
    blocks: list[Block] = [
        mrkdwn_section(texts("safe.guests.intro", title=fit_user_text(guests.title, TITLE_ROOM)))
    ]
    if not guests.guest_ids:
        blocks.append(context_line(texts("safe.guests.none")))
    for guest_id in guests.guest_ids[:40]:
        blocks.append(
            section_with_button(
                texts("safe.guests.guest", guest=guest_id),
                texts("safe.guests.withdraw"),
                action_id=ids.SafeActions.WITHDRAW_GUEST,
                value=f"{guests.case_id}:{guest_id}",
                style="danger",
            )
        )
    blocks.append(
        InputBlock(
            block_id=ids.SafeBlocks.GUEST,
            label=plain(texts("safe.guests.label")),
            hint=plain(texts("safe.guests.hint")),
            element=UserSelectElement(
                action_id=ids.VALUE_ACTION, placeholder=plain(texts("safe.guests.placeholder"))
            ),
        )
    )
    return View(
        type="modal",
        callback_id=ids.CASE_GUESTS_MODAL,
        private_metadata=GuestsContext(guests.case_id, guests.language, guests.channel_id).encode(),
        title=plain(texts("safe.guests.title")),
        submit=plain(texts("safe.guests.submit")),
        close=plain(texts("safe.guests.close")),
        blocks=blocks,
    )


def guest_invitation(texts: Texts, *, owner_id: str, title: str, case_id: int) -> Message:
    """The private message that tells a guest expert they may read a confidential case."""
    text = texts("safe.invitation.text", owner=owner_id, title=fit_user_text(title, TITLE_ROOM))
    return Message(
        text=text,
        blocks=[
            mrkdwn_section(text),
            context_line(texts("safe.invitation.keep_it_here")),
            ActionsBlock(elements=[read_button(texts, case_id)]),
        ],
    )


# ---------------------------------------------------------------------- notes that point to the modal


def public_reply_note(texts: Texts, case_id: int) -> Message:
    """To whoever replied in a confidential case's thread: the channel reads it; advice goes elsewhere."""
    text = texts("safe.public_reply.text")
    return Message(
        text=text, blocks=[mrkdwn_section(text), ActionsBlock(elements=[read_button(texts, case_id)])]
    )


def confidential_advice_message(
    texts: Texts, *, giver_id: str, title: str, advice: str, case_id: int
) -> Message:
    """Advice on a confidential case, in its owner's private messages."""
    blocks: list[Block] = [
        mrkdwn_section(texts("safe.advice_dm.header", giver=giver_id, title=fit_user_text(title, TITLE_ROOM)))
    ]
    blocks += [mrkdwn_section(piece) for piece in split_user_text(advice, PIECE_ROOM)]
    blocks.append(ActionsBlock(elements=[read_button(texts, case_id)]))
    return Message(text=texts("safe.advice_dm.text", giver=giver_id), blocks=blocks)


def forget_details_input(texts: Texts) -> InputBlock:
    """The close modal's choice, for a confidential case, to erase its details."""
    forget = Option(
        value=ids.FORGET_DETAILS_OPTION,
        text=plain(texts("safe.forget.option")),
        description=plain(texts("safe.forget.description")),
    )
    return checkbox_input(ids.SafeBlocks.FORGET_DETAILS, texts("safe.forget.label"), forget)


def forget_archived_actions(texts: Texts, network_id: int) -> list[Block]:
    """Under the archive's answer to its facilitator: erase the confidential cases' details now."""
    return [
        context_line(texts("safe.forget_archived.hint")),
        button_block(
            texts("safe.forget_archived.button"),
            action_id=ids.SafeActions.FORGET_ARCHIVED,
            value=str(network_id),
            style="danger",
        ),
    ]


# ---------------------------------------------------------------------- `/netwerk privacy`


def privacy_message(texts: Texts) -> Message:
    """What the bot keeps, who sees what, and how to get or erase one's data: a few lines."""
    lines = [
        texts(f"safe.privacy.{part}")
        for part in ("keeps", "public", "accepted", "facilitators", "nobody", "yours")
    ]
    return Message(
        text=texts("safe.privacy.text"),
        blocks=[mrkdwn_section(texts("safe.privacy.header")), mrkdwn_section("\n".join(lines))],
    )
