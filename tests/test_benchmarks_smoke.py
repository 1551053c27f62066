"""Each benchmark under bench/ runs, small, on every CI run: a benchmark that rotted is found here.

The figures themselves come from the full runs recorded in BENCHMARKS.md; these only prove that each
command still works end to end and that what it checks on the way (nothing lost, nothing doubled, no
failed request) holds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import POSTGRES_ADMIN_URL


def run_bench(*args: str, timeout: float = 150) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-4000:]
    return finished.stdout


@pytest.mark.parametrize("kind", ["command", "click"])
def test_ack_latency_measures_both_apps_without_a_failed_request(kind: str) -> None:
    args = ("--kind", kind, "--clients", "4", "--requests", "5", "--rounds", "1")
    report = json.loads(run_bench("bench.ack_latency", *args))
    for app in ("ours", "floor"):
        assert report[app]["requests"] == 20 and report[app]["failures"] == 0
        assert 0 < report[app]["p50_ms"] <= report[app]["p99_ms"]
    assert report["memory"]["idle"]["ours"]["now_mb"] > 0


@pytest.mark.postgres
def test_ack_latency_measures_ours_served_apart_from_its_worker(postgres_url: str) -> None:
    args = ("--serving", "apart", "--clients", "4", "--requests", "5", "--rounds", "1")
    report = json.loads(run_bench("bench.ack_latency", *args))
    assert report["ours"]["requests"] == 20 and report["ours"]["failures"] == 0
    assert report["memory"]["after_load"]["ours_worker"]["now_mb"] > 0


@pytest.mark.postgres
def test_summary_speed_builds_on_both_databases(postgres_url: str) -> None:
    output = run_bench("bench.summary_speed", "--repeat", "2", "--postgres-url", POSTGRES_ADMIN_URL)
    for database in ("SQLite", "PostgreSQL"):
        assert re.search(rf"\| {database} \| build, two years of history \| [\d.]+ ms", output), output


@pytest.mark.parametrize("kill", [False, True], ids=["straight", "killed halfway"])
def test_fanout_posts_every_poll_once_under_the_rate_limits(kill: bool) -> None:
    # 40 networks due a minute ago, a workspace budget of 600 posts a minute: past the burst of 30 the
    # limit binds for about a second, and the kill falls while posts are still going out.
    args = ["bench.fanout", "--networks", "40", "--due-now", "--post-per-minute", "600", "--smoke"]
    output = run_bench(*args, *(["--kill-halfway"] if kill else []), "--timeout", "120")
    assert "lost: 0, doubled: 0, polls in the database: 40" in output, output
    assert ("killed with SIGKILL" in output) == kill, output


def test_profile_request_reports_the_cpu_sql_and_hot_functions_of_both_requests() -> None:
    report = json.loads(run_bench("bench.profile_request", "--requests", "5", "--top", "5"))
    for kind in ("command", "click"):
        measured = report[kind]
        assert measured["requests"] == 5 and measured["failures"] == 0
        # Reading the channel's network at least; a request costing a second of CPU is a broken bench.
        assert 1 <= measured["sql_per_request"] < 50
        assert 0 < measured["cpu_ms_per_request"] < 1000
        assert len(measured["top_cumulative"]) == 5
        assert all(row["cumulative_ms_per_request"] > 0 for row in measured["top_cumulative"])


def test_answer_time_sees_every_answer_of_both_apps_arrive() -> None:
    report = json.loads(run_bench("bench.answer_time", "--smoke"))
    assert {(level["app"], level["offered_rps"]) for level in report["levels"]} == {
        (app, rate) for app in ("ours", "floor") for rate in (10, 20)
    }
    for level in report["levels"]:
        assert level["failed_acks"] == 0, level
        answered, answerable = level["answers"].split("/")
        assert answered == answerable != "0", level
        assert 0 < level["answer_p50_ms"] <= level["answer_p99_ms"], level
    assert report["memory"]["after_load"]["ours"]["peak_mb"] > 0


@pytest.mark.postgres
def test_scale_out_serves_every_answer_from_one_process_and_from_two(postgres_url: str) -> None:
    report = json.loads(run_bench("bench.scale_out", "--smoke", "--postgres-url", POSTGRES_ADMIN_URL))
    assert [run["processes"] for run in report["runs"]] == [1, 2]
    for run in report["runs"]:
        assert len(run["memory"]["after_load"]) == run["processes"]
        for level in run["levels"]:
            answered, answerable = level["answers"].split("/")
            assert answered == answerable != "0" and level["failed_acks"] == 0, level
            assert level["answers_per_s"] > 0 and 0 < level["answer_p50_ms"] <= level["answer_p99_ms"], level


def test_reaction_storm_counts_every_reaction_once_despite_redeliveries() -> None:
    report = json.loads(run_bench("bench.reaction_storm", "--smoke"))
    assert report["redelivered"] > 0
    assert (report["counted"], report["lost"], report["counted_twice"]) == (300, 0, 0), report
    for app in ("ours", "floor"):
        assert report[app]["deliveries"] == 300 + report["redelivered"]
        assert report[app]["failed_acks"] == 0, report
