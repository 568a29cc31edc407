"""``manage.py bench_notifications``: how fast the outbox drains, beside a bare loop of SDK calls.

Queues N text notifications in one transaction, lets real ``celery worker`` processes drain
them to the local Twilio-compatible server through the Twilio SDK, and prints throughput,
duplicates and losses beside a bare loop of ``client.messages.create`` calls in the same run:
once with the local Twilio opening a new connection for every call (as the issue measured),
once keeping connections open (as Twilio does, which makes the bare loop about twice as fast).
Then builds calendar invitations with ``notifications.calendar`` beside a string-template baseline.

Needs PostgreSQL and Redis (the settings' DATABASE_URL and CELERY_BROKER_URL). By default
it works in a scratch database ``<name>_bench`` that it creates, migrates and drops.
Also counts, in this process, the SQL statements and commits one text costs.
Prints figures only: nothing here asserts a time.
"""
import os
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings

from config.testing.worker import WorkerDidNotStart, WorkerProcess, worker_env
from notifications import calendar, services
from notifications.models import Notification
from notifications.twilio_fake import FakeTwilio

FROM_NUMBER = "+15005550006"
# Texts sent in this process to count what each costs in SQL.
COST_SAMPLE = 50
# --connections: the rounds to run, each with the local Twilio keeping connections open (True) or not.
CONNECTIONS = {"kept": (True,), "new": (False,), "both": (False, True)}


class StatementCounter:
    """Counts SQL statements and commits: a statement outside a transaction is its own commit."""

    def __init__(self):
        self.statements = 0
        self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        if not connection.in_atomic_block:
            self.commits += 1
        return execute(sql, params, many, context)

    @contextmanager
    def counting_commits(self):
        original = connection.commit

        def commit():
            self.commits += 1
            return original()

        connection.commit = commit
        try:
            yield
        finally:
            del connection.commit


class Command(BaseCommand):
    help = "Benchmark the notification outbox (real workers, local Twilio) and invitation building."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500, help="notifications to send (default 500)")
        parser.add_argument("--workers", type=int, default=4, help="celery worker processes (default 4)")
        parser.add_argument("--rate", type=float, default=0, help="TWILIO_MESSAGES_PER_SECOND for the workers "
                            "(default 0: no limit, to measure the pipeline itself)")
        parser.add_argument("--invitations", type=int, default=2000, help="invitations to build (default 2000)")
        parser.add_argument("--no-scratch-db", dest="scratch_db", action="store_false",
                            help="use the configured database as it is (it must be migrated)")
        parser.add_argument("--timeout", type=float, default=300, help="give up draining after this many seconds")
        parser.add_argument("--connections", choices=sorted(CONNECTIONS), default="both",
                            help="the local Twilio keeps each connection open between calls, as Twilio does "
                                 "(kept), hangs up after every call (new), or one round of each (default both)")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_notifications needs PostgreSQL: set DATABASE_URL")
        if not settings.CELERY_BROKER_URL.startswith("redis"):
            raise CommandError("bench_notifications needs Redis: set CELERY_BROKER_URL")
        # The workers send; this process only queues (local settings run tasks in-process otherwise).
        # With config_from_object(namespace="CELERY") the prefixed name is the one that counts.
        current_app.conf.CELERY_TASK_ALWAYS_EAGER = False
        scratch = self._create_scratch_db() if options["scratch_db"] else None
        try:
            self._bench_sending(options)
            self._bench_invitations(options["invitations"])
        finally:
            if scratch:
                connection.creation.destroy_test_db(scratch, verbosity=0)

    def _say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    # Sending

    def _bench_sending(self, options):
        count, workers = options["count"], options["workers"]
        fake = FakeTwilio().start()
        processes = [WorkerProcess(_worker_env(fake, options["rate"]), name=f"bench{n}") for n in range(workers)]
        try:
            for process in processes:
                try:
                    process.start()
                except WorkerDidNotStart as error:
                    raise CommandError(str(error)) from error
            self._say(f"Texts: {count} notifications, {workers} worker processes (solo pool), "
                      f"local Twilio at {fake.url}")
            self._warm_up(fake, workers, options["timeout"])
            for keep_alive in CONNECTIONS[options["connections"]]:
                fake.keep_alive = keep_alive
                bare = self._bare_sdk_loop(fake, count)
                fake.clear()
                cpu_before = _cpu_seconds(processes)
                outbox = self._outbox(fake, count, options["timeout"])
                worker_cpu = (_cpu_seconds(processes) - cpu_before) / count
                fake.clear()
                self._say_round(keep_alive, count, bare, outbox, worker_cpu)
            for process in processes:
                process.stop()  # the workers would otherwise take the rows counted here
            fake.keep_alive = True
            statements, commits = self._cost_per_text(fake)
        finally:
            for process in processes:
                process.stop()
            fake.stop()
        self._say(f"  SQL statements per text            {statements:9.2f}   (in-process, {COST_SAMPLE} texts; "
                  "plus one connection health check a task)")
        self._say(f"  commits per text                   {commits:9.2f}")
        self._say()

    def _say_round(self, keep_alive, count, bare, outbox, worker_cpu):
        (bare, bare_cpu), (rate, written_rate, written, seconds, duplicates, lost) = bare, outbox
        self._say("  Twilio's connection kept open between calls (as Twilio does):" if keep_alive else
                  "  a new connection for every call (the local Twilio hanging up after each, as it did before):")
        self._say(f"    bare SDK loop (1 process, no DB)     {bare:9.1f} texts/s")
        self._say(f"    outbox, from commit to all sent      {rate:9.1f} texts/s   ({count} in {seconds:.2f} s, "
                  f"{services.SEND_BATCH_SIZE} rows a task)")
        self._say(f"    outbox, writing the rows included    {written_rate:9.1f} texts/s   "
                  f"(rows written in one transaction in {written:.2f} s)")
        self._say(f"    ratio outbox / bare loop             {rate / bare:9.2f} x   "
                  f"({written_rate / bare:.2f} x with writing the rows)")
        # CPU time does not depend on what else the shared machine runs, as the rates above do.
        self._say(f"    CPU ms a text: bare loop {1000 * bare_cpu:.2f} (SDK and local Twilio, one process); "
                  f"outbox workers {1000 * worker_cpu:.2f} (SDK, Django, Celery; not PostgreSQL, Redis, Twilio)")
        self._say(f"    duplicates (texts beyond one per notification): {duplicates}")
        self._say(f"    lost (not sent when the run ended):              {lost}")

    def _bare_sdk_loop(self, fake, count):
        client = fake.client(timeout=10)
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(count):
            client.messages.create(to=_phone(n), from_=FROM_NUMBER, body=f"Mentorbridge bench {n}")
        return count / (time.perf_counter() - started), (time.process_time() - cpu) / count

    def _warm_up(self, fake, workers, timeout):
        """A few texts, each its own task, so every worker has connected and imported before the clock runs."""
        run = uuid.uuid4().hex[:8]
        for n in range(4 * workers):  # outside a transaction: each row is queued on its own
            services.queue_notification(key=f"warm:{run}:{n}", channel="sms", kind="bench", to=_phone(n),
                                        body=f"Mentorbridge warm-up {run} {n}", urgent=True)
        rows = Notification.objects.filter(key__startswith=f"warm:{run}:")
        self._wait_until_sent(rows, 4 * workers, timeout)
        rows.delete()
        fake.clear()

    def _outbox(self, fake, count, timeout):
        """Queue `count` texts in one transaction (as a change that notifies many does) and time the drain."""
        run = uuid.uuid4().hex[:8]
        committed = []
        started = time.perf_counter()
        with transaction.atomic():
            # Registered first, so it runs first after the commit: before any send is handed to the broker.
            transaction.on_commit(lambda: committed.append(time.perf_counter()))
            for n in range(count):
                services.queue_notification(
                    key=f"bench:{run}:{n}", channel="sms", kind="bench", to=_phone(n),
                    body=f"Mentorbridge bench {run} {n}", urgent=True,
                )
        rows = Notification.objects.filter(key__startswith=f"bench:{run}:")
        sent = self._wait_until_sent(rows, count, timeout)
        finished = time.perf_counter()
        per_body = Counter(m["body"] for m in fake.messages if run in m["body"])
        duplicates = sum(n - 1 for n in per_body.values())
        rows.delete()
        seconds = finished - committed[0]
        return (sent / seconds, sent / (finished - started), committed[0] - started, seconds, duplicates,
                count - sent)

    def _wait_until_sent(self, rows, count, timeout):
        deadline = time.monotonic() + timeout
        while rows.filter(status=Notification.Status.SENT).count() < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return rows.filter(status=Notification.Status.SENT).count()

    def _cost_per_text(self, fake):
        """Statements and commits one text costs, counted in this process over COST_SAMPLE sends."""
        run = uuid.uuid4().hex[:8]
        overrides = {"SMS_BACKEND": "notifications.sms.twilio.SmsBackend", "TWILIO_API_BASE_URL": fake.url,
                     "TWILIO_ACCOUNT_SID": fake.account_sid, "TWILIO_AUTH_TOKEN": fake.auth_token,
                     "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_MESSAGING_SERVICE_SID": "",
                     "TWILIO_MESSAGES_PER_SECOND": 0, "SMS_QUIET_HOURS": None}
        with override_settings(**overrides):
            ids = []
            for n in range(COST_SAMPLE):
                ids.append(services.queue_notification(
                    key=f"cost:{run}:{n}", channel="sms", kind="bench", to=_phone(n),
                    body=f"Mentorbridge cost {run} {n}", urgent=True).pk)
            counter = StatementCounter()
            with connection.execute_wrapper(counter), counter.counting_commits():
                for notification_id in ids:
                    services.deliver_notification(notification_id, "sms")
        sent = Notification.objects.filter(pk__in=ids, status=Notification.Status.SENT).count()
        Notification.objects.filter(pk__in=ids).delete()
        if sent != COST_SAMPLE:
            raise CommandError(f"only {sent} of {COST_SAMPLE} texts were sent while counting statements")
        return counter.statements / COST_SAMPLE, counter.commits / COST_SAMPLE

    # Invitations

    def _bench_invitations(self, count):
        invitations = [_invitation(n) for n in range(count)]
        now = datetime.now(UTC)
        started = time.perf_counter()
        for invitation in invitations:
            calendar.build_request(invitation, now=now)
        built = count / (time.perf_counter() - started)
        started = time.perf_counter()
        for invitation in invitations:
            _template_ics(invitation, now)
        baseline = count / (time.perf_counter() - started)
        self._say(f"Invitations: {count} METHOD:REQUEST calendars")
        self._say(f"  notifications.calendar (icalendar) {built:9.0f} invitations/s")
        self._say(f"  string-template baseline           {baseline:9.0f} invitations/s")

    def _create_scratch_db(self):
        """A throwaway copy of the schema, so the benchmark never touches anyone's data."""
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_bench"
        self._say(f"(scratch database {original}_bench)")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return original


def _cpu_seconds(processes):
    """User and system CPU seconds the worker processes have used so far (Linux /proc)."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
    return total / os.sysconf("SC_CLK_TCK")


def _phone(n):
    return f"+1518555{n % 10000:04d}"


def _worker_env(fake, rate):
    return worker_env(
        SMS_BACKEND="notifications.sms.twilio.SmsBackend", TWILIO_API_BASE_URL=fake.url,
        TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token, TWILIO_FROM_NUMBER=FROM_NUMBER,
        TWILIO_MESSAGING_SERVICE_SID="", TWILIO_MESSAGES_PER_SECOND=rate, SMS_QUIET_HOURS="null",
    )


def _invitation(n):
    start = datetime(2027, 3, 2, 15, tzinfo=UTC) + timedelta(days=n % 90)
    return calendar.Invitation(
        uid=f"{uuid.UUID(int=n)}@mentorbridge", sequence=n % 3, summary=f"Mentorbridge: Robotics {n} (Lincoln MS)",
        description="Build a line-following robot for grades 6-8, 24 students.",
        location="Lincoln Middle School, 1121 Forest Rd, Schenectady, NY 12303",
        intervals=((start, start + timedelta(hours=1)),),
        organizer_email="calendar@alliance.example", organizer_name="Capital Region STEM Alliance",
        attendees=(calendar.Attendee("ana@erierobotics.example", "Ana Ruiz"),
                   calendar.Attendee("teresa@lincoln.example", "Teresa Lopez", role="CHAIR")),
    )


TEMPLATE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:{stamp}\r\nSEQUENCE:{sequence}\r\nDTSTART:{start}\r\nDTEND:{end}\r\n"
    "SUMMARY:{summary}\r\nLOCATION:{location}\r\nORGANIZER;CN={organizer_name}:mailto:{organizer_email}\r\n"
    "{attendees}STATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _template_ics(invitation, now):
    """The minimal baseline: no escaping, no folding, no validation."""
    fmt = "%Y%m%dT%H%M%SZ"
    start, end = invitation.intervals[0]
    attendees = "".join(f"ATTENDEE;CN={a.name}:mailto:{a.email}\r\n" for a in invitation.attendees)
    return TEMPLATE.format(
        uid=invitation.uid, stamp=now.strftime(fmt), sequence=invitation.sequence, start=start.strftime(fmt),
        end=end.strftime(fmt), summary=invitation.summary, location=invitation.location,
        organizer_name=invitation.organizer_name, organizer_email=invitation.organizer_email, attendees=attendees,
    )
