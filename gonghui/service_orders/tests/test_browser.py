"""The whole 点单 story in a real browser: a grassroots admin orders 身心双检, the dispatcher schedules it,
the union confirms, attendance is recorded, the union rates it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.service_orders.models import ServiceOrder
from gonghui.testing.browser import login_staff, screenshot
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Desk:
    """One workbench page (1440×900) that signs in as whichever side acts next."""

    def __init__(self, page, live_server):
        self.page, self.live_server = page, live_server

    def as_(self, user):
        self.page.context.clear_cookies()
        login_staff(self.page, self.live_server, user, PASSWORD)
        return self.page


def shot(page, name):
    screenshot(page, f"service_orders_{name}")


def test_order_schedule_confirm_attend_rate(personas, menu, desk_page, live_server):
    desk = Desk(desk_page, live_server)
    union = desk.as_(personas.grassroots_admin)
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

    dispatcher = desk.as_(personas.county_staffer)
    dispatcher.goto("/workbench/service-orders/queue/")
    shot(dispatcher, "4_queue")
    dispatcher.get_by_role("link", name="排期").click()
    assert dispatcher.is_checked(f"input[name=expert_ids][value='{menu.doctor.pk}']")
    assert dispatcher.input_value("input[name=day]") == str(menu.monday)
    dispatcher.get_by_role("button", name="排期并通知点单工会").click()
    assert "已排期" in dispatcher.locator("h1").inner_text()
    shot(dispatcher, "5_scheduled")

    union = desk.as_(personas.grassroots_admin)
    union.goto(f"/workbench/service-orders/orders/{order.pk}/")
    assert "09:00" in union.locator("main, .bench-main").first.inner_text()
    union.get_by_role("button", name="确认服务时间").click()
    assert "已确认" in union.locator("h1").inner_text()

    # The session takes place (the test moves it into the past rather than waiting for the date).
    start = timezone.now() - dt.timedelta(hours=3)
    ServiceOrder.objects.filter(pk=order.pk).update(
        scheduled_start=start, scheduled_end=start + dt.timedelta(hours=2)
    )
    dispatcher = desk.as_(personas.county_staffer)
    dispatcher.goto(f"/workbench/service-orders/orders/{order.pk}/")
    dispatcher.fill("input[name=attended_count]", "82")
    dispatcher.fill("textarea[name=note]", "讲解海姆立克急救，完成82人心理测评")
    dispatcher.get_by_role("button", name="登记已服务").click()
    assert "已服务" in dispatcher.locator("h1").inner_text()

    union = desk.as_(personas.grassroots_admin)
    union.goto(f"/workbench/service-orders/orders/{order.pk}/")
    union.check("input[name=rating][value='5']")
    union.fill("textarea[name=comment]", "专家讲得实用，职工很欢迎")
    union.get_by_role("button", name="提交评价").click()
    assert "已评价" in union.locator("h1").inner_text()
    shot(union, "6_rated")
    order.refresh_from_db()
    assert (order.status, order.attended_count, order.rating) == ("rated", 82, 5)

    dispatcher = desk.as_(personas.county_staffer)
    dispatcher.goto(f"/workbench/service-orders/experts/{menu.doctor.pk}/?view=month&date={menu.monday}")
    shot(dispatcher, "7_expert_month")
    dispatcher.goto("/workbench/service-orders/stats/")
    assert "82" in dispatcher.locator(".so-num").first.inner_text()
    shot(dispatcher, "8_stats")
    assert desk_page.console_errors == [] and desk_page.external_requests == []
