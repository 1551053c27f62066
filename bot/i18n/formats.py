"""Days, times, weekday and month names and numbers as the network's language writes them, from Babel's
CLDR data; and moments as Slack's date token, which each reader sees in their own time zone and language.

One module, so that every view writes "maandag 21 september om 10:00" and "7,5" the same way. A language
maps onto the CLDR locale of the region the bot serves (Flanders first); a language not listed uses its
own CLDR data.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as cldr_date
from babel.dates import format_skeleton
from babel.dates import format_time
from babel.dates import get_day_names
from babel.numbers import format_decimal

from bot.i18n import Texts

REGIONS = {"nl": "nl_BE", "en": "en_GB", "fr": "fr_BE"}
# Slack's tokens: the day as a long sentence (today/tomorrow when it is), and the clock time.
SLACK_DAY = "{date_long_pretty}"
SLACK_TIME = "{time}"
_YEAR = re.compile(r"[\s,.]*\by+\b[.]?")
_QUOTED = re.compile(r"'([^']*)'")


@cache
def locale_of(language: str) -> Locale:
    return Locale.parse(REGIONS.get(language, language))


@cache
def _day_pattern(language: str) -> str:
    """The locale's full date without the year: "EEEE d MMMM" (nl), "EEEE, d MMMM" (en_GB)."""
    return _YEAR.sub("", locale_of(language).date_formats["full"].pattern).strip(" ,")


@cache
def _at_pattern(language: str) -> str:
    """How the locale joins a day and a time: "{1} 'om' {0}" in Dutch, "{1} 'at' {0}" in English."""
    locale = locale_of(language)
    pattern = locale.datetime_formats_relative.get("long") or locale.datetime_formats["long"]
    return _QUOTED.sub(lambda quoted: quoted.group(1) or "'", pattern)


def format_date(texts: Texts, day: date) -> str:
    """`day` as a sentence names it, without the year: "maandag 21 september"."""
    return cldr_date(day, _day_pattern(texts.language), locale=locale_of(texts.language))


def clock_time(texts: Texts, moment: datetime, timezone: str) -> str:
    """`moment`'s clock time in the network's time zone: "10:00"."""
    return format_time(moment.astimezone(ZoneInfo(timezone)), "short", locale=locale_of(texts.language))


def format_moment(texts: Texts, moment: datetime, timezone: str) -> str:
    """`moment` in the network's time zone, as plain text: "maandag 21 september om 10:00"."""
    local = moment.astimezone(ZoneInfo(timezone))
    # CLDR numbers the parts of the pattern {0} for the time and {1} for the day.
    return _at_pattern(texts.language).format(
        clock_time(texts, local, timezone), format_date(texts, local.date())
    )


def weekday_name(texts: Texts, weekday: int) -> str:
    """The name of a weekday, Monday being 0: "maandag"."""
    return get_day_names("wide", context="format", locale=locale_of(texts.language))[weekday]


def hour_minute(texts: Texts, hour: int, minute: int) -> str:
    """A clock time without a day (a schedule's hour): "10:00"."""
    return format_time(datetime(2000, 1, 1, hour, minute), "short", locale=locale_of(texts.language))


def format_number(texts: Texts, value: float, decimals: int = 1, *, trailing_zeros: bool = True) -> str:
    """A number with `decimals` decimals in the language's notation: 7,5 in Dutch; without trailing
    zeros, 2 stays "2" and 2.5 becomes "2,5"."""
    pattern = "#,##0" + ("." + ("0" if trailing_zeros else "#") * decimals if decimals else "")
    return format_decimal(value, pattern, locale=locale_of(texts.language))


def axis_day(texts: Texts, day: date, *, month_only: bool, with_year: bool) -> str:
    """A chart's tick label: "21 sep", "sep" or "sep 2026", with CLDR's month names."""
    skeleton = ("MMM" if month_only else "dMMM") + ("y" if with_year else "")
    return format_skeleton(skeleton, day, locale=locale_of(texts.language))


# ---------------------------------------------------------------------- moments in Slack's date token


def slack_moment(texts: Texts, moment: datetime, timezone: str) -> str:
    """`moment` as each reader's Slack shows it ("tomorrow at 10:00" in their zone and language), with
    the network's plain text as fallback. Only for mrkdwn: plain_text shows the token as typed."""
    tokens = _at_pattern(texts.language).format(SLACK_TIME, SLACK_DAY)
    return slack_date(moment, tokens, format_moment(texts, moment, timezone))


def slack_day(texts: Texts, moment: datetime, timezone: str) -> str:
    """The day of `moment` as each reader's Slack shows it; the network's day as fallback."""
    local_day = moment.astimezone(ZoneInfo(timezone)).date()
    return slack_date(moment, SLACK_DAY, format_date(texts, local_day))


def slack_time(texts: Texts, moment: datetime, timezone: str) -> str:
    """The clock time of `moment` in each reader's zone; the network's as fallback."""
    return slack_date(moment, SLACK_TIME, clock_time(texts, moment, timezone))


def slack_date(moment: datetime, tokens: str, fallback: str) -> str:
    """Slack's date formatting: `<!date^unix time^tokens|fallback>`."""
    return f"<!date^{int(moment.timestamp())}^{tokens}|{fallback}>"
