"""What every family of Web API methods shares: the workspace it works on, and which of its methods serve
which Web API method (each says so where it is defined, as the publishing carriers do with `carries`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.sandbox._args import WebApiMethod
from bot.sandbox.emulator.workspace import Workspace

Implementation = TypeVar("Implementation", bound=Callable[..., object])

_SERVES = "_serves_web_api_method"


def serves(web_api_method: str) -> Callable[[Implementation], Implementation]:
    """Mark a family's method as the one that answers `web_api_method` (``"chat.postMessage"``)."""

    def mark(implementation: Implementation) -> Implementation:
        setattr(implementation, _SERVES, web_api_method)
        return implementation

    return mark


class MethodFamily:
    """Web API methods over one workspace; the dispatcher serves every method marked with `serves`."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def methods(self) -> dict[str, WebApiMethod]:
        """Each Web API method this family serves, by its name."""
        served: dict[str, WebApiMethod] = {}
        for attribute in dir(type(self)):
            web_api_method = getattr(getattr(type(self), attribute), _SERVES, None)
            if web_api_method is not None:
                served[web_api_method] = getattr(self, attribute)
        return served
