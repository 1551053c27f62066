"""The trajectory in Slack: its plan in the channel (posted once, then updated in place) and the private
question to take over a role someone passed on."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.views.journey import plan_message
from bot.views.journey import role_answered_message
from bot.views.journey import role_asked_message

_PLAN_GONE = frozenset({"message_not_found", "cant_update_message"})


@carries(EffectKind.JOURNEY_PLAN)
def show_plan(publishing: Publishing, attempt: Attempt) -> None:
    plan = publishing.services.journey.plan_of(network_id=int(attempt.payload["network_id"]))
    if plan is None:
        return
    message = plan_message(Texts(plan.language), plan)
    if plan.plan_ts and publishing.update_if_there(
        channel=plan.channel_id, ts=plan.plan_ts, message=message, gone=_PLAN_GONE
    ):
        return
    if plan.archived:
        return
    # A plan message deleted by hand is posted again, under a key of its own.
    key = f"{plan.plan_key}/{plan.plan_ts}" if plan.plan_ts else plan.plan_key
    ts = publishing.post(attempt, channel=plan.channel_id, message=message, key=key)
    publishing.services.journey.record_plan_posted(journey_id=plan.journey_id, ts=ts)


@carries(EffectKind.JOURNEY_ROLE_ASKED)
def ask_to_take_role(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    asked = publishing.services.journey.asked_role(role_id=int(payload["role_id"]))
    if asked is None or asked.role.user_id != str(payload["user_id"]):
        return  # passed on again, or gone, before the question went out
    publishing.post_privately(attempt, asked.role.user_id, role_asked_message(Texts(asked.language), asked))


@carries(EffectKind.JOURNEY_ROLE_ANSWERED)
def show_role_answered(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    asked = publishing.services.journey.asked_role(role_id=int(payload["role_id"]))
    if asked is None:
        return
    message = role_answered_message(Texts(asked.language), asked, accepted=bool(payload["accepted"]))
    publishing.update(channel=str(payload["channel_id"]), ts=str(payload["ts"]), message=message)
