"""Settings shared by every environment. Values come from the environment.

https://django-environ.readthedocs.io/en/latest/
"""
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "alliances",
    "django_filters",
    "csp",
    "axes",
    "mentors",
    "schools",
    "scheduling",
    "impact",
    "notifications",
    "programs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language (the switch's cookie, else Accept-Language): public pages speak English and Spanish.
    # https://docs.djangoproject.com/en/5.2/topics/i18n/translation/#how-django-discovers-language-preference
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.edge.NulByteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Personal pages in the viewer's own zone; session times name the school's zone (core/localtime.py).
    "core.viewer.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a login refused by django-axes into the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: nothing inline, nothing from elsewhere. Templates load every script and style
# from static/ (the API docs page included: see templates/drf_spectacular/).
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# django-axes first: a locked-out username+IP is refused before the password is even checked.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AUTHENTICATION_BACKENDS = [
    "config.lockout.LockoutBackend",
    # ModelBackend reading the user's roles in the same query (config/auth.py)
    "config.auth.RoleBackend",
    # Only so that sessions signed in before RoleBackend existed stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
# How many proxies in front of us append to X-Forwarded-For. The client IP that lockouts and throttles
# count is the one the nearest trusted proxy saw; with none, X-Forwarded-For is ignored (a client could
# write anything there and dodge every limit).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"  # the throttles' rule, so both count the same address
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same person whether they typed their email, their username or either in capitals.
AXES_USERNAME_CALLABLE = "config.lockout.canonical_username"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_COOLOFF_MESSAGE = ("Too many failed sign-in attempts. Try again in 15 minutes, "
                        "or ask your coordinator to unlock you.")

# Throttled counters need a cache shared by every process: Redis (test, production), memory locally.
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="mentorbridge"),
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.viewer.look",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mentorbridge")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A persistent connection the database dropped is noticed before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Persistent connections, as production has them: a worker does not open a connection per task.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- REST API -------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Only the doors a stranger can knock on are throttled (per client IP); see config/throttles.py.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "token": env("THROTTLE_TOKEN", default="10/min"),
        "signup": env("THROTTLE_SIGNUP", default="5/hour"),
        "invite-accept": env("THROTTLE_INVITE_ACCEPT", default="10/hour"),
        "password-reset": env("THROTTLE_PASSWORD_RESET", default="5/hour"),
        "verify-email": env("THROTTLE_VERIFY_EMAIL", default="20/hour"),
        "join": env("THROTTLE_JOIN", default="5/hour"),
    },
    # One rule for NUL bytes at the edge (config/edge.py): a 400 naming the field, never a 500.
    "DEFAULT_PARSER_CLASSES": ["core.edge.JSONParser", "core.edge.FormParser", "core.edge.MultiPartParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentorbridge API",
    "DESCRIPTION": "Corporate STEM volunteers matched to K-12 classrooms.",
    "VERSION": "1.0.0",
    # Swagger UI served from our own static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_errors",
    ],
    # One name per choice set, so the same statuses are one enum wherever they appear.
    "ENUM_NAME_OVERRIDES": {
        "BackgroundCheckStatusEnum": "mentors.models.Mentor.BackgroundCheck",
        "MentorStatusEnum": "mentors.models.Mentor.Status",
        "MatchStatusEnum": "scheduling.models.Match.Status",
        "NotificationStatusEnum": "notifications.models.Notification.Status",
        "FormatEnum": "schools.models.Format",
        "SessionFormatEnum": "scheduling.engine.FORMATS",
    },
}

# --- Celery ---------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Acks before running: a send that started is never blindly re-run by the broker;
# the outbox sweeper (not Redis redelivery) recovers lost work.
CELERY_TASK_ACKS_LATE = False
# Keep retries and ETAs well under this (kombu#337: longer ETAs are redelivered in a loop).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One task at a time per process: a worker must not hoard alliance tasks that an idle one could run.
# https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Housekeeping (the outbox sweeper, settling, reminders, expiry, the matching plan, vetting) has a queue of
# its own, so it never waits behind a backlog of sends. A worker started without -Q consumes both; production
# runs one worker per queue (README).
# https://docs.celeryq.dev/en/stable/userguide/routing.html
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("housekeeping")]
HOUSEKEEPING_TASKS = [
    "notifications.sweep_outbox", "notifications.settle_notification", "scheduling.expire_stale_invitations",
    "scheduling.queue_due_reminders", "scheduling.plan_matching", "scheduling.withdraw_uncleared_mentors",
    "scheduling.send_signup_digests",
]
CELERY_TASK_ROUTES = {name: {"queue": "housekeeping"} for name in HOUSEKEEPING_TASKS}
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
    "expire-stale-invitations": {"task": "scheduling.expire_stale_invitations", "schedule": 300.0},
    "queue-due-reminders": {"task": "scheduling.queue_due_reminders", "schedule": 300.0},
    # Re-match every alliance-week hourly: catches runs or backfills whose task was lost.
    "plan-matching": {"task": "scheduling.plan_matching", "schedule": 3600.0},
    # Daily: lapse checks past their date and take mentors out of sessions their check will not cover.
    "withdraw-uncleared-mentors": {"task": "scheduling.withdraw_uncleared_mentors", "schedule": 86400.0},
    # Daily: one email per coordinator listing the sign-ups awaiting them (keyed by date: once a day).
    "send-signup-digests": {"task": "scheduling.send_signup_digests", "schedule": 86400.0},
    # Ask teacher and mentor how each occurrence went once it ends; remind once after FEEDBACK_REMIND_AFTER_HOURS.
    "queue-feedback-requests": {"task": "impact.queue_feedback_requests", "schedule": 600.0},
    "archive-past-programs": {"task": "programs.archive_past_programs", "schedule": 3600.0},
}
# Publishing to a broker that is down must not hang the request that wrote the outbox row:
# give up quickly; the outbox sweeper queues the row once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# --- Logging --------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/logging/
# The Twilio SDK logs every request's headers at INFO: ten lines a text, and nothing a coordinator needs.
# Here for every settings module, so tests, benchmarks and `make run` cost what production costs.
TWILIO_LOG_LEVEL = env("TWILIO_LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"twilio.http_client": {"level": TWILIO_LOG_LEVEL}},
}

# --- Mentorbridge ---------------------------------------------------------
# Backends are picked like EMAIL_BACKEND: a dotted path to a class.
# What notifications/ (plumbing) tells or asks the domain; see notifications/hooks.py for each contract.
NOTIFICATIONS_BEFORE_SENT = "scheduling.services.lock_before_sent"
NOTIFICATIONS_SENT_HANDLER = "scheduling.services.notification_sent"
NOTIFICATIONS_REPLY_HANDLER = "scheduling.replies.handle_reply"
NOTIFICATIONS_ALLIANCE_OF_PHONE = "scheduling.replies.alliance_of_phone"
NOTIFICATIONS_BAD_NUMBER_HANDLER = "mentors.services.flag_bad_number"
NOTIFICATIONS_INVALID_NUMBERS = "mentors.services.invalid_numbers"
NOTIFICATIONS_STILL_STANDS = "scheduling.still_true.message_stands"
NOTIFICATIONS_CALENDAR_FEED = "scheduling.messages.calendar_feed"
# What matching (scheduling) asks impact, above it: each volunteer's teacher rating as a 0..1 fit, read only
# when the alliance gives the "rating" part a weight. Returns ({mentor id: fit}, fit of the unrated).
MATCHING_MENTOR_RATINGS = "impact.feedback.mentor_ratings"
# What the review queue's profile peek and the volunteer's page ask impact: teachers' ratings of the given
# volunteers, {mentor id: {"average", "count", "comments": [(text, when)]}}; unrated volunteers left out.
REVIEW_MENTOR_RATINGS = "impact.feedback.rating_summaries"
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.console.SmsBackend")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentorbridge <no-reply@mentorbridge.local>")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A stuck mail server must not hold a request or a worker for ever (seconds).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# https://www.twilio.com/docs/usage/security#validating-requests
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")
# Twilio's base URL; tests and local runs point it at the project's fake server.
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="")
# The public URL Twilio calls (behind a proxy the request's own host is not it).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# The account's provisioned sending rate, enforced across all workers (0: no limit).
# https://help.twilio.com/articles/115002943027-Understanding-Twilio-Rate-Limits-and-Message-Queues
TWILIO_MESSAGES_PER_SECOND = env.float("TWILIO_MESSAGES_PER_SECOND", default=1.0)
# Redis holding the shared send-rate bucket; blank means the broker's, when that is Redis.
SMS_RATE_LIMIT_REDIS_URL = env("SMS_RATE_LIMIT_REDIS_URL", default="")
# True when Twilio's default opt-out handling answers STOP/START itself (we must not answer twice).
TWILIO_HANDLES_OPT_OUT_REPLIES = env.bool("TWILIO_HANDLES_OPT_OUT_REPLIES", default=False)
# No routine text between these local hours [start, end]: held until the end hour (null: no quiet hours).
SMS_QUIET_HOURS = env.json("SMS_QUIET_HOURS", default=[21, 8])
# A send still unsettled after this was cut off (longer than any live send takes: see tasks.py).
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=120)
# A pending row this old may have lost its task (Redis restarted empty): the sweeper queues it again.
NOTIFICATION_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATION_REQUEUE_AFTER_SECONDS", default=60)

# How far ahead a request may be booked or a matching run may look (about 18 months): one bound for every
# door, so a date in year 9999 is a 400 naming the field, not an OverflowError later.
REQUEST_HORIZON_DAYS = env.int("REQUEST_HORIZON_DAYS", default=548)

# A session moved by more than this asks its confirmed mentor to confirm the new time (minutes).
RECONFIRM_MARGIN_MINUTES = env.int("RECONFIRM_MARGIN_MINUTES", default=30)
# How long a mentor has to answer an invitation before it expires.
INVITATION_TTL_HOURS = env.int("INVITATION_TTL_HOURS", default=48)
# A completion may claim at most the session's scheduled length plus this many hours (setting up, staying on)
# and at most the request's headcount plus this many students (a visiting class, a split group).
COMPLETION_EXTRA_HOURS = env.float("COMPLETION_EXTRA_HOURS", default=1.0)
COMPLETION_EXTRA_STUDENTS = env.int("COMPLETION_EXTRA_STUDENTS", default=10)
# The one-tap "how did it go?" links: how long a link works, when the one reminder goes, and how far back
# an ended occurrence is still asked about (older ones are left to the coordinator).
FEEDBACK_LINK_DAYS = env.int("FEEDBACK_LINK_DAYS", default=14)
FEEDBACK_REMIND_AFTER_HOURS = env.int("FEEDBACK_REMIND_AFTER_HOURS", default=48)
FEEDBACK_LOOKBACK_DAYS = env.int("FEEDBACK_LOOKBACK_DAYS", default=7)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))

# The public alliance page's reach figures: a dotted path to a callable(alliance) -> [(label, value), ...]
# (the impact app's aggregate figures for this school year); blank hides the block.
PROGRAMS_PUBLIC_REACH = env("PROGRAMS_PUBLIC_REACH", default="impact.public.public_reach")
