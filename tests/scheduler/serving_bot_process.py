"""One whole bot process, HTTP server included: `python -m tests.scheduler.serving_bot_process`.

As `python -m bot` in HTTP mode, with settings from the environment (HOST and PORT among them); only
the scheduler's rhythm is quicker, so that a poll due in a second is closed within a second instead of a
minute. Prints "serving" once it answers requests, and runs until SIGTERM, or SIGKILL, which is the point.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from datetime import timedelta

from bot.runtime import Serving
from bot.runtime import build_runtime
from bot.settings import load_settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    # Its jobs run every 0.2 s here: their INFO lines would bury what a failing test needs to see.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # SERVING=held: requests are recorded and acknowledged, and never worked, as by a process that dies
    # right after each acknowledgement.
    serving = os.environ.get("SERVING", "both")
    runtime = build_runtime(
        load_settings(os.environ),
        serving=Serving.BOTH if serving == "held" else Serving(serving),
        elect_every=timedelta(seconds=0.2),
        sweep_every=timedelta(seconds=0.2),
        # Fifteen missed beats: a killed process's effects are taken over in seconds, not half a minute.
        outbox_lease=timedelta(seconds=3),
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    runtime.scheduler.start()
    if serving == "worker":
        runtime.work()
        server = None
    else:
        server = runtime.http_server(work=serving != "held").start()
    print("serving", flush=True)
    stopped.wait()
    if server is not None:
        server.stop()
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
