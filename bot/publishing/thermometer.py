"""What the thermometer's effects look like in Slack: the round in the channel, its results in the
round's thread (the round message then marked closed), and the suggestions in each facilitator's DM."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotYet
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.publishing.carriers import when_failed
from bot.services.outbox import EffectKind
from bot.views.thermometer import closed_round_message
from bot.views.thermometer import results_message
from bot.views.thermometer import round_message
from bot.views.thermometer import suggestions_message
from storage.models.base import AnswerPeriodStatus


@carries(EffectKind.THERMOMETER_ROUND)
def post_round(publishing: Publishing, attempt: Attempt) -> None:
    thermometer = publishing.services.thermometer
    post = thermometer.round_post(round_id=int(attempt.payload["round_id"]))
    if post is None or post.message_ts is not None:
        return
    texts = Texts(post.language)
    message = (
        round_message(texts, post) if post.status == AnswerPeriodStatus.OPEN else closed_round_message(texts)
    )
    ts = publishing.post(attempt, channel=post.channel_id, message=message, key=post.key)
    thermometer.record_posted(round_id=post.round_id, message_ts=ts)


@when_failed(EffectKind.THERMOMETER_ROUND)
def give_up_round(publishing: Publishing, attempt: Attempt, _reason: str) -> None:
    publishing.services.thermometer.give_up_round(round_id=int(attempt.payload["round_id"]))


@carries(EffectKind.THERMOMETER_RESULTS)
def post_results(publishing: Publishing, attempt: Attempt) -> None:
    results = publishing.services.thermometer.results(round_id=int(attempt.payload["round_id"]))
    if results is None:
        return
    post = results.post
    if post.message_ts is None:
        # Closed before its post went out: the round's own item posts it (closed) first.
        raise NotYet()
    texts = Texts(post.language)
    publishing.post(
        attempt, channel=post.channel_id, message=results_message(texts, results), thread_ts=post.message_ts
    )
    publishing.update(channel=post.channel_id, ts=post.message_ts, message=closed_round_message(texts))


@carries(EffectKind.THERMOMETER_SUGGESTIONS)
def send_suggestions(publishing: Publishing, attempt: Attempt) -> None:
    results = publishing.services.thermometer.results(round_id=int(attempt.payload["round_id"]))
    if results is None or not results.needs_attention():
        return
    message = suggestions_message(Texts(results.post.language), results, results.post.network_name)
    for user_id in results.facilitator_ids:
        publishing.post_privately(attempt, user_id, message, key=f"{attempt.key}/{user_id}")
