import pytest

from bot.commands import SUBCOMMANDS
from bot.commands import parse_command_text


def test_every_subcommand_of_the_contract_has_a_dutch_name_and_an_english_alias() -> None:
    pairs = {(sub.name, sub.alias) for sub in SUBCOMMANDS}
    assert pairs == {
        ("start", "start"),
        ("intro", "intro"),
        ("verwachtingen", "expectations"),
        ("afspraken", "agreements"),
        ("leden", "members"),
        ("rol", "role"),
        ("peiling", "poll"),
        ("sessie", "session"),
        ("samenvatting", "summary"),
        ("mijn-gegevens", "my-data"),
        ("vergeet-mij", "forget-me"),
        ("archiveer", "archive"),
        ("help", "help"),
        ("werkvormen", "workforms"),
        ("privacy", "privacy"),
        ("lessen", "lessons"),
        ("traject", "journey"),
        ("agenda", "agenda"),
        ("thermometer", "health"),
        ("kennismaking", "pairs"),
        ("pauze", "pause"),
        ("afsluiten", "wrap-up"),
    }


@pytest.mark.parametrize(
    ("text", "name"),
    [("start", "start"), ("  START  ", "start"), ("expectations map", "verwachtingen"), ("", "help")],
)
def test_dutch_names_and_english_aliases_resolve_alike(text: str, name: str) -> None:
    assert parse_command_text(text).subcommand.name == name


def test_arguments_follow_the_subcommand() -> None:
    parsed = parse_command_text("verwachtingen kaart")
    assert parsed.arguments == ("kaart",)


def test_an_unknown_word_is_kept_for_the_answer() -> None:
    parsed = parse_command_text("fietsen morgen")
    assert parsed.subcommand is None and parsed.word == "fietsen"


def test_a_subcommand_is_offered_exactly_when_something_answers_it() -> None:
    from handlers import all_subhandlers

    assert {sub.name for sub in SUBCOMMANDS if sub.available} == set(all_subhandlers())


def test_every_block_and_action_id_is_unique() -> None:
    import importlib
    import pkgutil

    import bot.views

    seen: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(bot.views.__path__):
        if not module_info.name.startswith("ids_"):
            continue
        module = importlib.import_module(f"bot.views.{module_info.name}")
        for owner in [module, *[v for v in vars(module).values() if isinstance(v, type)]]:
            for name, value in vars(owner).items():
                if name.isupper() and isinstance(value, str) and name != "VALUE_ACTION":
                    where = f"{module_info.name}.{name}"
                    assert value not in seen, f"{where} repeats {seen.get(value)}: {value!r}"
                    seen[value] = where
    assert seen
