"""What a follow-up looks like in Slack: the question in the owner's DM, their answer in its place,
in the case's thread and with each adviser."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotYet
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.views.follow_ups import adviser_message
from bot.views.follow_ups import question_message
from bot.views.follow_ups import settled_message
from bot.views.follow_ups import thread_post
from storage.models import FollowUpState


@carries(EffectKind.FOLLOW_UP_ASK)
def ask_follow_up(publishing: Publishing, attempt: Attempt) -> None:
    follow_ups = publishing.services.follow_ups
    question = follow_ups.question(follow_up_id=int(attempt.payload["follow_up_id"]))
    if question is None or question.state != FollowUpState.ASKED:
        return  # gone, answered or dropped before the question got out
    channel = publishing.direct_message(question.owner_id)
    ts = publishing.post(
        attempt, channel=channel, message=question_message(Texts(question.language), question)
    )
    follow_ups.record_question_posted(follow_up_id=question.follow_up_id, channel=channel, ts=ts)


@carries(EffectKind.FOLLOW_UP_SETTLED)
def show_answer_to_owner(publishing: Publishing, attempt: Attempt) -> None:
    """The question's buttons give way to the answer: for a confidential case the one place it shows."""
    question = publishing.services.follow_ups.question(follow_up_id=int(attempt.payload["follow_up_id"]))
    if question is None:
        return
    if question.question_channel is None or question.question_ts is None:
        raise NotYet()
    publishing.update(
        channel=question.question_channel,
        ts=question.question_ts,
        message=settled_message(Texts(question.language), question),
    )


@carries(EffectKind.FOLLOW_UP_SHARE)
def share_answer(publishing: Publishing, attempt: Attempt) -> None:
    """In the case's thread, then to each adviser privately, each post once under its own key."""
    question = publishing.services.follow_ups.question(follow_up_id=int(attempt.payload["follow_up_id"]))
    if question is None or question.confidential or question.state != FollowUpState.ANSWERED:
        return
    texts = Texts(question.language)
    if question.card_ts is not None:
        publishing.post(
            attempt,
            channel=question.channel_id,
            message=thread_post(texts, question),
            thread_ts=question.card_ts,
        )
    for adviser_id in question.advisers:
        publishing.post_privately(
            attempt, adviser_id, adviser_message(texts, question), key=f"{attempt.key}-{adviser_id}"
        )
