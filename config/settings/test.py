"""pytest: the real PostgreSQL and Redis named by the environment."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.locmem.SmsBackend")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# A Redis database of its own, so a test run never eats a developer's queue.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
# The test Redis database, under a prefix of its own: conftest.py deletes these keys before each test
# so throttle and lockout counters never leak from one test into the next.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=CELERY_BROKER_URL),
        "KEY_PREFIX": "mentorbridge-test",
    }
}
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="AC" + "0" * 32)
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="test-auth-token")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="+15005550006")
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://testserver")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# live_server serves static files itself; WhiteNoise would only warn that STATIC_ROOT is not collected.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
# Quiet hours are off unless a test turns them on: a suite run at 3 am must not hold every text.
SMS_QUIET_HOURS = env.json("SMS_QUIET_HOURS", default=None)
