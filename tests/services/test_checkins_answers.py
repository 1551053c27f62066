"""Check-in answers on SQLite and PostgreSQL: reactions and written answers, anonymous, counted once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from bot.clock import ManualClock
from bot.errors import InvalidInput
from bot.errors import NotAMember
from bot.errors import PollClosed
from bot.errors import PollNotFound
from bot.services.respondents import Respondents
from storage.models import CheckinAnswer
from storage.models import CheckinReaction
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import KEY
from tests.services.checkin_factories import MEMBERS
from tests.services.checkin_factories import all_rows
from tests.services.checkin_factories import exported_polls
from tests.services.checkin_factories import on_the_scale
from tests.services.checkin_factories import open_poll
from tests.services.checkin_factories import react

# ---------------------------------------------------------------------- reactions


def test_reactions_give_one_answer_per_member(sessions, clock: ManualClock) -> None:
    _, services, post, ts = open_poll(sessions, clock)

    def on_poll(user: str, emoji: str, event: str, *, seconds: int = 0) -> bool:
        reacted_at = clock.now() + timedelta(seconds=seconds)
        return react(services, user, emoji, event, message_ts=ts, reacted_at=reacted_at)

    assert on_poll(MEMBERS[0], "grinning", "Ev1")
    assert not on_poll(MEMBERS[0], "grinning", "Ev1")  # the same delivery again
    assert not on_poll(MEMBERS[0], "grinning", "Ev2")  # the same reaction again
    assert on_poll(MEMBERS[0], "neutral_face", "Ev3", seconds=5)  # a change of mind
    assert not on_poll(MEMBERS[1], "thumbsup", "Ev4")  # not on the scale
    assert not on_poll("U0KAREL", "grinning", "Ev5")  # not a member
    assert not react(services, MEMBERS[1], "grinning", "Ev6", message_ts="1.2")  # not a poll
    # Out of order: a reaction Slack stamped earlier but delivered later does not win.
    assert on_poll(MEMBERS[1], "disappointed", "Ev7", seconds=10)
    assert on_poll(MEMBERS[1], "grinning", "Ev8", seconds=9)

    results = services.checkin_polls.results(poll_id=post.poll_id)
    assert results is not None
    assert results.distribution == on_the_scale(neutral_face=1, disappointed=1)
    assert results.respondent_count == 2


def test_the_reactions_on_the_message_at_closing_are_the_answers_events_or_not(
    sessions, clock: ManualClock
) -> None:
    _, services, post, ts = open_poll(sessions, clock)
    for number, (user, emoji) in enumerate(((MEMBERS[0], "grinning"), (MEMBERS[1], "neutral_face"))):
        react(services, user, emoji, f"Ev{number}", message_ts=ts)
    # Never delivered: MEMBERS[1] took theirs off, MEMBERS[2] and the facilitator added one.
    on_message = {
        "grinning": [MEMBERS[0], "U0BOT"],
        "slightly_smiling_face::skin-tone-3": [MEMBERS[2], "U0NIETLID"],
        "disappointed": [FACILITATOR],
        "tada": [MEMBERS[1]],
    }
    assert services.checkin_answers.reconcile_reactions(poll_id=post.poll_id, on_message=on_message) is True
    assert services.checkin_answers.reconcile_reactions(poll_id=post.poll_id, on_message=on_message) is False

    results = services.checkin_polls.results(poll_id=post.poll_id)
    assert results is not None
    assert results.distribution == on_the_scale(grinning=1, slightly_smiling_face=1, disappointed=1)
    assert results.respondent_count == 3


# ---------------------------------------------------------------------- written answers


def test_written_answers_keep_no_user_id_and_one_per_person_and_question(
    sessions, clock: ManualClock
) -> None:
    _, services, post, _ = open_poll(sessions, clock)

    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="  De sfeer ", signed=False
    )
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="De casussen", signed=False
    )
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="could_be_better", text="Tijd", signed=True
    )
    draft = services.checkin_answers.answer_draft(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well"
    )

    answers = all_rows(sessions, CheckinAnswer)
    assert sorted((a.question, a.text, a.signed_by) for a in answers) == [
        ("could_be_better", "Tijd", MEMBERS[0]),
        ("goes_well", "De casussen", None),
    ]
    anonymous = next(a for a in answers if a.signed_by is None)
    assert MEMBERS[0] not in anonymous.respondent
    assert anonymous.respondent == Respondents(KEY).of_poll(post.poll_id, MEMBERS[0])
    assert anonymous.respondent != Respondents(KEY).of_poll(post.poll_id + 1, MEMBERS[0])  # polls do not link
    assert anonymous.respondent != Respondents(b"another key").of_poll(post.poll_id, MEMBERS[0])
    assert draft.text == "De casussen" and not draft.signed
    # No column of the answer tables could hold a time or a user id, except the signature.
    columns = {c["name"] for c in inspect(sessions().get_bind()).get_columns("checkin_answer")}
    assert columns == {"id", "poll_id", "question", "respondent", "text", "signed_by"}


def test_answers_are_refused_when_empty_too_long_closed_or_not_a_member(sessions, clock: ManualClock) -> None:
    network_id, services, post, _ = open_poll(sessions, clock)

    with pytest.raises(InvalidInput) as empty:
        services.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text=" ", signed=False
        )
    assert empty.value.problems == {"text": ("validation.required", {})}
    with pytest.raises(InvalidInput):
        services.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="x" * 1001, signed=False
        )
    with pytest.raises(NotAMember):
        services.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id="U0KAREL", question="goes_well", text="Hallo", signed=False
        )
    with pytest.raises(PollNotFound):
        services.checkin_answers.answer_draft(poll_id=post.poll_id, user_id=MEMBERS[0], question="drop_table")
    with pytest.raises(PollNotFound):
        services.checkin_answers.answer_draft(poll_id=999, user_id=MEMBERS[0], question="goes_well")
    services.checkin_polls.close_now(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollClosed):
        services.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="Laat", signed=False
        )
    assert all_rows(sessions, CheckinAnswer) == []


# ---------------------------------------------------------------------- the export


def test_the_export_counts_distinct_users_and_names_only_who_signed(sessions, clock: ManualClock) -> None:
    network_id, services, post, ts = open_poll(sessions, clock)
    for number, user in enumerate(MEMBERS):
        react(services, user, "grinning", f"Ev{number}", message_ts=ts)
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="Anoniem", signed=False
    )
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[1], question="goes_well", text="Getekend", signed=True
    )

    [exported] = exported_polls(sessions, network_id)

    assert exported["reactions"]["grinning"] == 3 and exported["message_ts"] == ts
    assert exported["goes_well"] == ["Anoniem", "Getekend"] and exported["could_be_better"] == []
    assert exported["signed_answers"] == [
        {"question": "goes_well", "text": "Getekend", "user_id": MEMBERS[1]}
    ]
    text = str(exported)
    assert MEMBERS[0] not in text and MEMBERS[2] not in text
    assert all(r.respondent not in text for r in all_rows(sessions, CheckinReaction))
