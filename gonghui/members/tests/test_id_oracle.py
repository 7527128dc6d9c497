"""An ID number that is not the caller's reveals nothing: no union, no member number, no application;
a stranger's application cannot lock the real person out; attempts are capped and audited."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from gonghui.accounts.services import login_code_issue
from gonghui.core.models import AuditEvent
from gonghui.members import imports, services
from gonghui.members.models import Enrollment, Member
from gonghui.testing.factories import make_id, make_member, make_user

pytestmark = pytest.mark.django_db
NEUTRAL = "该身份证号已登记，如是本人请用登记的手机号登录或联系工会"


def apply(api, user, **overrides):
    payload = {
        "name": "韩建辉",
        "id_number": make_id(dt.date(1990, 3, 4)),
        "employer_name": "柳林县预石运输有限责任公司",
        "occupation": "truck_driver",
    }
    payload.update(overrides)
    return api(user).post("enrollments", payload)


def test_a_strangers_id_number_gets_the_neutral_answer(personas, api):
    stranger = make_user(phone="13800013002")
    response = apply(api, stranger, id_number=personas.member.id_number)
    assert response.status_code == 409
    body = response.json()
    assert body == {"code": "id_registered", "message": NEUTRAL, "field": "id_number"}
    assert personas.member.member_no not in str(body) and "工会" + personas.tree.grassroots.name not in str(
        body
    )
    event = AuditEvent.objects.get(action="enrollment.id_conflict")
    assert event.result == "denied" and event.org_id == personas.member.org_id
    assert personas.member.id_number not in str(event.detail)


def test_the_member_himself_still_sees_his_union(personas, api):
    response = apply(api, personas.worker, id_number=personas.member.id_number)
    assert response.json()["code"] == "already_member"
    assert personas.tree.grassroots.name in response.json()["message"]


def test_the_join_page_gives_the_neutral_answer(personas, client):
    stranger = make_user(phone="13800013003")
    client.force_login(stranger)
    response = client.post(
        "/join/",
        {
            "name": "韩建辉",
            "id_number": personas.member.id_number,
            "employer_name": "柳林县预石运输有限责任公司",
            "occupation": "truck_driver",
        },
    )
    html = response.content.decode()
    assert NEUTRAL in html
    assert personas.member.member_no not in html


def test_a_strangers_application_does_not_lock_the_real_person_out(personas, api):
    id_number = make_id(dt.date(1988, 8, 8))
    stranger, real = make_user(phone="13800013004"), make_user(phone="13800013005")
    assert apply(api, stranger, id_number=id_number).status_code == 201
    response = apply(api, real, id_number=id_number)
    assert response.status_code == 201, response.content
    assert "待审批" not in response.content.decode() or response.json()["id"]
    real_app = Enrollment.objects.get(user=real)
    assert real_app.steps.filter(title="请核对身份证件").exists()
    # The approver checks the card and approves the real person: the stranger's application closes.
    services.enrollment_approve(actor=personas.county_staffer, enrollment=real_app)
    stranger_app = Enrollment.objects.get(user=stranger)
    assert stranger_app.status == Enrollment.Status.REJECTED
    assert Member.objects.get(id_index=real_app.id_index).user == real


def test_attempts_are_capped_per_account(personas, api):
    stranger = make_user(phone="13800013006")
    others = [make_member(personas.tree.grassroots) for _ in range(services.ID_ATTEMPTS_PER_DAY + 1)]
    codes = [apply(api, stranger, id_number=m.id_number).json()["code"] for m in others]
    assert codes[: services.ID_ATTEMPTS_PER_DAY] == ["id_registered"] * services.ID_ATTEMPTS_PER_DAY
    assert codes[-1] == "id_attempts"
    # Even a free ID number is refused for the rest of the day.
    assert apply(api, stranger, id_number=make_id(dt.date(1992, 2, 2))).json()["code"] == "id_attempts"


def test_anonymous_join_with_a_verified_phone_gets_the_neutral_answer(personas, client):
    code = login_code_issue(phone="13800013007")
    response = client.post(
        "/join/",
        {
            "name": "韩建辉",
            "id_number": personas.member.id_number,
            "employer_name": "柳林县预石运输有限责任公司",
            "occupation": "truck_driver",
            "phone": "13800013007",
            "code": code,
        },
    )
    assert NEUTRAL in response.content.decode()


def test_staff_import_of_someone_in_another_subtree_names_no_union(personas):
    outsider = make_member(personas.tree.sibling_grassroots, name="赵师傅")
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    ws.append(["赵师傅", outsider.id_number, "13800013008", "货车司机", "柳林县预石运输有限责任公司"])
    out = io.BytesIO()
    wb.save(out)
    result = imports.member_import(
        actor=personas.county_staffer, org=personas.tree.grassroots, file_name="x.xlsx", data=out.getvalue()
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.error_file_bytes(result.batch))).active
    messages = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "太原" not in messages and "小店" not in messages and outsider.member_no not in messages
    assert "此人已在其他工会登记" in messages
