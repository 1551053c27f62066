"""Work started at the same moment on several threads, for the tests of what racing requests do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_together(*work: Callable[[], T], timeout: float = 60.0) -> list[T | Exception]:
    """Run the callables at the same moment, each on a thread of its own; their results (or the
    exceptions they raised), in the order of `work`."""
    barrier = threading.Barrier(len(work))
    results: list[T | Exception | None] = [None] * len(work)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results  # type: ignore[return-value]
