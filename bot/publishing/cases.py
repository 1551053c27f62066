"""What the case effects look like in Slack: the card, its thread, and the clean-up after a deletion."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import MESSAGE_DELETED
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotYet
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.publishing.carriers import when_failed
from bot.publishing.safe import send_confidential_advice
from bot.services.cases import CaseState
from bot.services.outbox import EffectKind
from bot.views.case_rounds import round_step_done
from bot.views.case_rounds import round_step_post
from bot.views.cases import advice_post
from bot.views.cases import case_card
from bot.views.cases import case_details
from bot.views.cases import lesson_post
from bot.views.common import Message
from storage.models import CaseStatus


@carries(EffectKind.CASE_CARD)
def post_case_card(publishing: Publishing, attempt: Attempt) -> None:
    """The card in the channel, then the situation and question in its thread."""
    cases = publishing.services.cases
    state = cases.state(case_id=int(attempt.payload["case_id"]))
    if state.case.status == CaseStatus.DELETED:
        if state.case.card_ts is None:
            # Deleted before its card's ts was kept: the deletion's clean-up could not know of the card.
            publishing.take_back(attempt, channel=state.channel_id)
        return
    texts = Texts(state.language)
    if state.case.card_ts is None:
        card_ts = publishing.post(attempt, channel=state.channel_id, message=case_card(texts, state))
        state = cases.attach_card(case_id=state.case_id, card_ts=card_ts)
    if state.case.confidential:
        return  # what it says is read in the reading modal, never in the thread
    _post_in_thread(
        publishing, attempt, state, case_details(texts, state), key=f"case-details-{state.case_id}"
    )


@when_failed(EffectKind.CASE_CARD)
def discard_unposted_case(publishing: Publishing, attempt: Attempt, _reason: str) -> None:
    # No case may exist that nobody can see; its owner is told that it did not go through.
    publishing.services.cases.discard_unpublished(case_id=int(attempt.payload["case_id"]))


@carries(EffectKind.CASE_REFRESH)
def refresh_case_card(publishing: Publishing, attempt: Attempt) -> None:
    state = publishing.services.cases.state(case_id=int(attempt.payload["case_id"]))
    if state.case.card_ts is None or state.case.status == CaseStatus.DELETED:
        return
    # Someone may have removed the card in Slack: then there is nothing left to show the counts on.
    publishing.update_if_there(
        channel=state.channel_id,
        ts=state.case.card_ts,
        message=case_card(Texts(state.language), state),
        gone=MESSAGE_DELETED,
    )


@carries(EffectKind.CASE_ADVICE)
def post_advice(publishing: Publishing, attempt: Attempt) -> None:
    advice, state = publishing.services.cases.advice_to_post(advice_id=int(attempt.payload["advice_id"]))
    if advice.removed:
        return  # its giver was forgotten before it reached the thread
    if state.case.confidential:
        send_confidential_advice(publishing, attempt, advice, state)
        return
    post = advice_post(Texts(state.language), giver_id=advice.giver_id, advice=advice.text)
    _post_in_thread(publishing, attempt, state, post)


@carries(EffectKind.CASE_LESSON)
def post_lesson(publishing: Publishing, attempt: Attempt) -> None:
    state = publishing.services.cases.state(case_id=int(attempt.payload["case_id"]))
    if state.case.status != CaseStatus.CLOSED or state.case.confidential:
        return  # a confidential case's lesson stays inside it
    _post_in_thread(publishing, attempt, state, lesson_post(Texts(state.language), state))


@carries(EffectKind.CASE_ROUND_STEP)
def post_round_step(publishing: Publishing, attempt: Attempt) -> None:
    state = publishing.services.cases.state(case_id=int(attempt.payload["case_id"]))
    index = attempt.payload.get("index")
    if state.case.status != CaseStatus.OPEN or index is None or state.case.round_step_index != index:
        return  # the round moved on (or its case closed) before this step reached the thread
    _post_in_thread(publishing, attempt, state, round_step_post(Texts(state.language), state, index=index))


@carries(EffectKind.CASE_ROUND_STEP_DONE)
def mark_round_step_done(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    state = publishing.services.cases.state(case_id=int(payload["case_id"]))
    if state.case.round_method is None or "index" not in payload:
        return  # the case was erased, or the item was written for the three fixed steps of old
    done = round_step_done(
        Texts(state.language), state, index=int(payload["index"]), moved_on_by=str(payload["moved_on_by"])
    )
    publishing.update(channel=str(payload["channel_id"]), ts=str(payload["ts"]), message=done)


@carries(EffectKind.CASE_CLEAN_UP)
def clean_up_deleted_case(publishing: Publishing, attempt: Attempt) -> None:
    """Remove the bot's posts in the case's thread, then the card itself.

    People's own replies stay (the bot cannot delete them); with replies left, Slack shows the card as
    "This message was deleted".
    """
    channel_id, card_ts = str(attempt.payload["channel_id"]), attempt.payload.get("card_ts")
    if not card_ts:
        return
    for ts in _bot_posts_in_thread(publishing, channel_id, str(card_ts)):
        publishing.delete(channel=channel_id, ts=ts)
    publishing.delete(channel=channel_id, ts=str(card_ts))


def _post_in_thread(
    publishing: Publishing, attempt: Attempt, state: CaseState, message: Message, *, key: str | None = None
) -> None:
    if state.case.card_ts is None:
        raise NotYet()
    publishing.post(attempt, channel=state.channel_id, message=message, thread_ts=state.case.card_ts, key=key)


def _bot_posts_in_thread(publishing: Publishing, channel_id: str, thread_ts: str) -> list[str]:
    found: list[str] = []
    cursor: str | None = None
    while True:
        try:
            page = publishing.client.conversations_replies(
                channel=channel_id, ts=thread_ts, limit=200, cursor=cursor
            )
        except SlackApiError as error:
            if error.response.get("error") == "thread_not_found":
                return found
            raise
        found += [
            str(message["ts"])
            for message in page.get("messages", [])
            if message.get("ts") != thread_ts and message.get("user") == publishing.bot_user_id
        ]
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found
