"""What the block ids of a modal's form have in common: each names one field of what its service takes."""

from __future__ import annotations

from typing import Any
from typing import ClassVar


class FormBlocks:
    """The blocks of a modal's form, one per field of what its service takes, each named as the field.

    `BY_FIELD` maps the field's name (the attribute's, in lower case) to its block id: handlers read a
    submission through it, and the error boundary shows a field's problem under its block. A subclass
    declares only its block ids (an option's value, say, stands outside it); a form whose fields the
    service names otherwise spells its `BY_FIELD` out instead.
    """

    BY_FIELD: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.BY_FIELD = {
            name.lower(): value
            for name, value in vars(cls).items()
            if name.isupper() and isinstance(value, str)
        }
