import datetime as dt

import pytest
from django.utils import timezone

from gonghui.accounts.services import login_code_issue
from gonghui.core.models import AuditEvent, Notification
from gonghui.members.models import Enrollment, Member, MemberCard
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_id, make_member, make_staff, make_user


@pytest.fixture
def driver(db):
    return make_user(name="")


def apply(api, user, **overrides):
    payload = {
        "name": "韩建辉",
        "id_number": make_id(dt.date(1990, 3, 4)),
        "employer_name": "柳林县预石运输有限责任公司",
        "occupation": "truck_driver",
    }
    payload.update(overrides)
    return api(user).post("enrollments", payload)


def test_driver_applies_and_lands_at_his_employers_union_with_sms_to_approver(
    personas, api, driver, sms_outbox, django_capture_on_commit_callbacks
):
    approver = make_staff(personas.tree.grassroots, Staff.Role.APPROVER, name="冯志刚")
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(api, driver)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["org_id"] == personas.tree.grassroots.pk
    assert body["status"] == "pending"
    assert body["name_masked"] == "韩*辉"
    assert [s["title"] for s in body["steps"]] == ["提交申请", "送达受理工会"]
    assert Notification.objects.filter(user=approver, title="新的入会申请待审批").exists()
    assert any(phone == approver.phone for phone, _ in sms_outbox)
    assert Notification.objects.filter(user=driver, title="入会申请已提交").exists()


def test_approval_makes_member_with_number_and_card_that_verifies(personas, api, driver):
    enrollment_id = apply(api, driver).json()["id"]
    response = api(personas.grassroots_admin).post(f"enrollments/{enrollment_id}/approve")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    member = Member.objects.get(user=driver)
    assert member.org == personas.tree.grassroots and member.status == "active"
    assert member.member_no.startswith("141125") and len(member.member_no) == 15
    card = MemberCard.objects.get(member=member)
    assert card.pickup == "waiting"
    from gonghui.members.services import card_signed_token

    verified = api().get(f"cards/verify/{card_signed_token(card)}").json()
    assert verified["valid"] is True
    assert verified["name_masked"] == "韩*辉" and verified["org_name"] == personas.tree.grassroots.name
    # The worker's timeline now ends with the approval, and the worker was told.
    steps = api(driver).get(f"enrollments/{enrollment_id}").json()["steps"]
    assert steps[-1]["title"] == "审批通过"
    assert Notification.objects.filter(user=driver, title__contains="入会申请已通过").exists()


def test_member_numbers_are_unique_across_approvals(personas, api):
    numbers = set()
    for i in range(3):
        user = make_user()
        eid = apply(api, user, id_number=make_id(dt.date(1985, 1, 1 + i))).json()["id"]
        api(personas.grassroots_admin).post(f"enrollments/{eid}/approve")
        numbers.add(Member.objects.get(user=user).member_no)
    assert len(numbers) == 3


def test_withdrawn_members_old_qr_fails(personas, api, driver):
    from gonghui.members.services import card_signed_token, member_status_change

    eid = apply(api, driver).json()["id"]
    api(personas.grassroots_admin).post(f"enrollments/{eid}/approve")
    member = Member.objects.get(user=driver)
    signed = card_signed_token(member.cards.get())
    member_status_change(
        actor=personas.grassroots_admin, member=member, status="withdrawn", reason="本人申请退会"
    )
    result = api().get(f"cards/verify/{signed}").json()
    assert result["valid"] is False and "已退会" in result["reason"]


def test_tampered_qr_fails(personas, api, driver):
    from gonghui.members.services import card_signed_token

    eid = apply(api, driver).json()["id"]
    api(personas.grassroots_admin).post(f"enrollments/{eid}/approve")
    signed = card_signed_token(Member.objects.get(user=driver).cards.get())
    token, signature = signed.split(":")
    assert api().get(f"cards/verify/{token}:{signature[::-1]}").json()["valid"] is False
    assert api().get("cards/verify/nonsense").json()["valid"] is False


def test_reject_requires_reason_and_tells_the_worker(personas, api, driver):
    eid = apply(api, driver).json()["id"]
    client = api(personas.grassroots_admin)
    bad = client.post(f"enrollments/{eid}/reject", {"reason": " "})
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    missing = client.post(f"enrollments/{eid}/reject", {})
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    assert Enrollment.objects.get(pk=eid).status == "pending"
    ok = client.post(f"enrollments/{eid}/reject", {"reason": "非本单位职工，请向属地工会申请"})
    assert ok.status_code == 200 and ok.json()["status"] == "rejected"
    assert Notification.objects.filter(user=driver, title="入会申请未通过").exists()
    again = client.post(f"enrollments/{eid}/approve")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "1"}, "name", "name_format"),
        ({"id_number": ""}, "id_number", "id_required"),
        ({"id_number": "14112519900304001"}, "id_number", "id_length"),
        ({"id_number": "141125199003040010"}, "id_number", "id_checksum"),
        ({"id_number": "991125199003040011"}, "id_number", "id_province"),
        ({"employer_name": ""}, "employer_name", "required"),
        ({"occupation": "astronaut"}, "occupation", "occupation_invalid"),
        ({"employment_form": "gig"}, "employment_form", "employment_form_invalid"),
        ({"work_region": "14A"}, "work_region", "region_format"),
        ({"phone": "12345"}, "phone", "phone_format"),
        ({"phone": "13912345678", "code": "000000"}, "phone", None),
    ],
)
def test_bad_input_is_refused_with_the_field(personas, api, driver, overrides, field, code):
    if field == "phone" and code is None:
        field, code = "code", "code_invalid"
    response = apply(api, driver, **overrides)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["field"] == field and body["code"] == code and body["message"]
    assert not Enrollment.objects.exists()


def test_missing_fields_and_bad_json_are_422(personas, api, driver):
    response = api(driver).post("enrollments", {"name": "韩建辉"})
    assert response.status_code == 422 and response.json()["field"] in {
        "id_number",
        "employer_name",
        "occupation",
    }
    raw = api(driver).client.post(
        "/api/v1/enrollments", data="{", content_type="application/json", headers=api(driver).headers
    )
    assert raw.status_code in {400, 422}
    assert api().post("enrollments", {}).status_code in {401, 403}


def test_under_16_is_refused_with_the_reason(personas, api, driver):
    today = timezone.localdate()
    young = make_id(today.replace(year=today.year - 15))
    response = apply(api, driver, id_number=young)
    assert response.status_code == 400
    assert response.json()["code"] == "under_age" and "16周岁" in response.json()["message"]


def test_another_phone_needs_its_code(personas, api, driver):
    code = login_code_issue(phone="13912345678")
    response = apply(api, driver, phone="13912345678", code=code)
    assert response.status_code == 201
    assert Enrollment.objects.get().phone == "+8613912345678"


def test_active_member_applying_again_sees_current_union(personas, api):
    worker = personas.worker
    response = apply(api, worker, id_number=personas.member.id_number)
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert personas.tree.grassroots.name in response.json()["message"]


def test_pending_application_shows_its_status(personas, api, driver):
    id_number = make_id(dt.date(1991, 7, 7))
    assert apply(api, driver, id_number=id_number).status_code == 201
    again = apply(api, driver, id_number=id_number)  # the applicant's own: its status is shown
    assert again.status_code == 409
    assert again.json()["code"] == "enrollment_pending" and "待审批" in again.json()["message"]
    assert Enrollment.objects.count() == 1


def test_rejoin_after_withdrawal_keeps_member_number(personas, api, driver):
    withdrawn = make_member(personas.tree.grassroots, status="withdrawn", name="韩建辉")
    eid = apply(api, driver, id_number=withdrawn.id_number).json()["id"]
    api(personas.grassroots_admin).post(f"enrollments/{eid}/approve")
    withdrawn.refresh_from_db()
    assert withdrawn.status == "active" and withdrawn.user == driver
    assert Member.objects.filter(id_index=withdrawn.id_index).count() == 1


# --- scope -------------------------------------------------------------------------------------


def test_sibling_staff_cannot_see_or_decide(personas, api, driver):
    eid = apply(api, driver).json()["id"]
    sibling = api(personas.sibling_staffer)
    assert sibling.get(f"enrollments/{eid}").status_code == 404
    assert sibling.post(f"enrollments/{eid}/approve").status_code == 404
    assert sibling.post(f"enrollments/{eid}/reject", {"reason": "不是我们的"}).status_code == 404
    assert sibling.post(f"enrollments/{eid}/request-info", {"message": "补充材料"}).status_code == 404
    assert (
        sibling.post(
            f"enrollments/{eid}/reassign", {"org_id": personas.tree.sibling_grassroots.pk, "reason": "抢过来"}
        ).status_code
        == 404
    )
    enrollment = Enrollment.objects.get(pk=eid)
    assert enrollment.status == "pending" and enrollment.org == personas.tree.grassroots
    assert not Member.objects.filter(user=driver).exists()
    assert enrollment.steps.count() == 2


def test_applicant_reads_own_application_but_cannot_approve_it(personas, api, driver):
    eid = apply(api, driver).json()["id"]
    assert api(driver).get(f"enrollments/{eid}").status_code == 200
    assert api(driver).post(f"enrollments/{eid}/approve").status_code == 404
    assert api(make_user()).get(f"enrollments/{eid}").status_code == 404


def test_observer_role_cannot_approve(personas, api, driver):
    observer = make_staff(personas.tree.grassroots, Staff.Role.OBSERVER)
    eid = apply(api, driver).json()["id"]
    assert api(observer).get(f"enrollments/{eid}").status_code == 200
    assert api(observer).post(f"enrollments/{eid}/approve").status_code == 404
    assert Enrollment.objects.get(pk=eid).status == "pending"


def test_county_staff_approve_below_and_are_audited(personas, api, driver):
    eid = apply(api, driver).json()["id"]
    assert api(personas.county_staffer).post(f"enrollments/{eid}/approve").status_code == 200
    assert AuditEvent.objects.filter(action="enrollment.approve", actor=personas.county_staffer).exists()
