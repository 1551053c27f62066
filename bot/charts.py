"""The summary's chart: the check-in trend and the meeting evaluations over time, as one PNG.

matplotlib draws with its Agg backend (no display needed). The figure is built without pyplot, so no
global figure list grows and charts may be drawn from several threads at once.
"""

from __future__ import annotations

import io
from datetime import date
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator
from matplotlib.dates import num2date
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from bot.i18n import Texts
from bot.i18n.formats import axis_day
from bot.services.summary import NetworkSummary
from bot.services.thermometer import ASPECTS
from bot.services.thermometer import LOW_BELOW
from bot.services.wrap_up import Harvest

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 6.0
DPI = 100
SCORE_RANGE = (0.8, 5.2)
SPAN_AROUND = timedelta(days=14)


def summary_chart(texts: Texts, summary: NetworkSummary) -> bytes:
    """The PNG bytes of the chart: check-in scores (with how many answered) above, meetings below.

    An axis without data says so instead of staying blank, so the chart of a new network reads well.
    """
    panels = 3 if summary.thermometer else 2
    figure = _figure(panels)
    checkins, meetings, *thermometer = figure.subplots(panels, 1)
    figure.suptitle(texts("summary.chart.title", name=summary.name))

    scored = [(p.run_date, p.score, p.respondents) for p in summary.trend if p.score is not None]
    _score_axis(checkins, texts("summary.chart.checkins"))
    if scored:
        days = [day for day, _, _ in scored]
        checkins.plot(
            days,
            [score for _, score, _ in scored],
            marker="o",
            color="#2a7ab0",
            label=texts("summary.chart.score"),
        )
        answered = checkins.twinx()
        answered.bar(days, [n for _, _, n in scored], width=4, alpha=0.2, color="#555555")
        answered.set_ylabel(texts("summary.chart.respondents"))
        answered.set_ylim(bottom=0)
        # The scores in front of the answer counts.
        checkins.set_zorder(answered.get_zorder() + 1)
        checkins.patch.set_visible(False)
        _dates_axis(checkins, days, texts)
    else:
        _empty(checkins, texts)

    evaluated = [
        (m.starts_at.date(), m.average_usefulness)
        for m in summary.meetings
        if m.average_usefulness is not None
    ]
    _score_axis(meetings, texts("summary.chart.meetings"))
    if evaluated:
        meetings.plot(
            [day for day, _ in evaluated], [score for _, score in evaluated], marker="s", color="#3a9a5b"
        )
        _dates_axis(meetings, [day for day, _ in evaluated], texts)
    else:
        _empty(meetings, texts)

    if thermometer:
        thermometer_panel(thermometer[0], texts, summary)

    return _png(figure)


def _figure(panels: int) -> Figure:
    """A chart's figure: as wide as every chart, half the height for each of its `panels`."""
    # A Figure without pyplot: no global state, nothing to close by hand, fine from any thread.
    return Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES * panels / 2), dpi=DPI, layout="constrained")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class LocalisedDays(Formatter):
    """Tick labels with CLDR's month names in the network's language ("21 sep", "okt"), where matplotlib's
    own formatters use the C library's English ones. The year shows at the first tick and where it turns."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    def __call__(self, value: float, pos: int | None = None) -> str:
        return self.format_ticks([value])[0]

    def format_ticks(self, values: list[float]) -> list[str]:
        days = [num2date(value).date() for value in values]
        month_only = all(day.day == 1 for day in days)
        return [
            axis_day(
                self.texts,
                day,
                month_only=month_only,
                with_year=index == 0 or day.year != days[index - 1].year,
            )
            for index, day in enumerate(days)
        ]


def _dates_axis(axis: Axes, days: list[date], texts: Texts) -> None:
    axis.xaxis.set_major_locator(AutoDateLocator(maxticks=8))
    axis.xaxis.set_major_formatter(LocalisedDays(texts))
    # A lone point gets a month around it, so that it reads as a moment, not as the whole axis.
    axis.set_xlim(min(days) - SPAN_AROUND, max(days) + SPAN_AROUND)


def _score_axis(axis: Axes, title: str) -> None:
    axis.set_title(title, fontsize=10)
    axis.set_ylim(*SCORE_RANGE)
    axis.set_yticks([1, 2, 3, 4, 5])
    axis.grid(axis="y", alpha=0.3)


def _thermometer_axis(axis: Axes, title: str) -> None:
    """Scores out of 10, with the low ones shaded."""
    axis.set_title(title, fontsize=10)
    axis.set_ylim(0.5, 10.5)
    # Below 6 an aspect is low: the suggestions to facilitators start there.
    axis.axhspan(0.5, LOW_BELOW, color="#d9534f", alpha=0.06)


def _empty(axis: Axes, texts: Texts) -> None:
    axis.set_xticks([])
    axis.text(0.5, 0.5, texts("summary.chart.empty"), ha="center", va="center", transform=axis.transAxes)


def thermometer_panel(axis: Axes, texts: Texts, summary: NetworkSummary) -> None:
    """The thermometer's rounds: one line per aspect, its average out of 10 at each round's close."""
    _thermometer_axis(axis, texts("summary.chart.thermometer"))
    axis.set_yticks([1, 4, 6, 8, 10])
    axis.grid(axis="y", alpha=0.3)
    days = [(r.closed_at or summary.generated_at).date() for r in summary.thermometer]
    for aspect in ASPECTS:
        axis.plot(
            days,
            [r.averages[aspect] for r in summary.thermometer],
            marker="o",
            label=texts(f"thermometer.aspect.{aspect}"),
        )
    # Below the panel, where no line can hide behind it.
    axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=3, frameon=False)
    _dates_axis(axis, days, texts)


def harvest_chart(texts: Texts, harvest: Harvest) -> bytes:
    """The PNG bytes of the harvest: how far the group got per learning goal, and the thermometer's
    course over the network's life when it has one."""
    panels = 2 if harvest.thermometer else 1
    figure = _figure(panels)
    goals, *thermometer = figure.subplots(panels, 1, squeeze=False)[:, 0]
    figure.suptitle(texts("wrap_up.chart.title", name=harvest.post.network_name))
    goals.set_title(texts("wrap_up.chart.goals"), fontsize=10)
    answered = [goal for goal in harvest.goals if goal.average is not None]
    if answered:
        labels = [_short(goal.text) for goal in answered]
        goals.barh(labels, [goal.average or 0.0 for goal in answered], color="#3a9a5b")
        goals.invert_yaxis()
        goals.set_xlim(0, 5.2)
        goals.set_xticks([1, 2, 3, 4, 5])
        goals.grid(axis="x", alpha=0.3)
    else:
        _empty(goals, texts)
    if thermometer:
        axis = thermometer[0]
        _thermometer_axis(axis, texts("wrap_up.chart.thermometer"))
        days = [point.closed_at.date() for point in harvest.thermometer]
        axis.plot(days, [point.average for point in harvest.thermometer], marker="o", color="#2a7ab0")
        _dates_axis(axis, days, texts)
    return _png(figure)


def _short(text: str, limit: int = 40) -> str:
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"
