"""Check-in polls end to end: signed requests and events in, the sandbox's Web API out.

Timed work runs by calling the scheduler's job functions directly with the test's clock, as the
scheduler would call them; the clock starts on Monday 14 September 2026, 10:00 in Brussels.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.services.checkin_common import SCALE
from bot.views.ids import SIGN_ANSWER_OPTION
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CheckinActions
from bot.views.ids import CheckinAnswerBlocks
from bot.views.ids import CheckinScheduleBlocks
from bot.views.ids import PrivacyActions
from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import Membership
from storage.models.network import Role
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.conftest import stored_sessions
from tests.e2e.timed import job_context

POLL_HEADER = "Even stilstaan: hoe gaat het met ons netwerk?"


# ---------------------------------------------------------------------- helpers


def set_role(bot: LocalBot, user_id: str, role: Role) -> None:
    with stored_sessions(bot) as sessions, sessions() as session:
        membership = session.exec(select(Membership).where(Membership.user_id == user_id)).one()
        membership.role = role
        session.add(membership)
        session.commit()


def polls_in_channel(emulator: SlackEmulator, channel_id: str = NETWORK_CHANNEL) -> list[dict]:
    return channel_messages(emulator, POLL_HEADER, channel_id=channel_id)


def the_poll(emulator: SlackEmulator) -> dict:
    [poll] = polls_in_channel(emulator)
    return poll


def react(
    bot: LocalBot, user_id: str, emoji: str, ts: str, *, added: bool = True, channel_id: str = NETWORK_CHANNEL
):
    assert bot.driver is not None
    if added:
        bot.emulator.add_reaction(channel_id, ts, emoji, user_id)
        return bot.send_event(bot.driver.reaction_added(user_id, emoji, channel_id, ts))
    return bot.send_event(bot.driver.reaction_removed(user_id, emoji, channel_id, ts))


def open_answer_form(
    bot: LocalBot,
    user_id: str,
    ts: str,
    *,
    action_id: str = CheckinActions.WRITE_GOES_WELL,
    value: str | None = None,
) -> None:
    """Press one of the poll's answer buttons (`value`, the poll id, as the bot put it there by default)."""
    assert bot.driver is not None
    bot.driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=NETWORK_CHANNEL, message_ts=ts, value=value
    )
    bot.settle()


def write_answer(
    bot: LocalBot, user_id: str, ts: str, text: str, *, action: str = "goes_well", sign: bool = False
):
    action_id = (
        CheckinActions.WRITE_GOES_WELL if action == "goes_well" else CheckinActions.WRITE_COULD_BE_BETTER
    )
    open_answer_form(bot, user_id, ts, action_id=action_id)
    values = {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: text}}
    if sign:
        values[CheckinAnswerBlocks.SIGN] = {VALUE_ACTION: [SIGN_ANSWER_OPTION]}
    return bot.submit_view(user_id, values)


def posted_poll(bot: LocalBot, emulator: SlackEmulator) -> str:
    """Start the network and let the facilitator post a poll now; returns its ts."""
    start_network(bot)
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return the_poll(emulator)["ts"]


# ---------------------------------------------------------------------- posting


def test_a_facilitator_posts_a_poll_with_the_three_questions_and_the_scale_as_reactions(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)

    poll = emulator.message(NETWORK_CHANNEL, ts, raw=True)
    assert poll is not None
    text = str(poll["blocks"])
    for question in ("Zijn we goed bezig?", "Wat gaat goed?", "Wat kan beter?"):
        assert question in text
    for emoji in SCALE:
        assert f":{emoji}:" in text
    # The bot added the scale itself, so answering is one click.
    assert [(r["name"], r["users"]) for r in poll["reactions"]] == [
        (e, [emulator.bot_user_id]) for e in SCALE
    ]
    assert poll["metadata"]["event_payload"]["key"] == "checkin/1/manual/2026-09-14"
    [exported_poll] = exported(bot)["polls"]
    assert exported_poll["message_ts"] == ts and exported_poll["status"] == "open"


def test_an_english_network_is_asked_the_english_questions(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot, start_language="en", start_name="Youth care")
    bot.command("poll", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    [poll] = emulator.messages(NETWORK_CHANNEL)[1:]
    for question in ("Are we doing well?", "What goes well?", "What could be better?"):
        assert question in str(poll["blocks"])


def test_only_a_facilitator_posts_a_poll_and_only_one_is_open_at_a_time(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    posted_poll(bot, emulator)

    bot.command("peiling", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("peiling", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    assert ephemeral_texts(emulator, PARTICIPANTS[0]) == ["Dat kan alleen een facilitator van dit netwerk."]
    [open_already] = ephemeral_texts(emulator, FACILITATOR)
    assert "Er loopt al een peiling" in open_already
    assert "geen lid" in ephemeral_texts(emulator, OUTSIDER)[0]
    assert len(polls_in_channel(emulator)) == 1


def test_a_poll_in_an_unlinked_channel_is_refused(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "nog niet gekoppeld" in ephemeral_texts(emulator, FACILITATOR)[0]
    assert emulator.messages(NETWORK_CHANNEL) == []


def test_a_post_whose_answer_was_lost_appears_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.drop_response_next("chat.postMessage")

    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    poll = the_poll(emulator)
    assert len(emulator.calls_to("chat.postMessage")) == 2  # welcome + the poll, never a second poll
    assert exported(bot)["polls"][0]["message_ts"] == poll["ts"]


def test_a_poll_slack_refuses_is_dropped_and_the_facilitator_told_to_invite_the_bot(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    emulator.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "not_in_channel"})

    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)  # the bot was removed

    assert "Nodig me eerst uit" in ephemeral_texts(emulator, FACILITATOR)[-1]
    assert exported(bot)["polls"] == []
    # Invited again, the facilitator posts the poll the same day: nothing open or posted stands in the way.
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert len(polls_in_channel(emulator)) == 1
    assert [poll["status"] for poll in exported(bot)["polls"]] == ["open"]


# ---------------------------------------------------------------------- reactions


def test_reactions_count_once_per_member_and_the_last_one_is_the_answer(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)

    react(bot, PARTICIPANTS[0], "grinning", ts)
    react(bot, PARTICIPANTS[1], "neutral_face", ts)
    react(bot, PARTICIPANTS[1], "slightly_smiling_face", ts)  # changes their mind
    react(bot, FACILITATOR, "disappointed", ts)
    react(bot, FACILITATOR, "disappointed", ts, added=False)  # takes it back

    reactions = exported(bot)["polls"][0]["reactions"]
    assert reactions == {
        "grinning": 1,
        "slightly_smiling_face": 1,
        "neutral_face": 0,
        "slightly_frowning_face": 0,
        "disappointed": 0,
    }


def test_removing_the_latest_reaction_falls_back_to_the_one_still_there(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning", ts)
    react(bot, PARTICIPANTS[0], "disappointed", ts)
    react(bot, PARTICIPANTS[0], "disappointed", ts, added=False)

    reactions = exported(bot)["polls"][0]["reactions"]
    assert reactions["grinning"] == 1 and reactions["disappointed"] == 0


def test_a_redelivered_or_duplicated_reaction_counts_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    ts = posted_poll(bot, emulator)
    assert bot.driver is not None
    event = bot.driver.reaction_added(PARTICIPANTS[0], "grinning", NETWORK_CHANNEL, ts)

    bot.send_event(event)
    bot.driver.redeliver(retry_num=1)
    bot.driver.redeliver(retry_num=2, retry_reason="http_error")
    bot.send_event(event)  # the same reaction again under a new event id
    bot.settle()
    # A removal delivered twice removes once: the member's later re-add stands.
    removal = bot.driver.reaction_removed(PARTICIPANTS[0], "grinning", NETWORK_CHANNEL, ts)
    bot.send_event(removal)
    bot.send_event(bot.driver.reaction_added(PARTICIPANTS[0], "grinning", NETWORK_CHANNEL, ts))
    bot.driver.redeliver(retry_num=1)
    bot.settle()

    assert exported(bot)["polls"][0]["reactions"]["grinning"] == 1
    assert len(stored(bot, CheckinReaction)) == 1


def test_foreign_emoji_other_messages_the_bot_and_outsiders_are_not_counted(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)
    welcome_ts = emulator.messages(NETWORK_CHANNEL)[0]["ts"]
    emulator.join(NETWORK_CHANNEL, OUTSIDER)

    react(bot, PARTICIPANTS[0], "tada", ts)  # not on the scale
    react(bot, PARTICIPANTS[0], "grinning", welcome_ts)  # not a poll
    react(bot, OUTSIDER, "grinning", ts)  # in the channel, not in the network
    react(bot, emulator.bot_user_id, "grinning", ts)  # the bot's own scale

    assert set(exported(bot)["polls"][0]["reactions"].values()) == {0}
    assert stored(bot, CheckinReaction) == []


def test_a_skin_tone_is_the_same_answer(bot: LocalBot, emulator: SlackEmulator) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning::skin-tone-3", ts)
    assert exported(bot)["polls"][0]["reactions"]["grinning"] == 1


# ---------------------------------------------------------------------- written answers


def test_a_written_answer_is_kept_anonymously_and_can_be_changed(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)

    response = write_answer(bot, PARTICIPANTS[0], ts, "De casusbesprekingen")
    assert response.status == 200 and emulator.open_view(PARTICIPANTS[0]) is None
    # Opening it again shows what they wrote; saving replaces it.
    open_answer_form(bot, PARTICIPANTS[0], ts)
    view = emulator.open_view(PARTICIPANTS[0])
    assert view is not None and "De casusbesprekingen" in str(view["blocks"])
    bot.submit_view(
        PARTICIPANTS[0], {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: "De casusbesprekingen en de koffie"}}
    )

    [answer] = stored(bot, CheckinAnswer)
    assert answer.text == "De casusbesprekingen en de koffie"
    assert answer.signed_by is None
    assert PARTICIPANTS[0] not in answer.respondent and len(answer.respondent) == 64
    assert "Bedankt" in ephemeral_texts(emulator, PARTICIPANTS[0])[-1]
    # Nobody sees it before the poll closes.
    assert "De casusbesprekingen" not in str(emulator.messages(NETWORK_CHANNEL))
    assert PARTICIPANTS[0] not in str(exported(bot)["polls"])


def test_an_empty_or_too_long_answer_keeps_the_modal_open(bot: LocalBot, emulator: SlackEmulator) -> None:
    ts = posted_poll(bot, emulator)
    response = write_answer(bot, PARTICIPANTS[0], ts, "   ")
    assert response.json()["errors"] == {CheckinAnswerBlocks.TEXT: "Vul dit in."}
    response = bot.submit_view(PARTICIPANTS[0], {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: "x" * 1001}})
    assert "1001" in response.json()["errors"][CheckinAnswerBlocks.TEXT]
    assert stored(bot, CheckinAnswer) == []


def test_an_outsider_cannot_answer(bot: LocalBot, emulator: SlackEmulator) -> None:
    ts = posted_poll(bot, emulator)
    emulator.join(NETWORK_CHANNEL, OUTSIDER)
    open_answer_form(bot, OUTSIDER, ts, action_id=CheckinActions.WRITE_COULD_BE_BETTER)
    assert emulator.open_view(OUTSIDER) is None
    assert "geen lid" in ephemeral_texts(emulator, OUTSIDER)[0]


# ---------------------------------------------------------------------- closing


def test_closing_counts_the_reactions_on_the_message_also_those_slack_never_delivered(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning", ts)
    emulator.add_reaction(NETWORK_CHANNEL, ts, "neutral_face", PARTICIPANTS[1])  # the bot was down
    assert bot.driver is not None  # ...and this one was taken off again while it was down
    bot.send_event(bot.driver.reaction_added(FACILITATOR, "disappointed", NETWORK_CHANNEL, ts))

    clock.advance(timedelta(days=3))
    jobs.close_due_polls(job_context(bot))

    [results] = emulator.replies(NETWORK_CHANNEL, ts)
    text = str(results["blocks"])
    assert "2 van de 3 leden antwoordden" in text
    assert exported(bot)["polls"][0]["reactions"] == {
        "grinning": 1,
        "slightly_smiling_face": 0,
        "neutral_face": 1,
        "slightly_frowning_face": 0,
        "disappointed": 0,
    }


def test_closing_posts_the_results_in_the_thread_and_marks_the_poll_closed(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning", ts)
    react(bot, PARTICIPANTS[1], "grinning", ts)
    react(bot, FACILITATOR, "neutral_face", ts)
    write_answer(bot, PARTICIPANTS[1], ts, "Zeker de <!channel> intervisie & *sfeer*")
    write_answer(bot, FACILITATOR, ts, "Meer tijd voor casussen", action="could_be_better", sign=True)
    write_answer(bot, PARTICIPANTS[0], ts, "Aandacht voor nieuwe leden", action="could_be_better")

    clock.advance(timedelta(days=3))
    jobs.close_due_polls(job_context(bot))
    jobs.close_due_polls(job_context(bot))  # a second sweep finds nothing left to close

    [results] = emulator.replies(NETWORK_CHANNEL, ts)
    text = str(results["blocks"])
    assert "3 van de 3 leden antwoordden (100%)" in text
    assert ":grinning: heel goed: ██████████ 2" in text
    assert "&lt;!channel&gt; intervisie &amp;" in text and "<!channel>" not in text
    assert text.index("Aandacht voor nieuwe leden") < text.index("Meer tijd voor casussen")
    assert f"Meer tijd voor casussen (<@{FACILITATOR}>)" in text
    closed = emulator.message(NETWORK_CHANNEL, ts)
    assert (
        closed is not None and "gesloten" in str(closed["blocks"]) and "button" not in str(closed["blocks"])
    )
    [poll] = exported(bot)["polls"]
    assert poll["status"] == "closed" and poll["respondents"] == 3
    assert sorted(poll["could_be_better"]) == ["Aandacht voor nieuwe leden", "Meer tijd voor casussen"]
    # Reactions after the close do not change the results.
    react(bot, PARTICIPANTS[0], "disappointed", ts)
    assert exported(bot)["polls"][0]["reactions"]["disappointed"] == 0


def test_below_the_anonymity_threshold_only_the_count_is_shown(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "disappointed", ts)
    write_answer(bot, PARTICIPANTS[0], ts, "Niets, eerlijk gezegd", action="could_be_better")

    bot.command("peiling sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [results] = emulator.replies(NETWORK_CHANNEL, ts)
    text = str(results["blocks"])
    assert "1 van de 3 leden antwoordde" in text
    assert "minder dan 3 antwoorden alleen het aantal" in text
    assert "Niets, eerlijk gezegd" not in text and ":disappointed:" not in text


def test_closing_is_for_facilitators_and_answering_a_closed_poll_is_refused(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = posted_poll(bot, emulator)
    # A member opens the answer form while the poll is open...
    open_answer_form(bot, PARTICIPANTS[0], ts)
    bot.command("peiling sluiten", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    assert emulator.replies(NETWORK_CHANNEL, ts) == []

    bot.command("poll close", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("peiling sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "geen peiling" in ephemeral_texts(emulator, FACILITATOR)[-1]
    assert len(emulator.replies(NETWORK_CHANNEL, ts)) == 1

    # ...and sends it after the close: refused in the form, which stays open, and nothing is kept.
    late = bot.submit_view(PARTICIPANTS[0], {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: "Te laat"}})
    assert "gesloten" in late.json()["errors"][CheckinAnswerBlocks.TEXT]
    assert stored(bot, CheckinAnswer) == []


def test_a_poll_open_when_the_network_is_archived_ends_without_a_word_in_the_channel(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning", ts)
    open_answer_form(bot, PARTICIPANTS[1], ts)  # opened before the archive, sent after it
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    # The archived network takes no answers: no written one, no reaction, no form to write one in.
    late = bot.submit_view(PARTICIPANTS[1], {CheckinAnswerBlocks.TEXT: {VALUE_ACTION: "Na het archief"}})
    assert "nog niet gekoppeld" in late.json()["errors"][CheckinAnswerBlocks.TEXT]
    react(bot, PARTICIPANTS[1], "disappointed", ts)
    open_answer_form(bot, FACILITATOR, ts)
    assert emulator.open_view(FACILITATOR) is None
    assert stored(bot, CheckinAnswer) == []
    assert [r.emoji for r in stored(bot, CheckinReaction)] == ["grinning"]

    # Nobody is reminded of it, and it closes without results in the channel.
    clock.advance(timedelta(days=1, hours=12))
    jobs.send_due_reminders(job_context(bot))
    clock.advance(timedelta(days=2))
    jobs.close_due_polls(job_context(bot))
    assert not [c for c in emulator.calls_to("chat.postMessage") if c.args["channel"].startswith("U")]
    assert emulator.replies(NETWORK_CHANNEL, ts) == []
    assert [poll.status for poll in stored(bot, CheckinPoll)] == ["closed"]


def test_a_forged_poll_id_is_answered_plainly(bot: LocalBot, emulator: SlackEmulator) -> None:
    ts = posted_poll(bot, emulator)
    open_answer_form(bot, PARTICIPANTS[0], ts, value="999")
    open_answer_form(bot, PARTICIPANTS[0], ts, value="drop table")
    open_answer_form(bot, PARTICIPANTS[0], ts, value="²")  # a digit to isdigit, no number to int
    open_answer_form(bot, PARTICIPANTS[0], ts, value="9" * 30)  # beyond any id the database holds
    assert ephemeral_texts(emulator, PARTICIPANTS[0]) == ["Die peiling vind ik niet terug."] * 4


def test_an_unknown_poll_argument_explains_the_usage(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("peiling morgen", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "/netwerk peiling planning" in ephemeral_texts(emulator, FACILITATOR)[0]
    assert polls_in_channel(emulator) == []


# ---------------------------------------------------------------------- reminders


def test_halfway_members_who_did_not_answer_get_one_private_reminder(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = posted_poll(bot, emulator)
    react(bot, PARTICIPANTS[0], "grinning", ts)
    write_answer(bot, FACILITATOR, ts, "De sfeer")

    clock.advance(timedelta(days=1, hours=12))
    jobs.send_due_reminders(job_context(bot))
    jobs.send_due_reminders(job_context(bot))

    reminded = [
        call.args["channel"]
        for call in emulator.calls_to("chat.postMessage")
        if call.args["channel"].startswith("U")
    ]
    assert reminded == [PARTICIPANTS[1]]
    [dm] = emulator.messages(emulator.dm_channel_id(PARTICIPANTS[1]))
    assert "herinnering" in dm["text"] and f"<#{NETWORK_CHANNEL}>" in dm["text"]
    assert "donderdag 17 september om 10:00" in dm["text"]


# ---------------------------------------------------------------------- the schedule


def test_a_facilitator_sees_and_changes_the_schedule(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)

    view = open_modal(bot, "peiling planning", FACILITATOR)
    assert view["callback_id"] == "checkin_schedule"
    assert "om de twee weken op maandag om 10:00" in str(view["blocks"])
    assert "maandag 21 september om 10:00" in str(view["blocks"])

    response = bot.submit_view(
        FACILITATOR,
        {
            CheckinScheduleBlocks.FREQUENCY: {VALUE_ACTION: "weekly"},
            CheckinScheduleBlocks.WEEKDAY: {VALUE_ACTION: "2"},
            CheckinScheduleBlocks.TIME: {VALUE_ACTION: "09:30"},
            CheckinScheduleBlocks.OPEN_DAYS: {VALUE_ACTION: "2"},
            CheckinScheduleBlocks.REMINDERS: {VALUE_ACTION: "off"},
            CheckinScheduleBlocks.ANONYMITY_THRESHOLD: {VALUE_ACTION: "4"},
        },
    )

    assert response.status == 200 and response.problems == []
    saved = emulator.messages(NETWORK_CHANNEL)[-1]
    assert "elke week op woensdag om 09:30" in saved["text"]
    assert "woensdag 16 september om 09:30" in saved["text"]
    bot.command("peiling planning", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    [shown] = emulator.ephemerals(user_id=PARTICIPANTS[0])
    assert "elke week op woensdag om 09:30" in shown["text"]
    assert "Alleen een facilitator" in str(shown["blocks"])


def test_the_threshold_only_goes_up_and_a_demoted_facilitator_cannot_save(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    form = {
        CheckinScheduleBlocks.FREQUENCY: {VALUE_ACTION: "biweekly"},
        CheckinScheduleBlocks.WEEKDAY: {VALUE_ACTION: "0"},
        CheckinScheduleBlocks.TIME: {VALUE_ACTION: "10:00"},
        CheckinScheduleBlocks.OPEN_DAYS: {VALUE_ACTION: "3"},
        CheckinScheduleBlocks.REMINDERS: {VALUE_ACTION: "on"},
        CheckinScheduleBlocks.ANONYMITY_THRESHOLD: {VALUE_ACTION: "5"},
    }
    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(FACILITATOR, form)

    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    forged = bot.submit_view(
        FACILITATOR, {**form, CheckinScheduleBlocks.ANONYMITY_THRESHOLD: {VALUE_ACTION: "3"}}
    )
    assert forged.problems  # 3 is not an option any more: only a forged request sends it
    assert "kan alleen omhoog" in forged.json()["errors"][CheckinScheduleBlocks.ANONYMITY_THRESHOLD]
    # "²" is a digit to Python that int() refuses: a field error, not an error on our side.
    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    superscripts = {CheckinScheduleBlocks.TIME: "²²:00", CheckinScheduleBlocks.ANONYMITY_THRESHOLD: "²"}
    forged = bot.submit_view(
        FACILITATOR, {**form, **{block: {VALUE_ACTION: value} for block, value in superscripts.items()}}
    )
    assert sorted(forged.json()["errors"]) == sorted(superscripts)

    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    set_role(bot, FACILITATOR, Role.PARTICIPANT)
    demoted = bot.submit_view(FACILITATOR, {**form, CheckinScheduleBlocks.FREQUENCY: {VALUE_ACTION: "off"}})
    assert "facilitator" in " ".join(demoted.json()["errors"].values())
    assert "om de twee weken" in emulator.messages(NETWORK_CHANNEL)[-1]["text"]


def test_a_schedule_time_in_the_spring_gap_is_explained(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(
        FACILITATOR,
        {
            CheckinScheduleBlocks.FREQUENCY: {VALUE_ACTION: "weekly"},
            CheckinScheduleBlocks.WEEKDAY: {VALUE_ACTION: "6"},
            CheckinScheduleBlocks.TIME: {VALUE_ACTION: "02:30"},
        },
    )
    saved = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    assert "zondag 25 oktober" in saved and "twee keer" in saved  # the autumn fold of 2026
    assert "zondag 28 maart" in saved and "03:30" in saved  # the spring gap of 2027


def test_a_bad_time_is_named_in_the_modal(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    response = bot.submit_view(FACILITATOR, {CheckinScheduleBlocks.TIME: {VALUE_ACTION: "25:99"}})
    assert response.json()["errors"] == {CheckinScheduleBlocks.TIME: "Kies een uur, bijvoorbeeld 10:00."}


def test_english_speakers_can_use_the_english_words(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("poll schedule", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    # A participant sees the schedule, in the network's language, whichever words they used.
    [shown] = emulator.ephemerals(user_id=PARTICIPANTS[0])
    assert "om de twee weken" in shown["text"]
    bot.command("poll schedule", user_id=ENGLISH_SPEAKER, channel_id=NETWORK_CHANNEL)
    # Someone outside the network is not told (see the authorisation matrix).
    [refused] = emulator.ephemerals(user_id=ENGLISH_SPEAKER)
    assert "geen lid" in refused["text"]
