import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.models import AuditEvent, Notification
from gonghui.members import services
from gonghui.members.models import (
    AssignmentRule,
    DuesPayment,
    DuesSetting,
    Enrollment,
    HoldingPool,
    Member,
    Transfer,
)
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_id, make_member, make_org, make_staff, make_user


def submit(actor, **overrides):
    fields = {
        "name": "任瑾",
        "id_number": make_id(dt.date(1987, 6, 1)),
        "employer_name": "个体运输",
        "occupation": "truck_driver",
    }
    fields.update(overrides)
    return services.enrollment_submit(actor=actor, **fields)


# --- routing ------------------------------------------------------------------------------------


def test_no_employer_union_goes_to_the_territorial_county_union(personas):
    enrollment = submit(
        make_user(), occupation="housekeeper", employer_name="张家家政服务部", work_region="141125"
    )
    assert enrollment.org == personas.tree.county
    assert "属地" in enrollment.route_reason


def test_unknown_county_falls_back_to_city_union(personas):
    enrollment = submit(
        make_user(), occupation="security_guard", employer_name="某保安公司", work_region="141102"
    )
    assert enrollment.org == personas.tree.city


@pytest.fixture
def pool(personas):
    province = personas.tree.province
    org = make_org(province, Org.Kind.INDUSTRY, "山西省货车司机工会联合会（周转池）", region_code="140000")
    pool = HoldingPool.objects.create(org=org, occupations=["truck_driver"], region_prefix="14")
    return pool


def test_mobile_worker_without_union_is_assigned_from_the_pool_by_rule(personas, pool):
    AssignmentRule.objects.create(
        pool=pool, basis="residence", pattern="1411", target=personas.tree.county, priority=10
    )
    enrollment = submit(make_user(), residence_region="141125")
    assert enrollment.org == personas.tree.county
    assert "居住地" in enrollment.route_reason
    assert [s.title for s in enrollment.steps.all()] == ["提交申请", "进入周转池", "送达受理工会"]


def test_phone_region_rule(personas, pool):
    AssignmentRule.objects.create(pool=pool, basis="phone", pattern="吕梁", target=personas.tree.township)
    # 138 3581 is a 吕梁 block in the numbering plan.
    enrollment = submit(make_user(phone="13835812345"))
    assert enrollment.org == personas.tree.township


def test_no_rule_matches_stays_in_pool_and_pool_staff_reassign_with_reason(personas, pool):
    pool_staff = make_staff(pool.org, Staff.Role.APPROVER, name="池管员")
    worker = make_user()
    enrollment = submit(worker)
    assert enrollment.org == pool.org
    assert Notification.objects.filter(user=pool_staff, title="新的入会申请待审批").exists()
    with pytest.raises(DomainError) as err:
        services.enrollment_reassign(
            actor=pool_staff, enrollment=enrollment, org=personas.tree.grassroots, reason=""
        )
    assert err.value.field == "reason"
    services.enrollment_reassign(
        actor=pool_staff,
        enrollment=enrollment,
        org=personas.tree.grassroots,
        reason="常跑柳林—天津线路，挂靠预石运输",
    )
    enrollment.refresh_from_db()
    assert enrollment.org == personas.tree.grassroots and "转派" in enrollment.route_reason
    assert Notification.objects.filter(user=worker, title="入会申请已转至新的受理工会").exists()
    # Pool staff no longer see it; the sibling never could reassign.
    with pytest.raises(NotFound):
        services.enrollment_reassign(
            actor=personas.sibling_staffer,
            enrollment=enrollment,
            org=personas.tree.sibling_grassroots,
            reason="抢过来",
        )


def test_employer_union_wins_over_pool(personas, pool):
    enrollment = submit(make_user(), employer_name="柳林县预石运输有限责任公司")
    assert enrollment.org == personas.tree.grassroots


# --- approval workflow --------------------------------------------------------------------------


def test_ask_for_info_then_supplement_returns_to_queue(personas):
    worker = make_user()
    enrollment = submit(worker, employer_name="柳林县预石运输有限责任公司")
    services.enrollment_request_info(
        actor=personas.grassroots_admin, enrollment=enrollment, message="请补充挂靠协议照片"
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "info_requested"
    with pytest.raises(DomainError):
        services.enrollment_supplement(actor=make_user(), enrollment=enrollment, note="不是我的")
    services.enrollment_supplement(actor=worker, enrollment=enrollment, note="已上传挂靠协议")
    enrollment.refresh_from_db()
    assert enrollment.status == "pending"
    assert [s.title for s in enrollment.steps.all()][-2:] == ["请补充材料", "已补充材料"]


def test_batch_approve_reports_each_failure(personas):
    a = submit(
        make_user(), employer_name="柳林县预石运输有限责任公司", id_number=make_id(dt.date(1980, 1, 1))
    )
    b = submit(
        make_user(), employer_name="柳林县预石运输有限责任公司", id_number=make_id(dt.date(1981, 1, 1))
    )
    services.enrollment_reject(actor=personas.grassroots_admin, enrollment=b, reason="重复提交")
    approved, errors = services.enrollments_batch_approve(actor=personas.grassroots_admin, enrollments=[a, b])
    assert approved == 1 and len(errors) == 1 and "已处理" in errors[0]


def test_overdue_applications_flagged_once_and_parent_told(personas):
    county_admin = personas.county_staffer
    # 2026-11-02 is a Monday; 15 working days later is 2026-11-23.
    monday = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
    with time_machine.travel(monday, tick=False):
        enrollment = submit(make_user(), employer_name="柳林县预石运输有限责任公司")
    assert enrollment.arrived_at == monday
    assert services.enrollments_flag_overdue(today=dt.date(2026, 11, 23)) == 0
    assert services.enrollments_flag_overdue(today=dt.date(2026, 11, 24)) == 1
    assert services.enrollments_flag_overdue(today=dt.date(2026, 11, 25)) == 0
    # The parent of 预石运输工会 is 柳林镇 (no staff) → nearest ancestor with approvers: 柳林县.
    assert Notification.objects.filter(user=county_admin, title="下级工会入会申请超时未办").count() == 1


def test_the_limit_counts_working_days_of_the_holiday_calendar(personas):
    enrollment = submit(make_user(), employer_name="柳林县预石运输有限责任公司")
    # Arrived Wednesday 2026-09-30. 国庆 1–7 October is off, Saturday 10 October is a 调休 working day:
    # by Monday 12 October it has waited 4 working days (8, 9, 10, 12), not the 8 weekdays since.
    arrived = timezone.make_aware(dt.datetime(2026, 9, 30, 16, 0))
    Enrollment.objects.filter(pk=enrollment.pk).update(arrived_at=arrived)
    enrollment.refresh_from_db()
    assert services.enrollment_age(enrollment, dt.date(2026, 10, 12)) == 4
    # Friday 6 November to Friday 20 November: two ordinary weeks.
    enrollment.arrived_at = timezone.make_aware(dt.datetime(2026, 11, 6, 9, 0))
    assert services.enrollment_age(enrollment, dt.date(2026, 11, 9)) == 1
    assert services.enrollment_age(enrollment, dt.date(2026, 11, 20)) == 10


def test_limit_is_configurable(personas, settings):
    settings.GONGHUI_ENROLLMENT_LIMIT_WORKING_DAYS = 3
    assert services.overdue_limit() == 3


# --- cards and status ---------------------------------------------------------------------------


def test_card_handover_records_who(personas):
    member = make_member(personas.tree.grassroots)
    card = services.card_issue(actor=None, member=member)
    services.card_handover(actor=personas.grassroots_admin, card=card)
    card.refresh_from_db()
    assert card.pickup == "picked" and card.handed_by == personas.grassroots_admin and card.picked_at
    with pytest.raises(Conflict):
        services.card_handover(actor=personas.grassroots_admin, card=card)
    other = services.card_issue(actor=None, member=make_member(personas.tree.grassroots))
    with pytest.raises(NotFound):
        services.card_handover(actor=personas.sibling_staffer, card=other)


def test_status_change_needs_reason_and_is_audited(personas):
    member = personas.member
    with pytest.raises(DomainError) as err:
        services.member_status_change(
            actor=personas.grassroots_admin, member=member, status="retired", reason=""
        )
    assert err.value.field == "reason"
    with pytest.raises(DomainError):
        services.member_status_change(
            actor=personas.grassroots_admin, member=member, status="transferring", reason="不允许"
        )
    with pytest.raises(NotFound):
        services.member_status_change(
            actor=personas.sibling_staffer, member=member, status="deceased", reason="误操作"
        )
    services.member_status_change(
        actor=personas.grassroots_admin, member=member, status="retired", reason="2026年11月办理退休"
    )
    member.refresh_from_db()
    assert member.status == "retired"
    assert member.status_changes.get().reason == "2026年11月办理退休"
    assert AuditEvent.objects.filter(action="member.status", object_id=str(member.pk)).exists()


# --- transfers ----------------------------------------------------------------------------------


def test_transfer_out_confirms_in_accepts_and_org_path_moves(personas):
    member = personas.member
    target = make_org(
        personas.tree.township, Org.Kind.GRASSROOTS, "柳林县鑫飞煤业有限公司工会", region_code="141125"
    )
    receiver = make_staff(target, Staff.Role.ADMIN)
    transfer = services.transfer_start(
        actor=personas.worker, member=member, to_org=target, reason="调到鑫飞煤业"
    )
    assert transfer.status == "await_out"
    member.refresh_from_db()
    assert member.status == "transferring"
    with pytest.raises(NotFound):
        services.transfer_accept_in(actor=personas.sibling_staffer, transfer=transfer)
    with pytest.raises(NotFound):
        services.transfer_confirm_out(actor=receiver, transfer=transfer)
    services.transfer_confirm_out(actor=personas.grassroots_admin, transfer=transfer)
    services.transfer_accept_in(actor=receiver, transfer=transfer)
    member.refresh_from_db()
    assert member.org == target and member.org_path == target.path and member.status == "active"
    transfer.refresh_from_db()
    assert (
        transfer.status == "done"
        and transfer.out_by == personas.grassroots_admin
        and transfer.in_by == receiver
    )


def test_transfer_reject_restores_member_and_keeps_history(personas):
    member = personas.member
    transfer = services.transfer_start(
        actor=personas.grassroots_admin,
        member=member,
        to_org=personas.tree.sibling_grassroots,
        reason="去太原工作",
    )
    assert transfer.status == "await_in"
    with pytest.raises(DomainError):
        services.transfer_reject(actor=personas.sibling_staffer, transfer=transfer, reason="")
    services.transfer_reject(actor=personas.sibling_staffer, transfer=transfer, reason="查无此人在本单位就业")
    member.refresh_from_db()
    assert member.status == "active" and member.org == personas.tree.grassroots
    assert Transfer.objects.filter(member=member).count() == 1


def test_only_one_open_transfer(personas):
    services.transfer_start(
        actor=personas.grassroots_admin, member=personas.member, to_org=personas.tree.county, reason="调动"
    )
    with pytest.raises(Conflict):
        services.transfer_start(
            actor=personas.grassroots_admin,
            member=personas.member,
            to_org=personas.tree.township,
            reason="再次调动",
        )


# --- dues ---------------------------------------------------------------------------------------


def test_rate_drops_tails_under_ten_yuan():
    setting = DuesSetting(mode="rate", rate=Decimal("0.0050"))
    assert services.dues_monthly_amount(setting, Decimal("6538.50")) == Decimal("32.65")
    assert services.dues_monthly_amount(setting, Decimal("9.99")) == Decimal("0.00")
    assert services.dues_monthly_amount(
        DuesSetting(mode="fixed", fixed_amount=Decimal("1")), None
    ) == Decimal("1.00")


def test_dues_setting_inherits_and_validates(personas):
    services.dues_setting_set(
        actor=personas.county_staffer, org=personas.tree.county, mode="fixed", fixed_amount="1"
    )
    assert services.dues_setting_for(personas.tree.grassroots).fixed_amount == Decimal("1.00")
    for kwargs, field in [
        ({"mode": "rate", "rate": "9"}, "rate"),
        ({"mode": "rate", "rate": "abc"}, "rate"),
        ({"mode": "fixed", "fixed_amount": "-1"}, "fixed_amount"),
        ({"mode": "fixed", "fixed_amount": "1.234"}, "fixed_amount"),
        ({"mode": "x"}, "mode"),
    ]:
        with pytest.raises(DomainError) as err:
            services.dues_setting_set(actor=personas.county_staffer, org=personas.tree.county, **kwargs)
        assert err.value.field == field
    with pytest.raises(NotFound):
        services.dues_setting_set(
            actor=personas.sibling_staffer, org=personas.tree.county, mode="fixed", fixed_amount="2"
        )


def test_dues_payment_and_arrears(personas):
    from gonghui.members.selectors import dues_arrears

    member = make_member(personas.tree.grassroots, joined_at=dt.date(2025, 1, 10))
    payment = services.dues_payment_record(
        actor=personas.grassroots_admin, member=member, period="2025-02", wage_base="6538.50"
    )
    assert payment.amount == Decimal("32.65")
    with pytest.raises(Conflict):
        services.dues_payment_record(
            actor=personas.grassroots_admin, member=member, period="2025-02", amount="1"
        )
    for period, field in [("2025-13", "period"), ("2024-12", "period"), ("2999-01", "period")]:
        with pytest.raises(DomainError) as err:
            services.dues_payment_record(
                actor=personas.grassroots_admin, member=member, period=period, amount="1"
            )
        assert err.value.field == field
    with pytest.raises(DomainError) as err:
        services.dues_payment_record(
            actor=personas.grassroots_admin, member=member, period="2025-03", amount="0"
        )
    assert err.value.field == "amount"
    # A wage base under 10 元 computes to 0.00 元 (tails under 10 元 are not counted): refused, not recorded.
    with pytest.raises(DomainError) as err:
        services.dues_payment_record(
            actor=personas.grassroots_admin, member=member, period="2025-03", wage_base="9.99"
        )
    assert err.value.code == "dues_zero" and err.value.field == "wage_base" and "0.00 元" in err.value.message
    assert member.dues_payments.count() == 1
    owing = {m.pk: m for m in dues_arrears(actor=personas.grassroots_admin)}
    assert member.pk in owing and owing[member.pk].last_paid == "2025-02"
    assert not list(dues_arrears(actor=personas.sibling_staffer).filter(pk=member.pk))
    assert DuesPayment.objects.count() == 1


def test_retired_members_pay_no_dues(personas):
    member = make_member(personas.tree.grassroots, status="retired", joined_at=dt.date(2020, 1, 1))
    with pytest.raises(Conflict):
        services.dues_payment_record(
            actor=personas.grassroots_admin, member=member, period="2025-01", amount="1"
        )


# --- PIPL ---------------------------------------------------------------------------------------


def test_member_downloads_corrects_and_leaves(personas):
    worker = personas.worker
    data = services.member_data_export(actor=worker)
    assert data["会籍"]["身份证号"] == personas.member.id_number
    assert AuditEvent.objects.filter(action="pipl.export", actor=worker).exists()
    services.member_self_correct(
        actor=worker, employer_name="运帮找货", occupation="truck_driver", employment_form="new"
    )
    with pytest.raises(DomainError) as err:
        services.member_self_correct(
            actor=worker, employer_name="", occupation="truck_driver", employment_form="new"
        )
    assert err.value.field == "employer_name"
    card = services.card_issue(actor=None, member=personas.member)
    services.member_leave(actor=worker, reason="回老家务农")
    member = Member.objects.get(pk=personas.member.pk)
    assert member.status == "withdrawn" and member.employer_name == "运帮找货"
    card.refresh_from_db()
    assert card.revoked_at is not None
    assert Notification.objects.filter(user=personas.grassroots_admin, title="会员申请退会").exists()


# --- registry search ----------------------------------------------------------------------------


def test_registry_search_by_number_name_phone_and_id(personas, api):
    from gonghui.members.selectors import count_capped, member_search

    member = personas.member
    admin = personas.county_staffer
    for q in (member.member_no, "王建", member.phone[3:], member.id_number):
        assert list(member_search(actor=admin, q=q)) == [member], q
    assert not list(member_search(actor=personas.sibling_staffer, q=member.id_number))
    assert count_capped(member_search(actor=admin), cap=0) == 1
    client = api(admin)
    assert [m["id"] for m in client.get("members", {"org_id": personas.tree.grassroots.pk}).json()] == [
        member.pk
    ]
    assert client.get("members", {"org_id": personas.tree.sibling_grassroots.pk}).status_code == 404
    assert client.get("members", {"joined_from": "2999-01-01"}).json() == []
    assert client.get("members", {"joined_from": "bad"}).status_code == 422


def test_flag_overdue_command(personas):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("members_flag_overdue", stdout=out)
    assert "本次新提醒：0 份" in out.getvalue()


# --- a member who changed jobs asks for the transfer --------------------------------------------


def test_worker_names_the_new_employer_and_the_transfer_goes_to_its_union(personas):
    target = make_org(
        personas.tree.township, Org.Kind.GRASSROOTS, "柳林县鑫飞煤业有限公司工会", region_code="141125"
    )
    transfer, route = services.transfer_request_self(
        actor=personas.worker,
        employer_name="柳林县鑫飞煤业有限公司",
        occupation="factory_worker",
        reason="换了工作",
    )
    assert transfer.to_org == target and transfer.status == "await_out"
    assert "已建工会" in route.reason and "柳林县鑫飞煤业有限公司" in transfer.reason
    personas.member.refresh_from_db()
    assert personas.member.status == "transferring"
    # The current union is told, and confirms as for any transfer.
    assert Notification.objects.filter(user=personas.grassroots_admin, title="会员申请转出").exists()


def test_a_transfer_to_the_same_union_is_not_needed(personas):
    with pytest.raises(DomainError) as refused:
        services.transfer_request_self(
            actor=personas.worker,
            employer_name="柳林县预石运输有限责任公司",
            occupation="truck_driver",
            reason="换了车队",
        )
    assert refused.value.field == "employer_name" and "不用转接" in refused.value.message
    personas.member.refresh_from_db()
    assert personas.member.status == "active"


def test_the_transfer_form_on_my_data_page(personas, client):
    make_org(personas.tree.township, Org.Kind.GRASSROOTS, "柳林县鑫飞煤业有限公司工会", region_code="141125")
    client.force_login(personas.worker)
    page = client.get("/me/data/").content.decode()
    assert "换了工作，转接会籍" in page
    # Missing reason: the error sits under the transfer form's own field, what was typed stays.
    bad = client.post(
        "/me/data/",
        {
            "action": "transfer",
            "new_employer_name": "柳林县鑫飞煤业有限公司",
            "new_occupation": "factory_worker",
        },
    ).content.decode()
    assert "请填写转接原因" in bad and 'value="柳林县鑫飞煤业有限公司"' in bad
    personas.member.refresh_from_db()
    assert personas.member.status == "active"
    done = client.post(
        "/me/data/",
        {
            "action": "transfer",
            "new_employer_name": "柳林县鑫飞煤业有限公司",
            "new_occupation": "factory_worker",
            "transfer_reason": "换到鑫飞煤业",
        },
        follow=True,
    ).content.decode()
    assert "已申请转至柳林县鑫飞煤业有限公司工会" in done and "待转出工会确认" in done
    personas.member.refresh_from_db()
    assert personas.member.status == "transferring"


def test_transfer_request_through_the_api(personas, api):
    make_org(personas.tree.township, Org.Kind.GRASSROOTS, "柳林县鑫飞煤业有限公司工会", region_code="141125")
    client = api(personas.worker)
    bad = client.post(
        "members/me/transfers", {"employer_name": "", "occupation": "factory_worker", "reason": "换工作"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "employer_name"
    made = client.post(
        "members/me/transfers",
        {"employer_name": "柳林县鑫飞煤业有限公司", "occupation": "factory_worker", "reason": "换工作"},
    )
    assert made.status_code == 201, made.content
    assert (
        made.json()["to_org_name"] == "柳林县鑫飞煤业有限公司工会"
        and made.json()["status_label"] == "待转出工会确认"
    )
    assert [t["id"] for t in client.get("members/me/transfers").json()] == [made.json()["id"]]
    # Someone else's list holds nothing of it; a non-member cannot ask.
    assert api(personas.sibling_staffer).get("members/me/transfers").json() == []
    assert (
        api(make_user())
        .post(
            "members/me/transfers",
            made.json() | {"employer_name": "x公司", "occupation": "other", "reason": "换工作"},
        )
        .status_code
        == 404
    )
