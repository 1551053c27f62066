"""Where each network's charter is written."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import NetworkCharter
from storage.rows import add_row


def get(*, session: Session, network_id: int) -> NetworkCharter | None:
    return session.get(NetworkCharter, network_id)


def save(*, session: Session, charter: NetworkCharter) -> None:
    add_row(session, charter)
