"""The whole 点单 story in a real browser: a grassroots admin orders 身心双检, the dispatcher schedules it,
the union confirms, attendance is recorded, the union rates it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from gonghui.service_orders.models import ServiceOrder
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A minimal local fixture; gonghui/testing/browser.py (when merged) offers the same with more checks.
CHROMIUM = os.environ.get("GONGHUI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def desk(live_server):
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"未找到浏览器 {CHROMIUM}，跳过浏览器测试（apt-get install chromium fonts-noto-cjk）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = []

        def open_as(user):
            context = browser.new_context(
                base_url=live_server.url,
                viewport={"width": 1440, "height": 900},
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.goto("/accounts/staff-login/")
            page.fill("input[name=phone]", user.phone[3:])
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="登录工作台").click()
            assert "/workbench/" in page.url
            pages.append(page)
            return page

        yield open_as
        browser.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"service_orders_{name}.png"), full_page=True)


def test_order_schedule_confirm_attend_rate(personas, menu, desk):
    union = desk(personas.grassroots_admin)
    union.goto("/workbench/service-orders/menu/")
    shot(union, "1_menu")
    union.get_by_role("link", name="身心双检").first.click()
    # A date inside the lead time is refused next to the field, and what was typed stays.
    union.fill("input[name=preferred_date1]", str(timezone.localdate() + dt.timedelta(days=1)))
    union.fill("input[name=headcount]", "80")
    union.fill("input[name=address]", "预石运输公司三楼会议室")
    union.fill("input[name=contact_phone]", "13912345678")
    union.fill("textarea[name=needs]", "80多名司机，想学海姆立克急救")
    union.get_by_role("button", name="提交点单").click()
    assert "需提前 3 天预约" in union.locator(".has-error .error").inner_text()
    assert union.input_value("input[name=address]") == "预石运输公司三楼会议室"
    shot(union, "2_order_error")
    union.fill("input[name=preferred_date1]", str(menu.monday))
    union.get_by_role("button", name="提交点单").click()
    union.wait_for_url("**/orders/*/")
    assert "已下单" in union.locator("h1").inner_text()
    assert str(menu.monday) in union.locator(".so-expected").inner_text()
    shot(union, "3_ordered")
    order = ServiceOrder.objects.get()

    dispatcher = desk(personas.county_staffer)
    dispatcher.goto("/workbench/service-orders/queue/")
    shot(dispatcher, "4_queue")
    dispatcher.get_by_role("link", name="排期").click()
    assert dispatcher.is_checked(f"input[name=expert_ids][value='{menu.doctor.pk}']")
    assert dispatcher.input_value("input[name=day]") == str(menu.monday)
    dispatcher.get_by_role("button", name="排期并通知点单工会").click()
    assert "已排期" in dispatcher.locator("h1").inner_text()
    shot(dispatcher, "5_scheduled")

    union.reload()
    assert "09:00" in union.locator("main, .bench-main").first.inner_text()
    union.get_by_role("button", name="确认服务时间").click()
    assert "已确认" in union.locator("h1").inner_text()

    # The session takes place (the test moves it into the past rather than waiting for the date).
    start = timezone.now() - dt.timedelta(hours=3)
    ServiceOrder.objects.filter(pk=order.pk).update(
        scheduled_start=start, scheduled_end=start + dt.timedelta(hours=2)
    )
    dispatcher.reload()
    dispatcher.fill("input[name=attended_count]", "82")
    dispatcher.fill("textarea[name=note]", "讲解海姆立克急救，完成82人心理测评")
    dispatcher.get_by_role("button", name="登记已服务").click()
    assert "已服务" in dispatcher.locator("h1").inner_text()

    union.reload()
    union.check("input[name=rating][value='5']")
    union.fill("textarea[name=comment]", "专家讲得实用，职工很欢迎")
    union.get_by_role("button", name="提交评价").click()
    assert "已评价" in union.locator("h1").inner_text()
    shot(union, "6_rated")
    order.refresh_from_db()
    assert (order.status, order.attended_count, order.rating) == ("rated", 82, 5)

    dispatcher.goto(f"/workbench/service-orders/experts/{menu.doctor.pk}/?view=month&date={menu.monday}")
    shot(dispatcher, "7_expert_month")
    dispatcher.goto("/workbench/service-orders/stats/")
    assert "82" in dispatcher.locator(".so-num").first.inner_text()
    shot(dispatcher, "8_stats")
    assert not union.errors and not dispatcher.errors
