import json
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from matplotlib.dates import date2num

from bot.charts import LocalisedDays
from bot.i18n import Texts
from bot.i18n.formats import clock_time
from bot.i18n.formats import format_date
from bot.i18n.formats import format_moment
from bot.i18n.formats import format_number
from bot.i18n.formats import hour_minute
from bot.i18n.formats import slack_day
from bot.i18n.formats import slack_moment
from bot.i18n.formats import slack_time
from bot.i18n.formats import weekday_name

SNAPSHOTS = Path(__file__).resolve().parent / "views" / "snapshots"
# 08:00 UTC is 10:00 in Brussels (summer time) and 09:00 in London.
MOMENT = datetime(2026, 9, 21, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("nl", "maandag 21 september", "maandag 21 september om 10:00"),
        ("en", "Monday, 21 September", "Monday, 21 September at 10:00"),
    ],
)
def test_days_and_moments_read_as_the_language_writes_them(language: str, day: str, moment: str) -> None:
    texts = Texts(language)
    assert format_date(texts, MOMENT.date()) == day
    assert format_moment(texts, MOMENT, "Europe/Brussels") == moment


def test_a_moment_is_told_in_the_networks_time_zone() -> None:
    assert clock_time(Texts("nl"), MOMENT, "Europe/London") == "09:00"
    assert format_moment(Texts("nl"), datetime(2026, 9, 20, 23, 30, tzinfo=UTC), "Europe/Brussels") == (
        "maandag 21 september om 01:30"
    )


def test_weekdays_hours_and_numbers_come_from_cldr() -> None:
    assert [weekday_name(Texts("nl"), day) for day in (0, 6)] == ["maandag", "zondag"]
    assert weekday_name(Texts("en"), 2) == "Wednesday"
    assert hour_minute(Texts("nl"), 9, 5) == "09:05"
    assert format_number(Texts("nl"), 7.46) == "7,5"
    assert format_number(Texts("en"), 7.46) == "7.5"
    assert format_number(Texts("nl"), 4.0) == "4,0"
    assert format_number(Texts("nl"), 2.0, trailing_zeros=False) == "2"
    assert format_number(Texts("nl"), 2.5, trailing_zeros=False) == "2,5"


def test_a_moment_in_slacks_token_each_reader_sees_in_their_own_zone() -> None:
    unix = int(MOMENT.timestamp())
    assert slack_moment(Texts("nl"), MOMENT, "Europe/Brussels") == (
        f"<!date^{unix}^{{date_long_pretty}} om {{time}}|maandag 21 september om 10:00>"
    )
    assert slack_moment(Texts("en"), MOMENT, "Europe/London") == (
        f"<!date^{unix}^{{date_long_pretty}} at {{time}}|Monday, 21 September at 09:00>"
    )
    assert slack_day(Texts("nl"), MOMENT, "Europe/Brussels") == (
        f"<!date^{unix}^{{date_long_pretty}}|maandag 21 september>"
    )
    assert slack_time(Texts("nl"), MOMENT, "Europe/Brussels") == f"<!date^{unix}^{{time}}|10:00>"


def test_the_charts_months_are_in_the_networks_language() -> None:
    monthly = [date2num(date(2026, month, 1)) for month in (11, 12)] + [date2num(date(2027, 1, 1))]
    assert LocalisedDays(Texts("nl")).format_ticks(monthly) == ["nov 2026", "dec", "jan 2027"]
    weekly = [date2num(date(2026, 10, day)) for day in (5, 12)]
    assert LocalisedDays(Texts("nl")).format_ticks(weekly) == ["5 okt 2026", "12 okt"]
    assert LocalisedDays(Texts("en")).format_ticks(weekly[:1]) == ["5 Oct 2026"]


def _plain_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [str(node.get("text", ""))] if node.get("type") == "plain_text" else []
        return own + [text for value in node.values() for text in _plain_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _plain_texts(value)]
    return []


def test_no_date_token_lands_where_slack_shows_it_as_typed() -> None:
    """Slack renders its date token only in mrkdwn: in plain_text a reader would see `<!date^…>`."""
    snapshots = sorted(SNAPSHOTS.glob("*.json"))
    assert any("<!date^" in path.read_text() for path in snapshots)
    raw = [
        path.name
        for path in snapshots
        for text in _plain_texts(json.loads(path.read_text()))
        if "<!date^" in text
    ]
    assert raw == []


def test_the_sandbox_shows_a_date_token_as_its_fallback() -> None:
    from bot.sandbox.render import mrkdwn_to_text

    token = slack_moment(Texts("nl"), MOMENT, "Europe/Brussels")
    assert mrkdwn_to_text(f"Open tot {token}.") == "Open tot maandag 21 september om 10:00."
