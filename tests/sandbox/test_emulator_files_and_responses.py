"""File uploads (the v2 three-step flow) and response_url posts, with slack_sdk's own clients."""

from __future__ import annotations

import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import WITHOUT_BOT
from tests.sandbox.conftest import FakeClock

CSV = b"naam,rol\nAnna,facilitator\n"


def test_files_upload_v2_posts_a_file_message_and_keeps_the_bytes(
    client: WebClient, emulator: SlackEmulator
) -> None:
    answer = client.files_upload_v2(
        channel=GENERAL, content=CSV, filename="leden.csv", title="Ledenlijst", initial_comment="De export"
    )

    file_id = answer["file"]["id"]
    assert answer["file"]["title"] == "Ledenlijst"
    assert [c.method for c in emulator.calls] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    [message] = emulator.messages(GENERAL)
    assert message["text"] == "De export" and message["user"] == "U0BOT"
    assert [(f["id"], f["name"], f["mimetype"]) for f in message["files"]] == [
        (file_id, "leden.csv", "text/csv")
    ]
    assert emulator.file_content(file_id) == CSV
    assert emulator.files[file_id]["content"] == CSV and emulator.files[file_id]["size"] == len(CSV)


def test_an_uploaded_file_downloads_with_the_bot_token(client: WebClient, emulator: SlackEmulator) -> None:
    file_object = client.files_upload_v2(channel=GENERAL, content=CSV, filename="leden.csv")["file"]
    request = urllib.request.Request(
        file_object["url_private"], headers={"Authorization": f"Bearer {emulator.bot_token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.read() == CSV


def test_a_file_can_go_into_a_thread(client: WebClient, emulator: SlackEmulator) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Hier is de export")["ts"]
    client.files_upload_v2(channel=GENERAL, content=CSV, filename="leden.csv", thread_ts=parent)
    [reply] = emulator.replies(GENERAL, parent)
    assert reply["files"][0]["name"] == "leden.csv"


def test_completing_an_upload_that_never_happened_is_refused(client: WebClient) -> None:
    file_id = client.files_getUploadURLExternal(filename="x.csv", length=3)["file_id"]
    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": file_id, "title": "x"}], channel_id=GENERAL)
    assert raised.value.response["error"] == "file_not_found"


def test_sharing_a_file_where_the_bot_is_not_is_not_in_channel(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.files_upload_v2(channel=WITHOUT_BOT, content=CSV, filename="leden.csv")
    assert raised.value.response["error"] == "not_in_channel"


def test_a_response_url_answers_ephemerally_by_default(emulator: SlackEmulator) -> None:
    url = emulator.new_response_url(GENERAL, ANNA)
    answer = WebhookClient(url).send(text="Alleen voor Anna")
    assert (answer.status_code, answer.body) == (200, "ok")
    [ephemeral] = emulator.ephemerals(user_id=ANNA)
    assert ephemeral["text"] == "Alleen voor Anna" and ephemeral["source"] == "response_url"
    assert emulator.messages(GENERAL) == []
    assert emulator.calls_to("response_url")[0].args == {"text": "Alleen voor Anna"}


def test_a_response_url_can_post_in_channel_and_in_a_thread(
    client: WebClient, emulator: SlackEmulator
) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Vraag")["ts"]
    url = emulator.new_response_url(GENERAL, ANNA)
    WebhookClient(url).send(text="Voor iedereen", response_type="in_channel")
    WebhookClient(url).send_dict({"text": "In de draad", "response_type": "in_channel", "thread_ts": parent})
    assert [m["text"] for m in emulator.messages(GENERAL)] == ["Vraag", "Voor iedereen"]
    assert [m["text"] for m in emulator.replies(GENERAL, parent)] == ["In de draad"]


def test_a_response_url_works_where_the_bot_is_not(emulator: SlackEmulator) -> None:
    WebhookClient(emulator.new_response_url("D0ANNACAROL", ANNA)).send(text="Dat kan hier niet")
    WebhookClient(emulator.new_response_url(WITHOUT_BOT, ANNA)).send(text="Nodig me eerst uit")
    assert [e["channel"] for e in emulator.ephemerals(user_id=ANNA)] == ["D0ANNACAROL", WITHOUT_BOT]


def test_replace_and_delete_original(client: WebClient, emulator: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=GENERAL, text="Kies een datum")["ts"]
    url = emulator.new_response_url(GENERAL, ANNA, message_ts=ts)
    WebhookClient(url).send(text="Datum gekozen", replace_original=True)
    [message] = emulator.messages(GENERAL)
    assert message["ts"] == ts and message["text"] == "Datum gekozen" and message["edited"]
    WebhookClient(url).send_dict({"delete_original": True})
    assert emulator.messages(GENERAL) == []


def test_replace_original_on_an_ephemeral_changes_it_in_place(
    client: WebClient, emulator: SlackEmulator
) -> None:
    ts = client.chat_postEphemeral(channel=GENERAL, user=BEN, text="Ben je zeker?")["message_ts"]
    WebhookClient(emulator.new_response_url(GENERAL, BEN, message_ts=ts)).send(
        text="Gedaan", replace_original=True
    )
    assert [e["text"] for e in emulator.ephemerals(user_id=BEN)] == ["Gedaan"]


def test_a_response_url_takes_five_answers_within_thirty_minutes(
    emulator: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    url = emulator.new_response_url(GENERAL, ANNA)
    for number in range(5):
        assert WebhookClient(url).send(text=str(number)).status_code == 200
    assert WebhookClient(url).send(text="zesde").status_code == 404
    late = emulator.new_response_url(GENERAL, ANNA)
    sandbox_clock.advance(30 * 60 + 1)
    assert WebhookClient(late).send(text="te laat").body == "expired_url"


def test_a_response_url_checks_its_blocks(emulator: SlackEmulator) -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    answer = WebhookClient(emulator.new_response_url(GENERAL, ANNA)).send(text="x", blocks=[header])
    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert emulator.ephemerals() == []
