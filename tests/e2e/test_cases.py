"""Cases end to end over real HTTP: `/case`, the card, advice, recognition, closing, the round, deleting."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.driver import DriverResponse
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import JourneyActions
from tests.blocks import message_text
from tests.e2e.conftest import CHANNEL_WITHOUT_BOT
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import cards
from tests.e2e.conftest import exported
from tests.e2e.conftest import last_private
from tests.e2e.conftest import press
from tests.e2e.conftest import private_texts
from tests.e2e.conftest import the_card
from tests.factories import CASE_FORM
from tests.factories import form_values

OWNER, ADVISER = PARTICIPANTS


# ---------------------------------------------------------------------- helpers


def reply_in_thread(bot: LocalBot, emulator: SlackEmulator, user_id: str, text: str, thread_ts: str) -> str:
    """A person replies in a thread: stored in the workspace, and delivered as Slack would; the event id."""
    assert bot.driver is not None
    stored = emulator.add_message(NETWORK_CHANNEL, user_id, text, thread_ts=thread_ts)
    response = bot.send_event(bot.driver.message(user_id, NETWORK_CHANNEL, text, thread_ts, ts=stored["ts"]))
    assert response.status == 200
    return response.request["event_id"]


def press_stale(
    bot: LocalBot, emulator: SlackEmulator, user_id: str, action_id: str, old: dict, **options: Any
) -> DriverResponse:
    """Press a button on `old`, a message as it was before the bot updated it: what someone whose Slack
    had not refreshed yet (or who clicked twice) still sends."""
    copy = emulator.add_message(
        NETWORK_CHANNEL,
        emulator.bot_user_id,
        old["text"],
        blocks=old["blocks"],
        thread_ts=old.get("thread_ts"),
    )
    try:
        return press(bot, user_id, action_id, copy["ts"], **options)
    finally:
        WebClient(token=emulator.bot_token, base_url=emulator.api_url).chat_delete(
            channel=NETWORK_CHANNEL, ts=copy["ts"]
        )


def mrkdwn_of(message: dict) -> str:
    """The message's fallback text and every mrkdwn text in its blocks: where Slack would find a ping."""
    return message_text(message, mrkdwn_only=True)


def give_advice(bot: LocalBot, user_id: str, card_ts: str, text: str) -> DriverResponse:
    press(bot, user_id, CaseActions.GIVE_ADVICE, card_ts)
    return bot.submit_view(user_id, form_values({CaseAdviceBlocks.ADVICE: text}))


def agree_to_keep_it(bot: LocalBot, *user_ids: str) -> None:
    """The facilitator posts the agreements and `user_ids` accept them: they may read confidential cases."""
    from tests.e2e.test_kickoff_agreements import accept
    from tests.e2e.test_kickoff_agreements import agreements_in_channel
    from tests.e2e.test_kickoff_agreements import post_agreements

    post_agreements(bot, "Wat hier gezegd wordt, blijft hier.")
    for user_id in user_ids:
        accept(bot, agreements_in_channel(bot.emulator)[-1], user_id)


def action_ids(message: dict) -> list[str]:
    return [
        element.get("action_id")
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


# ---------------------------------------------------------------------- bringing a case


def test_case_opens_the_intake_with_the_title_filled_in(network: LocalBot, emulator: SlackEmulator) -> None:
    network.command("Ouders &amp; school", command="/case", user_id=OWNER, channel_id=NETWORK_CHANNEL)

    view = emulator.open_view(OWNER)
    assert view is not None and view["callback_id"] == "case_intake"
    assert view["title"]["text"] == "Casus inbrengen"
    title = next(b for b in view["blocks"] if b.get("block_id") == CaseIntakeBlocks.TITLE)
    assert title["element"]["initial_value"] == "Ouders & school"


def test_submitting_the_intake_posts_the_card_and_the_situation_in_its_thread(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    response = bring_case(network)

    assert response.status == 200 and response.problems == []
    assert emulator.open_view(OWNER) is None
    card = the_card(emulator)
    shown = message_text(card)
    assert "Casus: Ouders die niet opdagen" in shown
    assert f"<@{OWNER}> brengt deze casus in." in shown
    assert "Hoe krijg ik ouders wel aan tafel?" in shown
    assert "Advies · Ervaringen van anderen" in shown
    assert ":bulb: 0 adviezen" in shown
    assert action_ids(card) == [
        CaseActions.GIVE_ADVICE,
        CaseActions.RECOGNISE,
        CaseActions.AGENDA,
        CaseActions.START_ROUND,
        CaseActions.CLOSE,
        CaseActions.DELETE,
        JourneyActions.PUT_CASE_FORWARD,
    ]
    [details] = emulator.replies(NETWORK_CHANNEL, card["ts"])
    assert "Drie keer op rij" in message_text(details) and "Een brief en een sms." in message_text(details)
    [case] = exported(network)["cases"]
    assert case["title"] == "Ouders die niet opdagen" and case["status"] == "open"


def test_user_text_never_pings_or_formats(network: LocalBot, emulator: SlackEmulator) -> None:
    bring_case(
        network,
        **{
            CaseIntakeBlocks.TITLE: "<!channel> *dringend*",
            CaseIntakeBlocks.QUESTION: "<!here> wat nu? <@U0ELS>",
            CaseIntakeBlocks.SITUATION: "<https://evil.example|klik> & <!everyone>",
        },
    )
    card = the_card(emulator)
    thread = emulator.replies(NETWORK_CHANNEL, card["ts"])
    everything = mrkdwn_of(card) + "".join(mrkdwn_of(message) for message in thread)
    for control in ("<!channel>", "<!here>", "<!everyone>", "<@U0ELS>", "<https://"):
        assert control not in everything
    assert "&lt;!here&gt; wat nu?" in everything
    assert "*\u200bdringend*\u200b" in card["text"]
    # The header is plain text, which Slack never reads as a mention: the title shows as typed.
    assert card["blocks"][0]["text"] == {
        "type": "plain_text",
        "text": "Casus: <!channel> *dringend*",
        "emoji": True,
    }


@pytest.mark.parametrize(
    ("changes", "block_id", "reason"),
    [
        ({CaseIntakeBlocks.TITLE: "   "}, CaseIntakeBlocks.TITLE, "Vul dit in."),
        ({CaseIntakeBlocks.QUESTION: ""}, CaseIntakeBlocks.QUESTION, "Vul dit in."),
        (
            {CaseIntakeBlocks.SITUATION: "x" * 2001},
            CaseIntakeBlocks.SITUATION,
            "Dit is 2001 tekens lang; het mag er hoogstens 2000 zijn.",
        ),
        ({CaseIntakeBlocks.HELP_WANTED: []}, CaseIntakeBlocks.HELP_WANTED, "Kies minstens één soort hulp."),
    ],
)
def test_bad_intake_keeps_the_modal_open_and_posts_nothing(
    network: LocalBot, emulator: SlackEmulator, changes: dict, block_id: str, reason: str
) -> None:
    response = bring_case(network, **changes)

    body = response.json()
    assert body["response_action"] == "errors"
    assert body["errors"][block_id] == reason
    assert emulator.open_view(OWNER) is not None
    assert cards(emulator) == []
    assert exported(network)["cases"] == []


def test_case_in_an_unlinked_channel_or_by_an_outsider_is_refused(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    network.command("", command="/case", user_id=FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)
    emulator.join(NETWORK_CHANNEL, OUTSIDER)
    network.command("", command="/case", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    assert "nog niet gekoppeld" in last_private(emulator, FACILITATOR)
    assert "geen lid" in last_private(emulator, OUTSIDER)
    assert emulator.calls_to("views.open") == []


def test_a_card_that_cannot_be_posted_leaves_no_case_behind(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    # The bot was removed from the channel after the network started. (The refusal comes a moment
    # later: Bolt forgets an ack when the listener fails within its 10 ms polling of it, see below.)
    emulator.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "not_in_channel"})
    emulator.delay_next("chat.postMessage", 0.2)
    bring_case(network)

    assert cards(emulator) == []
    assert exported(network)["cases"] == []


# ---------------------------------------------------------------------- advice and recognition


def test_advice_through_the_modal_lands_in_the_thread_credited_and_counted(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    press(network, ADVISER, CaseActions.GIVE_ADVICE, card_ts)
    modal = emulator.open_view(ADVISER)
    assert modal is not None and "Hoe krijg ik ouders wel aan tafel?" in message_text(modal)
    response = network.submit_view(ADVISER, form_values({CaseAdviceBlocks.ADVICE: "Bel ze <!here> zelf op."}))

    assert response.problems == []
    advice = emulator.replies(NETWORK_CHANNEL, card_ts)[-1]
    assert f"*Advies van <@{ADVISER}>*" in message_text(advice)
    assert "&lt;!here&gt;" in message_text(advice) and "<!here>" not in message_text(advice)
    assert ":bulb: 1 advies" in message_text(the_card(emulator))
    assert emulator.calls_to("chat.update")
    assert exported(network)["cases"][0]["advice_count"] == 1


def test_advice_too_long_or_empty_keeps_the_modal_open(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    replies_before = len(emulator.replies(NETWORK_CHANNEL, card_ts))

    long = give_advice(network, ADVISER, card_ts, "a" * 2001)
    empty = network.submit_view(ADVISER, form_values({CaseAdviceBlocks.ADVICE: "  "}))

    assert "hoogstens 2000" in long.json()["errors"][CaseAdviceBlocks.ADVICE]
    assert empty.json()["errors"][CaseAdviceBlocks.ADVICE] == "Vul dit in."
    assert len(emulator.replies(NETWORK_CHANNEL, card_ts)) == replies_before
    assert exported(network)["cases"][0]["advice_count"] == 0


def test_the_owner_and_outsiders_cannot_advise(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    emulator.join(NETWORK_CHANNEL, OUTSIDER)

    press(network, OWNER, CaseActions.GIVE_ADVICE, card_ts)
    press(network, OUTSIDER, CaseActions.GIVE_ADVICE, card_ts)

    assert "je eigen casus" in last_private(emulator, OWNER)
    assert "geen lid" in last_private(emulator, OUTSIDER)
    assert emulator.calls_to("views.open") == [emulator.calls_to("views.open")[0]]  # only the intake


@pytest.mark.parametrize("value", ["99999999999999999999", "\u00b2"])
def test_a_case_button_carrying_no_id_of_ours_is_answered_that_the_case_is_gone(
    network: LocalBot, emulator: SlackEmulator, card_ts: str, value: str
) -> None:
    """A forged value, a number past the database's integers or a digit that is no number, is a case
    that does not exist: said plainly, not "something went wrong on our side"."""
    assert network.driver is not None
    for action_id in (CaseActions.GIVE_ADVICE, CaseActions.RECOGNISE, CaseActions.DELETE):
        network.driver.block_action(
            user_id=ADVISER, action_id=action_id, channel_id=NETWORK_CHANNEL, message_ts=card_ts, value=value
        )
        network.settle()

    answers = private_texts(emulator, ADVISER)
    assert len(answers) == 3 and all("Die casus vind ik niet terug." in answer for answer in answers)
    assert [case["status"] for case in exported(network)["cases"]] == ["open"]


def test_a_plain_reply_in_the_thread_counts_once_as_advice(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    reply_in_thread(network, emulator, ADVISER, "Probeer een huisbezoek.", card_ts)
    assert network.driver is not None
    network.driver.redeliver(retry_num=1)
    network.driver.redeliver(retry_num=2, retry_reason="http_error")
    network.settle()

    assert ":bulb: 1 advies" in message_text(the_card(emulator))
    data = exported(network)["cases"][0]
    assert data["advice_count"] == 1
    assert data["advice"][0] == {
        "user_id": ADVISER,
        "text": "Probeer een huisbezoek.",
        "source": "thread",
        "created_at": data["advice"][0]["created_at"],
    }


def test_a_reply_is_kept_as_advice_the_way_its_writer_typed_it(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    # How Slack sends "Bel <moeder> & @Els op": its three characters escaped, the mention a control sequence.
    reply_in_thread(network, emulator, ADVISER, f"Bel &lt;moeder&gt; &amp; <@{FACILITATOR}|els> op", card_ts)

    assert exported(network)["cases"][0]["advice"][0]["text"] == "Bel <moeder> & @els op"


def test_a_reply_its_writer_edits_or_deletes_is_kept_as_it_reads_now_or_no_longer(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    # A reply taken back (a name written by mistake, say) must not live on in the bot's store and exports.
    assert network.driver is not None
    replies = []
    for user_id, text in ((ADVISER, "Bel de moeder van Jan op."), (FACILITATOR, "Vraag het de school.")):
        stored = emulator.add_message(NETWORK_CHANNEL, user_id, text, thread_ts=card_ts)
        replies.append(network.driver.message(user_id, NETWORK_CHANNEL, text, card_ts, ts=stored["ts"]))
        assert network.send_event(replies[-1]).status == 200
    assert ":bulb: 2 adviezen" in message_text(the_card(emulator))

    edited = network.driver.message_changed(NETWORK_CHANNEL, replies[0], "Bel de moeder &amp; de vader op.")
    deleted = network.driver.message_deleted(NETWORK_CHANNEL, replies[1])
    for event in (edited, deleted, deleted):
        assert network.send_event(event).status == 200
    network.settle()

    [case] = exported(network)["cases"]
    assert [advice["text"] for advice in case["advice"]] == ["Bel de moeder & de vader op."]
    assert case["advice_count"] == 1
    assert ":bulb: 1 advies" in message_text(the_card(emulator))


def test_replies_that_are_not_advice_do_not_count(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    emulator.join(NETWORK_CHANNEL, OUTSIDER)
    assert network.driver is not None

    reply_in_thread(network, emulator, OWNER, "Dank jullie!", card_ts)  # the owner answers
    reply_in_thread(network, emulator, OUTSIDER, "Ik ben geen lid", card_ts)
    edited = {
        **network.driver.message(ADVISER, NETWORK_CHANNEL, "bewerkt", card_ts),
        "subtype": "message_changed",
    }
    bot_post = {**network.driver.message(ADVISER, NETWORK_CHANNEL, "van een bot", card_ts), "bot_id": "B0X"}
    for event in (edited, bot_post):
        assert network.send_event(event).status == 200
    reply_in_thread(network, emulator, ADVISER, "Los bericht, geen draad", "1.000000")

    assert exported(network)["cases"][0]["advice_count"] == 0
    assert emulator.calls_to("chat.update") == []


def test_i_recognise_this_counts_each_member_once(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    press(network, ADVISER, CaseActions.RECOGNISE, card_ts)
    press(network, ADVISER, CaseActions.RECOGNISE, card_ts)
    press(network, FACILITATOR, CaseActions.RECOGNISE, card_ts)
    press(network, OWNER, CaseActions.RECOGNISE, card_ts)

    assert ":raised_hand: 2 collega's herkennen dit" in message_text(the_card(emulator))
    adviser_answers = [message_text(e) for e in emulator.ephemerals(user_id=ADVISER)]
    assert "Genoteerd" in adviser_answers[0] and "telt één keer mee" in adviser_answers[1]
    assert "je eigen casus" in last_private(emulator, OWNER)
    assert exported(network)["cases"][0]["recognitions"] == 2


# ---------------------------------------------------------------------- closing the loop


def close_case(network: LocalBot, card_ts: str, lesson: str, user_id: str = OWNER) -> DriverResponse:
    press(network, user_id, CaseActions.CLOSE, card_ts)
    return network.submit_view(user_id, form_values({CaseCloseBlocks.LESSON: lesson}))


def test_the_owner_closes_with_a_lesson_and_the_card_changes(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    give_advice(network, ADVISER, card_ts, "Bel ze zelf op.")

    response = close_case(network, card_ts, "Zelf bellen werkt beter dan een brief.")

    assert response.problems == []
    lesson = emulator.replies(NETWORK_CHANNEL, card_ts)[-1]
    assert f"*Wat <@{OWNER}> vooral meeneemt*" in message_text(lesson)
    assert "Zelf bellen werkt beter" in message_text(lesson)
    card = the_card(emulator)
    assert "*Afgesloten.*" in message_text(card) and ":bulb: 1 advies" in message_text(card)
    assert action_ids(card) == [CaseActions.DELETE]
    case = exported(network)["cases"][0]
    assert case["status"] == "closed" and case["lesson"] == "Zelf bellen werkt beter dan een brief."


def test_only_the_owner_closes(network: LocalBot, emulator: SlackEmulator, card_ts: str) -> None:
    press(network, FACILITATOR, CaseActions.CLOSE, card_ts)

    assert f"Dat kan alleen <@{OWNER}>" in last_private(emulator, FACILITATOR)
    assert emulator.open_view(FACILITATOR) is None
    assert exported(network)["cases"][0]["status"] == "open"


def test_an_empty_lesson_keeps_the_case_open(network: LocalBot, card_ts: str) -> None:
    response = close_case(network, card_ts, "")

    assert response.json()["errors"] == {CaseCloseBlocks.LESSON: "Vul dit in."}
    assert exported(network)["cases"][0]["status"] == "open"


def test_no_advice_on_a_closed_case(network: LocalBot, emulator: SlackEmulator) -> None:
    bring_case(network)
    open_card = the_card(emulator)
    card_ts = open_card["ts"]
    press(network, ADVISER, CaseActions.GIVE_ADVICE, card_ts)  # the adviser starts writing...
    assert emulator.open_view(ADVISER) is not None
    close_case(network, card_ts, "Ik weet genoeg.")  # ...while the owner closes

    response = network.submit_view(ADVISER, form_values({CaseAdviceBlocks.ADVICE: "Te laat"}))
    reply_in_thread(network, emulator, FACILITATOR, "Nog een idee", card_ts)
    press_stale(network, emulator, FACILITATOR, CaseActions.GIVE_ADVICE, open_card)

    assert "al afgesloten" in response.json()["errors"][CaseAdviceBlocks.ADVICE]
    in_thread, on_card = emulator.ephemerals(user_id=FACILITATOR)
    assert in_thread["thread_ts"] == card_ts and "al afgesloten" in in_thread["text"]
    assert "al afgesloten" in message_text(on_card)
    assert exported(network)["cases"][0]["advice_count"] == 0
    assert not any("Te laat" in message_text(m) for m in emulator.replies(NETWORK_CHANNEL, card_ts))


# ---------------------------------------------------------------------- facilitators: the agenda


def test_a_facilitator_puts_a_case_on_the_agenda_once(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    unmarked_card = the_card(emulator)
    press(network, ADVISER, CaseActions.AGENDA, card_ts)
    assert "facilitator" in last_private(emulator, ADVISER)
    press(network, FACILITATOR, CaseActions.AGENDA, card_ts)
    press_stale(network, emulator, FACILITATOR, CaseActions.AGENDA, unmarked_card)  # pressed twice

    card = the_card(emulator)
    assert ":pushpin: Op de agenda van de volgende bijeenkomst" in message_text(card)
    assert "Van de agenda halen" in message_text(card)
    press(network, FACILITATOR, CaseActions.AGENDA, card_ts)  # the button as it is now: take it off
    assert ":pushpin:" not in message_text(the_card(emulator))


# ---------------------------------------------------------------------- `/case lijst`


def test_the_list_puts_open_cases_without_advice_first(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    from datetime import timedelta

    bring_case(network, **{CaseIntakeBlocks.TITLE: "Oud met advies"})
    first_ts = cards(emulator)[0]["ts"]
    give_advice(network, ADVISER, first_ts, "Probeer dit.")
    clock.advance(timedelta(days=3))
    bring_case(network, confidential=True, **{CaseIntakeBlocks.TITLE: "Nieuw zonder advies"})
    emulator.join(NETWORK_CHANNEL, OUTSIDER)
    modals_before = len(emulator.calls_to("views.open"))

    network.command("lijst", command="/case", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    network.command("LIST", command="/case", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    shown = last_private(emulator, FACILITATOR)
    assert shown.index("Nieuw zonder advies") < shown.index("Oud met advies")
    assert "*Nieuw zonder advies* · open · nog geen advies · vandaag ingebracht · :lock:" in shown
    assert "*Oud met advies* · open · 1 advies · 3 dagen geleden ingebracht" in shown
    assert "geen lid" in last_private(emulator, OUTSIDER)
    assert len(emulator.calls_to("views.open")) == modals_before


# ---------------------------------------------------------------------- confidential cases and deleting


def test_a_confidential_case_exports_nothing_beyond_its_title(
    network: LocalBot, emulator: SlackEmulator, confidential_card_ts: str
) -> None:
    agree_to_keep_it(network, ADVISER)
    give_advice(network, ADVISER, confidential_card_ts, "Geheim advies")
    close_case(network, confidential_card_ts, "Geheime les")

    assert ":lock: Vertrouwelijk" in message_text(the_card(emulator))
    [case] = exported(network)["cases"]
    assert case == {
        "id": case["id"],
        "title": "Ouders die niet opdagen",
        "status": "closed",
        "advice_count": 1,
        "confidential": True,
    }


def test_the_owner_deletes_the_card_the_bot_posts_and_the_details(
    network: LocalBot, emulator: SlackEmulator, confidential_card_ts: str
) -> None:
    agree_to_keep_it(network, ADVISER)
    give_advice(network, ADVISER, confidential_card_ts, "Bel ze op.")
    reply_in_thread(network, emulator, FACILITATOR, "Eigen antwoord van Els", confidential_card_ts)

    press(network, ADVISER, CaseActions.DELETE, confidential_card_ts)
    assert f"Dat kan alleen <@{OWNER}>" in last_private(emulator, ADVISER)
    assert len(cards(emulator)) == 1

    press(network, OWNER, CaseActions.DELETE, confidential_card_ts)

    assert cards(emulator) == []
    remaining = emulator.replies(NETWORK_CHANNEL, confidential_card_ts)
    assert [m["user"] for m in remaining] == [FACILITATOR]  # people's own replies are theirs to delete
    assert emulator.message(NETWORK_CHANNEL, confidential_card_ts)["subtype"] == "tombstone"
    assert "Je casus is verwijderd" in last_private(emulator, OWNER)
    assert exported(network)["cases"] == []

    # A reply under what is left of the card counts for nothing, and its writer is told why.
    reply_in_thread(network, emulator, ADVISER, "Nog iets", confidential_card_ts)
    assert exported(network)["cases"] == []
    assert "verwijderd" in last_private(emulator, ADVISER)
    assert len(emulator.replies(NETWORK_CHANNEL, confidential_card_ts)) == 2


def test_deleting_a_closed_case_takes_its_title_and_lesson_off_the_charter(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    close_case(network, card_ts, "Zelf bellen werkt beter dan een brief.")
    assert "Zelf bellen werkt beter dan een brief." in str(emulator.canvas(NETWORK_CHANNEL))

    press(network, OWNER, CaseActions.DELETE, card_ts)

    charter = str(emulator.canvas(NETWORK_CHANNEL))
    assert "Zelf bellen" not in charter and "Ouders die niet opdagen" not in charter


def test_deleting_a_case_without_replies_removes_the_whole_thread(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    give_advice(network, ADVISER, card_ts, "Bel ze op.")

    press(network, OWNER, CaseActions.DELETE, card_ts)

    assert emulator.message(NETWORK_CHANNEL, card_ts) is None
    assert emulator.replies(NETWORK_CHANNEL, card_ts) == []


def test_a_failed_clean_up_is_finished_by_pressing_again(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    emulator.fail_next("chat.delete", status=400, body={"ok": False, "error": "fatal_error"})
    # Bolt's thread runner drops an ack() when the listener raises within the 10 ms in which it polls
    # for that ack, and then answers 404 after 3 s; a refusal that takes a moment keeps clear of that.
    emulator.delay_next("chat.delete", 0.2)

    press(network, OWNER, CaseActions.DELETE, card_ts)
    assert exported(network)["cases"] == []  # the details are gone even though Slack refused
    assert len(cards(emulator)) == 1

    press(network, ADVISER, CaseActions.DELETE, card_ts)

    assert cards(emulator) == []
    assert "al verwijderd" in last_private(emulator, ADVISER)


# ---------------------------------------------------------------------- acknowledging in time


def test_everything_is_acknowledged_before_the_bot_talks_to_slack(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    """With Slack answering slowly, each request is still answered at once: the ack comes first."""
    assert network.driver is not None
    # Each call the bot makes after its ack takes longer than the deadline the driver holds the ack to,
    # with room to spare for a loaded machine.
    network.driver.ack_deadline = 1.0
    for method in ("views.open", "chat.postMessage", "chat.update"):
        emulator.delay_next(method, 1.5)

    command = network.driver.slash_command("", command="/case", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()
    submission = network.driver.submit_view(OWNER, form_values(CASE_FORM))
    network.settle()
    card_ts = the_card(emulator)["ts"]
    recognised = network.driver.block_action(
        user_id=ADVISER, action_id=CaseActions.RECOGNISE, channel_id=NETWORK_CHANNEL, message_ts=card_ts
    )
    network.settle()

    assert [r.problems for r in (command, submission, recognised)] == [[], [], []]
    assert ":raised_hand: 1 collega herkent dit" in message_text(the_card(emulator))
