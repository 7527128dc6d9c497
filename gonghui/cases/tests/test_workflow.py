import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.cases import selectors, services
from gonghui.cases.models import Case, CaseStep, CoClaimant, Escalation
from gonghui.core.errors import DomainError, Forbidden
from gonghui.core.models import AuditEvent, Notification
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff, make_user

from .conftest import wage_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def test_full_path_from_filing_to_archive(personas, file_case, township_handler, sms_outbox):
    case = file_case()
    case = services.case_accept(actor=township_handler, case=case)
    assert case.status == Case.Status.ACCEPTED and case.handler == township_handler
    services.case_message(
        actor=township_handler, case=case, body="已联系老板，约定下周一协调。", internal=False
    )
    services.case_message(
        actor=township_handler, case=case, body="老板态度不好，准备联合人社局。", internal=True
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    case = services.case_resolve(
        actor=township_handler,
        case=case,
        outcome="solved",
        summary="老板已当场支付全部工资",
        amount_recovered="9000",
    )
    assert case.resolved_on_time is True and case.amount_recovered == Decimal("9000.00")
    case = services.case_rate(actor=personas.worker, case=case, rating=5, comment="谢谢工会")
    assert case.status == Case.Status.RATED
    case = services.case_archive(actor=township_handler, case=case)
    assert case.status == Case.Status.ARCHIVED
    worker_view = [s.kind for s in selectors.worker_timeline(case)]
    assert "note" not in worker_view and "message" in worker_view and "resolved" in worker_view
    assert Notification.objects.filter(user=personas.worker, title__contains="已受理").exists()
    assert set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)) >= {
        "case.file",
        "case.accept",
        "case.message",
        "case.note",
        "case.resolve",
        "case.rate",
        "case.archive",
    }


@pytest.mark.parametrize(
    "action, message",
    [
        ("resolve", "工单当前状态为「待受理」，不能办结"),
        ("archive", "工单当前状态为「待受理」，不能归档"),
        ("joint", "工单当前状态为「待受理」，不能登记联合处置"),
    ],
)
def test_illegal_transitions_from_submitted_are_refused(
    personas, file_case, township_handler, action, message
):
    case = file_case()
    calls = {
        "resolve": lambda: services.case_resolve(
            actor=township_handler, case=case, outcome="solved", summary="已解决了"
        ),
        "archive": lambda: services.case_archive(actor=township_handler, case=case),
        "joint": lambda: services.case_joint_step(
            actor=township_handler, case=case, department="住建局", body="协调"
        ),
    }
    with pytest.raises(DomainError) as exc:
        calls[action]()
    assert exc.value.message == message and exc.value.status == 409
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_cannot_accept_twice_or_rate_before_resolution(personas, file_case, township_handler):
    case = services.case_accept(actor=township_handler, case=file_case())
    with pytest.raises(DomainError, match="工单当前状态为「已受理」，不能受理"):
        services.case_accept(actor=township_handler, case=case)
    with pytest.raises(DomainError, match="不能评价"):
        services.case_rate(actor=personas.worker, case=case, rating=5)


def test_observer_and_auditor_may_read_but_not_act(personas, file_case):
    case = file_case()
    assert selectors.case_get_for_staff(actor=personas.county_auditor, case_id=case.pk) == case
    with pytest.raises(Forbidden):
        services.case_accept(actor=personas.county_auditor, case=case)


def test_only_the_filer_rates(personas, file_case, township_handler):
    case = services.case_accept(actor=township_handler, case=file_case())
    case = services.case_resolve(
        actor=township_handler, case=case, outcome="solved", summary="已经解决", amount_recovered="1"
    )
    with pytest.raises(Forbidden):
        services.case_rate(actor=township_handler, case=case, rating=1)
    with pytest.raises(DomainError) as exc:
        services.case_rate(actor=personas.worker, case=case, rating=6)
    assert exc.value.field == "rating"


def test_unsatisfied_worker_reopens_within_the_window(personas, file_case, township_handler, clock):
    clock.set(2026, 3, 2)
    case = services.case_accept(actor=township_handler, case=file_case())
    clock.set(2026, 3, 10)
    case = services.case_resolve(
        actor=township_handler, case=case, outcome="unsolved", summary="老板拒不支付", amount_recovered="0"
    )
    clock.set(2026, 3, 12)
    case = services.case_rate(actor=personas.worker, case=case, rating=1, comment="没拿到钱", reopen=True)
    assert case.status == Case.Status.IN_PROGRESS and case.reopen_count == 1 and case.rating == 1
    assert case.clock_start == dt.date(2026, 3, 12) and case.handle_due == dt.date(2026, 4, 2)
    assert Notification.objects.filter(user=township_handler, title__contains="重新办理").exists()


def test_reopen_after_the_window_is_refused(personas, file_case, township_handler, clock, settings):
    settings.GONGHUI_CASES_REOPEN_DAYS = 15
    clock.set(2026, 3, 2)
    case = services.case_accept(actor=township_handler, case=file_case())
    case = services.case_resolve(
        actor=township_handler, case=case, outcome="partial", summary="付了一半", amount_recovered="4500"
    )
    case = services.case_rate(actor=personas.worker, case=case, rating=2)
    clock.set(2026, 3, 20)
    with pytest.raises(DomainError, match="办结超过 15 天"):
        services.case_reopen(actor=personas.worker, case=case, reason="还差一半")
    case.refresh_from_db()
    assert case.status == Case.Status.RATED


def test_collective_case_with_partial_payment(personas, county_handler):
    """阳江式集体欠薪：每位工人各自的金额与支付状态，追回金额按已支付合计。"""
    claimants = [services.ClaimantInput(f"工人{i:02d}", f"1390000{i:04d}", "12000") for i in range(67)]
    case = services.case_file(
        actor=personas.worker, data=wage_input(personas.tree, amount_claimed=None, claimants=claimants)
    )
    assert case.amount_claimed == Decimal("804000.00") and case.claimants.count() == 67
    case = services.case_accept(actor=county_handler, case=case, difficulty="complex")
    services.case_joint_step(
        actor=county_handler,
        case=case,
        department="人社局（劳动保障监察）",
        body="召集业主、施工、劳务单位协调，签署支付工资书面承诺书",
        files=[SimpleUploadedFile("承诺书.pdf", PDF, "application/pdf")],
    )
    ids = list(case.claimants.values_list("pk", flat=True))
    for pk in ids[:60]:
        services.case_record_payment(actor=county_handler, case=case, claimant_id=pk, amount_paid="12000")
    services.case_record_payment(actor=county_handler, case=case, claimant_id=ids[60], amount_paid="5000")
    with pytest.raises(DomainError) as exc:
        services.case_record_payment(
            actor=county_handler, case=case, claimant_id=ids[61], amount_paid="13000"
        )
    assert exc.value.field == "amount_paid"
    case.refresh_from_db()
    assert case.amount_recovered == Decimal("725000.00")
    statuses = dict(case.claimants.values_list("pk", "payment_status"))
    assert statuses[ids[0]] == CoClaimant.Payment.PAID and statuses[ids[60]] == CoClaimant.Payment.PARTIAL
    assert statuses[ids[66]] == CoClaimant.Payment.UNPAID
    with pytest.raises(DomainError, match=r"725000\.00"):
        services.case_resolve(
            actor=county_handler, case=case, outcome="partial", summary="部分支付", amount_recovered="804000"
        )
    case = services.case_resolve(
        actor=county_handler,
        case=case,
        outcome="partial",
        summary="60人已全部支付，1人部分支付，6人已回老家正在核实账户",
    )
    assert case.outcome == "partial" and case.amount_recovered == Decimal("725000.00")
    joint = case.steps.get(kind=CaseStep.Kind.JOINT)
    assert joint.attachments.get().content_type == "application/pdf"


def test_merge_duplicates_of_the_same_employer(personas, file_case, county_handler):
    first = file_case(workplace_township_id=None)
    other = make_user(name="陈大明")
    second = file_case(actor=other, workplace_township_id=None, amount_claimed="6000")
    unrelated = file_case(workplace_township_id=None, employer_name="另一家公司")
    with pytest.raises(DomainError, match="同一用人单位"):
        services.case_merge(actor=county_handler, case=first, duplicate=unrelated)
    merged = services.case_merge(actor=county_handler, case=first, duplicate=second)
    second.refresh_from_db()
    assert second.status == Case.Status.MERGED and second.merged_into == merged
    assert merged.claimants.count() == 2 and merged.amount_claimed == Decimal("15000.00")
    # The second worker follows progress through their own case page.
    assert any(s.case_id == merged.pk for s in selectors.worker_timeline(second)) is False
    services.case_accept(actor=county_handler, case=merged)
    assert any(s.kind == "accepted" for s in selectors.worker_timeline(second))


def test_lawyer_assignment_gives_read_access(personas, file_case, county_handler):
    lawyer = make_staff(personas.tree.county, Staff.Role.EXPERT, name="法援律师", title="合作律师事务所")
    case = services.case_accept(actor=county_handler, case=file_case(workplace_township_id=None))
    services.case_assign_lawyer(actor=county_handler, case=case, lawyer_id=lawyer.pk)
    assert selectors.case_get_for_staff(actor=lawyer, case_id=case.pk) == case
    services.case_message(actor=lawyer, case=case, body="建议申请劳动仲裁", internal=True)
    with pytest.raises(Forbidden):
        services.case_message(actor=lawyer, case=case, body="直接答复", internal=False)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"amount_claimed": "-100"}, "amount_claimed", "不能为负数"),
        ({"amount_claimed": "abc"}, "amount_claimed", "应为数字"),
        ({"amount_claimed": "10.555"}, "amount_claimed", "两位小数"),
        ({"amount_claimed": "0"}, "amount_claimed", "被拖欠的工资金额"),
        ({"employer_credit_code": "91440000MA4ABCDE1X"}, "employer_credit_code", "统一社会信用代码"),
        ({"description": "没发工资"}, "description", "不少于10个字"),
        ({"employer_name": ""}, "employer_name", "用人单位"),
        ({"category": "other"}, "category", "诉求类别"),
        ({"claimants": [services.ClaimantInput("甲", "", "-5")]}, "claimants", "不能为负数"),
    ],
    ids=[
        "negative",
        "not-a-number",
        "precision",
        "zero-wages",
        "credit-code",
        "short",
        "no-employer",
        "category",
        "claimant-negative",
    ],
)
def test_bad_input_is_refused_on_its_field(personas, overrides, field, text):
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=personas.worker, data=wage_input(personas.tree, **overrides))
    assert exc.value.field == field and text in exc.value.message
    assert not Case.objects.exists()


def test_valid_credit_code_is_accepted(personas):
    from gonghui.core.validators import make_credit_code

    code = make_credit_code("91141125MA0K12345")
    case = services.case_file(
        actor=personas.worker, data=wage_input(personas.tree, employer_credit_code=code.lower())
    )
    assert case.employer_credit_code == code


def test_attachment_type_is_read_from_the_bytes(personas):
    fake = SimpleUploadedFile("工资条.jpg", b"MZ\x90\x00 this is an exe", "image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=personas.worker, data=wage_input(personas.tree), files=[fake])
    assert exc.value.field == "attachments" and "工资条.jpg" in exc.value.message
    assert not Case.objects.exists()


def test_attachment_too_big(personas, settings):
    settings.GONGHUI_CASES_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("考勤.png", PNG + b"\x00" * (1024 * 1024), "image/png")
    with pytest.raises(DomainError, match="超过 1 MB"):
        services.case_file(actor=personas.worker, data=wage_input(personas.tree), files=[big])
    assert not Case.objects.exists()


def test_good_attachments_are_stored_with_sniffed_type(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = services.case_file(
        actor=personas.worker,
        data=wage_input(personas.tree),
        files=[
            SimpleUploadedFile("考勤.png", PNG, "application/octet-stream"),
            SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
        ],
    )
    assert sorted(case.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    assert all(a.file.name.endswith((".png", ".pdf")) for a in case.attachments.all())


# --- time limits ----------------------------------------------------------------------------


def test_accept_limit_runs_over_the_makeup_saturday(personas, file_case, clock):
    clock.set(2026, 2, 13, 16, 30)  # 周五下午
    case = file_case()
    assert case.accept_due.astimezone(clock.now.tzinfo).date() == dt.date(2026, 2, 14)


def test_handle_limit_skips_the_spring_festival_and_pauses(personas, file_case, township_handler, clock):
    clock.set(2026, 2, 10)
    case = services.case_accept(actor=township_handler, case=file_case())
    # 15 个工作日：11–14（含 14 日调休）4 天，24–27 4 天，28 日调休，3/2–3/6 5 天，3/9 → 3 月 9 日
    assert case.handle_due == dt.date(2026, 3, 9)
    clock.set(2026, 2, 12)
    services.case_pause(actor=township_handler, case=case, request_text="请上传考勤记录")
    clock.set(2026, 2, 25)
    services.case_add_info(actor=personas.worker, case=case, body="已上传考勤记录照片")
    case.refresh_from_db()
    # Paused (12, 25]: 13、14、24、25 = 4 working days → due moves 4 working days later.
    assert case.paused_workdays == 4 and case.paused_since is None
    assert case.handle_due == dt.date(2026, 3, 13)


def test_overdue_accept_is_escalated_once(personas, file_case, clock):
    clock.set(2026, 2, 13, 9)
    case = file_case()
    clock.set(2026, 2, 14, 20)
    assert services.cases_escalate_overdue() == 0
    clock.set(2026, 2, 24, 9)
    assert services.cases_escalate_overdue() == 1
    assert services.cases_escalate_overdue() == 0  # idempotent
    case.refresh_from_db()
    assert case.overdue
    escalation = Escalation.objects.get(case=case)
    assert escalation.org == personas.tree.county and escalation.kind == "accept"
    assert (
        Notification.objects.filter(user=personas.county_staffer, title__contains="超期未受理").count() == 1
    )
    assert not Notification.objects.filter(user=personas.city_staffer, title__contains="超期").exists()


def test_overdue_handling_is_escalated_to_the_parent_union(personas, file_case, county_handler, clock):
    clock.set(2026, 9, 18)
    case = services.case_accept(actor=county_handler, case=file_case(workplace_township_id=None))
    assert case.handle_due == dt.date(2026, 10, 15)
    clock.set(2026, 10, 15, 23)
    assert services.cases_escalate_overdue() == 0
    clock.set(2026, 10, 16, 8)
    assert services.cases_escalate_overdue() == 1
    assert Notification.objects.filter(user=personas.city_staffer, title__contains="超期未办结").exists()
    assert Notification.objects.filter(user=county_handler, title__contains="已报上级督办").exists()
    assert selectors.inbox(actor=personas.city_staffer, view="overdue").get() == case


def test_paused_case_is_not_escalated(personas, file_case, county_handler, clock):
    clock.set(2026, 9, 18)
    case = services.case_accept(actor=county_handler, case=file_case(workplace_township_id=None))
    services.case_pause(actor=county_handler, case=case, request_text="请补充劳动合同")
    clock.set(2026, 11, 2)
    assert services.cases_escalate_overdue() == 0


def test_escalate_command(personas, file_case, clock):
    from django.core.management import call_command

    clock.set(2026, 3, 2)
    file_case()
    clock.set(2026, 3, 5)
    call_command("cases_escalate")
    assert Escalation.objects.count() == 1


def test_difficulty_change_recomputes_the_limit(personas, file_case, township_handler, clock):
    clock.set(2026, 3, 2)
    case = services.case_accept(actor=township_handler, case=file_case())
    assert case.handle_due == dt.date(2026, 3, 23)
    case = services.case_set_difficulty(
        actor=township_handler, case=case, difficulty="hard", reason="需多部门协调"
    )
    assert case.handle_due == dt.date(2026, 4, 14)  # 30 working days, 清明 4/4–4/6 in between


def test_worker_filing_is_rate_limited(personas, file_case, settings):
    from gonghui.core.errors import RateLimited

    settings.GONGHUI_CASES_MAX_PER_DAY = 2
    file_case()
    file_case()
    with pytest.raises(RateLimited):
        file_case()
