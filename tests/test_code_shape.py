"""How the code that carries a request reads: short functions, and no listener of its own error handling.

Domain errors become the user's text in one boundary (`handlers.errors`); a listener that caught one itself
would answer in its own way, and a function past a screenful hides what a request does.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from bot import errors
from tests.imports import ROOT

LONGEST_FUNCTION = 60
SOURCES = sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")])
HANDLERS = sorted((ROOT / "handlers").rglob("*.py"))
DOMAIN_ERRORS = {
    name
    for name, kind in vars(errors).items()
    if inspect.isclass(kind) and issubclass(kind, errors.DomainError)
}


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    caught = handler.type
    nodes = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
    return {node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "") for node in nodes}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_function_is_longer_than_a_screen(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    too_long = {
        f"{function.name} ({function.end_lineno - function.lineno + 1} lines)"
        for function in _functions(tree)
        if (function.end_lineno or function.lineno) - function.lineno + 1 > LONGEST_FUNCTION
    }
    assert too_long == set()


@pytest.mark.parametrize("path", HANDLERS, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_listener_catches_a_domain_error_itself(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    catching = {
        f"line {handler.lineno}"
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler) and _caught_names(handler) & DOMAIN_ERRORS
    }
    assert catching == set()


def test_the_checks_see_what_they_look_for() -> None:
    sample = ast.parse(
        "def f():\n    try:\n        pass\n    except (errors.InvalidInput, KeyError):\n        pass\n"
    )
    handler = next(node for node in ast.walk(sample) if isinstance(node, ast.ExceptHandler))
    assert _caught_names(handler) & DOMAIN_ERRORS == {"InvalidInput"}
    assert [function.name for function in _functions(sample)] == ["f"]
