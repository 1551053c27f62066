import re

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st

from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.text import readable_message_text
from bot.text import split_user_text
from bot.text import truncate
from tests.fuzz.strategies import user_text

_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNPAIRED_FORMATTING = re.compile("[*_~`](?!\u200b)")


def unescape(escaped: str) -> str:
    """The text a reader sees in Slack, for checking that nothing but escaping changed it."""
    text = re.sub("([*_~`])\u200b", r"\1", escaped)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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


def test_fitted_text_that_fits_is_only_escaped() -> None:
    assert fit_user_text("a & b", 100) == "a &amp; b"
    assert fit_user_text("kort", 4) == "kort"


def test_fitted_text_is_cut_on_its_escaped_length_with_a_mark() -> None:
    assert fit_user_text("abcdef", 4) == "abc…"
    # "a&" escapes to six characters: twelve of them hold one whole pair and the "a" after it.
    assert fit_user_text("a&" * 1000, 12) == "a&amp;a…"
    assert fit_user_text("&" * 1000, 50) == "&amp;" * 9 + "…"


def test_the_cut_drops_the_space_before_the_mark() -> None:
    assert fit_user_text("een twee drie", 5) == "een…"


def test_one_line_folds_line_breaks_and_runs_of_spaces() -> None:
    assert fit_user_text(" een\n\n twee\tdrie ", 100, one_line=True) == "een twee drie"
    assert fit_user_text("een\ntwee", 100) == "een\ntwee"


@given(text=user_text, limit=st.integers(min_value=0, max_value=3_000))
@example(text="a&" * 1000, limit=100)
@example(text="<!channel>", limit=5)
@example(text="*vet*", limit=2)
def test_fitted_text_keeps_within_its_limit_and_stays_harmless(text: str, limit: int) -> None:
    fitted = fit_user_text(text, limit)
    assert len(fitted) <= limit
    assert "&" not in _ENTITY.sub("", fitted), "an entity was cut in half"
    assert "<" not in fitted and ">" not in fitted, "a control sequence survived"
    assert not _UNPAIRED_FORMATTING.search(fitted), "a formatting character can pair up"
    if len(escape_mrkdwn(text)) <= limit:
        assert unescape(fitted) == text
    elif fitted:
        assert fitted.endswith("…")
        kept = unescape(fitted.removesuffix("…"))
        assert text.startswith(kept), "the cut falls between two of the text's own characters"


def test_split_user_text_keeps_every_character_and_each_piece_within_its_limit() -> None:
    text = "Eerst *luisteren* & <dan> uitleggen. " * 200
    pieces = split_user_text(text, 500)

    assert "".join(pieces) == escape_mrkdwn(text)
    assert all(0 < len(piece) <= 500 for piece in pieces)
    assert all(piece.endswith(" ") for piece in pieces[:-1])  # a piece ends where a word does
    assert split_user_text("", 500) == []


def test_a_messages_text_is_kept_as_a_person_reads_it() -> None:
    sent = (
        "Vraag <@U0ELS> &amp; <!here>: zie <https://x.be|de gids>, <https://y.be> of <#C0NET|netwerk> "
        "<!subteam^S1|@team>"
    )
    assert (
        readable_message_text(sent)
        == "Vraag @U0ELS & @here: zie de gids (https://x.be), https://y.be of #netwerk @team"
    )
    assert readable_message_text("a &lt;b&gt; &amp;lt;") == "a <b> &lt;"
    assert escape_mrkdwn(readable_message_text("<!channel>")) == "@channel"
