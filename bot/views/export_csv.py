"""The network's data as one CSV file, for a facilitator's own follow-up sheets.

A view like the others: the home service returns the data (`NetworkCsv`), this builds the file when it
is sent, in the network's language.

Built from `bot.services.export.export_network` so it holds no more than the export does, and less:
- one table, one row per thing, its kind in the first column (`section`): the network, members,
  introductions, learning goals, expectations, agreements, cases, advice, check-ins, written answers and
  meetings; the other columns are shared and each kind fills those that fit it;
- UTF-8 with a byte order mark and semicolons between the fields: Excel (also in Dutch and Belgian
  settings, where the comma is the decimal sign) and LibreOffice open it as a table without asking;
- a confidential case shows its id and title, nothing more (no owner, status, advice or lesson);
- written check-in answers and meeting takeaways carry no author, signed or not: the file leaves the bot;
- a person is named by their Slack user id, and beside it by name where Slack told us one;
- times are local to the network; column headers and words are in the network's language;
- a cell that a spreadsheet would take for a formula (=, +, -, @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Texts
from bot.services.home import NetworkCsv

DELIMITER = ";"
COLUMNS: tuple[str, ...] = (
    "section",
    "id",
    "user",
    "name",
    "role",
    "title",
    "text",
    "status",
    "number",
    "date",
    "introduced",
    "accepted",
)
"""The columns, in order; each header is the catalog text `home.csv.column.<name>`."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TAKING_ANSWERS = ("posted", "open")

Row = dict[str, Any]


def csv_content(data: NetworkCsv, names: Mapping[str, str] | None = None) -> bytes:
    """The facilitator's CSV file of `data`, in the network's language."""
    return network_csv(data.exported, Texts(data.language), names)


def network_csv(exported: dict[str, Any], texts: Texts, names: Mapping[str, str] | None = None) -> bytes:
    """`exported` (the shape of `export_network`) as CSV bytes, headers and words in `texts`' language;
    `names` puts a person's name beside their user id where it is known."""
    names = names or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([texts(f"home.csv.column.{name}") for name in COLUMNS])
    for row in _rows(exported, texts):
        if row.get("user"):
            row["name"] = names.get(row["user"], "")
        writer.writerow([_cell(row.get(name)) for name in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class _Words:
    """How a row says things: in the network's language, times in its zone."""

    texts: Texts
    zone: ZoneInfo

    def section(self, name: str) -> str:
        return self.texts(f"home.csv.section.{name}")

    def when(self, value: str | None) -> str:
        if not value:
            return ""
        return datetime.fromisoformat(value).astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def yes_no(self, value: bool) -> str:
        return self.texts("home.csv.yes") if value else self.texts("home.csv.no")


def _rows(exported: dict[str, Any], texts: Texts) -> Iterator[Row]:
    words = _Words(texts, ZoneInfo(exported["network"].get("timezone") or "UTC"))
    yield from _kickoff_rows(exported, words)
    for case in exported.get("cases", []):
        yield from _case_rows(case, words)
    for poll in exported.get("polls", []):
        yield from _poll_rows(poll, words)
    for meeting in exported.get("sessions", []):
        yield _meeting_row(meeting, words)


def _kickoff_rows(exported: dict[str, Any], words: _Words) -> Iterator[Row]:
    """The network, its members, their introductions, expectations and learning goals, the agreements."""
    texts, network, members = words.texts, exported["network"], exported.get("members", [])
    yield {
        "section": words.section("network"),
        "title": network.get("name"),
        "text": network.get("goal"),
        "number": sum(1 for m in members if m.get("active", True)),
        "date": words.when(network.get("created_at")),
    }
    for member in members:
        yield {
            "section": words.section("member"),
            "user": member["user_id"],
            "role": texts(f"home.role.{member.get('role', 'participant')}"),
            "status": texts("home.csv.active") if member.get("active", True) else texts("home.csv.left"),
            "date": words.when(member.get("joined_at")),
            "introduced": words.yes_no(member.get("introduced", False)),
            "accepted": words.yes_no(member.get("accepted_agreements", False)),
        }
    for intro in exported.get("intros", []):
        yield {
            "section": words.section("intro"),
            "user": intro["user_id"],
            "title": ", ".join(part for part in (intro.get("job_role"), intro.get("organisation")) if part),
            "text": "\n".join(
                texts(f"home.csv.intro.{name}", text=intro[name])
                for name in ("gives", "wants", "practice_question")
                if intro.get(name)
            ),
            "date": words.when(intro.get("updated_at")),
        }
    for expectation in exported.get("expectations", []):
        if expectation.get("kind") == "expectation":
            yield {
                "section": words.section("expectation"),
                "user": expectation.get("user_id"),
                "text": expectation["text"],
            }
        else:
            yield {
                "section": words.section("goal"),
                "title": expectation["text"],
                "number": expectation.get("votes", 0),
            }
    agreements = exported.get("agreements") or {}
    for line in agreements.get("agreements", []):
        yield {
            "section": words.section("agreement"),
            "id": agreements.get("version"),
            "text": line,
            "number": len(agreements.get("accepted_by", [])),
        }


def _meeting_row(meeting: Row, words: _Words) -> Row:
    evaluation = meeting.get("evaluation") or {}
    average = evaluation.get("average_usefulness")
    return {
        "section": words.section("meeting"),
        "id": meeting.get("id"),
        "title": meeting.get("topic"),
        "text": "\n".join(evaluation.get("takeaways", [])),
        "status": words.texts("home.csv.evaluations", count=evaluation.get("responses", 0)),
        "number": f"{average:.1f}" if average is not None else "",
        "date": words.when(meeting.get("starts_at")),
    }


def _case_rows(case: Row, words: _Words) -> Iterator[Row]:
    section, when, texts = words.section, words.when, words.texts
    if case.get("confidential"):
        # What a confidential case says stays in its thread: its title is all that leaves.
        yield {"section": section("case"), "id": case["id"], "title": case["title"]}
        return
    yield {
        "section": section("case"),
        "id": case["id"],
        "user": case.get("owner_id"),
        "title": case["title"],
        "text": case.get("lesson") or "",
        "status": texts(f"home.csv.case_status.{case.get('status', 'open')}"),
        "number": case.get("advice_count", 0),
        "date": when(case.get("created_at")),
    }
    for advice in case.get("advice", []):
        yield {
            "section": section("advice"),
            "id": case["id"],
            "user": advice.get("user_id"),
            # Advice whose giver asked to be forgotten keeps its place, with the note instead of its text.
            "text": texts("privacy.advice_removed") if advice.get("removed") else advice.get("text"),
            "date": when(advice.get("created_at")),
        }


def _poll_rows(poll: Row, words: _Words) -> Iterator[Row]:
    section, when, texts = words.section, words.when, words.texts
    reactions = poll.get("reactions") or {}
    yield {
        "section": section("checkin"),
        "id": poll["id"],
        "title": texts("home.csv.checkin_title"),
        "text": ", ".join(
            texts("home.csv.scale_count", answer=texts(f"checkins.scale.{emoji}"), count=count)
            for emoji, count in reactions.items()
        ),
        "status": texts("home.csv.open")
        if poll.get("status") in _TAKING_ANSWERS
        else texts("home.csv.closed"),
        "number": poll.get("respondents", 0),
        "date": when(poll.get("posted_at")),
    }
    # Only the texts: who wrote an answer does not leave the bot, even when they signed it in Slack.
    for question in ("goes_well", "could_be_better"):
        for text in poll.get(question, []):
            yield {
                "section": section("answer"),
                "id": poll["id"],
                "title": texts(f"home.csv.question.{question}"),
                "text": text,
            }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
