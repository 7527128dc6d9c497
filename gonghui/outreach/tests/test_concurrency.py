"""Two staffers click 转为维权诉求 on the same visit problem at once, on PostgreSQL: threads with their own
connections. The control (read, check, open a case, write back — no row lock) opens several cases for the
one problem; the service, which locks the item row first, opens exactly one and tells the others."""

import threading

import pytest
from django.db import transaction

from gonghui.cases.services import case_open_for_org
from gonghui.core.errors import Conflict
from gonghui.outreach import services
from gonghui.outreach.models import CheckItem
from gonghui.testing.race import run_together

from .conftest import WAGE_VISIT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4


@pytest.fixture
def wage_item(personas):
    visit = services.visit_record(
        actor=personas.county_staffer, org_id=personas.tree.county.pk, visited_on="2026-03-10", **WAGE_VISIT
    )
    return visit.items.get(topic="wages")


def naive_to_case(item_id, actor, barrier):
    """Read, check, open, write — no lock. Test-only."""
    with transaction.atomic():
        item = CheckItem.objects.select_related("visit", "visit__org").get(pk=item_id)
        if item.case_id:
            return "already"
        barrier.wait()  # every click has now seen "no case yet"
        case = case_open_for_org(
            actor=actor,
            org=item.visit.org,
            category="wages",
            title="法律体检发现欠薪",
            description=item.note,
            claimant_name="何某军",
            source="法律体检走访",
        )
        CheckItem.objects.filter(pk=item.pk).update(case_id=case.pk, case_number=case.number)
        return case.number


def test_control_without_the_lock_opens_several_cases(personas, wage_item):
    barrier = threading.Barrier(THREADS, timeout=20)
    results = run_together(THREADS, lambda i: naive_to_case(wage_item.pk, personas.county_staffer, barrier))
    opened = [r for r in results if isinstance(r, str) and r != "already"]
    assert len(opened) > 1, results


def test_service_opens_one_case_and_tells_the_others(personas, wage_item):
    from gonghui.cases.selectors import staff_cases

    before = staff_cases(actor=personas.county_staffer).count()
    results = run_together(
        THREADS, lambda i: services.item_to_case(actor=personas.county_staffer, item_id=wage_item.pk)
    )
    cases = [r for r in results if not isinstance(r, Exception)]
    assert len(cases) == 1, results
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception)), results
    assert staff_cases(actor=personas.county_staffer).count() == before + 1
    wage_item.refresh_from_db()
    assert wage_item.case_id == cases[0].pk
