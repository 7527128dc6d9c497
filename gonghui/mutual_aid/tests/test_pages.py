"""Worker and workbench pages: file with photos, review, pay, enrol by picking; sibling staff get 404."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client

from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Enrolment, MutualAidClaim

from .conftest import bill, stay

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_member_sees_the_certificate_and_files_on_the_phone(personas, enrolment, media):
    worker = _client(personas.worker)
    home = worker.get("/mutual-aid/")
    assert enrolment.certificate_no in home.content.decode() and "保障凭证" in home.content.decode()
    form = {
        "kind": "illness",
        "hospital": "吕梁市人民医院",
        "admitted_on": "2025-03-02",
        "discharged_on": "2025-03-12",
        "total_cost": "120000",
        "insured_part": "39000",
    }
    missing = worker.post("/mutual-aid/claims/new/", form)
    assert missing.status_code == 400 and "请上传住院发票" in missing.content.decode()
    response = worker.post("/mutual-aid/claims/new/", {**form, "photos": bill()})
    claim = MutualAidClaim.objects.get()
    assert response.status_code == 302 and response.url == f"/mutual-aid/claims/{claim.pk}/"
    page = worker.get(response.url).content.decode()
    assert "37,000.00 元" in page and "10,000–50,000 元段" in page
    photo = claim.photos.get()
    assert worker.get(f"/mutual-aid/claims/{claim.pk}/photos/{photo.pk}/")["Content-Type"] == "image/jpeg"


def test_a_bad_date_is_named_on_the_form(personas, enrolment, media):
    response = _client(personas.worker).post(
        "/mutual-aid/claims/new/",
        {"kind": "illness", "hospital": "医院", "admitted_on": "2025-13-01", "total_cost": "1"},
    )
    assert response.status_code == 400 and "请填写入院日期（YYYY-MM-DD）" in response.content.decode()


def test_staff_review_and_pay_on_the_workbench(personas, enrolment, media, sms_outbox):
    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    staff = _client(personas.grassroots_admin)
    listing = staff.get("/workbench/mutual-aid/").content.decode()
    assert claim.number in listing and "王*军" in listing
    detail = staff.get(f"/workbench/mutual-aid/claims/{claim.pk}/").content.decode()
    assert "计算过程" in detail and "37,000.00 元" in detail
    staff.post(f"/workbench/mutual-aid/claims/{claim.pk}/", {"action": "approve"})
    staff.post(f"/workbench/mutual-aid/claims/{claim.pk}/", {"action": "pay"})
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.paid_amount == D("37000.00")
    page = staff.get(f"/workbench/mutual-aid/claims/{claim.pk}/").content.decode()
    assert "一个问候电话" in page and "系统自动发送" in page
    tick = staff.post(
        f"/workbench/mutual-aid/claims/{claim.pk}/",
        {"action": "follow_up", "item": "money", "done_on": "2099-01-01"},
    )
    assert tick.status_code == 400 and "完成日期不能晚于今天" in tick.content.decode()


def test_a_sibling_unions_staff_get_404_on_every_page_and_nothing_changes(personas, enrolment, media):
    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    sibling = _client(personas.sibling_staffer)
    assert claim.number not in sibling.get("/workbench/mutual-aid/?status=").content.decode()
    assert sibling.get(f"/workbench/mutual-aid/claims/{claim.pk}/").status_code == 404
    photo = claim.photos.get()
    assert sibling.get(f"/workbench/mutual-aid/claims/{claim.pk}/photos/{photo.pk}/").status_code == 404
    assert sibling.post(f"/workbench/mutual-aid/claims/{claim.pk}/", {"action": "approve"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "submitted"
    # Another worker cannot open the member's claim either.
    assert _client(personas.sibling_staffer).get(f"/mutual-aid/claims/{claim.pk}/").status_code == 404


def test_enrol_by_picking_members_and_the_report(personas, product, media):
    staff = _client(personas.county_staffer)
    page = staff.get(f"/workbench/mutual-aid/enrol/?product={product.pk}").content.decode()
    assert "王*军" in page and "吴*傅" not in page  # the sibling's member is not in the county's subtree
    response = staff.post(
        "/workbench/mutual-aid/enrol/",
        {
            "product": product.pk,
            "member": [personas.member.pk],
            "paid_by": "donated",
            "donated_as": "model_worker",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.paid_by == "donated" and enrolment.donated_as == "model_worker"
    assert "100.0%" in staff.get("/workbench/mutual-aid/report/").content.decode()
    assert "年度起付线" in staff.get("/workbench/mutual-aid/products/").content.decode()


def test_the_quote_page_continues_the_members_year(personas, enrolment, media):
    services.claim_file(actor=personas.worker, data=stay(dt.date(2025, 2, 1), 4, "600"), files=[bill()])
    page = _client(personas.worker).get("/mutual-aid/quote/", {"self_paid": "3400", "days": "6"})
    html = page.content.decode()
    # 600 元 of the deductible already used this year: 400 taken now, 3,000 × 30 % = 900.
    assert page.status_code == 200 and "本次抵扣 400.00 元" in html and "900.00 元" in html
    bad = _client(personas.worker).get("/mutual-aid/quote/", {"self_paid": "abc", "days": "6"})
    assert bad.status_code == 400 and "个人自付应为数字" in bad.content.decode()
