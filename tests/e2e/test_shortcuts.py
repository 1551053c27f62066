"""Message shortcuts end to end over real HTTP, on both databases: "Breng in als casus" and "Bewaar als
les" on a message in the network's channel, the author's consent, and every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.demo.harness import LocalBot
from bot.sandbox.driver import DriverResponse
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import BRING_IN_AS_CASE_SHORTCUT
from bot.views.ids import SAVE_AS_LESSON_SHORTCUT
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import LessonActions
from bot.views.ids import PrivacyActions
from bot.views.ids import ShortcutActions
from storage.models import Case
from storage.models import SavedLesson
from tests.blocks import message_text
from tests.e2e.conftest import CHANNEL_WITHOUT_BOT
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import cards
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import last_private
from tests.e2e.conftest import press
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import stored
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import CASE_FORM
from tests.e2e.test_cases import agree_to_keep_it
from tests.factories import form_values

JOKE, MEHMET = PARTICIPANTS
WORDS = "Wat mij hielp: eerst luisteren, dan pas <@U0ELS> & co om raad vragen."
AS_SLACK_SENDS_IT = "Wat mij hielp: eerst luisteren, dan pas <@U0ELS> &amp; co om raad vragen."
AS_READ = "Wat mij hielp: eerst luisteren, dan pas @U0ELS & co om raad vragen."


def written(emulator: SlackEmulator, user_id: str, text: str = AS_SLACK_SENDS_IT, **options: Any) -> str:
    """A person writes a message in the network's channel; its ts."""
    return str(
        emulator.add_message(options.pop("channel_id", NETWORK_CHANNEL), user_id, text, **options)["ts"]
    )


def use(
    bot: LocalBot, callback_id: str, user_id: str, ts: str, channel_id: str = NETWORK_CHANNEL
) -> DriverResponse:
    response = bot.message_shortcut(callback_id, user_id=user_id, channel_id=channel_id, message_ts=ts)
    assert response.status == 200, (response.status, response.body)
    return response


def dm_messages(emulator: SlackEmulator, user_id: str) -> list[dict]:
    return emulator.messages(emulator.dm_channel_id(user_id))


def saved_lessons(bot: LocalBot) -> list[dict]:
    return [lesson for lesson in exported(bot)["lessons"] if lesson["source"] == "saved"]


def last_dm(emulator: SlackEmulator, user_id: str) -> str:
    """What the bot last told `user_id` in their DM, which stays there, where an ephemeral would not
    reach someone who is not looking at the channel when the answer comes."""
    messages = dm_messages(emulator, user_id)
    assert messages, f"{user_id} got no direct message"
    return message_text(messages[-1])


def press_in_dm(bot: LocalBot, user_id: str, action_id: str, ts: str) -> DriverResponse:
    return press(bot, user_id, action_id, ts, channel_id=bot.emulator.dm_channel_id(user_id))


# ---------------------------------------------------------------------- "Breng in als casus"


def test_a_message_is_brought_in_as_a_case_with_its_text_and_a_link_to_it(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE)

    use(network, BRING_IN_AS_CASE_SHORTCUT, MEHMET, ts)

    modal = emulator.open_view(MEHMET)
    assert modal is not None and modal["callback_id"] == "case_intake"
    [situation] = [b for b in modal["blocks"] if b.get("block_id") == CaseIntakeBlocks.SITUATION]
    assert situation["element"]["initial_value"] == AS_READ
    link = f"https://{emulator.team_domain}.slack.com/archives/{NETWORK_CHANNEL}/p{ts.replace('.', '')}"
    assert f"<{link}|het oorspronkelijke bericht>" in message_text(modal)

    form = {key: value for key, value in CASE_FORM.items() if key != CaseIntakeBlocks.SITUATION}
    assert network.submit_view(MEHMET, form_values(form)).problems == []

    [case] = stored(network, Case)
    assert (case.owner_id, case.situation, case.source_permalink) == (MEHMET, AS_READ, link)
    assert f"<{link}|uit dit gesprek>" in message_text(the_card(emulator))


def test_a_long_message_fills_the_situation_up_to_its_limit(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE, "Lang verhaal. " * 400)

    use(network, BRING_IN_AS_CASE_SHORTCUT, JOKE, ts)

    modal = emulator.open_view(JOKE)
    assert modal is not None
    [situation] = [b for b in modal["blocks"] if b.get("block_id") == CaseIntakeBlocks.SITUATION]
    assert len(situation["element"]["initial_value"]) == 2000
    assert situation["element"]["initial_value"].endswith("…")


def test_a_confidential_case_does_not_link_its_conversation_on_the_card(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE)
    use(network, BRING_IN_AS_CASE_SHORTCUT, JOKE, ts)
    network.submit_view(JOKE, form_values({**CASE_FORM, CaseIntakeBlocks.CONFIDENTIAL: ["confidential"]}))

    [case] = stored(network, Case)
    assert case.source_permalink is not None and case.confidential
    assert "uit dit gesprek" not in message_text(the_card(emulator))


def test_the_agreements_come_first_as_with_case(network: LocalBot, emulator: SlackEmulator) -> None:
    agree_to_keep_it(network, FACILITATOR)
    ts = written(emulator, JOKE)

    use(network, BRING_IN_AS_CASE_SHORTCUT, JOKE, ts)

    assert emulator.open_view(JOKE) is None
    assert "groepsafspraken te aanvaarden" in last_private(emulator, JOKE)


def test_the_link_is_left_out_when_slack_cannot_give_it(network: LocalBot, emulator: SlackEmulator) -> None:
    ts = written(emulator, JOKE)
    emulator.fail_next("chat.getPermalink", status=200, body={"ok": False, "error": "message_not_found"})

    use(network, BRING_IN_AS_CASE_SHORTCUT, JOKE, ts)
    network.submit_view(JOKE, form_values(CASE_FORM))

    [case] = stored(network, Case)
    assert case.source_permalink is None and len(cards(emulator)) == 1


# ---------------------------------------------------------------------- "Bewaar als les"


def test_saving_your_own_message_is_a_lesson_at_once(network: LocalBot, emulator: SlackEmulator) -> None:
    ts = written(emulator, JOKE)

    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, ts)

    charter = emulator.canvas(NETWORK_CHANNEL) or ""
    assert "- Wat mij hielp: eerst luisteren, dan pas \\@U0ELS & co om raad vragen." in charter
    assert "****" not in charter

    assert "Bewaard als les van het netwerk" in last_private(emulator, JOKE)
    assert dm_messages(emulator, JOKE) == []
    [lesson] = saved_lessons(network)
    assert (lesson["text"], lesson["saved_by"]) == (AS_READ, JOKE)
    network.command("lessen", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    listing = last_private(emulator, MEHMET)
    assert "bewaard door <@U0JOKE>" in listing and "@U0ELS &amp; co" in listing
    assert "<@U0ELS>" not in listing


def test_the_author_is_asked_and_yes_makes_it_a_lesson(network: LocalBot, emulator: SlackEmulator) -> None:
    ts = written(emulator, JOKE)

    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)

    assert "we vragen privé" in last_private(emulator, MEHMET)
    assert saved_lessons(network) == []
    [question] = dm_messages(emulator, JOKE)
    assert "<@U0MEHMET> wil je bericht bewaren als les van het netwerk: mag dat?" in message_text(question)
    assert [s.status for s in stored(network, SavedLesson)] == ["pending"]

    press_in_dm(network, JOKE, ShortcutActions.CONSENT_YES, question["ts"])

    [lesson] = saved_lessons(network)
    assert lesson["saved_by"] == MEHMET and lesson["text"] == AS_READ
    assert "<@U0JOKE> vond het goed" in last_dm(emulator, MEHMET)
    [answered] = dm_messages(emulator, JOKE)
    assert "Je zei ja" in message_text(answered) and "lesson_consent" not in json.dumps(answered["blocks"])


def test_no_deletes_the_lesson_and_the_saver_hears_it_kindly_in_their_dm(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE)
    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)
    [question] = dm_messages(emulator, JOKE)

    press_in_dm(network, JOKE, ShortcutActions.CONSENT_NO, question["ts"])

    assert stored(network, SavedLesson) == [] and saved_lessons(network) == []
    assert "niet bewaard als les. Fijn dat je eraan dacht." in last_dm(emulator, MEHMET)
    assert "Je zei nee" in message_text(dm_messages(emulator, JOKE)[0])


def test_the_author_saving_their_own_message_they_were_asked_about_says_yes(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    asked_about = written(emulator, JOKE)
    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, asked_about)
    assert [s.status for s in stored(network, SavedLesson)] == ["pending"]

    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, asked_about)

    [lesson] = saved_lessons(network)
    assert lesson["saved_by"] == MEHMET and lesson["text"] == AS_READ
    told = last_private(emulator, JOKE)
    assert "Bewaard als les van het netwerk, zoals <@U0MEHMET> voorstelde" in told and "wachten" not in told
    assert "<@U0JOKE> vond het goed" in last_dm(emulator, MEHMET)


def test_an_author_slack_will_not_let_us_ask_keeps_no_lesson(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE)
    emulator.fail_next("conversations.open", status=200, body={"ok": False, "error": "user_disabled"})

    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)

    assert dm_messages(emulator, JOKE) == [] and stored(network, SavedLesson) == []
    assert "konden <@U0JOKE> niet privé vragen" in last_dm(emulator, MEHMET)


def test_double_clicks_and_a_second_saver_keep_one_lesson_and_one_question(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    ts = written(emulator, JOKE)

    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)
    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)
    assert "wachten nog op het antwoord van <@U0JOKE>" in last_private(emulator, MEHMET)
    use(network, SAVE_AS_LESSON_SHORTCUT, FACILITATOR, ts)

    assert len(stored(network, SavedLesson)) == 1
    [question] = dm_messages(emulator, JOKE)
    press_in_dm(network, JOKE, ShortcutActions.CONSENT_YES, question["ts"])
    # A second click on the question as it was, before Slack showed the answer in its place.
    stale = emulator.add_message(
        emulator.dm_channel_id(JOKE), emulator.bot_user_id, question["text"], blocks=question["blocks"]
    )
    press_in_dm(network, JOKE, ShortcutActions.CONSENT_NO, stale["ts"])
    assert "al beantwoord" in last_private(emulator, JOKE)
    use(network, SAVE_AS_LESSON_SHORTCUT, FACILITATOR, ts)
    assert "al bewaard als les" in last_private(emulator, FACILITATOR)
    assert len(saved_lessons(network)) == 1


def test_only_the_author_answers_the_question(network: LocalBot, emulator: SlackEmulator) -> None:
    ts = written(emulator, JOKE)
    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, ts)
    [saved] = stored(network, SavedLesson)
    assert network.driver is not None
    forged = network.driver.block_action(
        user_id=MEHMET,
        action_id=ShortcutActions.CONSENT_YES,
        channel_id=emulator.dm_channel_id(JOKE),
        message_ts=dm_messages(emulator, JOKE)[0]["ts"],
        value=str(saved.id),
    )
    network.settle()

    assert forged.status == 200
    assert [s.status for s in stored(network, SavedLesson)] == ["pending"]


# ---------------------------------------------------------------------- refusals


@pytest.fixture(params=[BRING_IN_AS_CASE_SHORTCUT, SAVE_AS_LESSON_SHORTCUT])
def shortcut(request: pytest.FixtureRequest) -> str:
    """Each of the two message shortcuts: they refuse the same messages and the same people."""
    return str(request.param)


def assert_nothing_opened_or_saved(bot: LocalBot, user_id: str) -> None:
    assert bot.emulator.open_view(user_id) is None and stored(bot, SavedLesson) == []


def test_a_bots_message_is_refused(network: LocalBot, emulator: SlackEmulator, shortcut: str) -> None:
    welcome = emulator.messages(NETWORK_CHANNEL)[0]
    assert welcome.get("bot_id")

    use(network, shortcut, JOKE, welcome["ts"])

    assert "niet op die van een bot" in last_private(emulator, JOKE)
    assert_nothing_opened_or_saved(network, JOKE)


def test_a_message_outside_a_networks_channel_is_refused(
    network: LocalBot, emulator: SlackEmulator, shortcut: str
) -> None:
    elsewhere = written(emulator, FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)
    use(network, shortcut, FACILITATOR, elsewhere, channel_id=CHANNEL_WITHOUT_BOT)
    assert "kanaal van een lerend netwerk" in last_private(emulator, FACILITATOR)

    in_dm = written(emulator, FACILITATOR, channel_id=emulator.dm_channel_id(FACILITATOR))
    use(network, shortcut, FACILITATOR, in_dm, channel_id=emulator.dm_channel_id(FACILITATOR))
    [_, second] = emulator.ephemerals(user_id=FACILITATOR)
    assert "kanaal van een lerend netwerk" in message_text(second)
    assert_nothing_opened_or_saved(network, FACILITATOR)


@pytest.mark.parametrize(
    ("user_id", "text", "refusal"),
    [
        pytest.param(OUTSIDER, AS_SLACK_SENDS_IT, "geen lid van het lerend netwerk", id="someone-outside"),
        pytest.param(JOKE, "   ", "geen tekst", id="a-message-without-text"),
    ],
)
def test_someone_outside_the_network_and_a_message_without_text_are_refused(
    network: LocalBot, emulator: SlackEmulator, shortcut: str, user_id: str, text: str, refusal: str
) -> None:
    ts = written(emulator, JOKE, text)

    use(network, shortcut, user_id, ts)

    assert refusal in last_private(emulator, user_id)
    assert_nothing_opened_or_saved(network, user_id)


def test_an_archived_network_takes_no_shortcuts(network: LocalBot, emulator: SlackEmulator) -> None:
    ts = written(emulator, JOKE)
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, ts)

    assert "kanaal van een lerend netwerk" in last_private(emulator, JOKE)
    assert stored(network, SavedLesson) == []


def test_archiving_lets_go_of_the_lessons_still_waiting_for_their_authors_answer(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, written(emulator, JOKE, "Mijn eigen les"))
    use(network, SAVE_AS_LESSON_SHORTCUT, MEHMET, written(emulator, JOKE))
    [question] = dm_messages(emulator, JOKE)
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    # The archived network takes no new lesson: words nobody agreed to keep are not kept.
    assert [(s.text, s.status) for s in stored(network, SavedLesson)] == [("Mijn eigen les", "approved")]
    press_in_dm(network, JOKE, ShortcutActions.CONSENT_NO, question["ts"])
    assert "al beantwoord, of de les bestaat niet meer" in last_private(emulator, JOKE)
    assert len(stored(network, SavedLesson)) == 1


def test_a_reply_in_a_thread_of_the_channel_is_a_message_of_the_channel(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    parent = written(emulator, MEHMET, "Iemand een idee?")
    reply = written(emulator, JOKE, thread_ts=parent)

    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, reply)

    assert [lesson["text"] for lesson in saved_lessons(network)] == [AS_READ]


# ---------------------------------------------------------------------- my data and forget me


def test_my_data_lists_saved_lessons_and_forget_me_erases_them(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    own = written(emulator, JOKE, "Mijn eigen les")
    others = written(emulator, MEHMET, "Een les van Mehmet")
    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, own)
    use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, others)
    assert network.runtime is not None
    privacy = network.runtime.services.privacy

    [entry] = privacy.my_data(team_id=emulator.team_id, user_id=MEHMET)["networks"]
    assert [(s["text"], s["written_by_me"], s["status"]) for s in entry["saved_lessons"]] == [
        ("Een les van Mehmet", True, "pending")
    ]

    forget_me(network, JOKE)

    assert stored(network, SavedLesson) == [] and saved_lessons(network) == []


def test_the_lessons_page_button_still_pages_with_saved_lessons(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    for number in range(11):
        use(network, SAVE_AS_LESSON_SHORTCUT, JOKE, written(emulator, JOKE, f"Les nummer {number}"))

    network.command("lessen", user_id=JOKE, channel_id=NETWORK_CHANNEL)

    assert LessonActions.MORE in json.dumps(emulator.ephemerals(user_id=JOKE)[-1]["blocks"])
    assert len(saved_lessons(network)) == 11
