"""Slack's Block Kit limits, each at the limit (accepted) and one over (refused), through slack_sdk."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import PlainTextInputElement
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import GENERAL

SLACKREF_VIEWS = Path(__file__).resolve().parents[3] / "shared" / "slackref" / "python_sdk_views"

Build = Callable[[int], Any]


def plain(length: int) -> dict[str, str]:
    return {"type": "plain_text", "text": "x" * length}


def mrkdwn(length: int) -> dict[str, str]:
    return {"type": "mrkdwn", "text": "x" * length}


def button(**changes: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(5), "action_id": "go", **changes}


def actions(*elements: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(elements)}]


def select(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return actions(
        {"type": "static_select", "action_id": "pick", "placeholder": plain(4), "options": options}
    )


def option(text_length: int = 3, value: str = "v") -> dict[str, Any]:
    return {"text": plain(text_length), "value": value}


def confirm(**lengths: int) -> list[dict[str, Any]]:
    sizes = {"title": 5, "text": 5, "confirm": 5, "deny": 5, **lengths}
    dialog = {key: plain(size) for key, size in sizes.items()}
    return actions(button(confirm=dialog))


def url_of(length: int) -> str:
    return "https://example.org/" + "x" * (length - len("https://example.org/"))


MESSAGE_LIMITS: list[tuple[str, int, Build]] = [
    ("blocks per message", 50, lambda n: [{"type": "divider"}] * n),
    ("section text", 3_000, lambda n: [{"type": "section", "text": mrkdwn(n)}]),
    ("section fields", 10, lambda n: [{"type": "section", "fields": [mrkdwn(2)] * n}]),
    ("section field text", 2_000, lambda n: [{"type": "section", "fields": [mrkdwn(n)]}]),
    ("header text", 150, lambda n: [{"type": "header", "text": plain(n)}]),
    ("actions elements", 25, lambda n: actions(*[button(action_id=f"b{i}") for i in range(n)])),
    ("context elements", 10, lambda n: [{"type": "context", "elements": [mrkdwn(2)] * n}]),
    ("block_id", 255, lambda n: [{"type": "divider", "block_id": "b" * n}]),
    ("action_id", 255, lambda n: actions(button(action_id="a" * n))),
    ("button text", 75, lambda n: actions(button(text=plain(n)))),
    ("button value", 2_000, lambda n: actions(button(value="v" * n))),
    ("button url", 3_000, lambda n: actions(button(url=url_of(n)))),
    ("option text", 75, lambda n: select([option(text_length=n)])),
    ("option value", 150, lambda n: select([option(value="v" * n)])),
    ("options per select", 100, lambda n: select([option(value=str(i)) for i in range(n)])),
    ("confirm title", 100, lambda n: confirm(title=n)),
    ("confirm text", 300, lambda n: confirm(text=n)),
    ("confirm button", 30, lambda n: confirm(confirm=n)),
    ("deny button", 30, lambda n: confirm(deny=n)),
]


def modal(**changes: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain(10), "close": plain(5), "blocks": [], **changes}


def text_input(**changes: Any) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": "value", **changes.pop("element", {})}
    return {"type": "input", "block_id": "name", "label": plain(4), "element": element, **changes}


VIEW_LIMITS: list[tuple[str, int, Build]] = [
    ("blocks per view", 100, lambda n: modal(blocks=[{"type": "divider"}] * n)),
    ("title", 24, lambda n: modal(title=plain(n))),
    ("submit", 24, lambda n: modal(submit=plain(n))),
    ("close", 24, lambda n: modal(close=plain(n))),
    ("private_metadata", 3_000, lambda n: modal(private_metadata="m" * n)),
    ("callback_id", 255, lambda n: modal(callback_id="c" * n)),
    ("input label", 2_000, lambda n: modal(submit=plain(4), blocks=[text_input(label=plain(n))])),
    ("input hint", 2_000, lambda n: modal(submit=plain(4), blocks=[text_input(hint=plain(n))])),
    (
        "plain_text_input max_length",
        3_000,
        lambda n: modal(submit=plain(4), blocks=[text_input(element={"max_length": n})]),
    ),
]


def post(client: WebClient, blocks: Any) -> dict[str, Any]:
    try:
        return client.chat_postMessage(channel=GENERAL, text="fallback", blocks=blocks).data  # type: ignore[return-value]
    except SlackApiError as error:
        return error.response.data  # type: ignore[return-value]


def open_modal(client: WebClient, emulator: SlackEmulator, view: dict[str, Any]) -> dict[str, Any]:
    try:
        return client.views_open(trigger_id=emulator.new_trigger_id(ANNA), view=view).data  # type: ignore[return-value]
    except SlackApiError as error:
        return error.response.data  # type: ignore[return-value]


@pytest.mark.parametrize(("limit_name", "limit", "build"), MESSAGE_LIMITS, ids=[c[0] for c in MESSAGE_LIMITS])
def test_message_limit(client: WebClient, limit_name: str, limit: int, build: Build) -> None:
    assert post(client, build(limit))["ok"] is True, f"{limit_name} at {limit} is allowed"
    refused = post(client, build(limit + 1))
    assert refused["ok"] is False and refused["error"] == "invalid_blocks"
    assert refused["errors"] and refused["response_metadata"]["messages"][0].startswith("[ERROR] ")


@pytest.mark.parametrize(("limit_name", "limit", "build"), VIEW_LIMITS, ids=[c[0] for c in VIEW_LIMITS])
def test_view_limit(
    client: WebClient, emulator: SlackEmulator, limit_name: str, limit: int, build: Build
) -> None:
    assert open_modal(client, emulator, build(limit))["ok"] is True, f"{limit_name} at {limit} is allowed"
    refused = open_modal(client, emulator, build(limit + 1))
    assert refused["ok"] is False and refused["error"] == "invalid_arguments"
    assert refused["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_a_view_title_may_not_be_empty() -> None:
    assert validate_view(modal(title=plain(0))) == [
        "must be more than 0 characters [json-pointer:/view/title/text]"
    ]


def test_block_ids_must_be_unique_in_a_message_and_in_a_view() -> None:
    twice = [{"type": "divider", "block_id": "same"}, {"type": "divider", "block_id": "same"}]
    assert validate_blocks(twice) == ["duplicate block_id: same [json-pointer:/blocks/1/block_id]"]
    assert validate_view(modal(blocks=twice)) == [
        "duplicate block_id: same [json-pointer:/view/blocks/1/block_id]"
    ]


def test_a_modal_with_inputs_needs_a_submit_button() -> None:
    assert validate_view(modal(blocks=[text_input()])) == [
        "must provide submit if there are input blocks [json-pointer:/view/submit]"
    ]


def test_header_text_must_be_plain_text() -> None:
    assert validate_blocks([{"type": "header", "text": mrkdwn(3)}]) == [
        "must be plain_text [json-pointer:/blocks/0/text/type]"
    ]


def test_an_initial_option_must_be_one_of_the_options() -> None:
    blocks = select([option(value="a")])
    blocks[0]["elements"][0]["initial_option"] = option(value="b")
    assert validate_blocks(blocks) == [
        "initial_option must match one of the options [json-pointer:/blocks/0/elements/0/initial_option]"
    ]


def test_views_built_with_slack_sdk_models_pass() -> None:
    view = View(
        type="modal",
        callback_id="intro",
        title="Kennismaking",
        submit="Opslaan",
        close="Annuleren",
        blocks=[
            SectionBlock(text="Vertel iets over jezelf"),
            InputBlock(
                block_id="intro", label="Wie ben je?", element=PlainTextInputElement(action_id="value")
            ),
            ActionsBlock(elements=[ButtonElement(text="Later", action_id="later", value="later")]),
        ],
    )
    assert validate_view(view.to_dict()) == []


@pytest.mark.skipif(
    not SLACKREF_VIEWS.is_dir(), reason="shared/slackref/python_sdk_views is not on this machine"
)
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SLACKREF_VIEWS.glob("*.json")) if SLACKREF_VIEWS.is_dir() else []
)
def test_real_views_from_slacks_sdk_pass(name: str) -> None:
    view = json.loads((SLACKREF_VIEWS / name).read_text())
    assert validate_view(view) == []
