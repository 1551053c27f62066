"""What the safe group's effects look like in Slack: advice on a confidential case in its owner's private
messages, a guest expert's invitation, and the private note to whoever replied in a confidential thread."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotDeliverable
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.cases import CaseState
from bot.services.outbox import EffectKind
from bot.views.common import Message
from bot.views.safe import confidential_advice_message
from bot.views.safe import guest_invitation
from bot.views.safe import public_reply_note
from storage.models import CaseAdvice
from storage.models import CaseStatus


def send_confidential_advice(
    publishing: Publishing, attempt: Attempt, advice: CaseAdvice, state: CaseState
) -> None:
    """Advice on a confidential case goes to its owner alone; the thread only shows the new count."""
    if state.case.status == CaseStatus.DELETED:
        return  # its owner deleted it, or was forgotten, before the advice reached them
    message = confidential_advice_message(
        Texts(state.language),
        giver_id=advice.giver_id,
        title=state.case.title,
        advice=advice.text,
        case_id=state.case_id,
    )
    _send_privately(publishing, attempt, state.case.owner_id, message)


@carries(EffectKind.CASE_GUEST_INVITED)
def tell_guest(publishing: Publishing, attempt: Attempt) -> None:
    state = publishing.services.cases.state(case_id=int(attempt.payload["case_id"]))
    if state.case.status == CaseStatus.DELETED:
        return
    invitation = guest_invitation(
        Texts(state.language), owner_id=state.case.owner_id, title=state.case.title, case_id=state.case_id
    )
    _send_privately(publishing, attempt, str(attempt.payload["guest_id"]), invitation)


@carries(EffectKind.CASE_PUBLIC_REPLY)
def tell_public_reply(publishing: Publishing, attempt: Attempt) -> None:
    requester = attempt.requester
    if requester is None or not requester.channel_id:
        return
    note = public_reply_note(
        Texts(str(attempt.payload.get("language") or "")), int(attempt.payload["case_id"])
    )
    thread_ts = attempt.payload.get("thread_ts")
    publishing.client.chat_postEphemeral(
        channel=requester.channel_id,
        user=requester.user_id,
        text=note.text,
        blocks=note.blocks_as_dicts(),
        **({"thread_ts": str(thread_ts)} if thread_ts else {}),
    )


def _send_privately(publishing: Publishing, attempt: Attempt, user_id: str, message: Message) -> None:
    if not user_id:
        raise NotDeliverable("nobody_to_tell")
    publishing.post_privately(attempt, user_id, message)
