"""The API contract: schemathesis generates requests from /api/v1/openapi.json and checks every answer
is not a 5xx, has a documented status and matches its documented schema — anonymous, as a worker and as
a county staffer. Run alone with `pytest -m contract`; examples per operation are bounded
(CONTRACT_EXAMPLES, default 8) so the run stays well inside CI time on two cores."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = [pytest.mark.contract, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the WSGI handler, whose request signals would close the test's database
    connection (and its transaction) after each call; Django's test client detaches them the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(personas):
    from gonghui.accounts.services import api_token_issue

    return {
        "anonymous": {},
        "worker": {"Authorization": f"Bearer {api_token_issue(user=personas.worker)}"},
        "staffer": {"Authorization": f"Bearer {api_token_issue(user=personas.county_staffer)}"},
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case, tokens):
    for headers in tokens.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
