"""法律体检 visits: what was checked, and a problem found on a visit becoming a 诉求工单 in one step."""

import pytest

from gonghui.cases.selectors import case_get_for_staff, staff_cases
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.models import AuditEvent, Notification
from gonghui.outreach import selectors, services
from gonghui.outreach.models import CheckItem, Visit

from .conftest import WAGE_VISIT

pytestmark = pytest.mark.django_db


def _visit(personas, **over):
    data = {**WAGE_VISIT, "org_id": personas.tree.county.pk, "visited_on": "2027-03-10", **over}
    return services.visit_record(actor=personas.county_staffer, **data)


def test_wage_problem_becomes_a_case_with_the_facts_in_one_step(personas, clock):
    clock(2027, 3, 10)
    visit = _visit(personas)
    wages = visit.items.get(topic="wages")
    before = staff_cases(actor=personas.county_staffer).count()

    case = services.item_to_case(actor=personas.county_staffer, item_id=wages.pk)

    assert staff_cases(actor=personas.county_staffer).count() == before + 1
    case = case_get_for_staff(actor=personas.county_staffer, case_id=case.pk)
    assert case.category == "wages" and case.org == personas.tree.county
    assert case.claimant_name == "何某军"
    for fact in ("柳林县某装饰材料有限公司", "2027-03-10", "工资未发放", "8600", "张律师"):
        assert fact in case.description
    wages.refresh_from_db()
    assert wages.case_id == case.pk and wages.case_number == case.number
    # the county's handlers were told a new case waits (cases' own notification)
    assert Notification.objects.filter(user=personas.county_staffer, title__contains=case.number).exists()
    assert AuditEvent.objects.filter(action="outreach.item_to_case").count() == 1
    # one step only once: a second click does not open a second case
    with pytest.raises(Conflict):
        services.item_to_case(actor=personas.county_staffer, item_id=wages.pk)
    assert staff_cases(actor=personas.county_staffer).count() == before + 1


def test_a_compliant_item_is_not_a_case(personas, clock):
    clock(2027, 3, 10)
    visit = _visit(personas)
    with pytest.raises(DomainError) as exc:
        services.item_to_case(actor=personas.county_staffer, item_id=visit.items.get(topic="contract").pk)
    assert exc.value.code == "item_not_problem"


def test_sibling_staff_cannot_turn_our_visit_into_a_case(personas, clock):
    clock(2027, 3, 10)
    visit = _visit(personas)
    item = visit.items.get(topic="wages")
    with pytest.raises(NotFound):
        services.item_to_case(actor=personas.sibling_staffer, item_id=item.pk)
    with pytest.raises(NotFound):
        selectors.visit_get(actor=personas.sibling_staffer, visit_id=visit.pk)
    item.refresh_from_db()
    assert item.case_id is None


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"items": []}, "items_required", "items"),
        ({"items": [{"topic": "wages", "result": "problem", "note": ""}]}, "required", "items.0.note"),
        ({"items": [{"topic": "wages", "result": "maybe"}]}, "result_invalid", "items.0.result"),
        (
            {"items": [{"topic": "wages", "result": "ok"}, {"topic": "wages", "result": "ok"}]},
            "topic_duplicate",
            "items.1.topic",
        ),
        ({"visited_on": "2027-03-11"}, "date_too_late", "visited_on"),
        ({"enterprise_name": "  "}, "required", "enterprise_name"),
        ({"rules_improved": "-3"}, "count_invalid", "rules_improved"),
        ({"enterprise_credit_code": "123"}, None, "enterprise_credit_code"),
    ],
)
def test_visit_refusals_name_the_field(personas, clock, over, code, field):
    clock(2027, 3, 10)
    with pytest.raises(DomainError) as exc:
        _visit(personas, **over)
    assert exc.value.field == field
    if code:
        assert exc.value.code == code
    assert not Visit.objects.exists()


def test_totals_count_rules_and_problems_in_scope(personas, clock):
    clock(2027, 3, 10)
    _visit(personas)
    _visit(
        personas,
        enterprise_name="柳林县某物流有限公司",
        rules_advised=5,
        rules_improved=4,
        items=[{"topic": "hours", "result": "ok"}],
    )
    totals = selectors.visit_totals(actor=personas.city_staffer)
    assert totals["enterprises"] == 2 and totals["rules_improved"] == 5 and totals["problems"] == 2
    assert selectors.visit_totals(actor=personas.sibling_staffer)["visits"] == 0
    assert CheckItem.objects.count() == 4


def test_overdue_follow_up_reminds_the_recorder_once(personas, clock):
    clock(2027, 3, 10)
    visit = _visit(personas)
    services.followup_add(
        actor=personas.county_staffer, visit_id=visit.pk, action="复查工资台账", due_on="2027-03-20"
    )
    clock(2027, 3, 20)
    assert services.followups_remind() == 0
    clock(2027, 3, 21)
    assert services.followups_remind() == 1
    assert services.followups_remind() == 0
    assert Notification.objects.filter(user=personas.county_staffer, kind="outreach").count() == 1
