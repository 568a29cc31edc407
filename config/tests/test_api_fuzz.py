"""A bounded schemathesis run against the live test server (issue 11, point 5): for a coordinator, a
teacher and a volunteer, no operation answers 5xx, and every response matches the published schema.

Fixed seed, a few examples per operation and role: the same requests every run. The figures (operations,
requests, failures) are printed with `-s` and written to var/schemathesis-figures.json.
"""
import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mentors.tests.factories import MentorFactory
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

EXAMPLES_PER_OPERATION = 4
SEED = 20261204
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FIGURES = Path(__file__).resolve().parents[2] / "var" / "schemathesis-figures.json"


@pytest.fixture
def people(transactional_db):
    """One alliance with a request and a proposed match, so ids that exist answer with real bodies."""
    mentor = MentorFactory()
    alliance = mentor.company.alliance
    teacher = TeacherFactory(school__alliance=alliance)
    session = make_request(teacher).sessions.get()
    Match.objects.create(session=session, mentor=mentor, score=0.7, reasons={"skills": 0.7})
    return {"coordinator": CoordinatorFactory(alliance=alliance).user, "teacher": teacher.user,
            "volunteer": mentor.user}


def describe(failure):
    """The failure's first lines that say what went wrong (check name and message)."""
    lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
    return " | ".join(lines[:4])


def fuzz(operation, base_url, headers, tally, role):
    @seed(SEED)
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        tally["requests"] += 1
        try:
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - each is counted and reported below
            tally["failures"].append(f"{role}: {case.method} {case.formatted_path}: {describe(failure)}")

    run()


def test_no_operation_answers_5xx_or_off_schema_for_any_role(live_server, client, people):
    schema = schemathesis.openapi.from_dict(json.loads(client.get("/api/schema/?format=json").content))
    operations = [result.ok() for result in schema.get_all_operations()]
    tally = {"requests": 0, "failures": []}
    for role, user in people.items():
        headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
        for operation in operations:
            fuzz(operation, live_server.url, headers, tally, role)
    figures = {"operations": len(operations), "roles": len(people), "requests": tally["requests"],
               "failures": len(tally["failures"])}
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps(figures | {"failed": sorted(set(tally["failures"]))}, indent=2))
    print("schemathesis:", figures)
    assert tally["failures"] == []
