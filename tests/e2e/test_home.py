"""App Home end to end: signed events and clicks in, views.publish and the CSV upload out.

Data that other parts of the bot collect through their own flows (cases, check-in answers) is put in
through their services here, on the same database the bot serves.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import MEETING_PLAN_MODAL
from bot.views.ids import HomeActions
from bot.views.ids import HomeBlocks
from handlers.home import SUMMARY_SUBCOMMAND
from handlers.home import subhandler_available
from tests.blocks import view_text
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import start_network
from tests.e2e.test_checkins import polls_in_channel
from tests.factories import case_intake

# ---------------------------------------------------------------------- helpers


def open_home(bot: LocalBot, user_id: str, tab: str = "home") -> dict | None:
    assert bot.driver is not None
    response = bot.send_event(bot.driver.app_home_opened(user_id, tab=tab))
    assert response.status == 200
    return bot.emulator.home_view(user_id)


def buttons(view: dict) -> list[dict]:
    return [
        element for block in view["blocks"] if block["type"] == "actions" for element in block["elements"]
    ]


def press(bot: LocalBot, user_id: str, action_id: str, *, on_home_of: str = FACILITATOR):
    """Click a button on a home view: the presser's own, or (a forged click) someone else's."""
    assert bot.driver is not None
    home = bot.emulator.home_view(on_home_of)
    assert home is not None
    response = bot.driver.block_action(user_id=user_id, action_id=action_id, view_id=home["id"])
    bot.settle()
    assert response.status == 200
    return response


def network_id(bot: LocalBot) -> int:
    assert bot.runtime is not None
    overview = bot.runtime.services.networks.find_by_channel(
        team_id=bot.emulator.team_id, channel_id=NETWORK_CHANNEL
    )
    assert overview is not None
    return overview.network.id or 0


def bring_case(
    bot: LocalBot, owner: str, title: str, *, confidential: bool = False, situation: str = "Situatie"
):
    assert bot.runtime is not None
    return bot.runtime.services.cases.bring(
        team_id=bot.emulator.team_id,
        channel_id=NETWORK_CHANNEL,
        owner_id=owner,
        intake=case_intake(
            title=title, situation=situation, question="Wat doe ik?", confidential=confidential
        ),
    )


# ---------------------------------------------------------------------- publishing the home


def test_a_facilitator_opening_app_home_sees_the_network_at_a_glance(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    emulator.reset_calls()

    home = open_home(bot, FACILITATOR)

    assert home is not None and home["type"] == "home"
    text = view_text(home)
    assert "Lerend netwerk jeugdhulp" in text and "jij bent facilitator" in text
    assert "*Leden:* 3 (richtlijn 10 tot 15)" in text
    assert "*Voorgesteld:* 0 van 3" in text
    assert "*Peiling:* nog geen" in text
    action_ids = [b["action_id"] for b in buttons(home)]
    expected = [HomeActions.POST_CHECKIN, HomeActions.PLAN_MEETING]
    if subhandler_available(SUMMARY_SUBCOMMAND) is not None:
        expected.append(HomeActions.POST_SUMMARY)
    assert action_ids == [*expected, HomeActions.DOWNLOAD_CSV]
    assert {b["value"] for b in buttons(home)} == {str(network_id(bot))}
    [publish] = emulator.calls_to("views.publish")
    assert publish.args["user_id"] == FACILITATOR


def test_a_member_sees_their_network_open_cases_and_to_dos_without_buttons(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bring_case(bot, PARTICIPANTS[0], "Ouder <!channel> komt niet opdagen")
    bring_case(bot, PARTICIPANTS[1], "Iemand anders zijn case")

    home = open_home(bot, PARTICIPANTS[0])

    assert home is not None
    text = view_text(home)
    assert "jij bent deelnemer" in text
    assert "Stel je voor aan de groep" in text
    assert "Ouder &lt;!channel&gt; komt niet opdagen (0 adviezen)" in text
    assert "Iemand anders zijn case" not in text
    assert buttons(home) == []


def test_someone_in_no_network_is_told_how_one_starts(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)

    home = open_home(bot, OUTSIDER)
    english = open_home(bot, ENGLISH_SPEAKER)

    assert home is not None and "Je neemt nog geen deel aan een lerend netwerk." in view_text(home)
    assert english is not None and "You are not in a learning network yet." in view_text(english)


def test_the_messages_tab_publishes_nothing_and_a_redelivery_only_refreshes(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    emulator.reset_calls()

    assert open_home(bot, FACILITATOR, tab="messages") is None
    assert emulator.calls_to("views.publish") == []

    first = open_home(bot, FACILITATOR)
    assert bot.driver is not None
    response = bot.driver.redeliver(retry_num=1)
    bot.settle()

    assert response.status == 200
    publishes = emulator.calls_to("views.publish")
    assert len(publishes) == 2
    assert publishes[0].args["view"] == publishes[1].args["view"]
    again = emulator.home_view(FACILITATOR)
    assert first is not None and again is not None and again["id"] == first["id"]


# ---------------------------------------------------------------------- the facilitator's buttons


def test_post_a_checkin_from_app_home_posts_the_poll_and_refreshes_the_home(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)

    press(bot, FACILITATOR, HomeActions.POST_CHECKIN)

    assert len(polls_in_channel(emulator)) == 1
    home = emulator.home_view(FACILITATOR)
    assert home is not None
    assert home["blocks"][1]["block_id"] == HomeBlocks.NOTICE
    assert f"De peiling staat in <#{NETWORK_CHANNEL}>." in view_text(home)
    assert "loopt tot" in view_text(home)

    press(bot, FACILITATOR, HomeActions.POST_CHECKIN)

    assert len(polls_in_channel(emulator)) == 1
    assert "Er loopt al een peiling in dit netwerk." in view_text(emulator.home_view(FACILITATOR) or {})


def test_a_member_cannot_press_a_facilitator_button(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    open_home(bot, PARTICIPANTS[0])
    emulator.reset_calls()

    for action_id in (HomeActions.POST_CHECKIN, HomeActions.PLAN_MEETING, HomeActions.DOWNLOAD_CSV):
        press(bot, PARTICIPANTS[0], action_id, on_home_of=FACILITATOR)

    assert polls_in_channel(emulator) == []
    assert emulator.open_view(PARTICIPANTS[0]) is None
    assert emulator.files == {}
    assert emulator.calls_to("chat.postMessage") == []
    member_home = emulator.home_view(PARTICIPANTS[0])
    assert member_home is not None
    assert "Dat kan alleen een facilitator van dit netwerk." in view_text(member_home)
    assert buttons(member_home) == []


def test_an_outsider_and_a_forged_network_id_are_refused(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    assert bot.driver is not None
    home = emulator.home_view(FACILITATOR)
    assert home is not None

    bot.driver.block_action(user_id=OUTSIDER, action_id=HomeActions.POST_CHECKIN, view_id=home["id"])
    bot.settle()
    bot.driver.block_action(
        user_id=FACILITATOR, action_id=HomeActions.POST_CHECKIN, view_id=home["id"], value="999"
    )
    bot.settle()
    bot.driver.block_action(
        user_id=FACILITATOR, action_id=HomeActions.DOWNLOAD_CSV, view_id=home["id"], value="not-a-number"
    )
    bot.settle()

    assert polls_in_channel(emulator) == []
    assert emulator.files == {}
    outsider_home = view_text(emulator.home_view(OUTSIDER) or {})
    assert "Je bent geen lid van het lerend netwerk" in outsider_home
    assert "Je neemt nog geen deel aan een lerend netwerk." in outsider_home
    facilitator_home = view_text(emulator.home_view(FACILITATOR) or {})
    assert "Dat lerend netwerk bestaat niet meer of is gearchiveerd." in facilitator_home


def test_plan_a_meeting_from_app_home_opens_the_meeting_modal(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)

    press(bot, FACILITATOR, HomeActions.PLAN_MEETING)

    modal = emulator.open_view(FACILITATOR)
    assert modal is not None and modal["callback_id"] == MEETING_PLAN_MODAL


def test_a_meeting_form_that_opened_too_late_leaves_the_home_to_press_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    emulator.fail_next("views.open", status=200, body={"ok": False, "error": "expired_trigger_id"})

    press(bot, FACILITATOR, HomeActions.PLAN_MEETING)

    home = emulator.home_view(FACILITATOR) or {}
    assert "niet op tijd open. Probeer het nog eens." in view_text(home)
    assert HomeActions.PLAN_MEETING in [b["action_id"] for b in buttons(home)]


# ---------------------------------------------------------------------- the CSV file


def test_the_csv_arrives_in_the_facilitators_direct_messages(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    assert bot.runtime is not None
    services = bot.runtime.services
    bring_case(bot, PARTICIPANTS[0], "Open vraag")
    bring_case(bot, PARTICIPANTS[1], "Vertrouwelijke titel", confidential=True, situation="GEHEIME SITUATIE")
    post = services.checkin_polls.claim_manual_poll(network_id=network_id(bot), user_id=FACILITATOR)
    services.checkin_polls.record_posted(poll_id=post.poll_id, message_ts="1000.000100")
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=PARTICIPANTS[0], question="goes_well", text="De sfeer", signed=False
    )
    services.checkin_answers.save_answer(
        poll_id=post.poll_id,
        user_id=PARTICIPANTS[1],
        question="could_be_better",
        text="Het tempo",
        signed=True,
    )
    open_home(bot, FACILITATOR)
    emulator.reset_calls()

    press(bot, FACILITATOR, HomeActions.DOWNLOAD_CSV)

    [(file_id, shared)] = emulator.files.items()
    direct_message = emulator.dm_channel_id(FACILITATOR)
    assert shared["ims"] == [direct_message] and shared["channels"] == []
    assert shared["name"] == "lerend-netwerk-jeugdhulp-2026-09-14.csv"
    assert len(emulator.calls_to("users.info")) <= 3
    assert [call.method for call in emulator.calls if call.method.startswith("files")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    [message] = [m for m in emulator.messages(direct_message) if m.get("files")]
    assert "Vertrouwelijke cases staan er alleen met hun titel in" in message["text"]
    content = emulator.file_content(file_id)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0]) == [
        "soort",
        "nummer",
        "lid",
        "naam",
        "rol",
        "titel",
        "tekst",
        "stand",
        "aantal",
        "datum",
        "voorgesteld",
        "afspraken aanvaard",
    ]
    cases = {row["titel"]: row for row in rows if row["soort"] == "case"}
    assert cases["Open vraag"]["lid"] == PARTICIPANTS[0]
    assert {key for key, value in cases["Vertrouwelijke titel"].items() if value} == {
        "soort",
        "nummer",
        "titel",
    }
    assert "GEHEIME SITUATIE" not in text
    answers = [row for row in rows if row["soort"] == "antwoord"]
    assert sorted(row["tekst"] for row in answers) == ["De sfeer", "Het tempo"]
    assert all(row["lid"] == "" for row in answers)
    assert {row["lid"]: row["naam"] for row in rows if row["soort"] == "lid"} == {
        FACILITATOR: "Els Peeters",
        PARTICIPANTS[0]: "Joke Janssens",
        PARTICIPANTS[1]: "Mehmet Yilmaz",
    }
    assert "staat in je privéberichten met mij" in view_text(emulator.home_view(FACILITATOR) or {})
    assert emulator.calls_to("chat.postMessage") == []


def test_post_the_summary_runs_the_summary_subcommand_for_the_network(
    bot: LocalBot, emulator: SlackEmulator, monkeypatch
) -> None:
    """The button appears once a `samenvatting` subhandler is switched on, and runs it as if typed in the
    network's channel; here a stand-in for it, whatever the summary part is at."""
    import handlers.home
    from bot.views.common import notice

    calls: list[tuple[str, str, str]] = []

    def summary(invocation, deps) -> None:
        network = invocation.require_network()
        calls.append((invocation.request.user_id, invocation.request.channel_id, network.network.name))
        invocation.reply(notice("Alleen voor trekkers: twee leden gaven nog geen advies."))

    start_network(bot)
    monkeypatch.setattr(handlers.home, "subhandler_available", lambda name: None)
    home = open_home(bot, FACILITATOR)
    assert home is not None and HomeActions.POST_SUMMARY not in {b["action_id"] for b in buttons(home)}

    monkeypatch.setattr(
        handlers.home, "subhandler_available", lambda name: summary if name == SUMMARY_SUBCOMMAND else None
    )
    home = open_home(bot, FACILITATOR)
    assert home is not None and HomeActions.POST_SUMMARY in {b["action_id"] for b in buttons(home)}

    press(bot, FACILITATOR, HomeActions.POST_SUMMARY)

    assert calls == [(FACILITATOR, NETWORK_CHANNEL, "Lerend netwerk jeugdhulp")]
    assert "twee leden gaven nog geen advies" in view_text(emulator.home_view(FACILITATOR) or {})


def test_without_names_from_slack_the_csv_still_arrives_with_user_ids(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    emulator.fail_next("users.info", status=200, times=3, body={"ok": False, "error": "user_not_found"})

    press(bot, FACILITATOR, HomeActions.DOWNLOAD_CSV)

    [file_id] = emulator.files
    rows = list(
        csv.DictReader(io.StringIO(emulator.file_content(file_id).decode("utf-8-sig")), delimiter=";")
    )
    assert {row["lid"]: row["naam"] for row in rows if row["soort"] == "lid"} == {
        FACILITATOR: "",
        PARTICIPANTS[0]: "",
        PARTICIPANTS[1]: "",
    }


def test_a_failed_upload_is_told_on_the_home(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    emulator.fail_next("files.completeUploadExternal", status=200, body={"ok": False, "error": "fatal_error"})

    press(bot, FACILITATOR, HomeActions.DOWNLOAD_CSV)

    assert emulator.files == {}
    assert "Het CSV-bestand kon ik je niet sturen." in view_text(emulator.home_view(FACILITATOR) or {})


def test_a_home_slack_could_not_refresh_after_the_upload_does_not_send_the_csv_again(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    open_home(bot, FACILITATOR)
    # Slack has a hiccup when the home says the file is there, after the file went out.
    emulator.fail_next("views.publish", status=200, body={"ok": False, "error": "internal_error"})

    press(bot, FACILITATOR, HomeActions.DOWNLOAD_CSV)
    clock.advance(timedelta(hours=1))
    assert bot.runtime is not None
    bot.runtime.publisher.carry_out_due()
    bot.settle()

    assert len(emulator.files) == 1


def test_post_the_summary_from_app_home_posts_it_in_the_channel(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    if subhandler_available(SUMMARY_SUBCOMMAND) is None:
        pytest.skip("`/netwerk samenvatting` is not switched on")
    start_network(bot)
    open_home(bot, FACILITATOR)
    before = len(emulator.messages(NETWORK_CHANNEL))

    press(bot, FACILITATOR, HomeActions.POST_SUMMARY)

    assert len(emulator.messages(NETWORK_CHANNEL)) > before
    assert f"De samenvatting staat in <#{NETWORK_CHANNEL}>." in view_text(
        emulator.home_view(FACILITATOR) or {}
    )
