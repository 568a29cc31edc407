"""A send-rate limit shared by every worker on every machine: a token bucket in Redis.

The refill and the take happen in one Lua script, so two workers can never both spend
the last token; the clock is Redis's own, so machines whose clocks drift still agree.
Twilio queues what a sender cannot send at once and fails it after hours; staying at the
account's provisioned messages per second (TWILIO_MESSAGES_PER_SECOND) avoids that.
"""
import logging
import time

import redis
from django.conf import settings

log = logging.getLogger(__name__)
KEY = "mentorbridge:sms:token-bucket"

# Returns the seconds to wait before a token will be there (0: one was taken now), as a string.
TAKE = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return tostring(wait)
"""

_clients = {}


def _client(url):
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


class TokenBucket:
    """`rate` tokens a second, at most `capacity` saved up; `take()` returns the wait for the next one."""

    def __init__(self, url, *, rate, capacity=None, key=KEY):
        self.client = _client(url)
        self.rate = float(rate)
        self.capacity = float(capacity or max(1.0, self.rate))
        self.key = key
        self.script = self.client.register_script(TAKE)

    def take(self):
        """Take a token if there is one: 0.0; else the seconds until there will be one (nothing taken)."""
        return float(self.script(keys=[self.key], args=[self.rate, self.capacity]))

    def acquire(self, max_wait):
        """Wait up to `max_wait` seconds for a token; False if none came in time."""
        deadline = time.monotonic() + max_wait
        while True:
            wait = self.take()
            if wait <= 0:
                return True
            if time.monotonic() + wait > deadline:
                return False
            time.sleep(wait)


def sms_bucket():
    """The bucket for texts, or None when no limit applies (no Redis, or a rate of 0)."""
    rate = settings.TWILIO_MESSAGES_PER_SECOND
    url = settings.SMS_RATE_LIMIT_REDIS_URL or settings.CELERY_BROKER_URL
    if not rate or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return TokenBucket(url, rate=rate)


def acquire_send_slot(max_wait):
    """Wait for the right to send one text. Fails open when Redis cannot be asked (Twilio's 20429 still guards)."""
    bucket = sms_bucket()
    if bucket is None:
        return True
    try:
        return bucket.acquire(max_wait)
    except redis.RedisError as exc:
        log.warning("rate limiter unavailable (%s); sending without it", exc)
        return True
