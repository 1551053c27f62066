"""One bot process for the several-processes test: `python -m tests.scheduler.bot_process`.

Settings come from the environment, as for `python -m bot`; only the scheduler's rhythm is quicker, so
that the test sees an election and a sweep within a second instead of a minute. It runs until SIGTERM
(or dies on SIGKILL, which is the point of the test).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from datetime import timedelta

from bot.runtime import build_runtime
from bot.settings import load_settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    runtime = build_runtime(
        load_settings(os.environ),
        elect_every=timedelta(seconds=0.2),
        sweep_every=timedelta(seconds=0.3),
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    runtime.scheduler.start()
    print("started", flush=True)
    stopped.wait()
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
