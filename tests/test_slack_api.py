"""The bot's Web API client: where it points, and which calls it may repeat."""

from __future__ import annotations

import re
from pathlib import Path

from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.state import RetryState

from bot.slack_api import IdempotentConnectionRetryHandler
from bot.slack_api import make_web_client

ROOT = Path(__file__).resolve().parent.parent


def request_to(method: str) -> HttpRequest:
    return HttpRequest(method="POST", url=f"http://127.0.0.1:9/api/{method}", headers={}, body_params={})


def test_a_lost_connection_is_retried_for_reads_but_never_for_posts() -> None:
    handler = IdempotentConnectionRetryHandler(max_retry_count=1)
    lost = ConnectionResetError("reset by peer")
    assert handler.can_retry(state=RetryState(), request=request_to("conversations.info"), error=lost)
    assert not handler.can_retry(state=RetryState(), request=request_to("chat.postMessage"), error=lost)
    assert not handler.can_retry(
        state=RetryState(), request=request_to("files.completeUploadExternal"), error=lost
    )


def test_the_client_uses_the_configured_api_url_and_retries_429_and_5xx() -> None:
    client = make_web_client(token="xoxb-1", base_url="http://127.0.0.1:9/api/")
    assert client.base_url == "http://127.0.0.1:9/api/"
    kinds = {type(handler).__name__ for handler in client.retry_handlers}
    assert kinds == {
        "IdempotentConnectionRetryHandler",
        "RateLimitErrorRetryHandler",
        "ServerErrorRetryHandler",
    }


def test_no_other_module_builds_its_own_web_client() -> None:
    """Every Web API call must honour SLACK_API_URL: only bot/slack_api.py builds a WebClient."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if "sandbox" not in path.parts
        and path.name != "slack_api.py"
        and re.search(r"\bWebClient\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_each_workspace_gets_the_client_of_its_own_token_and_one_without_gets_none() -> None:
    from bot.slack_api import WorkspaceClients

    tokens = {"T1": "xoxb-one", "T2": "xoxb-two"}
    clients = WorkspaceClients(
        base_url="http://127.0.0.1:9/api/", token_of_team=tokens.get, team_of_network={2: "T2"}.get
    )
    assert clients.many_workspaces
    assert clients.for_team("T1").token == "xoxb-one"  # type: ignore[union-attr]
    assert clients.for_team("T1") is clients.for_team("T1")
    assert clients.for_network(2).token == "xoxb-two"  # type: ignore[union-attr]
    assert clients.for_team("T3") is None and clients.for_team(None) is None
    assert clients.for_network(1) is None
    tokens["T1"] = "xoxb-reinstalled"
    assert clients.for_team("T1").token == "xoxb-reinstalled"  # type: ignore[union-attr]

    one = make_web_client(token="xoxb-only", base_url="http://127.0.0.1:9/api/")
    single = WorkspaceClients.of(one)
    assert not single.many_workspaces
    assert single.for_team("T9") is one and single.for_network(9) is one and single.for_team(None) is one
