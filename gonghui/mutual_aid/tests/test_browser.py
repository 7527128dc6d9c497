"""A member files a claim on the phone with a photo of the bill; union staff approve and pay it on the workbench."""

import datetime as dt
import struct
import zlib

import pytest
from django.utils import timezone

from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import MutualAidClaim
from gonghui.testing.browser import assert_fits_width, login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD

from .conftest import product_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def receipt_png(width=120, height=160) -> bytes:
    """A small real PNG (a pale slip with red lines), so the workbench thumbnail shows a picture."""
    rows = []
    for y in range(height):
        red_line = y % 20 == 10
        pixel = b"\xc8\x16\x1d" if red_line else b"\xfa\xf6\xee"
        rows.append(b"\x00" + pixel * width)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def test_claim_filed_on_the_phone_with_a_photo_and_approved_on_the_workbench(
    live_server, phone_page, desk_page, settings, tmp_path
):
    from gonghui.orgs.models import Staff
    from gonghui.testing.factories import make_staff
    from gonghui.testing.personas import build_personas

    settings.MEDIA_ROOT = tmp_path
    personas = build_personas()
    today = timezone.localdate()
    # A product year around today, so every date below is valid whatever day the test runs.
    product = services.product_create(
        actor=make_staff(personas.tree.province, Staff.Role.ADMIN, name="省总互助会"),
        org=personas.tree.province,
        data=product_input(
            today.year,
            period_start=today - dt.timedelta(days=200),
            period_end=today + dt.timedelta(days=165),
        ),
    )
    services.enrolment_create(actor=personas.county_staffer, product=product, member_ids=[personas.member.pk])
    admitted, discharged = today - dt.timedelta(days=30), today - dt.timedelta(days=20)

    page = phone_page
    page.set_viewport_size({"width": 360, "height": 780})
    login_worker(page, live_server, personas.worker)
    page.goto(f"{live_server.url}/mutual-aid/")
    page.wait_for_selector("text=保障凭证")
    assert_fits_width(page)
    screenshot(page, "mutual_aid/1-phone-cover")
    page.get_by_role("link", name="申请互助金").click()
    page.select_option("select[name=kind]", "illness")
    page.fill("input[name=hospital]", "吕梁市人民医院")
    page.fill("input[name=admitted_on]", admitted.isoformat())
    page.fill("input[name=discharged_on]", discharged.isoformat())
    page.fill("input[name=total_cost]", "120000")
    page.fill("input[name=insured_part]", "39000")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "住院发票.png", "mimeType": "image/png", "buffer": receipt_png()}],
    )
    assert_fits_width(page)
    screenshot(page, "mutual_aid/2-phone-form")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("text=互助金计算过程")
    claim = MutualAidClaim.objects.get()
    assert claim.self_paid == 81000 and claim.payout == 37000 and claim.photos.count() == 1
    text = page.inner_text(".w-main")
    assert "37,000.00 元" in text and "待审核" in text
    assert_fits_width(page)
    screenshot(page, "mutual_aid/3-phone-submitted")

    desk = desk_page
    login_staff(desk, live_server, personas.grassroots_admin, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/mutual-aid/")
    desk.get_by_role("link", name=claim.number).click()
    desk.locator(".ma-photos img").scroll_into_view_if_needed()
    # Polled from Python: wait_for_function evaluates its predicate with eval, which the CSP forbids.
    for _ in range(100):
        if desk.evaluate("document.querySelector('.ma-photos img').naturalWidth") == 120:
            break
        desk.wait_for_timeout(100)
    assert desk.evaluate("document.querySelector('.ma-photos img').naturalWidth") == 120
    desk.evaluate("window.scrollTo(0, 0)")
    screenshot(desk, "mutual_aid/4-bench-claim")
    desk.get_by_role("button", name="审核通过").click()
    desk.wait_for_selector("text=已审核通过")
    desk.get_by_role("button", name="登记支付").click()
    desk.wait_for_selector("text=补助短信已发送")
    desk.select_option("select[name=item]", "call")
    desk.fill("form:has(input[value=follow_up]) input[name=note]", "电话问候，已出院在家休养")
    desk.get_by_role("button", name="登记完成").click()
    desk.wait_for_selector("text=已登记「一个问候电话」")
    screenshot(desk, "mutual_aid/5-bench-paid-five-ones")
    claim.refresh_from_db()
    assert claim.status == MutualAidClaim.Status.PAID and claim.paid_amount == 37000
    assert claim.follow_ups.filter(done_at__isnull=False).count() == 2

    page.reload()
    assert "已支付" in page.inner_text(".w-main")
    screenshot(page, "mutual_aid/6-phone-paid")

    # The next stay, quoted against the year so far: the deductible is used up, the bands continue at 80,000.
    page.goto(f"{live_server.url}/mutual-aid/quote/")
    page.fill("input[name=self_paid]", "30000")
    page.fill("input[name=days]", "8")
    page.get_by_role("button", name="试算").click()
    page.wait_for_selector("text=计算过程")
    assert "本年此前已累计 80,000.00 元" in page.inner_text(".w-main")
    assert_fits_width(page)
    screenshot(page, "mutual_aid/7-phone-quote")

    desk.goto(f"{live_server.url}/workbench/mutual-aid/report/")
    assert "100.0%" in desk.inner_text(".bench-main")
    screenshot(desk, "mutual_aid/8-bench-report")
    desk.goto(f"{live_server.url}/workbench/mutual-aid/enrol/")
    screenshot(desk, "mutual_aid/9-bench-enrol")
