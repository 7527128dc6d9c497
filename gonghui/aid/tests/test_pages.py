"""Pages: the self-test without sign-in, applying with documents, the workbench flow, scope and bad input."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.aid.models import AidApplication, HardshipFile
from gonghui.aid.services import applications
from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff

from .conftest import CHILD_ID, all_documents, child_data

pytestmark = pytest.mark.django_db
MON = dt.datetime(2026, 8, 3, 2, tzinfo=dt.UTC)


def test_self_test_needs_no_sign_in_and_stores_nothing(client, dibao):
    before = AuditEvent.objects.count()
    page = client.post(
        "/aid/self-test/",
        {"region_code": "141125", "household_size": "3", "annual_income": "24000", "expense_medical": "3000"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "可能符合深度困难帮扶条件" in html
    assert "21,000.00 ÷ 12 个月 ÷ 3 人 = 583.33 元/人/月" in html
    assert AuditEvent.objects.count() == before
    assert not HardshipFile.objects.exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"region_code": "141125", "household_size": "0", "annual_income": "1000"}, "家庭人口应在 1–20 之间"),
        ({"region_code": "141125", "household_size": "2", "annual_income": "abc"}, "金额应为数字"),
        ({"region_code": "141125", "household_size": "2", "annual_income": "-5"}, "金额不能为负数"),
        ({"region_code": "", "household_size": "2", "annual_income": "100"}, "请选择所在县"),
        ({"region_code": "141125", "household_size": "2.5", "annual_income": "100"}, "家庭人口应为整数"),
    ],
)
def test_self_test_bad_input_is_explained(client, dibao, post, message):
    page = client.post("/aid/self-test/", post)
    assert page.status_code == 400
    assert message in page.content.decode()


@time_machine.travel(MON)
def test_worker_applies_with_documents_and_sees_the_status(client, personas, jinqiu):
    client.force_login(personas.worker)
    form = {
        "applicant_name": "王建军",
        **{k: v for k, v in vars(child_data()).items() if v is not None},
    }
    files = {f"doc_{k}": v[0] for k, v in all_documents().items()}
    page = client.post(f"/aid/programmes/{jinqiu.pk}/apply/", {**form, **files})
    assert page.status_code == 302, page.content.decode()[:2000]
    app = AidApplication.objects.get()
    assert app.documents.count() == 4
    detail = client.get(page["Location"]).content.decode()
    assert "已提交，等待工会审核材料" in detail
    assert "4,000.00 元" in detail
    again = client.post(f"/aid/programmes/{jinqiu.pk}/apply/", {**form})
    assert again.status_code == 409
    assert "同一需求一年只资助一次" in again.content.decode()


def test_document_upload_type_is_checked(client, personas, jinqiu):
    client.force_login(personas.worker)
    form = {k: v for k, v in vars(child_data()).items() if v is not None}
    bad = {
        "doc_admission": SimpleUploadedFile("录取.png", b"MZ\x90\x00 not an image", content_type="image/png")
    }
    page = client.post(f"/aid/programmes/{jinqiu.pk}/apply/", {**form, **bad})
    assert page.status_code == 400
    assert "不是 JPG、PNG、WEBP 图片或 PDF 文件" in page.content.decode()
    assert not AidApplication.objects.exists()


@time_machine.travel(MON)
def test_workbench_pages_render_and_reads_are_audited(client, personas, jinqiu):
    app = applications.application_submit(
        actor=personas.worker, programme=jinqiu, data=child_data(), files=all_documents()
    )
    client.force_login(personas.county_staffer)
    for url in (
        "/workbench/aid/",
        f"/workbench/aid/programmes/{jinqiu.pk}/",
        "/workbench/aid/files/",
        "/workbench/aid/files/new/",
        "/workbench/aid/donations/",
        "/workbench/aid/dibao/",
        "/workbench/aid/reports/",
        "/workbench/aid/programmes/new/",
        f"/workbench/aid/programmes/{jinqiu.pk}/apply/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/workbench/aid/applications/{app.pk}/")
    assert page.status_code == 200 and "王小雨" in page.content.decode()
    assert AuditEvent.objects.filter(action="aid.application_read", object_id=str(app.pk)).exists()
    doc = app.documents.first()
    assert client.get(f"/workbench/aid/documents/{doc.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="aid.document_read").exists()


@time_machine.travel(MON)
def test_sibling_staff_get_404_on_every_page_and_nothing_changes(client, personas, jinqiu):
    app = applications.application_submit(
        actor=personas.worker, programme=jinqiu, data=child_data(), files=all_documents()
    )
    client.force_login(personas.sibling_staffer)
    doc = app.documents.first()
    for url in (
        f"/workbench/aid/programmes/{jinqiu.pk}/",
        f"/workbench/aid/applications/{app.pk}/",
        f"/workbench/aid/documents/{doc.pk}/",
        f"/workbench/aid/programmes/{jinqiu.pk}/apply/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/workbench/aid/applications/{app.pk}/", {"action": "docs_ok"}).status_code == 404
    assert client.post(f"/workbench/aid/programmes/{jinqiu.pk}/", {"action": "close"}).status_code == 404
    app.refresh_from_db()
    jinqiu.refresh_from_db()
    assert app.status == "submitted" and jinqiu.status == "open"
    assert jinqiu.name not in client.get("/workbench/aid/").content.decode()


@time_machine.travel(MON)
def test_a_worker_cannot_open_someone_elses_application(client, personas, jinqiu):
    app = applications.application_submit(actor=personas.worker, programme=jinqiu, data=child_data())
    other = make_staff(personas.tree.grassroots, Staff.Role.OBSERVER, name="旁人")
    client.force_login(other)
    assert client.get(f"/aid/applications/{app.pk}/").status_code == 404


def test_child_id_is_valid():
    from gonghui.core.validators import validate_id_number

    assert validate_id_number(CHILD_ID) == CHILD_ID


@time_machine.travel(MON)
def test_file_recheck_on_the_page_recomputes_the_category(client, personas, dibao):
    from gonghui.aid.services import hardship
    from gonghui.testing.factories import make_id

    f = hardship.hardship_file_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data=hardship.HardshipData(
            head_name="郝师傅",
            head_id_number=make_id(dt.date(1970, 2, 2)),
            region_code="141125",
            household_size=3,
            annual_income="20000",
            household=[{"name": "郝小花", "relation": "女儿"}],
        ),
    )
    assert f.category == "deep"
    client.force_login(personas.county_staffer)
    page = client.get(f"/workbench/aid/files/{f.pk}/")
    assert "认定计算" in page.content.decode() and "深度困难" in page.content.decode()
    r = client.post(
        f"/workbench/aid/files/{f.pk}/",
        {
            "action": "recheck",
            "region_code": "141125",
            "household_size": "3",
            "annual_income": "60000",
            "household": "郝小花 女儿",
        },
    )
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.category == "none" and f.recheck_due == dt.date(2027, 8, 3)
    assert AuditEvent.objects.filter(action="aid.file_recheck").exists()
