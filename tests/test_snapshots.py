"""Snapshots are written only on request, and never on CI: there they are checked, not rewritten."""

from pathlib import Path

import pytest

from tests.snapshots import assert_matches_snapshot

VIEW = {"type": "modal", "title": {"type": "plain_text", "text": "Intro"}}


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test says for itself whether it runs on CI and whether it asks for an update."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("UPDATE_SNAPSHOTS", raising=False)


def test_asking_for_an_update_writes_the_snapshot_and_it_then_matches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPDATE_SNAPSHOTS", "1")
    assert_matches_snapshot("intro_modal", VIEW, folder=tmp_path)
    monkeypatch.delenv("UPDATE_SNAPSHOTS")

    assert_matches_snapshot("intro_modal", VIEW, folder=tmp_path)
    with pytest.raises(AssertionError, match="differs from its snapshot"):
        assert_matches_snapshot("intro_modal", {**VIEW, "type": "home"}, folder=tmp_path)


def test_without_a_request_a_missing_snapshot_fails_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r"no snapshot intro_modal\.json"):
        assert_matches_snapshot("intro_modal", VIEW, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ci", ["true", "TRUE"])
def test_on_ci_an_update_is_refused_and_the_snapshot_stays_as_it_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str
) -> None:
    kept = tmp_path / "intro_modal.json"
    kept.write_text("the reviewed snapshot\n", encoding="utf-8")
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("UPDATE_SNAPSHOTS", "1")

    with pytest.raises(pytest.fail.Exception, match=r"UPDATE_SNAPSHOTS=1 is refused on CI \(CI=true\)"):
        assert_matches_snapshot("intro_modal", VIEW, folder=tmp_path)

    assert kept.read_text(encoding="utf-8") == "the reviewed snapshot\n"
    assert [path.name for path in tmp_path.iterdir()] == ["intro_modal.json"]
