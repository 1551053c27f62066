"""Waiting for what another thread or process does, without sleeping longer than it takes."""

from __future__ import annotations

import threading
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Whether `condition` comes to hold within `timeout` seconds; asked every 50 ms, and once at the end."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        pause.wait(0.05)
    return condition()
