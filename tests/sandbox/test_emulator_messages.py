"""Messages through slack_sdk: posting, threads, metadata, history, ephemerals, edits, reactions."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient

from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import CAROL
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import PRIVATE
from tests.sandbox.conftest import SECRET
from tests.sandbox.conftest import WITHOUT_BOT
from tests.sandbox.conftest import FakeClock
from tests.sandbox.conftest import slack_error

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Hallo *iedereen*"}}


def test_post_message_answers_with_channel_ts_and_message(client: WebClient, emulator: SlackEmulator) -> None:
    answer = client.chat_postMessage(channel=GENERAL, text="Welkom!", blocks=[SECTION])
    assert answer["channel"] == GENERAL
    assert answer["ts"] == "1700000000.000000"
    assert answer["message"]["bot_id"] == "B0BOT" and answer["message"]["user"] == "U0BOT"
    [stored] = emulator.messages(GENERAL)
    assert stored["text"] == "Welkom!" and stored["blocks"][0]["text"] == SECTION["text"]
    assert stored["blocks"][0]["block_id"], "Slack gives blocks without an id one"
    assert (stored["thread_ts"], stored["reply_count"], stored["reactions"], stored["edited"]) == (
        None,
        0,
        [],
        None,
    )


def test_ts_values_are_unique_and_increase_even_on_a_frozen_clock(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=GENERAL, text=str(n))["ts"] for n in range(3)]
    assert stamps == ["1700000000.000000", "1700000000.000001", "1700000000.000002"]


def test_blocks_may_be_sent_as_a_json_string(client: WebClient, emulator: SlackEmulator) -> None:
    client.chat_postMessage(channel=GENERAL, text="x", blocks=json.dumps([SECTION]))
    assert emulator.messages(GENERAL)[0]["blocks"][0]["type"] == "section"


def test_malformed_blocks_json_is_invalid_blocks_format(client: WebClient) -> None:
    error = slack_error(
        client.api_call, api_method="chat.postMessage", params={"channel": GENERAL, "blocks": "[{"}
    )
    assert error.response["error"] == "invalid_blocks_format"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_a_message_needs_text_or_blocks(client: WebClient) -> None:
    assert slack_error(client.chat_postMessage, channel=GENERAL).response["error"] == "no_text"


def test_text_may_be_40000_characters_and_no_more(client: WebClient, emulator: SlackEmulator) -> None:
    client.chat_postMessage(channel=GENERAL, text="x" * 40_000)
    error = slack_error(client.chat_postMessage, channel=GENERAL, text="x" * 40_001)
    assert error.response["error"] == "msg_too_long"
    assert len(emulator.messages(GENERAL)) == 1


def test_invalid_blocks_answer_with_errors_and_messages(client: WebClient, emulator: SlackEmulator) -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    error = slack_error(client.chat_postMessage, channel=GENERAL, text="x", blocks=[header])
    assert error.response.data == {
        "ok": False,
        "error": "invalid_blocks",
        "errors": ["must be less than 151 characters [json-pointer:/blocks/0/text/text]"],
        "response_metadata": {
            "messages": ["[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"]
        },
    }
    assert emulator.messages(GENERAL) == []


def test_posting_where_the_bot_is_not_is_refused_as_slack_does(client: WebClient) -> None:
    assert (
        slack_error(client.chat_postMessage, channel=WITHOUT_BOT, text="x").response["error"]
        == "not_in_channel"
    )
    assert (
        slack_error(client.chat_postMessage, channel=SECRET, text="x").response["error"]
        == "channel_not_found"
    )
    assert (
        slack_error(client.chat_postMessage, channel="C0NONE", text="x").response["error"]
        == "channel_not_found"
    )


def test_posting_to_a_user_id_lands_in_the_dm(client: WebClient, emulator: SlackEmulator) -> None:
    answer = client.chat_postMessage(channel=ANNA, text="Psst")
    assert answer["channel"] == "D0ANNA"
    assert [m["text"] for m in emulator.messages("D0ANNA")] == ["Psst"]


def test_metadata_round_trips_only_with_include_all_metadata(
    client: WebClient, emulator: SlackEmulator
) -> None:
    metadata = {"event_type": "checkin_posted", "event_payload": {"checkin_id": 7}}
    client.chat_postMessage(channel=GENERAL, text="as dict", metadata=metadata)
    client.api_call(
        "chat.postMessage", params={"channel": GENERAL, "text": "as string", "metadata": json.dumps(metadata)}
    )

    plain = client.conversations_history(channel=GENERAL)["messages"]
    assert all("metadata" not in m for m in plain)
    full = client.conversations_history(channel=GENERAL, include_all_metadata=True)["messages"]
    assert [m["metadata"] for m in full] == [metadata, metadata]
    assert emulator.messages(GENERAL)[0]["metadata"] == metadata


def test_malformed_metadata_is_refused(client: WebClient) -> None:
    error = slack_error(client.chat_postMessage, channel=GENERAL, text="x", metadata={"event_type": "x"})
    assert error.response["error"] == "invalid_metadata_format"


def test_thread_replies_count_on_the_parent_and_stay_out_of_history(
    client: WebClient, emulator: SlackEmulator
) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Vraag")["ts"]
    first = client.chat_postMessage(channel=GENERAL, text="Antwoord 1", thread_ts=parent)["ts"]
    emulator.add_message(GENERAL, ANNA, "Antwoord 2", thread_ts=parent)

    [top] = client.conversations_history(channel=GENERAL)["messages"]
    assert top["ts"] == parent and top["reply_count"] == 2 and top["thread_ts"] == parent
    assert top["reply_users"] == ["U0BOT", ANNA] and top["latest_reply"] != first
    thread = client.conversations_replies(channel=GENERAL, ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["Vraag", "Antwoord 1", "Antwoord 2"]
    assert thread[1]["parent_user_id"] == "U0BOT"
    assert [m["text"] for m in emulator.replies(GENERAL, parent)] == ["Antwoord 1", "Antwoord 2"]


def test_a_reply_to_an_unknown_ts_is_accepted_but_shown_nowhere(
    client: WebClient, emulator: SlackEmulator
) -> None:
    assert client.chat_postMessage(channel=GENERAL, text="lost", thread_ts="1600000000.000100")["ok"]
    assert emulator.messages(GENERAL) == []
    error = slack_error(client.chat_postMessage, channel=GENERAL, text="x", thread_ts="0")
    assert error.response["error"] == "invalid_thread_ts"


def test_unknown_thread_is_thread_not_found(client: WebClient) -> None:
    error = slack_error(client.conversations_replies, channel=GENERAL, ts="1600000000.000100")
    assert error.response["error"] == "thread_not_found"


def test_history_is_newest_first_and_pages_with_a_cursor(
    client: WebClient, emulator: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    stamps = []
    for number in range(5):
        stamps.append(client.chat_postMessage(channel=GENERAL, text=f"m{number}")["ts"])
        sandbox_clock.advance(10)

    first = client.conversations_history(channel=GENERAL, limit=2)
    assert [m["text"] for m in first["messages"]] == ["m4", "m3"] and first["has_more"] is True
    second = client.conversations_history(
        channel=GENERAL, limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in second["messages"]] == ["m2", "m1"]
    third = client.conversations_history(
        channel=GENERAL, limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in third["messages"]] == ["m0"]
    assert third["has_more"] is False and third["response_metadata"]["next_cursor"] == ""


def test_history_windows_with_oldest_latest_and_inclusive(
    client: WebClient, sandbox_clock: FakeClock
) -> None:
    stamps = []
    for number in range(4):
        stamps.append(client.chat_postMessage(channel=GENERAL, text=f"m{number}")["ts"])
        sandbox_clock.advance(10)

    def texts(**window: object) -> list[str]:
        return [m["text"] for m in client.conversations_history(channel=GENERAL, **window)["messages"]]

    assert texts(oldest=stamps[1], latest=stamps[3]) == ["m2"]
    assert texts(oldest=stamps[1], latest=stamps[3], inclusive=True) == ["m3", "m2", "m1"]
    assert texts(oldest=stamps[2]) == ["m3"]


def test_reading_history_where_the_bot_is_not_is_not_in_channel(client: WebClient) -> None:
    assert (
        slack_error(client.conversations_history, channel=WITHOUT_BOT).response["error"] == "not_in_channel"
    )


def test_an_ephemeral_needs_the_person_in_the_channel(client: WebClient, emulator: SlackEmulator) -> None:
    answer = client.chat_postEphemeral(channel=GENERAL, user=ANNA, text="Alleen voor jou")
    assert answer["message_ts"]
    [ephemeral] = emulator.ephemerals(GENERAL, ANNA)
    assert ephemeral["text"] == "Alleen voor jou" and ephemeral["visible_to"] == ANNA
    assert ephemeral["source"] == "chat.postEphemeral" and emulator.messages(GENERAL) == []

    error = slack_error(client.chat_postEphemeral, channel=GENERAL, user=CAROL, text="x")
    assert error.response["error"] == "user_not_in_channel"
    error = slack_error(client.chat_postEphemeral, channel=WITHOUT_BOT, user=ANNA, text="x")
    assert error.response["error"] == "channel_not_found"


def test_update_edits_and_keeps_blocks_left_out(client: WebClient, emulator: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=GENERAL, text="v1", blocks=[SECTION])["ts"]
    answer = client.chat_update(channel=GENERAL, ts=ts, text="v2")
    assert answer["ts"] == ts and answer["text"] == "v2"
    [message] = emulator.messages(GENERAL)
    assert message["text"] == "v2" and message["blocks"][0]["type"] == "section"
    assert message["edited"]["user"] == "U0BOT"
    client.chat_update(channel=GENERAL, ts=ts, text="v3", blocks=[])
    assert emulator.messages(GENERAL)[0]["blocks"] == []


def test_update_refuses_missing_and_foreign_messages(client: WebClient, emulator: SlackEmulator) -> None:
    theirs = emulator.add_message(GENERAL, ANNA, "mijn bericht")["ts"]
    assert slack_error(client.chat_update, channel=GENERAL, ts=theirs, text="x").response["error"] == (
        "cant_update_message"
    )
    error = slack_error(client.chat_update, channel=GENERAL, ts="1600000000.000001", text="x")
    assert error.response["error"] == "message_not_found"


def test_delete_removes_and_a_parent_with_replies_leaves_a_tombstone(
    client: WebClient, emulator: SlackEmulator
) -> None:
    lonely = client.chat_postMessage(channel=GENERAL, text="weg")["ts"]
    parent = client.chat_postMessage(channel=GENERAL, text="vraag")["ts"]
    reply = client.chat_postMessage(channel=GENERAL, text="antwoord", thread_ts=parent)["ts"]

    assert client.chat_delete(channel=GENERAL, ts=lonely)["ts"] == lonely
    client.chat_delete(channel=GENERAL, ts=parent)
    [tombstone] = emulator.messages(GENERAL)
    assert tombstone["subtype"] == "tombstone" and tombstone["reply_count"] == 1
    client.chat_delete(channel=GENERAL, ts=reply)
    assert emulator.messages(GENERAL) == []
    foreign = emulator.add_message(GENERAL, ANNA, "van Anna")["ts"]
    assert (
        slack_error(client.chat_delete, channel=GENERAL, ts=foreign).response["error"]
        == "cant_delete_message"
    )


def test_deleting_a_reply_lowers_the_reply_count(client: WebClient, emulator: SlackEmulator) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="vraag")["ts"]
    replies = [client.chat_postMessage(channel=GENERAL, text=t, thread_ts=parent)["ts"] for t in ("a", "b")]
    client.chat_delete(channel=GENERAL, ts=replies[0])
    assert emulator.messages(GENERAL)[0]["reply_count"] == 1


def test_permalinks_point_at_the_message_and_its_thread(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="vraag")["ts"]
    reply = client.chat_postMessage(channel=GENERAL, text="antwoord", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=GENERAL, message_ts=parent)["permalink"]
    assert link == f"https://netwerk-sandbox.slack.com/archives/{GENERAL}/p{parent.replace('.', '')}"
    assert client.chat_getPermalink(channel=GENERAL, message_ts=reply)["permalink"].endswith(
        f"?thread_ts={parent}&cid={GENERAL}"
    )
    error = slack_error(client.chat_getPermalink, channel=GENERAL, message_ts="1600000000.000001")
    assert error.response["error"] == "message_not_found"


def test_schedule_message_is_stored_for_the_future_only(client: WebClient, emulator: SlackEmulator) -> None:
    now = int(emulator.clock())
    answer = client.chat_scheduleMessage(channel=GENERAL, text="Check-in!", post_at=now + 3600)
    assert answer["scheduled_message_id"].startswith("Q") and answer["post_at"] == now + 3600
    [scheduled] = emulator.scheduled_messages(GENERAL)
    assert scheduled["text"] == "Check-in!" and emulator.messages(GENERAL) == []

    past = slack_error(client.chat_scheduleMessage, channel=GENERAL, text="x", post_at=now - 1)
    assert past.response["error"] == "time_in_past"
    far = slack_error(client.chat_scheduleMessage, channel=GENERAL, text="x", post_at=now + 121 * 86400)
    assert far.response["error"] == "time_too_far"
    client.chat_deleteScheduledMessage(channel=GENERAL, scheduled_message_id=answer["scheduled_message_id"])
    assert emulator.scheduled_messages() == []


def test_reactions_add_get_and_remove(client: WebClient, emulator: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=GENERAL, text="Goed idee")["ts"]
    emulator.add_reaction(GENERAL, ts, "tada", ANNA)
    client.reactions_add(channel=GENERAL, timestamp=ts, name="tada")
    client.reactions_add(channel=GENERAL, timestamp=ts, name=":eyes:")

    message = client.reactions_get(channel=GENERAL, timestamp=ts)["message"]
    assert message["reactions"] == [
        {"name": "tada", "users": [ANNA, "U0BOT"], "count": 2},
        {"name": "eyes", "users": ["U0BOT"], "count": 1},
    ]
    again = slack_error(client.reactions_add, channel=GENERAL, timestamp=ts, name="tada")
    assert again.response["error"] == "already_reacted"

    client.reactions_remove(channel=GENERAL, timestamp=ts, name="eyes")
    assert [r["name"] for r in emulator.messages(GENERAL)[0]["reactions"]] == ["tada"]
    none = slack_error(client.reactions_remove, channel=GENERAL, timestamp=ts, name="eyes")
    assert none.response["error"] == "no_reaction"
    missing = slack_error(client.reactions_add, channel=GENERAL, timestamp="1600000000.000001", name="tada")
    assert missing.response["error"] == "message_not_found"


def test_private_channels_the_bot_is_in_work_like_public_ones(
    client: WebClient, emulator: SlackEmulator
) -> None:
    client.chat_postMessage(channel=PRIVATE, text="Alleen de kern")
    assert [m["text"] for m in emulator.messages(PRIVATE)] == ["Alleen de kern"]
    assert BEN not in emulator.channels[PRIVATE]["members"]
