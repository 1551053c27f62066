"""Processes the benchmarks measure, each started on its own so that none shares a GIL with another.

    python -m bench.targets emulator               the sandbox's Web API, prints its URL and response URLs
    python -m bench.targets emulator --report-arrivals   also prints, per line read on stdin, the answers
                                                          that reached a response_url since the last line
    python -m bench.targets ours  --api-url U --port P --database-url D [--serving both|web|worker]
    python -m bench.targets floor --api-url U --port P    a bare Bolt app that only acknowledges
    python -m bench.targets floor --answer ...            ... and then answers each through its response_url

Both apps run behind the same server (waitress, as in production) with the same signing secret.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from typing import TYPE_CHECKING

from bot.web import Health
from bot.web import HttpServer
from bot.web import make_wsgi_app

if TYPE_CHECKING:
    from bot.runtime import Runtime

SIGNING_SECRET = "bench-signing-secret"
TEAM_ID = "T0NETWERK"
CHANNEL_ID = "C0BENCH"
FACILITATOR = "U0ELS"
MEMBERS = [f"U0M{number:02d}" for number in range(14)]


SERVINGS = ("both", "web", "worker")
# A benchmark writes this into what a member submits; the message that shows it answers that submission.
ANSWER_MARKER = re.compile(r"bench-answer-\d+")
POSTS_THAT_SHOW = ("chat.postMessage", "chat.update", "chat.postEphemeral")


def serve_emulator(response_urls: int, *, report_arrivals: bool = False) -> None:
    from bot.sandbox.emulator import SlackEmulator

    emulator = SlackEmulator()
    emulator.start()
    emulator.add_user(FACILITATOR, "els", locale="nl-BE")
    for user_id in MEMBERS:
        emulator.add_user(user_id, user_id.lower(), locale="nl-BE")
    emulator.add_channel(CHANNEL_ID, "bench", members=[FACILITATOR, *MEMBERS])
    urls = [emulator.new_response_url(CHANNEL_ID, FACILITATOR) for _ in range(response_urls)]
    print(json.dumps({"api_url": emulator.api_url, "bot_token": emulator.bot_token, "response_urls": urls}))
    sys.stdout.flush()
    if not report_arrivals:
        _wait_forever()
    _report_arrivals(emulator)


def _report_arrivals(emulator) -> None:  # type: ignore[no-untyped-def]
    """For each line on stdin, one JSON line: {token: arrival time} of the response_url posts since the last,
    and {marker: arrival time} of the first message posted or updated that shows an `ANSWER_MARKER`.

    The times are the sandbox's wall clock (time.time) at arrival, so a load process on the same machine
    can subtract the time it sent the request.
    """
    reported = 0
    for _ in sys.stdin:
        calls = emulator.calls
        fresh = calls[reported:]
        reported = len(calls)
        arrivals = {
            call.response_url_token: call.at
            for call in fresh
            if call.method == "response_url" and call.http_status == 200
        }
        for call in fresh:
            if call.method in POSTS_THAT_SHOW and call.http_status == 200 and call.response.get("ok"):
                for marker in ANSWER_MARKER.findall(json.dumps(call.args)):
                    arrivals.setdefault(marker, call.at)
        print(json.dumps({"arrivals": arrivals, "calls": reported}))
        sys.stdout.flush()


def serve_ours(
    *, api_url: str, bot_token: str, port: int, database_url: str, serving: str = "both", seed: bool = True
) -> None:
    """Our bot as `python -m bot <serving>` would run it; the one place the benchmarks choose how.

    `both` records, acknowledges and works in one process; `web` only records and acknowledges; `worker`
    only works. `seed` links the bench's channel first (a second process on the same database must not).
    """
    if serving not in SERVINGS:
        raise ValueError(f"--serving must be one of {', '.join(SERVINGS)}, not {serving!r}")
    from bot.clock import SystemClock
    from bot.runtime import Serving
    from bot.runtime import build_runtime
    from bot.settings import Settings

    settings = Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=api_url,
        database_url=database_url,
        language="nl",
        timezone="Europe/Brussels",
        host="127.0.0.1",
        port=port,
        retention_months=12,
    )
    runtime = build_runtime(settings, clock=SystemClock(), serving=Serving(serving))
    version_id = seed_network(runtime) if seed else _agreements_version(database_url)
    runtime.scheduler.start()
    if serving == "worker":
        runtime.work()
        print(json.dumps({"url": None, "agreements_version": version_id}))
        sys.stdout.flush()
        _wait_forever()
    server = runtime.http_server(host="127.0.0.1", port=port)
    print(json.dumps({"url": server.events_url, "agreements_version": version_id}))
    sys.stdout.flush()
    server.serve_forever()


def seed_network(
    runtime: Runtime, *, name: str = "Bench", agreements_text: str = "Wat hier gezegd wordt, blijft hier."
) -> int:
    """The network in CHANNEL_ID with its group agreements posted and accepted by the facilitator; the
    agreements version's id."""
    from bench.networks import network_details

    overview = runtime.services.networks.link_channel(
        team_id=TEAM_ID,
        channel_id=CHANNEL_ID,
        facilitator_id=FACILITATOR,
        channel_member_ids=[FACILITATOR, *MEMBERS],
        details=network_details(name),
    )
    network_id = overview.network.id or 0
    # The clicked button: accepting the group agreements, which the facilitator already did (a member's
    # repeated click: read the network and the acceptance, answer privately).
    agreements = runtime.services.agreements
    version = agreements.publish(network_id=network_id, user_id=FACILITATOR, text=agreements_text)
    version_id = version.status.version.id if version.status.version else 0
    agreements.accept(network_id=network_id, user_id=FACILITATOR, version_id=version_id)
    return version_id


def _agreements_version(database_url: str) -> int:
    """The agreements version the seeding process published, read back by a process that did not seed."""
    from bench.networks import read_number

    return read_number(database_url, "SELECT max(id) FROM agreement_version")


def serve_floor(*, api_url: str, bot_token: str, port: int, answer: bool = False) -> None:
    """A bare Bolt app; with `answer`, after each ack it posts one ephemeral line to the response_url.

    A modal submission has no response_url: the floor posts its first typed value with chat.postMessage.
    Events carry no response_url: the floor only acknowledges them, as ours shows nothing for a reaction.
    """
    from slack_bolt import App
    from slack_sdk import WebClient

    # Same authorisation as ours: one auth.test against the sandbox at start-up, none per request.
    # Its signatures are checked by the same web layer as ours, before Bolt sees the request.
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token=bot_token, base_url=api_url),
        request_verification_enabled=False,
    )

    @app.command("/netwerk")
    def acknowledge_only(ack, respond):  # type: ignore[no-untyped-def]
        ack()
        if answer:
            respond(text="ok", response_type="ephemeral")

    @app.action(re.compile(".*"))
    def acknowledge_click_only(ack, respond):  # type: ignore[no-untyped-def]
        ack()
        if answer:
            respond(text="ok", response_type="ephemeral", replace_original=False)

    @app.view(re.compile(".*"))
    def acknowledge_submission(ack, view, client):  # type: ignore[no-untyped-def]
        ack()
        if answer:
            # No response_url in a submission: the floor posts what was typed first, as ours posts a card.
            values = [
                entry.get("value") for block in view["state"]["values"].values() for entry in block.values()
            ]
            client.chat_postMessage(channel=CHANNEL_ID, text=str(values[0]))

    @app.event("reaction_added")
    def acknowledge_reaction_only(ack):  # type: ignore[no-untyped-def]
        ack()

    wsgi = make_wsgi_app(app, health=lambda: Health(True, True), signing_secret=SIGNING_SECRET)
    server = HttpServer(wsgi, host="127.0.0.1", port=port)
    print(json.dumps({"url": server.events_url, "agreements_version": 1}))
    sys.stdout.flush()
    server.serve_forever()


def _wait_forever() -> None:
    while True:
        time.sleep(3600)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    # waitress warns at every queued request under load: that is the load, not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("emulator", "ours", "floor"))
    parser.add_argument("--api-url")
    parser.add_argument("--bot-token")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--database-url")
    parser.add_argument("--response-urls", type=int, default=1000)
    parser.add_argument("--report-arrivals", action="store_true")
    parser.add_argument("--serving", choices=SERVINGS, default="both")
    parser.add_argument("--no-seed", action="store_true", help="the channel is linked by another process")
    parser.add_argument("--answer", action="store_true", help="the floor answers through the response_url")
    args = parser.parse_args()
    if args.kind == "emulator":
        serve_emulator(args.response_urls, report_arrivals=args.report_arrivals)
    elif args.kind == "ours":
        serve_ours(
            api_url=args.api_url,
            bot_token=args.bot_token,
            port=args.port,
            database_url=args.database_url,
            serving=args.serving,
            seed=not args.no_seed,
        )
    else:
        serve_floor(api_url=args.api_url, bot_token=args.bot_token, port=args.port, answer=args.answer)


if __name__ == "__main__":
    main()
