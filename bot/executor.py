"""The pool that runs listeners after their ack, and knows when all of them are done."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from contextlib import nullcontext
from typing import Any


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can wait until every piece of work handed to it has finished.

    Bolt acknowledges a request, then finishes the listener here. Shutting down waits for that work
    instead of cutting it off, and tests and the demo wait for it instead of sleeping.
    """

    def __init__(
        self,
        max_workers: int = 16,
        *,
        scope: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._pending = 0
        self._idle = threading.Condition()
        self._scope = scope
        """Wraps each piece of work: the publishing layer carries out what it committed, once it is done."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        try:
            # The work keeps the submitter's context: the workspace of the request it finishes.
            future = super().submit(contextvars.copy_context().run, self._in_scope, fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _in_scope(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        with self._scope():
            return fn(*args, **kwargs)

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._pending -= 1
            if self._pending == 0:
                self._idle.notify_all()

    @property
    def pending(self) -> int:
        with self._idle:
            return self._pending

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until no work is pending; False if that did not happen within `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)
