"""The journey of the issue in a real browser: a worker self-tests and applies for 金秋助学 with documents
on a 360 px phone; county staff check the documents, record the home visit and approve; the public 公示
page shows the masked name; after the 5 working days the payment list includes the student; the worker
sees 已发放; a second application for the same child in the same year is refused with the reason.

Screenshots (test-artifacts/aid-*.png) are listed in docs/aid.md."""

import datetime as dt

import pytest
import time_machine

from gonghui.aid.models import AidApplication, LowIncomeStandard
from gonghui.aid.services import programmes
from gonghui.testing.browser import assert_fits_width, login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE_360 = {"width": 360, "height": 780}
MON = dt.datetime(2026, 8, 3, 1, 30, tzinfo=dt.UTC)  # Monday 09:30 in Shanghai
AFTER = dt.datetime(2026, 8, 10, 1, 30, tzinfo=dt.UTC)  # the Monday after the 5 working days


def _file(name):
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def test_self_test_apply_visit_approve_notice_pay(phone_page, desk_page, live_server):
    from gonghui.testing.personas import build_personas

    traveller = time_machine.travel(MON, tick=True)
    traveller.start()
    try:
        p = build_personas()
        LowIncomeStandard.objects.create(
            region_code="141125", region_name="柳林县", monthly="760.00", effective_from=dt.date(2025, 7, 1)
        )
        programme = programmes.programme_create(
            actor=p.county_staffer,
            org=p.tree.county,
            kind="jinqiu",
            name="2026年柳林县金秋助学",
            year=2026,
            budget="418000",
            fund_source="县总工会帮扶资金及社会捐赠",
        )
        phone = phone_page
        phone.set_viewport_size(PHONE_360)

        # 1. The self-test, signed out.
        phone.goto(f"{live_server.url}/aid/self-test/")
        phone.select_option("select[name=region_code]", "141125")
        phone.fill("input[name=household_size]", "4")
        phone.fill("input[name=annual_income]", "42000")
        phone.fill("input[name=expense_medical]", "6000")
        phone.fill("input[name=expense_education]", "8000")
        phone.get_by_role("button", name="计算").click()
        result = phone.locator("#result")
        assert "可能符合深度困难帮扶条件" in result.inner_text()
        assert "28,000.00 ÷ 12 个月 ÷ 4 人 = 583.33 元/人/月" in result.inner_text()
        assert_fits_width(phone)
        screenshot(phone, "aid-1-self-test-360")

        # 2. Signs in and applies with the four documents.
        login_worker(phone, live_server, p.worker)
        phone.goto(f"{live_server.url}/aid/")
        screenshot(phone, "aid-2-home-360")
        phone.get_by_role("link", name="2026年柳林县金秋助学").click()
        child_id = make_id(dt.date(2008, 3, 9), male=False)
        phone.fill("input[name=applicant_id_number]", make_id(dt.date(1980, 5, 1)))
        phone.fill("input[name=unit_name]", "预石运输有限责任公司")
        phone.fill("input[name=beneficiary_name]", "王小雨")
        phone.fill("input[name=beneficiary_id_number]", child_id)
        phone.select_option("select[name=level]", "university")
        phone.fill("input[name=school_name]", "太原理工大学")
        phone.fill("input[name=bank_name]", "中国农业银行柳林支行")
        phone.fill("input[name=bank_account]", "6228480123456789012")
        for kind in ("admission", "id_card", "household", "hardship_proof"):
            phone.set_input_files(f"input[name=doc_{kind}]", _file(f"{kind}.png"))
        assert_fits_width(phone)
        screenshot(phone, "aid-3-apply-360")
        phone.get_by_role("button", name="提交申请").click()
        phone.wait_for_url("**/aid/applications/*/")
        assert "已提交，等待工会审核材料" in phone.locator(".aid-status").inner_text()
        app = AidApplication.objects.get()
        assert app.documents.count() == 4

        # 3. County staff: documents, visit, approval, 公示.
        desk = desk_page
        login_staff(desk, live_server, p.county_staffer, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/aid/applications/{app.pk}/")
        desk.get_by_role("button", name="材料齐全").click()
        desk.fill("input[name=visitors]", "赵县干、李桂兰")
        desk.fill("textarea[name=findings]", "父亲跑长途货运，母亲务农，奶奶常年服药，家中住自建旧房。")
        desk.get_by_role("button", name="保存走访").click()
        desk.fill(
            "form:has(input[value=approve]) textarea[name=reason]", "经入户走访核实，家庭困难属实，同意资助"
        )
        desk.get_by_role("button", name="批准").click()
        assert "已批准" in desk.locator("h1").inner_text()
        screenshot(desk, "aid-4-bench-application")
        desk.goto(f"{live_server.url}/workbench/aid/programmes/{programme.pk}/")
        desk.get_by_role("button", name="发布公示").click()
        assert "公示期至 2026-08-07" in desk.locator(".flash").inner_text()
        screenshot(desk, "aid-5-bench-programme-notice")

        # 4. The public notice on a phone shows the masked name only.
        phone.goto(f"{live_server.url}/notices/")
        phone.get_by_role("link", name="2026年柳林县金秋助学拟资助名单公示").click()
        table = phone.locator(".notice-table").inner_text()
        assert "王*雨" in table and "王小雨" not in phone.content()
        assert_fits_width(phone)
        screenshot(phone, "aid-6-notice-360")
    finally:
        traveller.stop()

    # 5. After the period: the payment list includes her; marked paid.
    traveller = time_machine.travel(AFTER, tick=True)
    traveller.start()
    try:
        login_staff(desk, live_server, p.county_staffer, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/aid/programmes/{programme.pk}/")
        desk.get_by_role("button", name="生成发放名单").click()
        desk.wait_for_url("**/workbench/aid/batches/*/")
        rows = desk.locator("table.table tbody").inner_text()
        assert app.number in rows and "4,000" in rows
        assert "合计 1 笔" in desk.locator("table.table tfoot").inner_text()
        with desk.expect_download() as download:
            desk.get_by_role("link", name="下载银行发放表（xlsx）").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        desk.get_by_role("button", name="标记已发放并通知职工").click()
        screenshot(desk, "aid-7-bench-batch-paid")

        # 6. The worker sees the status; 7. a second application for the same child is refused.
        login_worker(phone, live_server, p.worker)
        phone.goto(f"{live_server.url}/aid/applications/{app.pk}/")
        assert phone.locator(".aid-status").inner_text() == "已发放"
        screenshot(phone, "aid-8-worker-paid-360")
        phone.goto(f"{live_server.url}/aid/programmes/{programme.pk}/apply/")
        phone.fill("input[name=applicant_id_number]", make_id(dt.date(1980, 5, 1)))
        phone.fill("input[name=unit_name]", "预石运输有限责任公司")
        phone.fill("input[name=beneficiary_name]", "王小雨")
        phone.fill("input[name=beneficiary_id_number]", child_id)
        phone.select_option("select[name=level]", "university")
        phone.fill("input[name=school_name]", "太原理工大学")
        phone.get_by_role("button", name="提交申请").click()
        error = phone.locator("[role=alert], .error").first.inner_text()
        assert "同一需求一年只资助一次" in error
        assert_fits_width(phone)
        screenshot(phone, "aid-9-duplicate-refused-360")
        assert AidApplication.objects.count() == 1
        assert not phone.external_requests and not phone.console_errors
    finally:
        traveller.stop()
