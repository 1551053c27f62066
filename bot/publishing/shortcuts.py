"""The message shortcuts in Slack: the consent question in the DM of a saved message's author, that
question answered, in place of its buttons, and what became of the lesson in the DM of who saved it."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.publishing.carriers import when_failed
from bot.services.outbox import EffectKind
from bot.views.shortcuts import consent_answered_message
from bot.views.shortcuts import consent_question_message
from bot.views.shortcuts import saver_told_message


@carries(EffectKind.LESSON_CONSENT_ASK)
def ask_consent(publishing: Publishing, attempt: Attempt) -> None:
    question = publishing.services.shortcuts.consent_question(lesson_id=int(attempt.payload["lesson_id"]))
    if question is None:
        return  # answered, or gone with its network or its author, before the question went out
    message = consent_question_message(Texts(question.language), question)
    publishing.post_privately(attempt, question.author_id, message)


@when_failed(EffectKind.LESSON_CONSENT_ASK)
def drop_unasked_lesson(publishing: Publishing, attempt: Attempt, _reason: str) -> None:
    publishing.services.shortcuts.drop_unasked(lesson_id=int(attempt.payload["lesson_id"]))


@carries(EffectKind.LESSON_CONSENT_ANSWERED)
def show_consent_answered(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    message = consent_answered_message(Texts(str(payload["language"])), consent=bool(payload["consent"]))
    publishing.update(channel=str(payload["channel_id"]), ts=str(payload["ts"]), message=message)


@carries(EffectKind.LESSON_SAVER_TOLD)
def tell_saver(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    message = saver_told_message(
        Texts(str(payload["language"])), str(payload["text_key"]), author=str(payload["author_id"])
    )
    publishing.post_privately(attempt, str(payload["saver_id"]), message)
