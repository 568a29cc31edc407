"""A private `redis-server` on a free port: tests may stop, kill or empty it without touching anyone else's Redis."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import redis

START_TIMEOUT = 15


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _real_clock_env():
    """redis-server does not start under libfaketime (the suite's year-ahead check); it needs no fake date."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


class RedisServer:
    """One `redis-server` process with no persistence: a restart comes back empty, as CI's does."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.process = None
        self._dir = tempfile.mkdtemp(prefix="redis-")

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self._dir, "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_real_clock_env(),
        )
        self._wait(up=True)
        return self

    def kill(self):
        """SIGKILL: everything queued in it is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._wait(up=False)

    stop = kill

    def restart_empty(self):
        self.kill()
        self.start()

    @contextmanager
    def stopped(self):
        """Down inside the block, running (empty) again after it, whatever happened inside."""
        self.kill()
        try:
            yield
        finally:
            self.start()

    def is_up(self):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def _wait(self, *, up):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.is_up() == up:
                return
            if up and self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"redis-server on port {self.port} did not {'start' if up else 'stop'}")

    def close(self):
        self.kill()
        shutil.rmtree(self._dir, ignore_errors=True)
