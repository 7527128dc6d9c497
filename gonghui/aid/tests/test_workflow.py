"""From application to payment, never paid twice."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from gonghui.aid.models import AidApplication, AidProgramme, HardshipFile, PaymentBatch
from gonghui.aid.services import applications, hardship, payments, programmes
from gonghui.aid.services.hardship import HardshipData
from gonghui.cases.models import Case
from gonghui.core import notices
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.models import AuditEvent
from gonghui.testing.factories import make_id

from .conftest import all_documents, child_data

pytestmark = pytest.mark.django_db
HEAD_ID = make_id(dt.date(1980, 3, 15))
MON = dt.datetime(2026, 8, 3, 2, tzinfo=dt.UTC)  # Monday 2026-08-03, 10:00 Shanghai
S = AidApplication.Status


def approve_path(p, app, actor=None):
    actor = actor or p.county_staffer
    app = applications.application_check_documents(actor=actor, application=app, complete=True)
    app = applications.application_visit(
        actor=actor,
        application=app,
        visited_on="2026-08-03",
        visitors="赵县干、李桂兰",
        findings="父亲跑长途货运，母亲务农，家中两个孩子上学，住房为自建旧房。",
    )
    return applications.application_approve(actor=actor, application=app, reason="经走访核实，家庭困难属实")


@time_machine.travel(MON)
def test_from_application_to_payment(personas, jinqiu, xlsx_rows, sms_outbox):
    p = personas
    app = applications.application_submit(
        actor=p.worker, programme=jinqiu, data=child_data(), files=all_documents()
    )
    assert app.amount == Decimal("4000.00")  # not on file: the "other" university amount
    assert app.documents.count() == 4
    app = approve_path(p, app)
    assert app.status == S.APPROVED
    jinqiu.refresh_from_db()
    assert jinqiu.committed == Decimal("4000.00")
    notice = applications.programme_publish_notice(actor=p.county_staffer, programme=jinqiu)
    app.refresh_from_db()
    assert app.status == S.IN_NOTICE and app.notice == notice
    assert list(notice.entries.values_list("name_masked", "detail")) == [
        ("王*雨", "大学（含高职） 4,000.00 元")
    ]
    assert notice.ends_on == dt.date(2026, 8, 7)
    with pytest.raises(DomainError) as exc:
        payments.batch_create(actor=p.county_staffer, programme=jinqiu)
    assert exc.value.code == "nothing_payable"
    with time_machine.travel(dt.datetime(2026, 8, 10, 2, tzinfo=dt.UTC)):
        batch = payments.batch_create(actor=p.county_staffer, programme=jinqiu)
        assert (batch.count, batch.total) == (1, Decimal("4000.00"))
        rows = xlsx_rows(payments.batch_export(actor=p.county_staffer, batch=batch))
        assert rows[1][2] == "王建军" and rows[1][5] == "6228480123456789012"
        assert "*" in rows[1][3]  # the ID stays masked
        assert rows[-1][0] == "合计" and rows[-1][6] == 4000 and "控制总额 4,000.00 元" in rows[-1][8]
        payments.batch_mark_paid(actor=p.county_staffer, batch=batch)
    app.refresh_from_db()
    jinqiu.refresh_from_db()
    assert app.status == S.PAID and jinqiu.paid == Decimal("4000.00")
    assert p.worker.notifications.filter(title__contains="已发放").exists()
    assert AuditEvent.objects.filter(action="aid.batch_export").exists()


@time_machine.travel(MON)
def test_registered_hardship_family_gets_the_higher_amount(personas, jinqiu):
    data = child_data()
    hardship.hardship_file_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data=HardshipData(
            head_name="王建军",
            head_id_number=data.applicant_id_number,
            region_code="141125",
            household_size=4,
            annual_income="30000",
            expense_education="6000",
        ),
    )
    app = applications.application_submit(actor=personas.worker, programme=jinqiu, data=data)
    assert app.hardship_file is not None
    assert app.amount == Decimal("5000.00")


@time_machine.travel(MON)
def test_second_application_for_the_same_child_in_the_same_year_is_refused(personas, jinqiu):
    applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    with pytest.raises(DomainError) as exc:
        applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    assert exc.value.code == "duplicate_need" and exc.value.field == "beneficiary_id_number"
    assert "2026年已在柳林县总工会申请金秋助学" in exc.value.message
    assert AidApplication.objects.count() == 1


@time_machine.travel(MON)
def test_another_union_in_the_tree_cannot_grant_the_same_need(personas, jinqiu):
    other = programmes.programme_create(
        actor=personas.sibling_staffer,
        org=personas.tree.sibling_city,
        kind="jinqiu",
        name="2026年太原市金秋助学",
        year=2026,
        budget="50000",
        fund_source="市总工会",
    )
    applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    with pytest.raises(DomainError) as exc:
        applications.application_submit(
            actor=personas.sibling_staffer,
            programme=other,
            data=child_data(applicant_name="王建军", applicant_phone="13800015001"),
            on_behalf=True,
        )
    assert exc.value.code == "duplicate_need"


@time_machine.travel(MON)
def test_refused_application_frees_the_need_for_a_new_one(personas, jinqiu):
    app = applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    applications.application_reject(actor=personas.county_staffer, application=app, reason="非本县职工子女")
    again = applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    assert again.status == S.SUBMITTED


@time_machine.travel(MON)
def test_documents_missing_are_named(personas, jinqiu):
    app = applications.application_submit(
        actor=personas.worker,
        programme=jinqiu,
        data=child_data(),
        files={"admission": all_documents()["admission"]},
    )
    with pytest.raises(DomainError) as exc:
        applications.application_check_documents(
            actor=personas.county_staffer, application=app, complete=True
        )
    assert "身份证、户口簿、困难证明" in exc.value.message


@time_machine.travel(MON)
def test_approval_needs_a_visit_and_never_exceeds_the_rule(personas, jinqiu):
    app = applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    with pytest.raises(DomainError) as exc:
        applications.application_approve(actor=personas.county_staffer, application=app, reason="同意资助")
    assert exc.value.code == "visit_required"
    applications.application_check_documents(
        actor=personas.county_staffer, application=app, complete=False, note="请补充录取通知书"
    )
    app.refresh_from_db()
    assert (
        app.status == S.SUBMITTED
        and personas.worker.notifications.filter(title__contains="补充材料").exists()
    )


@time_machine.travel(MON)
def test_budget_is_never_overspent(personas, dibao):
    small = programmes.programme_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        kind="jinqiu",
        name="小额试点",
        year=2026,
        budget="6000",
        fund_source="捐赠",
    )
    first = applications.application_submit(
        actor=personas.worker, programme=small, data=child_data(), files=all_documents()
    )
    second = applications.application_submit(
        actor=personas.worker,
        programme=small,
        data=child_data(beneficiary_name="王小川", beneficiary_id_number=make_id(dt.date(2009, 1, 2))),
        files=all_documents(),
    )
    approve_path(personas, first)
    with pytest.raises(DomainError) as exc:
        approve_path(personas, second)
    assert exc.value.code == "budget_exhausted" and "剩余 2,000.00 元" in exc.value.message
    small.refresh_from_db()
    assert small.committed == Decimal("4000.00")


@time_machine.travel(MON)
def test_objection_opens_a_case_and_when_upheld_the_grant_is_not_paid(personas, jinqiu):
    p = personas
    app = approve_path(
        p,
        applications.application_submit(
            actor=p.worker, programme=jinqiu, data=child_data(), files=all_documents()
        ),
    )
    notice = applications.programme_publish_notice(actor=p.county_staffer, programme=jinqiu)
    objection = notices.notice_object(
        actor=None,
        notice=notice,
        entry_id=notice.entries.get().pk,
        name="刘大姐",
        phone="13800015090",
        reason="该生家庭经营货运车队，并不困难",
    )
    case = Case.objects.get(number=objection.case_ref)
    assert case.org == p.tree.county and case.title.startswith("公示异议")
    with pytest.raises(NotFound):
        applications.objection_decide(
            actor=p.sibling_staffer, objection=objection, upheld=True, decision="越权处理"
        )
    applications.objection_decide(
        actor=p.county_staffer, objection=objection, upheld=True, decision="入户核实属实"
    )
    app.refresh_from_db()
    jinqiu.refresh_from_db()
    assert app.status == S.REJECTED and "公示异议经核实成立" in app.decision_reason
    assert jinqiu.committed == Decimal("0.00")
    with time_machine.travel(dt.datetime(2026, 8, 10, 2, tzinfo=dt.UTC)), pytest.raises(DomainError):
        payments.batch_create(actor=p.county_staffer, programme=jinqiu)


@time_machine.travel(MON)
def test_sibling_staff_get_404_and_nothing_changes(personas, jinqiu):
    p = personas
    app = applications.application_submit(actor=p.worker, programme=jinqiu, data=child_data())
    for call in (
        lambda: applications.application_check_documents(
            actor=p.sibling_staffer, application=app, complete=True
        ),
        lambda: applications.application_reject(actor=p.sibling_staffer, application=app, reason="越权操作"),
        lambda: applications.programme_publish_notice(actor=p.sibling_staffer, programme=jinqiu),
        lambda: payments.batch_create(actor=p.sibling_staffer, programme=jinqiu),
        lambda: programmes.programme_close(actor=p.sibling_staffer, programme=jinqiu),
    ):
        with pytest.raises(NotFound):
            call()
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert AidProgramme.objects.get().status == "open" and not PaymentBatch.objects.exists()


@time_machine.travel(MON)
def test_hardship_file_category_with_working_and_leaving(personas, dibao):
    p = personas
    file = hardship.hardship_file_create(
        actor=p.county_staffer,
        org=p.tree.county,
        data=HardshipData(
            head_name="郝师傅",
            head_id_number=HEAD_ID,
            region_code="141125",
            household_size=3,
            annual_income=str(760 * 12 * 3),
            household=[{"name": "郝小花", "relation": "女儿"}],
        ),
    )
    assert file.category == HardshipFile.Category.RELATIVE  # exactly 1× 低保
    assert file.recheck_due == dt.date(2027, 8, 3)
    with pytest.raises(DomainError) as exc:
        hardship.hardship_file_create(
            actor=p.county_staffer,
            org=p.tree.county,
            data=HardshipData(
                head_name="郝师傅",
                head_id_number=HEAD_ID,
                region_code="141125",
                household_size=3,
                annual_income="1000",
            ),
        )
    assert exc.value.code == "file_exists"
    hardship.hardship_file_leave(actor=p.county_staffer, file=file, reason="女儿大学毕业就业，家庭增收")
    file.refresh_from_db()
    assert file.status == "left" and file.left_on == dt.date(2026, 8, 3)


def test_recheck_reminder_is_sent_once(personas, dibao):
    with time_machine.travel(dt.datetime(2025, 8, 3, 2, tzinfo=dt.UTC)):
        hardship.hardship_file_create(
            actor=personas.county_staffer,
            org=personas.tree.county,
            data=HardshipData(
                head_name="郝师傅",
                head_id_number=HEAD_ID,
                region_code="141125",
                household_size=3,
                annual_income="10000",
            ),
        )
    assert hardship.recheck_reminders(on=dt.date(2026, 6, 1)) == 0
    assert hardship.recheck_reminders(on=dt.date(2026, 7, 10)) == 1
    assert hardship.recheck_reminders(on=dt.date(2026, 7, 11)) == 0
    assert personas.county_staffer.notifications.filter(title__contains="需在 2026-08-03 前复核").exists()


def test_missing_dibao_is_asked_for(db):
    with pytest.raises(DomainError) as exc:
        hardship.self_test(
            hardship.HouseholdFigures(region_code="999999", household_size=2, annual_income="1000")
        )
    assert exc.value.field == "dibao_monthly"
    result = hardship.self_test(
        hardship.HouseholdFigures(
            region_code="999999", household_size=2, annual_income="1000", dibao_monthly="700"
        )
    )
    assert result.result.category == "deep"
