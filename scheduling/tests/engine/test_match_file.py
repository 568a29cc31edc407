"""manage.py match_file: file in, result file out, no database; a malformed
file gets one line naming the field and exit status 2."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from .factories import km_north, mentor_json, problem_json, session_json

ROOT = Path(__file__).resolve().parents[3]


def run(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    return subprocess.run(
        [sys.executable, "manage.py", "match_file", *map(str, args)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def no_database():
    from django.db.backends.base.base import BaseDatabaseWrapper

    with mock.patch.object(BaseDatabaseWrapper, "connect", side_effect=AssertionError("database touched")):
        yield


def write(tmp_path, data, name="problem.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_it_round_trips_a_sample_file_to_a_result_file(tmp_path, no_database):
    path = write(tmp_path, problem_json(
        [mentor_json("m-1"), mentor_json("m-2", grade_bands=["K-2"])],
        [session_json("s-1"), session_json("s-2", language="es")],
    ))
    out = tmp_path / "result.json"
    call_command("match_file", str(path), "-o", str(out))
    result = json.loads(out.read_text())
    assert [(a["session"], a["mentor"]) for a in result["assignments"]] == [("s-1", "m-1")]
    assert result["unfilled"] == [{"session": "s-2", "missing": 1, "why": "no mentor within travel range speaks es"}]
    assert result["stats"]["seats_filled"] == 1 and result["stats"]["seats_wanted"] == 2
    assert set(result["stats"]) == {"seats_filled", "seats_wanted", "score", "candidates", "seconds"}
    assert "candidates" not in result
    a = result["assignments"][0]
    assert a["score"] == pytest.approx(sum(a["reasons"].values()))


def test_it_lists_candidates_on_request_and_writes_to_stdout(tmp_path, no_database):
    path = write(tmp_path, problem_json([mentor_json("m-1"), mentor_json("m-2")], [session_json()]))
    out = io.StringIO()
    call_command("match_file", str(path), "--candidates", stdout=out)
    result = json.loads(out.getvalue())
    assert sorted(c["mentor"] for c in result["candidates"]) == ["m-1", "m-2"]
    assert set(result["candidates"][0]) == {"session", "mentor", "score"}


def test_an_empty_problem_gives_an_empty_result(tmp_path, no_database):
    out = io.StringIO()
    call_command("match_file", str(write(tmp_path, problem_json())), stdout=out)
    result = json.loads(out.getvalue())
    assert result["assignments"] == [] and result["unfilled"] == []
    assert result["stats"]["seats_filled"] == 0 and result["stats"]["candidates"] == 0


def test_a_malformed_file_raises_a_command_error_with_status_2(tmp_path, no_database):
    path = write(tmp_path, problem_json([mentor_json(grade_bands=["13-14"])]))
    with pytest.raises(CommandError) as caught:
        call_command("match_file", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == "mentors[0].grade_bands[0]: unknown grade band '13-14'"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (problem_json([mentor_json(), mentor_json(), mentor_json(), mentor_json(grade_bands=["13-14"])]),
         "mentors[3].grade_bands[0]: unknown grade band '13-14'"),
        ('{"version": 1, "mentors": [', "invalid JSON at line 1"),
        (problem_json() | {"version": 3}, "version: unsupported version 3"),
        (None, "no such file"),
    ],
    ids=["bad-field", "bad-json", "bad-version", "missing-file"],
)
def test_the_command_line_exits_2_with_one_line_naming_the_problem(tmp_path, content, words):
    path = tmp_path / "missing.json" if content is None else write(tmp_path, content)
    done = run(path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert done.stdout == ""


def test_the_command_line_writes_the_result_file(tmp_path):
    path = write(tmp_path, problem_json([mentor_json()], [session_json()]))
    out = tmp_path / "result.json"
    done = run(path, "-o", out)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["stats"]["seats_filled"] == 1


def test_the_file_s_weights_decide_the_scores(tmp_path, no_database):
    near = mentor_json("m-near", location=list(km_north(4.5)), load=5)
    quiet = mentor_json("m-quiet", location=list(km_north(-10)), load=0)
    chosen = {}
    runs = {"distance": {"distance": 1, "fairness": 0}, "fairness": {"distance": 0, "fairness": 1}}
    for name, weights in runs.items():
        path = write(tmp_path, problem_json([near, quiet], [session_json()], weights=weights), f"{name}.json")
        out = tmp_path / f"{name}-result.json"
        call_command("match_file", str(path), "-o", str(out))
        chosen[name] = json.loads(out.read_text())["assignments"][0]["mentor"]
    assert chosen == {"distance": "m-near", "fairness": "m-quiet"}
