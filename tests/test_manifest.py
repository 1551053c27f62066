"""manifest.json must let an admin create the app in one step with everything the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))

# The bot scope each Web API method needs (https://docs.slack.dev/reference/methods).
SCOPES_BY_METHOD = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "chat_scheduleMessage": {"chat:write"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_members": {"channels:read", "groups:read"},
    # And im:history: a post to a DM (a follow-up question) is looked for there by its key after a crash.
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_replies": {"channels:history", "groups:history"},
    "conversations_open": {"im:write"},
    "reactions_add": {"reactions:write"},
    "reactions_remove": {"reactions:write"},
    "reactions_get": {"reactions:read"},
    "users_info": {"users:read"},
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "files_upload_v2": {"files:write"},
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "views_publish": set(),
    "chat_getPermalink": set(),
    "auth_test": set(),
    "conversations_canvases_create": {"canvases:write"},
    "canvases_edit": {"canvases:write"},
    "canvases_sections_lookup": {"canvases:read"},
    "pins_add": {"pins:write"},
}
EVENT_FOR_LISTENER = {
    "message": {"message.channels", "message.groups"},
}


def source_files() -> list[Path]:
    return [
        path
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if "sandbox" not in path.parts
    ]


def test_both_slash_commands_of_the_contract_are_declared() -> None:
    commands = {command["command"] for command in MANIFEST["features"]["slash_commands"]}
    assert commands == {"/netwerk", "/case"}
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["should_escape"] is True, "mentions must arrive as <@U…> for /netwerk rol"


def test_interactivity_app_home_and_socket_mode_are_on() -> None:
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert 175 <= len(MANIFEST["display_information"]["long_description"]) <= 4000
    assert len(MANIFEST["display_information"]["description"]) <= 140


def test_every_web_api_method_the_bot_calls_has_its_scope() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    called = {
        method
        for path in source_files()
        for method in re.findall(r"\.(\w+_\w+)\(", path.read_text(encoding="utf-8"))
        if method in SCOPES_BY_METHOD
    }
    assert called, "no Web API calls found: the scan is broken"
    for method in called:
        assert SCOPES_BY_METHOD[method] <= scopes, f"{method} needs {SCOPES_BY_METHOD[method] - scopes}"
    assert "commands" in scopes


def test_every_event_the_bot_listens_to_is_subscribed() -> None:
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    listened = {
        name
        for path in source_files()
        for name in re.findall(r"""\.event\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8"))
    }
    for name in listened:
        assert EVENT_FOR_LISTENER.get(name, {name}) <= events, f"{name} is not subscribed in manifest.json"


def test_both_message_shortcuts_are_declared_as_the_code_listens_to_them() -> None:
    from bot.views import ids

    shortcuts = {s["callback_id"]: s for s in MANIFEST["features"]["shortcuts"]}
    assert set(shortcuts) == {ids.BRING_IN_AS_CASE_SHORTCUT, ids.SAVE_AS_LESSON_SHORTCUT}
    assert shortcuts[ids.BRING_IN_AS_CASE_SHORTCUT]["name"] == "Breng in als casus"
    assert shortcuts[ids.SAVE_AS_LESSON_SHORTCUT]["name"] == "Bewaar als les"
    for shortcut in shortcuts.values():
        assert shortcut["type"] == "message"
        # Slack's app settings take a shortcut's name up to 24 characters and a short description.
        assert 0 < len(shortcut["name"]) <= 24 and 0 < len(shortcut["description"]) <= 80
    listened = {
        name
        for path in source_files()
        for name in re.findall(r"\.message_shortcut\(ids\.(\w+)\)", path.read_text(encoding="utf-8"))
    }
    assert {getattr(ids, name) for name in listened} == set(shortcuts)


def test_the_install_flow_asks_each_workspace_for_the_scopes_of_the_manifest() -> None:
    from bot.installations import BOT_SCOPES
    from bot.installations import REDIRECT_PATH

    assert sorted(BOT_SCOPES) == sorted(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert all(url.endswith(REDIRECT_PATH) for url in MANIFEST["oauth_config"]["redirect_urls"])
