"""python manage.py bench_matching [--sizes ...] [--seed N] [--exact-cap SECONDS] [--quick]

Seeded realistic problems (synthetic.random_problem) at several sizes, each
written to a file and then solved from that file in a fresh process, so that
the time covers JSON parsing and the peak memory is that run's alone:
the engine, the first-come greedy baseline, and the whole-problem MILP
(no decomposition) within a time cap. Prints them side by side.
"""
import json
import multiprocessing
import os
import resource
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError

SIZES = {
    "bostem-month": (1_500, 300, 4),
    "metro-week": (10_000, 2_000, 1),
    "large-metro": (50_000, 10_000, 1),
}
QUICK = {"quick": (400, 80, 2)}


def run_case(kind: str, path: str, exact_cap: float) -> dict:
    """In a fresh process: read, parse and solve one problem file; figures of that run."""
    # Imported here, in the fresh process, so the engine's own load counts in its figures.
    from scheduling.engine import parse_problem, solve, solve_greedy  # noqa: PLC0415 -- measured, see above
    from scheduling.engine.exact import solve_whole_milp  # noqa: PLC0415 -- measured, see above

    baseline = _peak_mb()
    started = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        problem = parse_problem(json.load(f))
    if kind == "exact":
        outcome = solve_whole_milp(problem, time_limit=exact_cap)
        figures = {"finished": outcome.finished, "seats": outcome.seats, "score": outcome.score}
    else:
        result = (solve if kind == "engine" else solve_greedy)(problem)
        json.dumps(result.to_dict())
        figures = {"finished": True, "seats": result.stats["seats_filled"], "score": result.stats["score"],
                   "wanted": result.stats["seats_wanted"], "pairs": result.stats["candidates"]}
    figures["seconds"] = time.perf_counter() - started
    figures["peak_mb"] = _peak_mb()
    figures["import_mb"] = baseline
    return figures


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Command(BaseCommand):
    help = "Benchmark the matching engine against a greedy baseline and a whole-problem MILP."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--sizes", nargs="+", metavar="SIZE",
                            help=f"names ({', '.join(SIZES)}) or MENTORSxSESSIONS[xWEEKS]; default: all three")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--exact-cap", type=float, default=120.0, help="seconds allowed to the whole MILP")
        parser.add_argument("--quick", action="store_true", help="one small problem only")
        parser.add_argument("--run-cap", type=float, default=300.0,
                            help="seconds allowed to any one run (engine, greedy or exact) before it is stopped")

    def handle(self, *args, sizes, seed, exact_cap, quick, run_cap, **options):
        cases = QUICK if quick else _cases(sizes)
        self.stdout.write(f"seed {seed}, {os.cpu_count()} CPUs, exact cap {exact_cap:g} s; "
                          "seconds = file to result (JSON parse included), MB = peak RSS of the run's process\n")
        self.stdout.write(_header())
        with tempfile.TemporaryDirectory() as tmp:
            for name, (n_mentors, n_sessions, weeks) in cases.items():
                path = _write_problem(tmp, name, n_mentors, n_sessions, weeks, seed)
                kinds = ("engine", "greedy", "exact")
                runs = {kind: _in_fresh_process(kind, path, exact_cap, run_cap) for kind in kinds}
                if runs["engine"] is None or runs["greedy"] is None:
                    stopped = [kind for kind, run in runs.items() if run is None]
                    self.stdout.write(f"{name:<14}{f'{n_mentors:,} x {n_sessions:,}':>20}  "
                                      f"did not finish within {run_cap:g} s: {', '.join(stopped)}\n")
                    continue
                if runs["exact"] is None:
                    runs["exact"] = {"finished": False, "seconds": run_cap, "peak_mb": float("nan")}
                self.stdout.write(_row(name, n_mentors, n_sessions, runs))


def _cases(sizes):
    if not sizes:
        return SIZES
    cases = {}
    for size in sizes:
        if size in SIZES:
            cases[size] = SIZES[size]
            continue
        try:
            numbers = [int(part) for part in size.lower().split("x")]
        except ValueError:
            raise CommandError(f"unknown size {size!r}") from None
        if len(numbers) not in (2, 3):
            raise CommandError(f"unknown size {size!r}")
        cases[size] = (numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 1)
    return cases


def _write_problem(tmp, name, n_mentors, n_sessions, weeks, seed):
    from scheduling.engine.synthetic import random_problem  # noqa: PLC0415 -- keeps the engine out of the parent

    path = os.path.join(tmp, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(random_problem(n_mentors, n_sessions, seed=seed, weeks=weeks), f)
    return path


def _in_fresh_process(kind, path, exact_cap, run_cap):
    """One run in its own process (so its peak memory is its own); None when it passes `run_cap` seconds."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        try:
            return pool.apply_async(run_case, (kind, path, exact_cap)).get(timeout=run_cap)
        except multiprocessing.TimeoutError:
            pool.terminate()
            return None


def _header():
    return (
        f"{'size':<14}{'mentors x sessions':>20}{'pairs':>11}{'wanted':>8} | "
        f"{'engine seats':>12}{'score':>11}{'s':>7}{'MB':>6} | "
        f"{'greedy seats':>12}{'score':>11}{'s':>7}{'MB':>6} | "
        f"{'exact seats':>11}{'score':>11}{'s':>8}{'MB':>6} | "
        f"{'eng/greedy seats':>16}{'eng/exact seats':>16}{'eng/exact score':>16}\n"
    )


def _row(name, n_mentors, n_sessions, runs):
    e, g, x = runs["engine"], runs["greedy"], runs["exact"]
    if x["finished"]:
        exact = f"{x['seats']:>11}{x['score']:>11.4f}{x['seconds']:>8.1f}{x['peak_mb']:>6.0f}"
        ratios = f"{_ratio(e['seats'], x['seats']):>16}{_ratio(e['score'], x['score']):>16}"
    else:
        exact = f"{'timeout':>11}{'':>11}{'>' + format(x['seconds'], '.0f'):>8}{x['peak_mb']:>6.0f}"
        ratios = f"{'n/a':>16}{'n/a':>16}"
    return (
        f"{name:<14}{f'{n_mentors:,} x {n_sessions:,}':>20}{e['pairs']:>11,}{e['wanted']:>8,} | "
        f"{e['seats']:>12}{e['score']:>11.4f}{e['seconds']:>7.2f}{e['peak_mb']:>6.0f} | "
        f"{g['seats']:>12}{g['score']:>11.4f}{g['seconds']:>7.2f}{g['peak_mb']:>6.0f} | "
        f"{exact} | {_ratio(e['seats'], g['seats']):>15}{ratios}\n"
    )


def _ratio(a, b):
    return f"{a / b:.4f}" if b else "n/a"
