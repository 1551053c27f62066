"""The entry point: `python -m bot [run|web|worker|demo|export|migrate|status|retry]` (also `netwerkbot`).

The only module that reads the environment (and `.env`), and the only one that starts anything.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Mapping
from collections.abc import Sequence

from dotenv import dotenv_values
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.i18n import DEFAULT_LANGUAGE
from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import CatalogNotCompiled
from bot.i18n import load_catalogs
from bot.settings import README_HINT
from bot.settings import Settings
from bot.settings import SettingsError
from bot.settings import load_database_url
from bot.settings import load_settings

EXIT_CONFIG = 2
log = logging.getLogger("netwerkbot")


def read_environment(dotenv_path: str = ".env") -> dict[str, str]:
    """The process environment over the values in `.env` (a real variable always wins)."""
    from_file = {key: value for key, value in dotenv_values(dotenv_path).items() if value is not None}
    return {**from_file, **os.environ}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="netwerkbot", description="Netwerkbot, a Slack app for learning networks"
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start the bot (the default): acknowledge Slack's requests and work them")
    commands.add_parser("web", help="only acknowledge Slack's requests; worker processes work them")
    commands.add_parser(
        "worker", help="only work the requests web processes acknowledged, and the timed jobs"
    )
    demo = commands.add_parser("demo", help="play a kickoff against the built-in Slack sandbox")
    demo.add_argument("--language", choices=SUPPORTED_LANGUAGES, default=DEFAULT_LANGUAGE)
    export = commands.add_parser("export", help="print the network linked to a channel as JSON")
    export.add_argument("--channel", required=True, metavar="CHANNEL_ID")
    commands.add_parser("migrate", help="apply the database migrations")
    commands.add_parser("status", help="the processes and the outbox: what is pending, what failed")
    retry = commands.add_parser("retry", help="carry out failed outbox items again")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "item_id", nargs="?", type=_item_number, help="the failed item's number, as status shows it"
    )
    which.add_argument("--all", action="store_true", help="every failed item")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # Alembic announces every plugin it loads at INFO; a refusal at start-up must stay one line.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        load_catalogs()
    except CatalogNotCompiled as error:
        return _refuse(str(error))
    if args.command == "demo":
        from bot.demo.play import run_demo

        # The demo's output is the transcript; the bot's own log would only interleave with it.
        logging.getLogger().setLevel(logging.WARNING)
        return run_demo(language=args.language)
    env = read_environment()
    try:
        if args.command == "migrate":
            return _migrate(env)
        if args.command == "export":
            return _export(env, args.channel)
        if args.command == "status":
            return _status(env)
        if args.command == "retry":
            return _retry(env, None if args.all else args.item_id)
        return _run(env, args.command or "run")
    except SettingsError as error:
        return _refuse(str(error))


ITEM_NUMBER_MAX = 2**31 - 1
"""The largest number an outbox item can have (an INTEGER column on PostgreSQL)."""


def _item_number(text: str) -> int:
    """An outbox item's number as the operator typed it; one no item can have is a usage error, not a
    question for the database (which refuses a number past its column's range with a traceback)."""
    number = int(text) if text.strip().isdigit() else 0
    if not 0 < number <= ITEM_NUMBER_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no item number: `status` shows each failed item's as #N"
        )
    return number


def _refuse(line: str) -> int:
    print(f"netwerkbot: {line}", file=sys.stderr)
    return EXIT_CONFIG


def _database_problem(error: SQLAlchemyError) -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"DATABASE_URL: the database cannot be used: {reason} ({README_HINT})"


def _migrate(env: Mapping[str, str]) -> int:
    from storage.db import create_db_engine
    from storage.db import migrate

    engine = create_db_engine(load_database_url(env))
    try:
        migrate(engine)
    except SQLAlchemyError as error:
        return _refuse(_database_problem(error))
    print("netwerkbot: the database is up to date")
    return 0


def _export(env: Mapping[str, str], channel_id: str) -> int:
    from bot.errors import ChannelNotLinked
    from bot.services.export import export_network
    from storage.db import create_db_engine
    from storage.db import migrate
    from storage.db import session_factory

    engine = create_db_engine(load_database_url(env))
    try:
        migrate(engine)
        data = export_network(sessions=session_factory(engine), channel_id=channel_id)
    except SQLAlchemyError as error:
        return _refuse(_database_problem(error))
    except ChannelNotLinked:
        print(f"netwerkbot: no learning network is linked to channel {channel_id}", file=sys.stderr)
        return 1
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _status(env: Mapping[str, str]) -> int:
    from bot.clock import SystemClock
    from bot.status import format_status
    from bot.status import read_status
    from storage.db import create_db_engine
    from storage.db import migrate

    engine = create_db_engine(load_database_url(env))
    try:
        migrate(engine)
        status = read_status(engine, SystemClock())
    except SQLAlchemyError as error:
        return _refuse(_database_problem(error))
    print(format_status(status))
    return 0 if status.healthy else 1


def _retry(env: Mapping[str, str], item_id: int | None) -> int:
    from bot.clock import SystemClock
    from bot.status import retry_failed
    from storage.db import create_db_engine
    from storage.db import migrate

    engine = create_db_engine(load_database_url(env))
    try:
        migrate(engine)
        count = retry_failed(engine, SystemClock(), item_id=item_id)
    except SQLAlchemyError as error:
        return _refuse(_database_problem(error))
    print(f"netwerkbot: {count} failed item(s) will be carried out again by a live bot process")
    return 0 if count else 1


def _socket_mode_url(settings: Settings) -> tuple[str | None, str | None]:
    """The Socket Mode URL, or why there is none.

    Asked before anything starts (and logs), so a refused app token stops start-up in one line;
    slack_sdk's handler would log the failure and raise from inside.
    """
    from bot.slack_api import make_web_client

    client = make_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    try:
        return client.apps_connections_open(app_token=settings.slack_app_token)["url"], None
    except SlackApiError as error:
        reason = error.response.get("error", "refused")
        return None, f"SLACK_APP_TOKEN was refused by Slack: {reason} ({README_HINT})"
    except OSError as error:
        return None, f"SLACK_API_URL cannot be reached: {error} ({README_HINT})"


def _run(env: Mapping[str, str], command: str) -> int:
    from bot.runtime import Serving
    from bot.runtime import build_runtime

    settings = load_settings(env)
    serving = {"web": Serving.WEB, "worker": Serving.WORKER}.get(command, Serving.BOTH)
    if settings.socket_mode and serving is not Serving.BOTH:
        # Over Socket Mode the acknowledgement travels on the socket of the process that works the request.
        return _refuse(f"`{command}` serves HTTP requests; with SLACK_APP_TOKEN (Socket Mode) use `run`")
    socket_url, problem = _socket_mode_url(settings) if settings.socket_mode else (None, None)
    if problem is not None:
        return _refuse(problem)
    try:
        runtime = build_runtime(settings, serving=serving)
    except SQLAlchemyError as error:
        return _refuse(_database_problem(error))
    except (BoltError, SlackApiError) as error:
        return _refuse(f"SLACK_BOT_TOKEN was refused by Slack: {error} ({README_HINT})")
    except OSError as error:
        return _refuse(f"SLACK_API_URL cannot be reached: {error} ({README_HINT})")

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    runtime.scheduler.start()
    handler = None
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            handler = SocketModeHandler(runtime.app, settings.slack_app_token)
            handler.client.wss_uri = socket_url
            log.info("starting in Socket Mode")
            handler.start()
        elif serving is Serving.WORKER:
            runtime.work()
            log.info("working the requests web processes acknowledged")
            while True:
                # Until SIGTERM or Ctrl-C: the workers and the scheduler run on threads of their own.
                time.sleep(3600)
        else:
            server = runtime.http_server()
            log.info("listening on http://%s:%d/slack/events", settings.host, server.port)
            if settings.many_workspaces:
                log.info("workspaces add the bot at http://%s:%d/slack/install", settings.host, server.port)
            server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        if handler is not None:
            handler.close()
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
