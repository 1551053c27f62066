"""Privacy end to end: my-data as a file in the DM, forget-me after its confirmation, archive by a
facilitator only, the purge job, and logs that carry neither secrets nor message texts."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.text import escape_mrkdwn
from bot.views.ids import PrivacyActions
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import Network
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import cards
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import agree_to_keep_it
from tests.e2e.test_cases import give_advice
from tests.factories import CASE_FORM

OWNER, ADVISER = PARTICIPANTS
ADVICE = "Nodig ze thuis uit, dat werkt bij ons."


def last_ephemeral(emulator: SlackEmulator, user_id: str) -> dict:
    return emulator.ephemerals(user_id=user_id)[-1]


def dm_files(emulator: SlackEmulator, user_id: str) -> list[dict]:
    dm = emulator.dm_channel_id(user_id)
    return [f for f in emulator.files.values() if dm in (f.get("channels") or []) + (f.get("ims") or [])]


# ---------------------------------------------------------------------- my data


def test_my_data_arrives_as_a_json_file_in_the_dm(network: LocalBot, emulator: SlackEmulator) -> None:
    bring_case(network, user_id=OWNER, **{"case_confidential": ["confidential"]})
    network.settle()
    agree_to_keep_it(network, ADVISER)
    give_advice(network, ADVISER, the_card(emulator)["ts"], ADVICE)
    network.settle()

    response = network.command("mijn-gegevens", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()

    assert response.status == 200
    [file] = dm_files(emulator, OWNER)
    data = json.loads(file["content"])
    [entry] = data["networks"]
    assert entry["network"]["channel_id"] == NETWORK_CHANNEL
    assert [case["title"] for case in entry["cases"]] == [CASE_FORM["case_title"]]
    assert entry["cases"][0]["confidential"] is True
    assert ADVICE not in file["content"].decode() and ADVISER not in file["content"].decode()
    assert "privébericht" in last_ephemeral(emulator, OWNER)["text"]


def test_my_data_goes_out_once_when_slack_fails_to_say_so(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    # Slack has a hiccup on both ways to tell the user, after the file went out.
    emulator.fail_next("response_url", status=500, times=3)
    emulator.fail_next("chat.postEphemeral", status=200, body={"ok": False, "error": "internal_error"})

    network.command("mijn-gegevens", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()
    clock.advance(timedelta(hours=1))
    assert network.runtime is not None
    network.runtime.publisher.carry_out_due()
    network.settle()

    assert len(dm_files(emulator, OWNER)) == 1


def test_my_data_for_someone_outside_every_network_is_an_empty_file(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    network.command("my-data", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)
    network.settle()

    [file] = dm_files(emulator, OUTSIDER)
    assert json.loads(file["content"])["networks"] == []


def test_my_data_says_so_when_the_dm_cannot_be_opened(network: LocalBot, emulator: SlackEmulator) -> None:
    emulator.fail_next("conversations.open", status=200, body={"ok": False, "error": "user_disabled"})

    network.command("mijn-gegevens", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()

    assert dm_files(emulator, OWNER) == []
    assert "privébericht sturen" in last_ephemeral(emulator, OWNER)["text"]


# ---------------------------------------------------------------------- forget me


def test_forget_me_asks_first_then_erases_and_removes_the_case_card(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    bring_case(network, user_id=ADVISER, **{"case_title": "De zaak van een ander"})
    network.settle()
    others_card_ts = the_card(emulator)["ts"]
    give_advice(network, OWNER, others_card_ts, ADVICE)
    network.settle()
    bring_case(network, user_id=OWNER)
    network.settle()

    network.command("vergeet-mij", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()
    assert "vergeet" in last_ephemeral(emulator, OWNER)["text"]
    assert len(cards(emulator)) == 2  # asking erased nothing
    assert [case.owner_id for case in stored(network, Case)] == [ADVISER, OWNER]

    press_on_ephemeral(network, emulator, OWNER, PrivacyActions.FORGET)

    assert [card["ts"] for card in cards(emulator)] == [others_card_ts]
    others, own = stored(network, Case)
    assert own.owner_id == "" and own.title == "" and str(own.status) == "deleted"
    assert others.owner_id == ADVISER and others.title == "De zaak van een ander"
    # Nothing translated is stored: the advice is flagged, and the thread shows the note for the flag.
    assert [(a.text, a.removed) for a in stored(network, CaseAdvice)] == [("", True)]
    thread = emulator.replies(NETWORK_CHANNEL, others_card_ts)
    assert "Dit advies is verwijderd" in "\n".join(message_text(m) for m in thread)
    everything = [*emulator.messages(NETWORK_CHANNEL), *thread]
    assert [m for m in everything if ADVICE in message_text(m)] == []
    assert "gewist" in last_ephemeral(emulator, OWNER)["text"]
    network.command("mijn-gegevens", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()
    [file] = dm_files(emulator, OWNER)
    assert json.loads(file["content"])["networks"] == []


def test_advice_of_a_forgotten_giver_that_had_not_reached_slack_is_never_posted(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    bring_case(network, user_id=ADVISER, **{"case_title": "De zaak van een ander"})
    network.settle()
    card_ts = the_card(emulator)["ts"]
    before = [m["ts"] for m in emulator.replies(NETWORK_CHANNEL, card_ts)]
    # Slack has a hiccup when the advice is given: its post waits in the outbox for a retry.
    emulator.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "internal_error"})
    give_advice(network, OWNER, card_ts, ADVICE)
    network.settle()
    forget_me(network, OWNER)

    clock.advance(timedelta(hours=1))
    assert network.runtime is not None
    network.runtime.publisher.carry_out_due()

    # Neither the advice nor an empty post in its place: the thread is as it was.
    assert [m["ts"] for m in emulator.replies(NETWORK_CHANNEL, card_ts)] == before
    assert [(a.text, a.removed) for a in stored(network, CaseAdvice)] == [("", True)]


def test_the_last_facilitator_is_told_to_name_another_first(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    network.command("forget-me", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    network.settle()

    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.FORGET)

    assert "enige facilitator" in last_ephemeral(emulator, FACILITATOR)["text"]
    [kept] = stored(network, Network)
    assert kept.created_by == FACILITATOR


def test_the_last_facilitator_reads_the_networks_name_as_it_was_typed(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    name = "Ouders <-> school & <!here>"
    start_network(bot, start_name=name)
    bot.command("forget-me", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.FORGET)

    told = last_ephemeral(emulator, FACILITATOR)
    assert escape_mrkdwn(name) in told["text"] and escape_mrkdwn(name) in json.dumps(told["blocks"])
    assert "<!here>" not in json.dumps(told)


# ---------------------------------------------------------------------- archive and purge


def test_a_participant_cannot_archive(network: LocalBot, emulator: SlackEmulator) -> None:
    network.command("archiveer", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()

    assert "Dat kan alleen een facilitator" in last_ephemeral(emulator, OWNER)["text"]
    assert not any(
        block.get("type") == "actions" for block in last_ephemeral(emulator, OWNER).get("blocks") or []
    )
    assert stored(network, Network)[0].archived_at is None


def test_an_archived_channel_answers_as_unlinked_and_can_start_anew(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    network.settle()
    assert stored(network, Network)[0].archived_at is None  # asking archives nothing
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    assert "gearchiveerd" in message_text(emulator.messages(NETWORK_CHANNEL)[-1])
    assert stored(network, Network)[0].archived_at is not None
    network.command("", command="/case", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    network.settle()
    assert "nog niet gekoppeld" in last_ephemeral(emulator, OWNER)["text"]

    start_network(network, **{"start_name": "Tweede ronde"})
    network.settle()
    assert [n.name for n in stored(network, Network)] == ["Lerend netwerk jeugdhulp", "Tweede ronde"]
    assert stored(network, Network)[1].channel_id == NETWORK_CHANNEL


def test_the_purge_job_deletes_archived_networks_after_the_retention(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    bring_case(network, user_id=OWNER)
    network.settle()
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    network.settle()
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)
    assert network.runtime is not None
    runtime = network.runtime.scheduling.runtime
    assert jobs.context_of(runtime).retention_months == 12  # type: ignore[union-attr]

    clock.advance(timedelta(days=300))
    jobs.sweep(runtime)
    assert len(stored(network, Network)) == 1

    clock.advance(timedelta(days=70))
    jobs.sweep(runtime)
    assert stored(network, Network) == []
    assert stored(network, Case) == []


# ---------------------------------------------------------------------- logs


def test_logs_carry_no_secrets_and_no_message_texts_at_info(
    bot: LocalBot, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    start_network(bot)
    bot.settle()
    bring_case(bot, user_id=OWNER)
    bot.settle()
    give_advice(bot, ADVISER, the_card(emulator)["ts"], ADVICE)
    bot.settle()
    bot.command("mijn-gegevens", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    forget_me(bot, OWNER)
    emulator.fail_next("conversations.open", status=200, body={"ok": False, "error": "user_disabled"})
    bot.command("mijn-gegevens", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    bot.settle()

    ours = [
        record for record in caplog.records if record.name.split(".")[0] in {"bot", "handlers", "storage"}
    ]
    assert ours, "the flows logged nothing of ours: the check below would prove nothing"
    secrets = [emulator.bot_token, bot.settings.slack_signing_secret]
    typed = [ADVICE, CASE_FORM["case_title"], CASE_FORM["case_situation"]]
    for record in ours:
        line = record.getMessage() + (record.exc_text or "")
        assert not [secret for secret in secrets if secret and secret in line], record.name
        if record.levelno >= logging.INFO:
            assert not [text for text in typed if text in line], (record.name, line)
