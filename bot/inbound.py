"""Requests acknowledged as soon as they are recorded, and worked afterwards by whichever process can.

The web layer verifies a request's signature and shape, records it (one INSERT, committed together with
the other requests arriving in the same moment) and answers Slack at once. The work runs afterwards on a
worker thread, through the same listeners, on a second Bolt app that runs each listener to its end; a
request is deleted in the transaction of the first write its work makes (storage.queries_inbound). A
process that dies between the acknowledgement and the work leaves the request in the database, and a
live process takes it over once the dead one has stopped beating.

What Slack must read in the acknowledgement itself (a modal's validation errors, a select's options,
the URL check) is not recorded: Bolt answers it directly, as before.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import App
from slack_bolt import BoltRequest
from sqlalchemy import Engine

from bot.clock import Clock
from storage import queries_inbound as q
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.queries_inbound import NewRequest
from storage.queries_inbound import RequestTakenOver
from storage.wakeups import Wakeups
from storage.wakeups import announce

if TYPE_CHECKING:
    from bot.publishing import Publisher

log = logging.getLogger(__name__)

_RECORDED_TYPES = frozenset({"block_actions", "message_action", "shortcut", "view_closed", "event_callback"})
MAX_ATTEMPTS = 3
"""A request whose work killed this many processes is given up (and logged whole) instead of a fourth."""
RECORD_BATCH = 200


def recorded_kind(payload: Mapping[str, Any]) -> str | None:
    """What the request is, if it is one to record and acknowledge at once; None if Bolt answers it."""
    kind = payload.get("type")
    if kind is None and "command" in payload and "ssl_check" not in payload:
        return "command"
    return str(kind) if kind in _RECORDED_TYPES else None


def new_request(
    payload: Mapping[str, Any],
    *,
    kind: str,
    body: str,
    content_type: str,
    retry_num: str | None,
    clock: Clock,
) -> NewRequest:
    team = payload.get("team")
    team_id = payload.get("team_id") or (team.get("id") if isinstance(team, dict) else None)
    event_id = payload.get("event_id") if kind == "event_callback" else None
    return NewRequest(
        kind=kind,
        key=f"event:{event_id}" if isinstance(event_id, str) and event_id else None,
        team_id=str(team_id)[:32] if team_id else None,
        content_type=content_type,
        body=body,
        retry_num=retry_num,
        received_at=clock.now(),
    )


@dataclass(frozen=True, slots=True)
class Recorded:
    request_id: int
    request: NewRequest


class InboundRecorder:
    """Records requests in batches: the requests arriving together share one transaction and one commit.

    The web threads wait for their own row to be committed; the batching thread is the only writer, so
    the requests never queue for the database's write lock among themselves (SQLite) and a burst costs
    one commit (PostgreSQL) instead of one each.
    """

    def __init__(self, *, engine: Engine, owner: str | None) -> None:
        self._engine = engine
        self._owner = owner
        self._waiting: queue.SimpleQueue[tuple[NewRequest, Future[int | None]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._write_batches, name="inbound-recorder", daemon=True)
        self._thread.start()

    @property
    def owner(self) -> str | None:
        """The process that works what this records; None in a web-only process (the workers take it)."""
        return self._owner

    def record(self, request: NewRequest, *, timeout: float = 2.0) -> int | None:
        """The request's id once committed; None for a re-delivery of one recorded before.

        Raises what the database raised, or TimeoutError, when the request could not be recorded in time:
        then it is not recorded at all (the caller answers it in the request; nobody may work it again).
        """
        done: Future[int | None] = Future()
        self._waiting.put((request, done))
        try:
            return done.result(timeout=timeout)
        except TimeoutError:
            if done.cancel():
                raise
        # Its row was written and is being committed as the wait ran out: that commit, a moment away, decides.
        return done.result()

    def close(self) -> None:
        """Record what is already waiting, then stop."""
        self._waiting.put(None)
        self._thread.join(timeout=5)

    def _write_batches(self) -> None:
        closing = False
        while not closing:
            first = self._waiting.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < RECORD_BATCH:
                try:
                    waiting = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if waiting is None:
                    closing = True
                    break
                batch.append(waiting)
            self._write(batch)

    def _write(self, batch: list[tuple[NewRequest, Future[int | None]]]) -> None:
        try:
            with self._engine.begin() as connection:
                ids = [
                    q.record(connection=connection, request=request, owner=self._owner)
                    for request, _ in batch
                ]
                # The database may have kept the inserts waiting: a request whose wait ran out meanwhile
                # is answered in its request already, and leaves this transaction again.
                for (_, done), request_id in zip(batch, ids, strict=True):
                    if not done.set_running_or_notify_cancel() and request_id is not None:
                        q.withdraw(connection=connection, request_id=request_id)
                kept = [
                    request_id for (_, done), request_id in zip(batch, ids, strict=True) if done.running()
                ]
                if self._owner is None and any(kept):
                    announce(connection)
        except Exception as error:
            for _, done in batch:
                if done.running() or done.set_running_or_notify_cancel():
                    done.set_exception(error)
            return
        for (_, done), request_id in zip(batch, ids, strict=True):
            if done.running():
                done.set_result(request_id)


class RequestWorkers:
    """Threads that work recorded requests through the replaying Bolt app, and take over the orphaned.

    `hand` gives them a request this process recorded; `sweep` claims what a web-only process left, or
    what a process that stopped beating had not finished.
    """

    def __init__(
        self,
        *,
        app: App,
        sessions: SessionFactory,
        clock: Clock,
        publisher: Publisher,
        process_id: str,
        lease: timedelta,
        threads: int = 8,
        sweep_every: timedelta = timedelta(seconds=1),
        wakeups: Wakeups | None = None,
    ) -> None:
        self._app = app
        self._sessions = sessions
        self._clock = clock
        self._publisher = publisher
        self._process_id = process_id
        self._lease = lease
        self._threads = threads
        self._sweep_every = sweep_every
        self._wakeups = wakeups
        self._queue: queue.SimpleQueue[Recorded | None] = queue.SimpleQueue()
        self._busy = 0
        self._idle = threading.Condition()
        self._stopping = threading.Event()
        self._running: list[threading.Thread] = []

    @property
    def process_id(self) -> str:
        return self._process_id

    def start(self) -> None:
        for number in range(self._threads):
            thread = threading.Thread(target=self._work_forever, name=f"request-worker-{number}", daemon=True)
            thread.start()
            self._running.append(thread)
        sweeper = threading.Thread(target=self._sweep_forever, name="request-sweeper", daemon=True)
        sweeper.start()
        self._running.append(sweeper)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the requests under way and stop; those still queued stay recorded for the next process."""
        self._stopping.set()
        for _ in range(self._threads):
            self._queue.put(None)
        for thread in self._running:
            thread.join(timeout=timeout)
        self._running.clear()
        if self._wakeups is not None:
            self._wakeups.close()

    def hand(self, recorded: Recorded) -> None:
        with self._idle:
            self._busy += 1
        self._queue.put(recorded)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until every handed request has been worked; False if that did not happen within `timeout`."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout=timeout)

    @property
    def pending(self) -> int:
        with self._idle:
            return self._busy

    def sweep(self, limit: int = 50) -> int:
        """Claim and hand what nobody live works on; how many."""
        now = self._clock.now()
        live_since = now - self._lease
        with unit_of_work(self._sessions) as session:
            candidates = q.claimable_ids(
                session=session, owner=self._process_id, live_since=live_since, limit=limit
            )
        taken = 0
        for request_id in candidates:
            with unit_of_work(self._sessions) as session:
                claimed = q.claim(
                    session=session, request_id=request_id, owner=self._process_id, live_since=live_since
                )
                if claimed is not None and claimed.attempts > MAX_ATTEMPTS:
                    log.error(
                        "gave up on a %s request after %d attempts: %s",
                        claimed.kind,
                        claimed.attempts - 1,
                        claimed.body[:2000],
                    )
                    q.finish(session=session, request_id=request_id, owner=self._process_id)
                    claimed = None
            if claimed is None:
                continue
            taken += 1
            self.hand(
                Recorded(
                    request_id=request_id,
                    request=NewRequest(
                        kind=claimed.kind,
                        key=claimed.key,
                        team_id=claimed.team_id,
                        content_type=claimed.content_type,
                        body=claimed.body,
                        retry_num=claimed.retry_num,
                        received_at=claimed.received_at,
                    ),
                )
            )
        return taken

    def _sweep_forever(self) -> None:
        while not self._rested():
            try:
                while self.sweep() and not self._stopping.is_set():
                    pass
            except Exception as error:
                log.warning("could not look for requests left to work: %s", error)

    def _rested(self) -> bool:
        """Wait until the next look for requests (another process's announcement, or the interval);
        True once stopping."""
        if self._wakeups is None:
            return self._stopping.wait(self._sweep_every.total_seconds())
        self._wakeups.wait(self._sweep_every.total_seconds())
        return self._stopping.is_set()

    def _work_forever(self) -> None:
        while True:
            recorded = self._queue.get()
            if recorded is None:
                return
            try:
                self.work(recorded)
            except Exception:
                log.exception("request %s could not be worked; it stays recorded", recorded.request_id)
            finally:
                with self._idle:
                    self._busy -= 1
                    if self._busy == 0:
                        self._idle.notify_all()

    def work(self, recorded: Recorded) -> None:
        """Run the request's listener to its end, then carry out what it committed."""
        request = recorded.request
        headers = {"content-type": [request.content_type]}
        if request.retry_num:
            headers["x-slack-retry-num"] = [request.retry_num]
        with self._publisher.after():
            with q.working_on(recorded.request_id, self._process_id) as working:
                try:
                    response = self._app.dispatch(
                        BoltRequest(body=request.body, headers=headers, mode="http")
                    )
                except RequestTakenOver:
                    log.info("request %s was taken over by another process", recorded.request_id)
                    return
            if response.status >= 400:
                log.warning(
                    "a recorded %s request was answered %d: %s", request.kind, response.status, response.body
                )
            if not working.settled:
                # It wrote nothing (it only read, or answered): done now that its answer has gone out.
                with unit_of_work(self._sessions) as session:
                    q.finish(session=session, request_id=recorded.request_id, owner=self._process_id)


class Inbound:
    """What the web layer needs to acknowledge a request at once: the recorder, and this process's
    workers when it works what it records."""

    def __init__(self, *, recorder: InboundRecorder, clock: Clock, workers: RequestWorkers | None) -> None:
        self._recorder = recorder
        self._clock = clock
        self._workers = workers

    def close(self) -> None:
        self._recorder.close()

    def acknowledge(
        self, payload: Mapping[str, Any], *, kind: str, body: str, content_type: str, retry_num: str | None
    ) -> bool:
        """Record the request and hand it to the workers; False if it could not be recorded (then Bolt
        answers it the old way, in the request, and can tell the user what is wrong)."""
        request = new_request(
            payload, kind=kind, body=body, content_type=content_type, retry_num=retry_num, clock=self._clock
        )
        try:
            request_id = self._recorder.record(request)
        except Exception as error:
            log.warning("could not record a %s request, answering it directly: %s", kind, error)
            return False
        if request_id is not None and self._workers is not None:
            self._workers.hand(Recorded(request_id=request_id, request=request))
        return True
