"""python manage.py match_file PROBLEM.json [--candidates] [-o RESULT.json]

Solves a problem file with the same engine as the matching task and writes
the result file (shared/matching-problem.md). Touches no database.
"""
import json

from django.core.management.base import BaseCommand, CommandError

from scheduling.engine import ProblemError, parse_problem, solve

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Solve a matching problem file and write the result as JSON (no database)."
    # No system checks: they may open a database connection.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("problem", help="path to PROBLEM.json")
        parser.add_argument("--candidates", action="store_true", help="also list every feasible pair and its score")
        parser.add_argument("-o", "--output", help="write RESULT.json here instead of stdout")

    def handle(self, *args, problem, candidates, output, **options):
        parsed = _parse(_read_json(problem))
        text = json.dumps(solve(parsed, with_candidates=candidates).to_dict(), indent=2) + "\n"
        if output:
            _write(output, text)
        else:
            self.stdout.write(text, ending="")


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file", returncode=BAD_INPUT) from None
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"{path}: cannot read: {e}", returncode=BAD_INPUT) from None
    except json.JSONDecodeError as e:
        raise CommandError(f"{path}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}",
                           returncode=BAD_INPUT) from None


def _parse(data):
    try:
        return parse_problem(data)
    except ProblemError as e:
        raise CommandError(str(e), returncode=BAD_INPUT) from None


def _write(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise CommandError(f"{path}: cannot write: {e}") from None
