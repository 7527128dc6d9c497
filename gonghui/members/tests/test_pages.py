import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gonghui.accounts.services import login_code_issue
from gonghui.core.models import AuditEvent
from gonghui.members import services
from gonghui.members.imports import HEADERS, template_xlsx
from gonghui.members.models import Enrollment, ImportBatch, Member
from gonghui.testing.factories import make_id, make_member, make_user


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def join_form(**overrides):
    data = {
        "name": "韩建辉",
        "id_number": make_id(dt.date(1990, 3, 4)),
        "employer_name": "柳林县预石运输有限责任公司",
        "occupation": "truck_driver",
    }
    data.update(overrides)
    return data


def test_anonymous_worker_joins_with_phone_code_and_is_signed_in(personas, client):
    page = client.get(reverse("members:join"))
    assert page.status_code == 200 and "我要入会" in page.content.decode()
    code = login_code_issue(phone="13912340001")
    response = client.post(reverse("members:join"), join_form(phone="13912340001", code=code))
    enrollment = Enrollment.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:enrollment", args=[enrollment.pk])
    status = client.get(response.url).content.decode()
    assert "待审批" in status and "送达受理工会" in status


def test_wrong_code_shows_message_next_to_the_field_and_keeps_input(personas, client):
    login_code_issue(phone="13912340002")
    response = client.post(reverse("members:join"), join_form(phone="13912340002", code="000000"))
    html = response.content.decode()
    assert response.status_code == 422 and "验证码不正确" in html
    assert 'value="柳林县预石运输有限责任公司"' in html
    assert not Enrollment.objects.exists()


def test_signed_in_worker_sees_field_error_for_bad_id(personas, as_user):
    client = as_user(make_user())
    html = client.post(reverse("members:join"), join_form(id_number="141125199003040010")).content.decode()
    assert "校验位不正确" in html and "has-error" in html


def test_join_page_shows_current_union_for_member(personas, as_user):
    html = as_user(personas.worker).get(reverse("members:join")).content.decode()
    assert "您已是工会会员" in html and personas.tree.grassroots.name in html


def test_card_page_shows_qr_and_verify_page_confirms(personas, as_user, client):
    card = services.card_issue(actor=None, member=personas.member)
    html = as_user(personas.worker).get(reverse("members:card")).content.decode()
    assert "<svg" in html and personas.member.member_no in html
    client.logout()
    verify = client.get(reverse("members:verify", args=[services.card_signed_token(card)])).content.decode()
    assert "有效会员" in verify and "王*军" in verify and "王建军" not in verify


def test_home_tiles_link_to_join_and_card(db, client):
    html = client.get("/").content.decode()
    assert reverse("members:join") in html and reverse("members:card") in html


# --- workbench ----------------------------------------------------------------------------------


def test_admin_approves_in_workbench(personas, as_user):
    enrollment = services.enrollment_submit(actor=make_user(), **join_form())
    client = as_user(personas.grassroots_admin)
    listing = client.get(reverse("members_bench:enrollments")).content.decode()
    assert "韩*辉" in listing and "个工作日" in listing
    client.post(reverse("members_bench:enrollment", args=[enrollment.pk]), {"action": "approve"})
    enrollment.refresh_from_db()
    assert enrollment.status == "approved"


def test_reject_without_reason_shows_error(personas, as_user):
    enrollment = services.enrollment_submit(actor=make_user(), **join_form())
    html = (
        as_user(personas.grassroots_admin)
        .post(reverse("members_bench:enrollment", args=[enrollment.pk]), {"action": "reject", "reason": ""})
        .content.decode()
    )
    assert "请填写不通过的原因" in html
    enrollment.refresh_from_db()
    assert enrollment.status == "pending"


def test_batch_approve_page(personas, as_user):
    ids = [
        services.enrollment_submit(
            actor=make_user(), **join_form(id_number=make_id(dt.date(1980 + i, 1, 1)))
        ).pk
        for i in range(3)
    ]
    as_user(personas.grassroots_admin).post(reverse("members_bench:enrollment_batch"), {"ids": ids})
    assert Enrollment.objects.filter(status="approved").count() == 3


def test_sibling_staff_get_404_on_every_page_and_change_nothing(personas, as_user):
    enrollment = services.enrollment_submit(actor=make_user(), **join_form())
    member = personas.member
    batch = ImportBatch.objects.create(
        org=personas.tree.grassroots,
        org_path=personas.tree.grassroots.path,
        file_name="x.xlsx",
        file_hash="x",
        error_file=b"x",
    )
    client = as_user(personas.sibling_staffer)
    for url in [
        reverse("members_bench:enrollment", args=[enrollment.pk]),
        reverse("members_bench:detail", args=[member.pk]),
        reverse("members_bench:import_errors", args=[batch.pk]),
        f"{reverse('members_bench:dues')}?org={personas.tree.grassroots.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("members_bench:enrollment", args=[enrollment.pk]), {"action": "approve"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("members_bench:action", args=[member.pk]),
            {"action": "status", "status": "deceased", "reason": "误操作"},
        ).status_code
        == 404
    )
    client.post(reverse("members_bench:enrollment_batch"), {"ids": [enrollment.pk]})
    assert "韩*辉" not in client.get(reverse("members_bench:enrollments")).content.decode()
    assert member.name_masked not in client.get(reverse("members_bench:list")).content.decode()
    enrollment.refresh_from_db()
    member.refresh_from_db()
    assert enrollment.status == "pending" and member.status == "active"


def test_registry_filters(personas, as_user):
    make_member(
        personas.tree.grassroots,
        name="赵快递",
        occupation="courier",
        employment_form="standard",
        joined_at=dt.date(2020, 5, 1),
    )
    client = as_user(personas.county_staffer)
    html = client.get(reverse("members_bench:list"), {"employment_form": "standard"}).content.decode()
    assert "赵*递" in html and "王*军" not in html
    html = client.get(reverse("members_bench:list"), {"to": "2020-12-31"}).content.decode()
    assert "赵*递" in html and "王*军" not in html
    html = client.get(reverse("members_bench:list"), {"org": personas.tree.grassroots.pk}).content.decode()
    assert "赵*递" in html


def test_export_is_masked_and_audited(personas, as_user):
    client = as_user(personas.grassroots_admin)
    response = client.get(reverse("members_bench:export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in ws[2]]
    assert row[1] == "王*军" and "*" in row[2] and personas.member.id_number not in row
    assert AuditEvent.objects.filter(action="members.export", actor=personas.grassroots_admin).exists()
    # Not allowed to reveal → refused, nothing leaves.
    refused = client.get(reverse("members_bench:export"), {"reveal": "1", "reason": "核对"})
    assert refused.status_code == 403
    assert "只能导出脱敏数据" in refused.content.decode()
    assert refused["Content-Type"].startswith("text/html")


def test_export_reveals_for_permitted_staff_with_reason(personas, as_user):
    client = as_user(personas.county_staffer)
    no_reason = client.get(reverse("members_bench:export"), {"reveal": "1"})
    assert no_reason.status_code == 400
    response = client.get(reverse("members_bench:export"), {"reveal": "1", "reason": "年度会员核查"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert personas.member.id_number in [c.value for c in ws[2]]
    event = AuditEvent.objects.filter(action="members.export").latest("id")
    assert event.detail["revealed_rows"] == 1 and personas.member.id_number not in str(event.detail)


def test_export_without_reason_is_an_error_and_keeps_the_filters(personas, as_user):
    """A full export with no reason: the registry comes back with the filters as they were, the
    export form open with the box still ticked, and the message as an error (not a green banner)."""
    client = as_user(personas.county_staffer)
    filters = {"occupation": "truck_driver", "status": "active", "org": str(personas.tree.township.pk)}
    response = client.post(reverse("members_bench:export"), {**filters, "reveal": "1", "reason": " "})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'role="alert">导出完整个人信息须填写原因' in html
    assert 'class="flash"' not in html  # no success banner
    assert '<details class="panel export-box" open>' in html
    assert 'name="reveal" value="1" checked' in html
    assert '<option value="truck_driver" selected>' in html
    assert f'<option value="{personas.tree.township.pk}" selected>' in html
    # The export form carries the filters again, so the second try exports the same selection.
    assert '<input type="hidden" name="occupation" value="truck_driver">' in html
    assert not AuditEvent.objects.filter(action="members.export").exists()


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_good_rows_and_returns_bad_rows_with_fix(personas, as_user):
    good = make_id(dt.date(1979, 2, 2))
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    data = _xlsx(
        [
            ["刘旭琴", good, "13812345678", "货车司机", "预石运输", "", "2026-01-01", "6500"],
            ["高小强", bad_check, "13812345679", "货车司机", "预石运输", "", "", ""],
            ["渠泽民", make_id(dt.date(1982, 3, 3)), "12345", "货车司机", "预石运输", "", "", ""],
            ["任瑾", make_id(dt.date(1983, 3, 3)), "13812345670", "宇航员", "预石运输", "", "", ""],
            ["重复", good, "13812345671", "货车司机", "预石运输", "", "", ""],
            ["王建军", personas.sibling_member.id_number, "13812345672", "快递员", "某物流", "", "", ""],
        ]
    )
    client = as_user(personas.grassroots_admin)
    upload = SimpleUploadedFile("offline.xlsx", data)
    html = client.post(
        reverse("members_bench:import"), {"org": personas.tree.grassroots.pk, "file": upload}
    ).content.decode()
    assert "导入结果" in html
    batch = ImportBatch.objects.get()
    assert (batch.total, batch.imported, batch.duplicates, batch.failed) == (6, 1, 0, 5)
    imported = Member.objects.get(name="刘旭琴")
    assert (
        imported.org == personas.tree.grassroots
        and imported.source == "import"
        and imported.id_number == good
    )
    errors = client.get(reverse("members_bench:import_errors", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(errors.content)).active
    messages = [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert any("身份证号" in m and "校验位" in m for m in messages)
    assert any(m.startswith("第4行 手机号") for m in messages)
    assert any("职业" in m for m in messages)
    assert any("与第2行重复" in m for m in messages)
    assert any("会籍转接" in m for m in messages)
    # Same file again: nothing new.
    html = client.post(
        reverse("members_bench:import"),
        {"org": personas.tree.grassroots.pk, "file": SimpleUploadedFile("offline.xlsx", data)},
    ).content.decode()
    assert "上传过" in html
    assert Member.objects.filter(name="刘旭琴").count() == 1
    assert ImportBatch.objects.latest("id").duplicates == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a spreadsheet", "a.xlsx", "无法读取文件"),
        (None, "a.csv", "只支持 .xlsx"),
    ],
)
def test_import_rejects_bad_files(personas, as_user, data, name, message):
    upload = SimpleUploadedFile(name, data or b"x")
    html = (
        as_user(personas.grassroots_admin)
        .post(reverse("members_bench:import"), {"org": personas.tree.grassroots.pk, "file": upload})
        .content.decode()
    )
    assert message in html


def test_import_header_missing(personas, as_user):
    wb = Workbook()
    wb.active.append(["名字", "证件"])
    out = io.BytesIO()
    wb.save(out)
    html = (
        as_user(personas.grassroots_admin)
        .post(
            reverse("members_bench:import"),
            {"org": personas.tree.grassroots.pk, "file": SimpleUploadedFile("a.xlsx", out.getvalue())},
        )
        .content.decode()
    )
    assert "表头缺少" in html


def test_template_has_chinese_headers(personas, as_user):
    response = as_user(personas.grassroots_admin).get(reverse("members_bench:import_template"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADERS
    assert load_workbook(io.BytesIO(template_xlsx())).sheetnames == ["会员登记表", "填写说明"]


def test_my_data_download_and_leave_pages(personas, as_user):
    client = as_user(personas.worker)
    assert "下载我的全部数据" in client.get(reverse("members:my_data")).content.decode()
    data = client.get(reverse("members:my_data_download")).json()
    assert data["会籍"]["会员编号"] == personas.member.member_no
    html = client.post(reverse("members:my_data"), {"action": "leave", "reason": ""}).content.decode()
    assert "请填写退会原因" in html
    client.post(reverse("members:my_data"), {"action": "leave", "reason": "回老家"})
    personas.member.refresh_from_db()
    assert personas.member.status == "withdrawn"


def test_transfers_and_dues_pages(personas, as_user):
    client = as_user(personas.grassroots_admin)
    client.post(
        reverse("members_bench:action", args=[personas.member.pk]),
        {"action": "transfer", "to_org": personas.tree.county.pk, "reason": "调至县总机关"},
    )
    assert "调至县总机关" in client.get(reverse("members_bench:transfers")).content.decode()
    county = as_user(personas.county_staffer)
    transfer = personas.member.transfers.get()
    county.post(reverse("members_bench:transfers"), {"id": transfer.pk, "action": "accept_in"})
    transfer.refresh_from_db()
    assert transfer.status == "done"
    html = county.get(reverse("members_bench:dues"), {"org": personas.tree.county.pk}).content.decode()
    assert "会费标准" in html and "欠缴名单" in html
    county.post(
        reverse("members_bench:dues"), {"org": personas.tree.county.pk, "mode": "fixed", "fixed_amount": "1"}
    )
    assert services.dues_setting_for(personas.tree.county).mode == "fixed"


def test_imported_member_gets_card_on_first_view_and_staff_can_issue(personas, as_user):
    from gonghui.members.models import MemberCard

    html = as_user(personas.worker).get(reverse("members:card")).content.decode()
    assert "<svg" in html and MemberCard.objects.filter(member=personas.member).count() == 1
    other = make_member(personas.tree.grassroots, name="刘师傅")
    client = as_user(personas.grassroots_admin)
    client.post(reverse("members_bench:action", args=[other.pk]), {"action": "issue_card"})
    assert MemberCard.objects.filter(member=other, revoked_at__isnull=True).count() == 1
    client.post(reverse("members_bench:action", args=[other.pk]), {"action": "handover"})
    assert MemberCard.objects.get(member=other).handed_by == personas.grassroots_admin
