"""A Slack Web API emulator on loopback, for tests and ``python -m bot demo``.

Point ``slack_sdk.WebClient(token, base_url=emulator.api_url)`` at it. It keeps a small workspace (users,
channels, messages, threads, reactions, views, files), answers with Slack's shapes and errors, validates Block
Kit with Slack's limits, can enforce Slack's rate limits and inject faults, and records every call.

Where to look:
- ``core``: ``SlackEmulator``, what tests and the demo call (set-up, reading, faults, recorded calls);
- ``dispatch``: an HTTP request to its answer (auth, rate limits, faults, recording);
- ``http_server``: the loopback server;
- ``workspace``: team, people, conversations, messages, ts and ids; ``messages``: message shapes and checks;
- one module per Web API family: ``chat``, ``conversations``, ``reactions``, ``views`` (and trigger_ids),
  ``files`` (and the upload and download URLs), ``auth`` (auth.test, users.info, apps.connections.open),
  ``response_urls``; ``calls``: recorded calls and injected faults.
"""

from bot.sandbox.emulator.calls import RecordedCall
from bot.sandbox.emulator.core import SlackEmulator

__all__ = ["RecordedCall", "SlackEmulator"]
