"""Modals and App Home through slack_sdk: triggers, the modal stack, updates and hashes."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import FakeClock
from tests.sandbox.conftest import input_block
from tests.sandbox.conftest import slack_error


def modal(title: str = "Kennismaking", **changes: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "intro",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Opslaan"},
        "blocks": [input_block("intro", "Wie ben je?", {"type": "plain_text_input", "action_id": "value"})],
        **changes,
    }


def home(text: str = "Welkom") -> dict[str, Any]:
    return {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def error_from(call: Any, **kwargs: Any) -> dict[str, Any]:
    return slack_error(call, **kwargs).response.data  # type: ignore[no-any-return]


def test_views_open_answers_with_the_view_as_slack_does(client: WebClient, emulator: SlackEmulator) -> None:
    view = client.views_open(
        trigger_id=emulator.new_trigger_id(ANNA), view=modal(private_metadata="C0GENERAL")
    )["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["previous_view_id"] is None
    assert view["state"] == {"values": {}} and view["hash"]
    assert view["team_id"] == "T0NETWERK" and view["app_id"] == "A0NETWERK" and view["bot_id"] == "B0BOT"
    assert view["private_metadata"] == "C0GENERAL" and view["callback_id"] == "intro"
    assert emulator.open_view(ANNA) == view
    assert emulator.views[view["id"]]["user"] == ANNA and emulator.views[view["id"]]["open"] is True


def test_a_trigger_id_the_emulator_did_not_issue_is_invalid(client: WebClient) -> None:
    assert error_from(client.views_open, trigger_id="1.2.3", view=modal())["error"] == "invalid_trigger_id"


def test_a_trigger_id_works_once(client: WebClient, emulator: SlackEmulator) -> None:
    trigger = emulator.new_trigger_id(ANNA)
    client.views_open(trigger_id=trigger, view=modal())
    assert error_from(client.views_open, trigger_id=trigger, view=modal())["error"] == "exchanged_trigger_id"


def test_a_trigger_id_expires_after_three_seconds(
    client: WebClient, emulator: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    on_time, late = emulator.new_trigger_id(ANNA), emulator.new_trigger_id(BEN)
    sandbox_clock.advance(3.0)
    assert client.views_open(trigger_id=on_time, view=modal())["ok"]
    sandbox_clock.advance(0.01)
    assert error_from(client.views_open, trigger_id=late, view=modal())["error"] == "expired_trigger_id"
    assert emulator.open_view(BEN) is None


def test_an_invalid_view_is_invalid_arguments_and_keeps_the_trigger(
    client: WebClient, emulator: SlackEmulator
) -> None:
    trigger = emulator.new_trigger_id(ANNA)
    answer = error_from(client.views_open, trigger_id=trigger, view=modal(title="t" * 25))
    assert answer == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {
            "messages": ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]
        },
    }
    assert client.views_open(trigger_id=trigger, view=modal())["ok"]


def test_views_update_by_id_or_external_id_with_a_hash_check(
    client: WebClient, emulator: SlackEmulator
) -> None:
    opened = client.views_open(
        trigger_id=emulator.new_trigger_id(ANNA), view=modal(external_id="intro-anna")
    )["view"]

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Stap 2"))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert emulator.open_view(ANNA)["title"]["text"] == "Stap 2"  # type: ignore[index]

    conflict = error_from(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal("Oud"))
    assert conflict["error"] == "hash_conflict"
    by_external = client.views_update(
        external_id="intro-anna", view=modal("Stap 3", external_id="intro-anna")
    )
    assert by_external["view"]["id"] == opened["id"]
    assert error_from(client.views_update, view_id="V404", view=modal())["error"] == "not_found"


def test_views_push_stacks_up_to_three(client: WebClient, emulator: SlackEmulator) -> None:
    root = client.views_open(trigger_id=emulator.new_trigger_id(ANNA), view=modal("Een"))["view"]
    second = client.views_push(trigger_id=emulator.new_trigger_id(ANNA), view=modal("Twee"))["view"]
    assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
    client.views_push(trigger_id=emulator.new_trigger_id(ANNA), view=modal("Drie"))
    full = error_from(client.views_push, trigger_id=emulator.new_trigger_id(ANNA), view=modal("Vier"))
    assert full["error"] == "push_limit_reached"
    assert [v["title"]["text"] for v in emulator.modal_stack(ANNA)] == ["Een", "Twee", "Drie"]


def test_views_push_without_an_open_modal_is_not_found(client: WebClient, emulator: SlackEmulator) -> None:
    assert (
        error_from(client.views_push, trigger_id=emulator.new_trigger_id(BEN), view=modal())["error"]
        == "not_found"
    )


def test_closing_views_as_the_user_does(client: WebClient, emulator: SlackEmulator) -> None:
    client.views_open(trigger_id=emulator.new_trigger_id(ANNA), view=modal("Een"))
    pushed = client.views_push(trigger_id=emulator.new_trigger_id(ANNA), view=modal("Twee"))["view"]
    emulator.close_view(ANNA)
    assert emulator.open_view(ANNA)["title"]["text"] == "Een"  # type: ignore[index]
    assert emulator.views[pushed["id"]]["open"] is False
    assert error_from(client.views_update, view_id=pushed["id"], view=modal())["error"] == "not_found"
    emulator.close_view(ANNA, clear=True)
    assert emulator.open_view(ANNA) is None


def test_the_app_home_is_one_view_per_person(client: WebClient, emulator: SlackEmulator) -> None:
    first = client.views_publish(user_id=ANNA, view=home("Hallo Anna"))["view"]
    again = client.views_publish(user_id=ANNA, view=home("Hallo weer"), hash=first["hash"])["view"]
    assert again["id"] == first["id"] and again["type"] == "home"
    assert emulator.home_view(ANNA)["blocks"][0]["text"]["text"] == "Hallo weer"  # type: ignore[index]
    assert emulator.home_view(BEN) is None
    stale = error_from(client.views_publish, user_id=ANNA, view=home(), hash=first["hash"])
    assert stale["error"] == "hash_conflict"
    assert error_from(client.views_publish, user_id="U0NOBODY", view=home())["error"] == "user_not_found"
    assert error_from(client.views_publish, user_id=ANNA, view=modal())["error"] == "invalid_arguments"


def test_resolving_a_submission_follows_the_response_action(
    client: WebClient, emulator: SlackEmulator
) -> None:
    view = client.views_open(trigger_id=emulator.new_trigger_id(ANNA), view=modal())["view"]
    errors = {"response_action": "errors", "errors": {"intro": "Te kort"}}
    assert emulator.resolve_view_submission(view["id"], errors) == []
    assert emulator.open_view(ANNA) is not None
    wrong = {"response_action": "errors", "errors": {"nope": "x"}}
    assert emulator.resolve_view_submission(view["id"], wrong) == [
        "errors names 'nope', which is not an input block"
    ]
    assert (
        emulator.resolve_view_submission(view["id"], {"response_action": "push", "view": modal("Twee")}) == []
    )
    assert len(emulator.modal_stack(ANNA)) == 2
    assert emulator.resolve_view_submission(view["id"], {"response_action": "clear"}) == []
    assert emulator.open_view(ANNA) is None
