"""python manage.py bench_scale [--size small|medium|national] [--processes 1 2] [--database NAME]

Builds a national-shape data set in a PostgreSQL database of its own, then drains the hourly
matching plan with 1 and then 2 real `celery worker` processes, beside the plan as it was before
(one task per alliance-week, queued alliance by alliance) on the same data in the same run.
Prints wall time, speed-up, tasks per second, the share of worker time spent waiting on an
alliance's advisory lock (sampled from pg_locks), whether both plans proposed the same matches,
and the time projected for 10, 50 and 100 workers from the measured per-task costs.
"""
import contextlib
import heapq
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime
from itertools import cycle, islice

import psutil
from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from kombu import Queue

from alliances.models import Alliance
from scheduling import benchdb, seeding, tasks
from scheduling.models import Match, MatchingRun

SIZES = {
    "small": seeding.Shape(alliances=8, mentors=500, sessions=100),
    "medium": seeding.Shape(alliances=8, mentors=2_000, sessions=400),
    "national": seeding.Shape(alliances=100, mentors=2_000, sessions=400),
}
PROJECTED_WORKERS = (10, 50, 100)
NATIONAL_ALLIANCES = 100
READY_TIMEOUT = 60
SUCCEEDED = re.compile(r"succeeded in ([0-9.]+)s")


class Workers:
    """`count` real `celery worker` processes (one task at a time each) consuming only `queue`."""

    def __init__(self, count, *, queue, env):
        self.count, self.queue, self.env = count, queue, env
        self.processes, self.logs = [], []

    def __enter__(self):
        for index in range(self.count):
            self._start(index)
        return self

    def _start(self, index):
        log, ready = [], threading.Event()
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "-Q", self.queue, "-n", f"{self.queue}-{index}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=_read, args=(process, log, ready), daemon=True).start()
        self.processes.append(process)
        self.logs.append(log)
        if not ready.wait(READY_TIMEOUT):
            raise CommandError("a celery worker did not start:\n" + "\n".join(log[-30:]))

    def task_seconds(self):
        """Seconds of every task each worker finished, as Celery logged them."""
        return [[float(t) for line in log for t in SUCCEEDED.findall(line)] for log in self.logs]

    def cpu_seconds(self):
        """User + system CPU seconds the worker processes have used so far."""
        total = 0.0
        for process in self.processes:
            times = psutil.Process(process.pid).cpu_times()
            total += times.user + times.system
        return total

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _read(process, log, ready):
    for line in process.stdout:
        log.append(line.rstrip())
        if " ready." in line:
            ready.set()


class LockSampler(threading.Thread):
    """Counts, every `interval` seconds, the backends of this database waiting on an advisory lock."""

    def __init__(self, interval=0.1):
        super().__init__(daemon=True)
        self.interval, self.samples, self.waiting = interval, 0, 0
        self.stop = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                while not self.stop.is_set():
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                                   "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                    self.waiting += cursor.fetchone()[0]
                    self.samples += 1
                    time.sleep(self.interval)
        finally:
            connection.close()


def makespan(costs, workers):
    """Seconds until `workers` workers finish tasks of these `costs`, each taking the next in order."""
    free = [0.0] * min(workers, max(len(costs), 1))
    for cost in costs:
        heapq.heappush(free, heapq.heappop(free) + cost)
    return max(free)


def proposals():
    return set(Match.objects.filter(status=Match.Status.PROPOSED).values_list("mentor_id", "session_id", "score"))


class Command(BaseCommand):
    help = "Benchmark matching fanned out over 1 and 2 real Celery workers on a national-shape data set."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small")
        for name in ("alliances", "mentors", "sessions", "weeks"):
            parser.add_argument(f"--{name}", type=int, help=f"override the size's {name} (mentors and sessions "
                                                             "are per alliance)")
        parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
        parser.add_argument("--database", help="default: the configured database's name + _bench_scale")
        parser.add_argument("--allow-data", action="store_true",
                            help="use the database even if it holds other data (only benchmark rows are removed)")
        parser.add_argument("--keep", action="store_true", help="keep the database and its rows afterwards")
        parser.add_argument("--no-baseline", action="store_true", help="skip the alliance-week plan of before")

    def handle(self, *args, **options):
        if current_app.conf.task_always_eager:
            raise CommandError("Tasks run in-process with these settings; bench_scale needs a broker "
                               "(e.g. DJANGO_SETTINGS_MODULE=config.settings.test and CELERY_BROKER_URL).")
        shape = SIZES[options["size"]]
        for name in ("alliances", "mentors", "sessions", "weeks"):
            if options[name]:
                setattr(shape, name, options[name])
        self.queue = f"bench-scale-{os.getpid()}"
        # Every task this process publishes goes to the benchmark's own queue (before anything is published):
        # the settings route housekeeping to a queue of its own, which would bypass the default queue.
        # The settings' own names (CELERY_...) win over Celery's lowercase ones, so those are the ones to set.
        current_app.conf.update(CELERY_TASK_DEFAULT_QUEUE=self.queue, CELERY_TASK_QUEUES=[Queue(self.queue)],
                                CELERY_TASK_ROUTES={})
        amqp = current_app.amqp  # forget queues, routes and the publisher's default queue read before
        for cached in ("queues", "default_queue", "router", "send_task_message"):
            amqp.__dict__.pop(cached, None)
        amqp.flush_routes()
        name = options["database"] or benchdb.default_name("bench_scale")
        with benchdb.own_database(name, allow_data=options["allow_data"], keep=options["keep"],
                                  log=self.stdout.write):
            try:
                self._bench(shape, name, options)
            finally:
                self._delete_queue()

    def _bench(self, shape, name, options):
        self.stdout.write(f"shape: {shape.alliances} alliances x {shape.mentors:,} mentors x {shape.sessions:,} "
                          f"sessions over {shape.weeks} weeks ({shape.alliances * shape.mentors:,} mentors, "
                          f"{shape.alliances * shape.sessions:,} sessions)")
        started = time.perf_counter()
        windows = tasks.horizon_weeks(shape.weeks)
        seeding.seed(shape, tag=f"s{os.getpid()}", start=datetime.fromisoformat(windows[0][0]))
        self.stdout.write(f"seeded in {time.perf_counter() - started:.1f} s")
        env = dict(os.environ, DATABASE_URL=benchdb.url(name), CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
        plans = [] if options["no_baseline"] else [("before: a task per alliance-week", self._old_plan)]
        plans.append(("now: a task per alliance", self._plan))
        rows, answers = [], []
        for label, enqueue in plans:
            for processes in options["processes"]:
                rows.append(self._round(label, enqueue, processes, shape, windows, env))
            answers.append(proposals())
        self._print(rows, answers)

    def _old_plan(self, windows):
        """The plan as it was: every alliance-week in turn, alliance by alliance."""
        for alliance_id in Alliance.objects.order_by("pk").values_list("pk", flat=True):
            for window_start, window_end in windows:
                tasks.run_matching.delay(alliance_id, window_start, window_end)
        return Alliance.objects.count() * len(windows)

    def _plan(self, windows):
        return tasks.plan_matching.apply(kwargs={"weeks": len(windows)}).get()

    def _round(self, label, enqueue, processes, shape, windows, env):
        Match.objects.filter(status=Match.Status.PROPOSED).delete()
        MatchingRun.objects.all().delete()
        expected = shape.alliances * len(windows)
        load = os.getloadavg()[0]
        with Workers(processes, queue=self.queue, env=env) as workers:
            sampler = LockSampler()
            sampler.start()
            cpu, began = workers.cpu_seconds(), time.perf_counter()
            queued = enqueue(windows)
            while MatchingRun.objects.count() < expected:
                time.sleep(0.1)
            wall = time.perf_counter() - began
            cpu = workers.cpu_seconds() - cpu
            sampler.stop.set()
            sampler.join()
            time.sleep(0.5)  # the last "succeeded" line
            per_worker = workers.task_seconds()
        costs = sorted((t for seconds in per_worker for t in seconds), reverse=True)
        row = {"label": label, "processes": processes, "wall": wall, "tasks": queued, "costs": costs, "cpu": cpu,
               "lock_wait": sampler.waiting / max(sampler.samples * processes, 1), "load": load,
               "busy": sum(costs) / (wall * processes), "split": [len(seconds) for seconds in per_worker]}
        self.stdout.write(f"  {label}, {processes} process(es): {wall:.1f} s, tasks per worker {row['split']}, "
                          f"load average before {load:.1f}")
        return row

    def _print(self, rows, answers):
        out = self.stdout.write
        out(f"\n{'plan':<34} {'procs':>5} {'wall s':>8} {'speed-up':>9} {'tasks':>6} {'tasks/s':>8} "
            f"{'lock-wait':>10} {'in tasks':>9} {'worker CPU s':>13} {'load':>5}")
        single = {}
        for row in rows:
            single.setdefault(row["label"], row["wall"])
            out(f"{row['label']:<34} {row['processes']:>5} {row['wall']:>8.1f} "
                f"{single[row['label']] / row['wall']:>8.2f}x {row['tasks']:>6} {row['tasks'] / row['wall']:>8.2f} "
                f"{row['lock_wait']:>9.0%} {row['busy']:>8.0%} {row['cpu']:>13.1f} {row['load']:>5.1f}")
        out(f"proposals identical across plans: {'yes' if all(a == answers[0] for a in answers) else 'NO'} "
            f"({len(answers[0]):,} proposals)")
        self._print_projection([r for r in rows if r["label"].startswith("now")])

    def _print_projection(self, rows):
        if not rows:
            return
        costs = min(rows, key=lambda r: r["processes"])["costs"]
        national = sorted(islice(cycle(costs), NATIONAL_ALLIANCES), reverse=True)
        self.stdout.write("lock-wait: share of worker time spent waiting on an alliance's advisory lock (pg_locks "
                          "samples); in tasks: share of worker time inside a task (the rest is idle or queue); "
                          "load: the machine's 1-minute load average before the round (2 cores)")
        self.stdout.write(f"\nper-alliance task (1 process): mean {sum(costs) / len(costs):.2f} s, "
                          f"max {max(costs):.2f} s, total {sum(costs):.1f} s")
        self.stdout.write("projected wall time from those costs (database and broker assumed not the limit):")
        for workers in PROJECTED_WORKERS:
            self.stdout.write(f"  {workers:>3} workers: this data set {makespan(costs, workers):7.1f} s; "
                              f"{NATIONAL_ALLIANCES} alliances of this shape {makespan(national, workers):7.1f} s")

    def _delete_queue(self):
        """The benchmark's queue and its exchange (named after it) leave nothing behind in the broker."""
        with current_app.connection_for_write() as conn, contextlib.suppress(Exception):
            channel = conn.default_channel
            # This channel must know the binding (made by the publisher's) for queue_delete to remove it.
            channel.exchange_declare(exchange=self.queue, type="direct")
            channel.queue_bind(self.queue, exchange=self.queue, routing_key=self.queue)
            channel.queue_delete(self.queue)
