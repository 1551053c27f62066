"""`/netwerk werkvormen`: the catalogue of work forms; `werkvormen NAAM` shows one."""

from __future__ import annotations

from bot.services.workforms import find_work_form
from bot.views.workforms import workform_card
from bot.views.workforms import workforms_catalogue
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler


def _workforms(invocation: Invocation, deps: HandlerDeps) -> None:
    """Any member reads the catalogue, or one form by its name in any catalog language."""
    invocation.require_network().require_member(invocation.request.user_id)
    name = " ".join(invocation.arguments)
    if not name:
        invocation.reply(workforms_catalogue(invocation.texts))
        return
    form = find_work_form(name)
    if form is None:
        invocation.reply(workforms_catalogue(invocation.texts, unknown_word=name))
        return
    invocation.reply(workform_card(invocation.texts, form))


SUBHANDLERS: dict[str, Subhandler] = {"werkvormen": _workforms}
