"""The journey in a real browser: a grassroots union files 申请 in the workbench, the county approves,
the union downloads the signed certificate, and the public verify page (phone, 360 px) confirms it."""

import pytest

from gonghui.registration import signing
from gonghui.registration.models import Certificate, Filing
from gonghui.testing.browser import ARTIFACTS, assert_fits_width, login_staff, screenshot
from gonghui.testing.factories import PASSWORD

from .conftest import CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_approve_download_verify(live_server, desk_page, phone_page, browser):
    from gonghui.testing.personas import build_personas

    p = build_personas()
    union, county = p.tree.grassroots, p.tree.county
    desk = desk_page
    login_staff(desk, live_server, p.grassroots_admin, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/registration/new/?kind=apply")
    desk.fill("input[name=credit_code]", CODE)
    desk.fill("input[name=legal_rep]", "李桂兰")
    desk.fill("input[name=address]", "山西省吕梁市柳林县柳林镇青龙路 18 号")
    desk.fill("input[name=term_start]", "2026-03-01")
    desk.fill("input[name=term_end]", "2031-02-28")
    for box in desk.locator("input[name=documents]").all():
        box.check()
    screenshot(desk, "registration-1-apply")
    desk.get_by_role("button", name="提交申请").click()
    desk.wait_for_selector("text=待审批")
    filing = Filing.objects.get()
    assert filing.authority == county
    screenshot(desk, "registration-2-submitted")

    # The county approves in its own session.
    county_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    county_page = county_ctx.new_page()
    login_staff(county_page, live_server, p.county_staffer, PASSWORD)
    county_page.goto(f"{live_server.url}/workbench/registration/")
    county_page.get_by_role("link", name=union.name).click()
    county_page.get_by_role("button", name="核准并签发电子证书").click()
    county_page.wait_for_selector("text=下载签章电子证书")
    screenshot(county_page, "registration-3-approved")
    county_ctx.close()

    # The union downloads the certificate.
    desk.goto(f"{live_server.url}/workbench/registration/{filing.pk}/")
    with desk.expect_download() as info:
        desk.get_by_role("link", name="下载签章电子证书 (PDF)").click()
    path = ARTIFACTS / "registration-certificate.pdf"
    info.value.save_as(str(path))
    assert signing.validate(path.read_bytes(), county)["valid"] is True
    cert = Certificate.objects.get()

    # Anyone checks it on a phone.
    phone = phone_page
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto(f"{live_server.url}/registration/verify/")
    phone.fill("input[name=number]", cert.number)
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_selector("[data-status=valid]")
    assert union.name in phone.content()
    assert_fits_width(phone)
    screenshot(phone, "registration-4-verify")
