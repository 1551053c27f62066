"""The pairing rounds and the pauses: the group DM's questions, the modals, the list of pauses."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import slack_moment
from bot.services.pairs import PairedMember
from bot.services.pairs import PairingGroupPost
from bot.services.pairs import PairingOverview
from bot.services.pauses import Pause
from bot.text import fit_user_text
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.checkins import describe_pauses
from bot.views.checkins import pause_span
from bot.views.common import Message
from bot.views.common import button_block
from bot.views.common import context_line
from bot.views.common import date_input
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import named_options
from bot.views.common import notice
from bot.views.common import option_for
from bot.views.common import setting_modal

QUOTE_MAX = 500


def pairs_group_message(texts: Texts, post: PairingGroupPost) -> Message:
    """The round's greeting and two questions, drawn from the members' introductions."""
    names = ", ".join(f"<@{m.user_id}>" for m in post.members)
    first = _question(texts, "gives", post.members, prefer=1)
    second = _question(texts, "wants", post.members, prefer=0)
    intro = texts("pairs.group.intro", members=names, network=fit_user_text(post.network_name, 200))
    blocks: list[Block] = [mrkdwn_section(intro), mrkdwn_section(first), mrkdwn_section(second)]
    blocks.append(context_line(texts("pairs.group.footer")))
    return Message(text=intro, blocks=blocks)


def _question(texts: Texts, kind: str, members: list[PairedMember], *, prefer: int) -> str:
    """A question about what one member said (preferably `members[prefer]`, else the first who said
    something), asked of the next in the group; an open question where nobody said anything."""
    rotated = members[prefer:] + members[:prefer]
    about = next((m for m in rotated if _said(m, kind).strip()), rotated[0])
    asker = members[(members.index(about) + 1) % len(members)]
    said = _said(about, kind)
    if not said.strip():
        return texts(f"pairs.group.{kind}_open", asker=asker.user_id, about=about.user_id)
    return texts(
        f"pairs.group.{kind}",
        asker=asker.user_id,
        about=about.user_id,
        said=fit_user_text(said, QUOTE_MAX, one_line=True),
    )


def _said(member: PairedMember, kind: str) -> str:
    return member.gives if kind == "gives" else member.wants


def describe_pairs(texts: Texts, overview: PairingOverview) -> str:
    if not overview.active:
        return texts("pairs.overview.off", rounds=overview.rounds)
    assert overview.next_round_at is not None
    return texts(
        f"pairs.overview.on.{overview.every_weeks}",
        next=slack_moment(texts, overview.next_round_at, overview.timezone),
        rounds=overview.rounds,
    )


def pairs_modal(texts: Texts, overview: PairingOverview, *, context: NetworkModalContext) -> View:
    options = named_options(texts, "pairs.every_weeks", (1, 2))
    chosen = option_for(options, str(overview.every_weeks), otherwise=options[0])
    return setting_modal(
        texts,
        "pairs.modal",
        callback_id=ids.PAIRS_MODAL,
        context=context,
        described=describe_pairs(texts, overview),
        block_id=ids.PairsBlocks.EVERY_WEEKS,
        label=texts("pairs.modal.every_weeks_label"),
        options=options,
        chosen=chosen,
    )


def pause_modal(texts: Texts, pauses: list[Pause], *, today: date, context: NetworkModalContext) -> View:
    blocks: list[Block] = [mrkdwn_section(describe_pauses(texts, pauses) or texts("pause.none"))]
    for block_id, label in ((ids.PauseBlocks.STARTS_ON, "starts_on"), (ids.PauseBlocks.ENDS_ON, "ends_on")):
        blocks.append(date_input(block_id, texts(f"pause.modal.{label}"), today))
    blocks.append(context_line(texts("pause.modal.hint")))
    return modal(texts, "pause.modal", callback_id=ids.PAUSE_MODAL, context=context, blocks=blocks)


def pauses_message(texts: Texts, pauses: list[Pause], *, network_id: int) -> Message:
    """The pauses to come, each with a button that removes it."""
    if not pauses:
        return notice(texts("pause.none"))
    blocks: list[Block] = [mrkdwn_section(texts("pause.list.heading"))]
    for pause in pauses:
        blocks.append(mrkdwn_section(pause_span(texts, pause)))
        blocks.append(
            button_block(
                texts("pause.list.remove"),
                action_id=ids.PauseActions.REMOVE,
                value=f"{network_id}:{pause.pause_id}",
                style="danger",
            )
        )
    return Message(text=texts("pause.list.heading"), blocks=blocks)
