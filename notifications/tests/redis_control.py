"""Stop and start the machine's Redis the way CI starts it, for fault tests. Always leave it running."""
import subprocess
import time
from contextlib import contextmanager

import redis

URL = "redis://127.0.0.1:6379/0"
# Exactly how CI starts Redis (no persistence: a restart comes back empty).
START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]


def is_up():
    try:
        return redis.Redis.from_url(URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def _wait(up, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_up() == up:
            return
        time.sleep(0.05)
    raise RuntimeError(f"redis did not {'start' if up else 'stop'} in {timeout}s")


def stop():
    """SHUTDOWN NOSAVE: everything queued in Redis is gone."""
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True, timeout=15)
    _wait(up=False)


def start():
    if not is_up():
        subprocess.run(START, check=True, capture_output=True, timeout=15)
    _wait(up=True)


@contextmanager
def stopped():
    """Redis is down inside the block and running again after it, whatever happened inside."""
    try:
        stop()
        yield
    finally:
        start()


def restart_empty():
    with stopped():
        pass
