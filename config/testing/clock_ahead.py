"""`python -m config.testing.clock_ahead celery ...`: run a command with the clock moved ahead, still ticking.

`pytest --clock-ahead-days N` moves the test process's clock and sets CLOCK_AHEAD_SECONDS, and the worker
harness starts its `celery worker` through this module, so the worker sees the same date as the tests.
"""
import os
import runpy
import sys
from datetime import UTC, datetime, timedelta

import time_machine

ENV = "CLOCK_AHEAD_SECONDS"


def main():
    seconds = float(os.environ.get(ENV) or 0)
    args = sys.argv[1:]
    if args[:1] == ["-m"]:  # python -m config.testing.clock_ahead -m celery ...
        args = args[1:]
    module, sys.argv = args[0], args
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=seconds), tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
