import pytest

from bot.text import escape_mrkdwn, truncate


@pytest.mark.parametrize(
    "typed",
    [
        "<!channel> kijk",
        "<!here>",
        "<!everyone>",
        "<@U123>",
        "<#C123|algemeen>",
        "<https://x.be|klik>",
        "<!subteam^S1>",
    ],
)
def test_control_sequences_lose_their_power(typed: str) -> None:
    escaped = escape_mrkdwn(typed)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.startswith("&lt;")


def test_ampersands_are_escaped_once() -> None:
    assert escape_mrkdwn("R&D <3") == "R&amp;D &lt;3"


def test_formatting_characters_stay_visible_but_cannot_pair() -> None:
    escaped = escape_mrkdwn("*vet* en _schuin_")
    assert escaped.replace("\u200b", "") == "*vet* en _schuin_"
    assert "*vet*" not in escaped


def test_truncate_marks_the_cut() -> None:
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"
