"""Quote → apply → review → payment batch → ledger, with the registry's figures and the scheme's version."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.models import AuditEvent
from gonghui.funds import selectors, services
from gonghui.funds.models import Budget, FundApplication, LedgerEntry
from gonghui.members.models import Member, StatusChange
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_member, make_org, make_staff

pytestmark = pytest.mark.django_db

DOCS_SD = [{"name": "试点工会认定文件", "ref": "沈总工〔2021〕12号"}, {"name": "会员名册（系统自动统计）"}]


def add_members(org, n, joined=dt.date(2022, 1, 10), **kw):
    return [make_member(org, name=f"会员{i}", joined_at=joined, **kw) for i in range(n)]


def apply_sd(personas, scheme, **kw):
    return services.application_submit(
        actor=personas.grassroots_admin, scheme=scheme, org=personas.tree.grassroots, documents=DOCS_SD, **kw
    )


def test_member_count_comes_from_the_registry_on_the_reference_date(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    add_members(personas.tree.grassroots, 25)  # 王建军 (the persona) joined today, after the reference date
    add_members(personas.tree.grassroots, 3, joined=dt.date(2022, 7, 1))  # after 2022-06-30: not counted
    add_members(personas.tree.grassroots, 2, occupation="security_guard")  # not one of the four groups
    gone = make_member(personas.tree.grassroots, name="离会者", joined_at=dt.date(2022, 1, 1))
    Member.objects.filter(pk=gone.pk).update(status=Member.Status.WITHDRAWN)
    StatusChange.objects.create(member=gone, from_status="active", to_status="withdrawn", reason="退会")
    # Left on 2022-07-15, after the reference date: still counted (26 in all).

    app = apply_sd(personas, scheme, inputs={"members": 999})  # a typed number is ignored
    assert app.inputs == {"members": 26}
    assert app.maximum == app.minimum == Decimal("2020.00")
    assert app.working[0] == "会员人数取自会员名册（2022-06-30 在籍）：26 人"
    assert app.input_sources["members"].startswith("会员名册")
    assert AuditEvent.objects.filter(action="funds.application.submit", object_id=str(app.pk)).exists()


def test_quote_before_applying_uses_typed_inputs_or_the_registry(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    typed, _ = selectors.scheme_quote(actor=personas.grassroots_admin, scheme=scheme, inputs={"members": 26})
    assert typed.maximum == Decimal("2020.00")
    known, sources = selectors.scheme_quote(
        actor=personas.grassroots_admin, scheme=scheme, inputs={}, org_id=personas.tree.grassroots.pk
    )
    assert known.maximum == Decimal("2000.00")  # nobody on the roll on 2022-06-30
    assert sources["members"].startswith("会员名册")
    with pytest.raises(NotFound):
        selectors.scheme_quote(
            actor=personas.grassroots_admin,
            scheme=scheme,
            inputs={},
            org_id=personas.tree.sibling_grassroots.pk,
        )


def test_part_time_chairs_come_from_staff_positions(personas, scheme_factory):
    scheme = scheme_factory("SY-JZ")
    g = personas.tree.grassroots
    make_staff(g, Staff.Role.ADMIN, name="兼职主席甲", title="兼职主席")
    make_staff(g, Staff.Role.OBSERVER, name="兼职副主席乙", title="兼职副主席")
    make_staff(g, Staff.Role.HANDLER, name="专职干部丙", title="专职副主席")
    app = services.application_submit(
        actor=personas.grassroots_admin,
        scheme=scheme,
        org=g,
        inputs={"persons": 9, "months": 12},
        documents=["优秀兼职主席、副主席考核结果"],
    )
    assert app.inputs == {"persons": 2, "months": 12}
    assert app.maximum == Decimal("7200.00")


def test_once_per_period_and_a_refusal_frees_the_period(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    first = apply_sd(personas, scheme)
    with pytest.raises(Conflict) as exc:
        apply_sd(personas, scheme)
    assert exc.value.code == "already_applied"
    services.application_reject(actor=personas.city_staffer, application_id=first.pk, reason="材料不全")
    assert apply_sd(personas, scheme).status == FundApplication.Status.SUBMITTED


def test_eligibility_kind_pilot_list_period_and_documents(personas, scheme_factory, clock):
    scheme = scheme_factory("SY-XM")  # district (county) unions only
    with pytest.raises(Forbidden) as exc:
        services.application_submit(
            actor=personas.grassroots_admin,
            scheme=scheme,
            org=personas.tree.grassroots,
            inputs={"cost": "1000"},
        )
    assert exc.value.code == "not_eligible"
    with pytest.raises(DomainError) as exc:
        services.application_submit(
            actor=personas.county_staffer, scheme=scheme, org=personas.tree.county, inputs={"cost": "1000"}
        )
    assert exc.value.code == "documents_missing"
    assert "市总工会评审意见" in exc.value.message
    pilot = scheme_factory("SY-SD", as_code="SY-SD2", pilot_org_ids=[personas.tree.sibling_grassroots.pk])
    with pytest.raises(Forbidden, match="试点名单"):
        apply_sd(personas, pilot)
    clock.move_to(dt.datetime(2022, 11, 1, 9, 0))
    with pytest.raises(DomainError) as exc:
        apply_sd(personas, scheme_factory("SY-SD", as_code="SY-SD3"))
    assert exc.value.code == "scheme_out_of_period"


def test_a_sibling_staffer_cannot_apply_for_a_union_outside_their_scope(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    with pytest.raises(NotFound):
        services.application_submit(
            actor=personas.sibling_staffer, scheme=scheme, org=personas.tree.grassroots, documents=DOCS_SD
        )
    assert not FundApplication.objects.exists()


def test_versioning_an_old_application_keeps_its_version(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    add_members(personas.tree.grassroots, 30)  # the persona joined after the reference date
    old = apply_sd(personas, scheme)
    assert old.maximum == Decimal("2100.00")
    v2 = services.scheme_revise(
        actor=personas.city_staffer,
        scheme=scheme,
        change_reason="2022 年第二批：超出部分每人 30 元",
        formula={"type": "per_member_above", "base": "2000", "threshold": 25, "per_member": "30"},
        once_per="none",
    )
    assert v2.number == 2
    scheme.refresh_from_db()
    new = apply_sd(personas, scheme)
    assert (new.version.number, new.maximum) == (2, Decimal("2150.00"))
    old.refresh_from_db()
    assert (old.version.number, old.maximum) == (1, Decimal("2100.00"))
    # The reviewer approves the old one within its own version's bounds.
    services.application_approve(
        actor=personas.city_staffer, application_id=old.pk, amount="2100", reason="符合"
    )
    with pytest.raises(DomainError):
        services.application_approve(
            actor=personas.city_staffer, application_id=new.pk, amount="2150.01", reason="x"
        )


def test_revision_is_validated_and_needs_a_reason(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    with pytest.raises(DomainError) as exc:
        services.scheme_revise(actor=personas.city_staffer, scheme=scheme, change_reason="", formula={})
    assert exc.value.field == "change_reason"
    with pytest.raises(DomainError) as exc:
        services.scheme_revise(
            actor=personas.city_staffer,
            scheme=scheme,
            change_reason="改",
            formula={"type": "fixed", "amount": "x"},
        )
    assert exc.value.field == "formula.fixed.amount"
    assert scheme.versions.count() == 1


@pytest.mark.parametrize(
    ("amount", "ok"), [("1600", True), ("2000", True), ("1599.99", False), ("2000.01", False)]
)
def test_training_subsidy_reviewer_picks_within_the_band(personas, scheme_factory, amount, ok):
    scheme = scheme_factory("HA-PX")
    app = services.application_submit(
        actor=personas.worker,
        scheme=scheme,
        inputs={"level": "senior"},
        documents=["职业技能等级证书", "培训合格证明"],
        payee="王建军",
    )
    assert (app.org, app.applicant_user) == (personas.tree.grassroots, personas.worker)
    if ok:
        done = services.application_approve(
            actor=personas.city_staffer, application_id=app.pk, amount=amount, reason="证书核验无误"
        )
        assert done.approved_amount == Decimal(amount)
    else:
        with pytest.raises(DomainError) as exc:
            services.application_approve(
                actor=personas.city_staffer, application_id=app.pk, amount=amount, reason="x"
            )
        assert exc.value.code == "amount_out_of_bounds"
        assert Budget.objects.get().committed == 0


def test_approval_needs_a_reason_and_the_payer(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    app = apply_sd(personas, scheme)
    with pytest.raises(DomainError) as exc:
        services.application_approve(
            actor=personas.city_staffer, application_id=app.pk, amount="2000", reason=" "
        )
    assert exc.value.field == "reason"
    # The county sees the application of its grassroots union but does not pay it.
    with pytest.raises(Forbidden):
        services.application_approve(
            actor=personas.county_staffer, application_id=app.pk, amount="2000", reason="同意"
        )
    with pytest.raises(NotFound):
        services.application_approve(
            actor=personas.sibling_staffer, application_id=app.pk, amount="2000", reason="同意"
        )
    app.refresh_from_db()
    assert app.status == FundApplication.Status.SUBMITTED


def test_budget_cannot_be_overcommitted(personas, scheme_factory):
    scheme = scheme_factory("SY-SD", budget="3000")
    app = apply_sd(personas, scheme)
    services.application_approve(
        actor=personas.city_staffer, application_id=app.pk, amount="2000", reason="同意"
    )
    courier_union = make_org(personas.tree.township, Org.Kind.GRASSROOTS, "柳林镇快递行业工会")
    other = services.application_submit(
        actor=personas.city_staffer, scheme=scheme, org=courier_union, documents=DOCS_SD
    )
    with pytest.raises(Conflict) as exc:
        services.application_approve(
            actor=personas.city_staffer, application_id=other.pk, amount="2000", reason="同意"
        )
    assert exc.value.code == "budget_exhausted"
    assert "剩余 1,000.00 元" in exc.value.message
    assert Budget.objects.get().committed == Decimal("2000.00")


def test_batch_control_total_payment_and_ledger_on_both_sides(personas, scheme_factory):
    scheme = scheme_factory("SY-SD", budget="10000")
    app = apply_sd(personas, scheme)
    services.application_approve(
        actor=personas.city_staffer, application_id=app.pk, amount="2000", reason="同意"
    )
    batch = services.batch_create(actor=personas.city_staffer, org=personas.tree.city)
    assert (batch.count, batch.total) == (1, Decimal("2000.00"))
    with pytest.raises(DomainError) as exc:
        services.batch_confirm_paid(actor=personas.city_staffer, batch=batch, control_total="2000.10")
    assert exc.value.code == "control_total_mismatch"
    services.batch_confirm_paid(actor=personas.city_staffer, batch=batch, control_total="2000.00")
    budget = Budget.objects.get()
    assert (budget.committed, budget.paid, budget.remaining) == (0, Decimal("2000.00"), Decimal("8000.00"))
    app.refresh_from_db()
    assert app.status == FundApplication.Status.PAID
    kinds = sorted(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["commit", "pay"]
    # Payer and recipient see the same rows; the sibling city sees none.
    assert selectors.ledger_in_scope(actor=personas.city_staffer).count() == 2
    assert selectors.ledger_in_scope(actor=personas.grassroots_admin).count() == 2
    assert selectors.ledger_in_scope(actor=personas.sibling_staffer).count() == 0
    with pytest.raises(Conflict):
        services.batch_confirm_paid(actor=personas.city_staffer, batch=batch, control_total="2000.00")
    with pytest.raises(DomainError):
        services.batch_create(actor=personas.city_staffer, org=personas.tree.city)


def test_sibling_sees_nothing_of_the_city_money(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    app = apply_sd(personas, scheme)
    sib = personas.sibling_staffer
    with pytest.raises(NotFound):
        selectors.scheme_get(actor=sib, scheme_id=scheme.pk)
    with pytest.raises(NotFound):
        selectors.application_get(actor=sib, application_id=app.pk)
    assert not selectors.budgets_in_scope(actor=sib).exists()
    with pytest.raises(NotFound):
        services.budget_set(actor=sib, scheme=scheme, year=2022, amount="1")
    # The grassroots union sees the scheme its city pays, not the city's budget.
    assert selectors.scheme_get(actor=personas.grassroots_admin, scheme_id=scheme.pk) == scheme
    assert not selectors.budgets_in_scope(actor=personas.grassroots_admin).exists()


def test_report_by_district_and_per_new_form_member(personas, scheme_factory):
    scheme = scheme_factory("SY-SD", budget="10000")
    add_members(personas.tree.grassroots, 3)  # 4 new-form members under 柳林县
    app = apply_sd(personas, scheme)
    services.application_approve(
        actor=personas.city_staffer, application_id=app.pk, amount="2000", reason="同意"
    )
    data = selectors.report(actor=personas.city_staffer, org=personas.tree.city, year=2022)
    county = next(r for r in data["by_district"] if r["name"] == "柳林县总工会")
    assert county["approved"] == Decimal("2000.00")
    assert county["per_new_form_member"] == Decimal("500.00")
    assert data["totals"]["remaining"] == Decimal("8000.00")
    assert data["by_category"] == [{"name": "新就业形态", "value": Decimal("2000.00")}]
