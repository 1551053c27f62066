"""Snapshot assertions for views: the JSON Slack would receive, kept beside the tests.

Run with UPDATE_SNAPSHOTS=1 to write or refresh them after a deliberate change, and review the diff.
On CI (CI=true) that is refused: CI checks the snapshots and may never rewrite one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.blockkit import validate_blocks

SNAPSHOTS = Path(__file__).parent / "views" / "snapshots"


def updating_snapshots() -> bool:
    """Whether this run was asked to write snapshots; fails the test if that is asked on CI."""
    if os.environ.get("UPDATE_SNAPSHOTS") != "1":
        return False
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            "UPDATE_SNAPSHOTS=1 is refused on CI (CI=true): CI checks the snapshots and never rewrites them;"
            " update them on your own machine and commit the reviewed diff",
            pytrace=False,
        )
    return True


def assert_matches_snapshot(name: str, data: Any, *, folder: Path = SNAPSHOTS) -> None:
    path = folder / f"{name}.json"
    rendered = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if updating_snapshots():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert rendered == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


def message_dict(message: Any) -> dict[str, Any]:
    """A message (`bot.views.common.Message`) as its snapshot holds it: its notification text and blocks."""
    return {"text": message.text, "blocks": message.blocks_as_dicts()}


def assert_valid_and_matches_snapshot(name: str, message: Any) -> None:
    """A message that Slack's Block Kit limits accept and that is as its snapshot holds it."""
    assert validate_blocks(message.blocks_as_dicts()) == []
    assert_matches_snapshot(name, message_dict(message))
