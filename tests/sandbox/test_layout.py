"""The sandbox is the local Slack alone: it knows nothing of the bot it plays against."""

from pathlib import Path

import pytest

from tests.imports import ROOT
from tests.imports import imported_modules

SANDBOX = sorted((ROOT / "bot" / "sandbox").glob("*.py"))


@pytest.mark.parametrize("path", SANDBOX, ids=lambda path: path.name)
def test_the_sandbox_imports_nothing_of_the_bot_outside_itself(path: Path) -> None:
    outside = {
        name
        for name in imported_modules(path)
        if name.split(".")[0] in {"bot", "handlers", "storage"} and not name.startswith("bot.sandbox")
    }
    assert outside == set(), f"{path.name} imports {sorted(outside)}: the sandbox must stay Slack alone"
