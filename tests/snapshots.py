"""Snapshot assertions for views: the JSON Slack would receive, kept beside the tests.

Run with UPDATE_SNAPSHOTS=1 to write or refresh them after a deliberate change, and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOTS = Path(__file__).parent / "views" / "snapshots"


def assert_matches_snapshot(name: str, data: Any) -> None:
    path = SNAPSHOTS / f"{name}.json"
    rendered = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert rendered == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"
