"""The `/netwerk` subcommands: each has a Dutch name and an English alias (see CONTRACT.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str
    """The Dutch name; also the key of its texts in the catalogs."""
    alias: str
    """The English alias."""
    available: bool = False


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("start", "start", available=True),
    Subcommand("intro", "intro", available=True),
    Subcommand("verwachtingen", "expectations", available=True),
    Subcommand("afspraken", "agreements", available=True),
    Subcommand("leden", "members", available=True),
    Subcommand("rol", "role", available=True),
    Subcommand("peiling", "poll", available=True),
    Subcommand("sessie", "session", available=True),
    Subcommand("samenvatting", "summary", available=True),
    Subcommand("mijn-gegevens", "my-data", available=True),
    Subcommand("vergeet-mij", "forget-me", available=True),
    Subcommand("archiveer", "archive", available=True),
    Subcommand("help", "help", available=True),
    Subcommand("werkvormen", "workforms", available=True),
    Subcommand("privacy", "privacy", available=True),
    Subcommand("lessen", "lessons", available=True),
    Subcommand("traject", "journey", available=True),
    Subcommand("agenda", "agenda", available=True),
    Subcommand("thermometer", "health", available=True),
    Subcommand("kennismaking", "pairs", available=True),
    Subcommand("pauze", "pause", available=True),
    Subcommand("afsluiten", "wrap-up", available=True),
)
_BY_WORD = {word: sub for sub in SUBCOMMANDS for word in (sub.name, sub.alias)}
HELP = _BY_WORD["help"]

# The words after a subcommand that pick what it does mean the same wherever they are taken.
CLOSE_WORDS = frozenset({"sluiten", "sluit", "close"})
"""Close what is open now: `/netwerk peiling sluiten`, `/netwerk thermometer sluiten`."""
SCHEDULE_WORDS = frozenset({"planning", "schedule"})
"""Show (and let a facilitator change) when it runs by itself: `/netwerk peiling planning`, `/netwerk
samenvatting planning`."""
LIST_WORDS = frozenset({"lijst", "list"})
"""List them: `/netwerk pauze lijst`, `/case lijst`."""


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    subcommand: Subcommand | None
    """None when the word is not a subcommand we know."""
    word: str
    """The subcommand as the user typed it."""
    arguments: tuple[str, ...]


def parse_command_text(text: str) -> ParsedCommand:
    """Split `/netwerk` text into its subcommand and arguments; no text at all asks for help."""
    words = text.split()
    if not words:
        return ParsedCommand(subcommand=HELP, word="", arguments=())
    word = words[0]
    return ParsedCommand(subcommand=_BY_WORD.get(word.lower()), word=word, arguments=tuple(words[1:]))


def available_subcommands() -> list[Subcommand]:
    return [sub for sub in SUBCOMMANDS if sub.available]
