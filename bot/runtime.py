"""The running bot, assembled from its settings: database, services, Web API client, app, scheduler."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from enum import StrEnum
from functools import partial

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot import jobs
from bot.app import Installing
from bot.app import create_app
from bot.clock import Clock
from bot.clock import SystemClock
from bot.executor import TrackingExecutor
from bot.inbound import Inbound
from bot.inbound import InboundRecorder
from bot.inbound import RequestWorkers
from bot.installations import DatabaseInstallationStore
from bot.installations import DatabaseOAuthStateStore
from bot.installations import TokenCipher
from bot.publishing import Publisher
from bot.scheduler import Scheduling
from bot.scheduler import create_scheduler
from bot.scheduler import leadership_for
from bot.services import Services
from bot.services import build_services
from bot.services.processes import LEASE
from bot.services.processes import ProcessRegistry
from bot.services.respondents import Respondents
from bot.services.respondents import derive_answer_key
from bot.settings import Settings
from bot.slack_api import WorkspaceClients
from bot.slack_api import make_web_client
from bot.web import Health
from bot.web import HttpServer
from bot.web import make_wsgi_app
from storage import queries_installations
from storage.db import create_db_engine
from storage.db import migrate
from storage.db import ping
from storage.db import session_factory
from storage.db import unit_of_work
from storage.wakeups import Wakeups

log = logging.getLogger(__name__)


class Serving(StrEnum):
    """What a process does with Slack's requests: `both` (the default) acknowledges and works them; `web`
    only records and acknowledges them; `worker` only works what web processes recorded (and the timed
    jobs), serving no HTTP."""

    BOTH = "both"
    WEB = "web"
    WORKER = "worker"

    @property
    def works(self) -> bool:
        return self is not Serving.WEB


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    services: Services
    client: WebClient
    executor: TrackingExecutor
    app: App
    scheduler: BackgroundScheduler
    scheduling: Scheduling
    processes: ProcessRegistry
    publisher: Publisher
    clients: WorkspaceClients
    """Each workspace's client (with one bot token, `client` for all)."""
    serving: Serving = Serving.BOTH
    workers: RequestWorkers | None = None
    """This process's workers for requests acknowledged at once (None in a web-only process)."""
    inbound: Inbound | None = None
    """How the web layer records and acknowledges requests (None in a worker-only process)."""
    _working: bool = field(default=False, init=False)

    def health(self) -> Health:
        # A process that did not win the scheduler's lock still runs its scheduler (it keeps trying):
        # it is healthy, it just leaves the timed jobs to the leader.
        return Health(database=ping(self.engine), scheduler=bool(self.scheduler.running))

    def http_server(
        self, *, host: str | None = None, port: int | None = None, work: bool = True
    ) -> HttpServer:
        """The HTTP server; in a process that also works, its workers start with it (unless `work` is
        False: then what it records waits, as if the process had died right after acknowledging)."""
        if work:
            self.work()
        wsgi = make_wsgi_app(
            self.app,
            health=self.health,
            signing_secret=self.settings.slack_signing_secret,
            inbound=self.inbound,
        )
        return HttpServer(
            wsgi,
            host=self.settings.host if host is None else host,
            port=self.settings.port if port is None else port,
        )

    def work(self) -> None:
        """Start working recorded requests (this process's own, and those nobody live works on)."""
        if self.workers is not None and not self._working:
            self.workers.start()
            self._working = True

    def settle(self, timeout: float = 10.0) -> bool:
        """Wait until every acknowledged request has been handled to the end."""
        workers_idle = self.workers is None or self.workers.wait_idle(timeout)
        return workers_idle and self.executor.wait_idle(timeout)

    def close(self) -> None:
        if self.inbound is not None:
            self.inbound.close()
        if self.workers is not None and self._working:
            self.workers.stop()
        self.scheduling.close()
        if self.scheduler.running:
            # Let a job under way finish its step: a half-posted poll would wait for recovery.
            self.scheduler.shutdown(wait=True)
        jobs.unbind(self.scheduling.runtime)
        self.executor.shutdown(wait=True)
        try:
            self.processes.leave()
        except Exception as error:
            # Then our row simply goes silent, and the lease runs out as if we had been killed.
            log.warning("could not sign off from the database: %s", error)
        self.engine.dispose()


# Enough that a post waiting its turn in a crowded minute gets it (each retry waits Retry-After + <1 s).
JOBS_RATE_LIMIT_RETRIES = 30


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    verify_token: bool = True,
    elect_every: timedelta = timedelta(seconds=10),
    sweep_every: timedelta = timedelta(seconds=60),
    timed_jobs: bool | None = None,
    outbox_lease: timedelta = LEASE,
    serving: Serving = Serving.BOTH,
) -> Runtime:
    """Connect, migrate and assemble; start nothing yet.

    Starting the scheduler starts the election of the process that runs the timed jobs (see
    bot.scheduler): `elect_every` is how soon a follower takes over from a leader that died, and
    `sweep_every` how often the leader looks for work that is due; `outbox_lease` how long a silent
    process's outbox items wait before another takes them over (several of its beats). `timed_jobs`
    defaults to running them only on the real clock: with a test's clock, the test moves time and runs
    the jobs itself, and a scheduler firing on the wall clock would only race it. `serving` says whether
    this process acknowledges requests, works them, or both (see Serving).

    Raises sqlalchemy's OperationalError when the database cannot be reached, and slack_bolt's BoltError
    when `verify_token` is on and Slack refuses the token.
    """
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    timed_jobs = clock is None if timed_jobs is None else timed_jobs
    clock = clock or SystemClock()
    installing, client, clients = _workspaces(settings, engine, clock)
    services, processes, publisher = _serving_parts(settings, engine, clock, outbox_lease, clients)
    executor = TrackingExecutor(scope=publisher.after)
    app_for = partial(create_app, settings=settings, services=services, client=client, executor=executor)
    app_for = partial(app_for, clients=clients, installing=installing)
    app = app_for(verify_token=verify_token)
    workers, inbound = _request_path(serving, app_for, engine, clock, publisher, processes, outbox_lease)
    scheduler, scheduling = _timed_work(
        settings, engine, installing, services, processes, publisher, elect_every, sweep_every, serving
    )
    if timed_jobs:
        scheduling.install()
    return Runtime(
        settings=settings,
        engine=engine,
        services=services,
        client=client,
        executor=executor,
        app=app,
        scheduler=scheduler,
        scheduling=scheduling,
        processes=processes,
        publisher=publisher,
        clients=clients,
        serving=serving,
        workers=workers,
        inbound=inbound,
    )


def _request_path(
    serving: Serving,
    app_for: Callable[..., App],
    engine: Engine,
    clock: Clock,
    publisher: Publisher,
    processes: ProcessRegistry,
    lease: timedelta,
) -> tuple[RequestWorkers | None, Inbound | None]:
    """The workers that carry out recorded requests and the recorder that acknowledges them, as `serving`
    asks. Requests a web-only process records reach the workers by PostgreSQL's notification; without
    one (SQLite) a worker-only process looks for them often, since that is how they reach it."""
    workers = None
    if serving.works:
        wakeups = Wakeups(engine)
        often = serving is Serving.WORKER and not wakeups.listens
        workers = RequestWorkers(
            app=app_for(verify_token=False, replaying=True),
            sessions=session_factory(engine),
            clock=clock,
            publisher=publisher,
            process_id=processes.process_id,
            lease=lease,
            sweep_every=timedelta(seconds=0.1 if often else 1),
            wakeups=wakeups if wakeups.listens else None,
        )
    inbound = None
    if serving is not Serving.WORKER:
        recorder = InboundRecorder(engine=engine, owner=processes.process_id if serving.works else None)
        inbound = Inbound(recorder=recorder, clock=clock, workers=workers)
    return workers, inbound


def _timed_work(
    settings: Settings,
    engine: Engine,
    installing: Installing | None,
    services: Services,
    processes: ProcessRegistry,
    publisher: Publisher,
    elect_every: timedelta,
    sweep_every: timedelta,
    serving: Serving,
) -> tuple[BackgroundScheduler, Scheduling]:
    """The scheduler, the election of the process that runs the timed jobs, and what the jobs work with."""
    scheduler = create_scheduler()
    scheduling = Scheduling(
        scheduler,
        leadership_for(engine),
        runtime=f"runtime-{uuid.uuid4().hex[:12]}",
        elect_every=elect_every,
        sweep_every=sweep_every,
    )
    # A web-only process beats (its modals' effects are its own to carry out) but leaves the timed
    # jobs to the workers.
    scheduling.may_lead = serving.works
    jobs_clients = (
        None
        if installing is None
        else _workspace_clients(settings, engine, installing, rate_limit_retries=JOBS_RATE_LIMIT_RETRIES)
    )
    _bind_jobs(
        settings,
        scheduling,
        services=services,
        processes=processes,
        publisher=publisher,
        clients=jobs_clients,
    )
    return scheduler, scheduling


def _serving_parts(
    settings: Settings, engine: Engine, clock: Clock, outbox_lease: timedelta, clients: WorkspaceClients
) -> tuple[Services, ProcessRegistry, Publisher]:
    """This process's services, its heartbeat and its publishing layer."""
    sessions = session_factory(engine)
    process_id = f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    services = build_services(
        sessions=sessions, clock=clock, respondents=_respondents(settings), process_id=process_id
    )
    processes = ProcessRegistry(sessions=sessions, clock=clock, process_id=process_id)
    processes.beat()
    publisher = Publisher(
        sessions=sessions,
        clock=clock,
        client=clients,
        services=services,
        process_id=process_id,
        lease=outbox_lease,
    )
    return services, processes, publisher


def _workspaces(
    settings: Settings, engine: Engine, clock: Clock
) -> tuple[Installing | None, WebClient, WorkspaceClients]:
    """Where installations are kept (with many workspaces), the app's client and each workspace's."""
    installing = _installing(settings, engine, clock)
    # With many workspaces this client carries no token: it only exchanges the install flow's codes.
    client = make_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    if installing is None:
        return None, client, WorkspaceClients.of(client)
    return installing, client, _workspace_clients(settings, engine, installing)


def _installing(settings: Settings, engine: Engine, clock: Clock) -> Installing | None:
    if not settings.many_workspaces:
        return None
    assert settings.token_encryption_key is not None
    sessions = session_factory(engine)
    return Installing(
        store=DatabaseInstallationStore(
            sessions=sessions, cipher=TokenCipher(settings.token_encryption_key), clock=clock
        ),
        states=DatabaseOAuthStateStore(sessions=sessions, clock=clock),
    )


def _workspace_clients(
    settings: Settings, engine: Engine, installing: Installing, *, rate_limit_retries: int = 3
) -> WorkspaceClients:
    """Each workspace's client, with its installation's token."""
    store = installing.store
    sessions = session_factory(engine)

    def token_of_team(team_id: str) -> str | None:
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        return None if bot is None else bot.bot_token

    def team_of_network(network_id: int) -> str | None:
        with unit_of_work(sessions) as session:
            return queries_installations.team_of_network(session=session, network_id=network_id)

    return WorkspaceClients(
        base_url=settings.slack_api_url,
        token_of_team=token_of_team,
        team_of_network=team_of_network,
        rate_limit_retries=rate_limit_retries,
    )


def _respondents(settings: Settings) -> Respondents:
    # Who answered a poll is kept as a keyed hash; the key comes from the bot's own secrets (never from
    # the database), so the database alone cannot tell who wrote what.
    return Respondents(derive_answer_key(settings.slack_signing_secret or settings.slack_bot_token or ""))


def _bind_jobs(
    settings: Settings,
    scheduling: Scheduling,
    *,
    services: Services,
    processes: ProcessRegistry,
    publisher: Publisher,
    clients: WorkspaceClients | None,
) -> None:
    """What the timed jobs of this runtime work with, under its name. Without `clients` (one bot token)
    the jobs' own client serves every network, as it always did."""
    jobs.bind(
        scheduling.runtime,
        jobs.JobContext(
            services=services,
            client=make_web_client(
                token=settings.slack_bot_token,
                base_url=settings.slack_api_url,
                rate_limit_retries=JOBS_RATE_LIMIT_RETRIES,
            ),
            clients=clients,
            scheduling=scheduling,
            processes=processes,
            retention_months=settings.retention_months,
            publisher=publisher,
        ),
    )
