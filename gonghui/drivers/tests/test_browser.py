"""On a phone at 360 px: add a vehicle and its 年审 date, get the reminder in the inbox, ask for 年审代办,
order a tyre and pick it up with the code."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.drivers import rules, services
from gonghui.drivers.models import PurchaseOrder
from gonghui.testing.browser import assert_fits_width, login_worker, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_driver_on_the_phone(live_server, phone_page):
    from gonghui.testing.personas import build_personas

    personas = build_personas()
    services.product_create(
        actor=personas.county_staffer,
        org_id=personas.tree.county.pk,
        name="载重轮胎 12R22.5",
        purchase_price="1580",
        market_price="1690",
        stock=10,
        quality_note="三省工厂实测",
    )
    phone = phone_page
    phone.set_viewport_size({"width": 360, "height": 780})
    login_worker(phone, live_server, personas.worker)
    phone.goto(f"{live_server.url}/drivers/")
    phone.fill("input[name=plate]", "晋JA1234")
    phone.get_by_role("button", name="添加车辆").click()
    phone.wait_for_selector("text=车辆已登记")
    # Last 年审 a year ago less ten days: due in ten days, inside the 30-day reminder window.
    last = rules.add_months(timezone.localdate(), -12) + dt.timedelta(days=10)
    phone.select_option("form[action$='/do/document/'] select[name=kind]", label="行驶证年审")
    phone.select_option("select[name=vehicle_id]", label="晋JA1234")
    phone.fill("input[name=last_done_on]", last.isoformat())
    phone.get_by_role("button", name="保存证照").click()
    phone.wait_for_selector("text=下次到期日")
    assert_fits_width(phone)
    screenshot(phone, "drivers-1-vehicle")

    assert services.reminders_send() == 1
    phone.goto(f"{live_server.url}/inbox/")
    phone.wait_for_selector("text=行驶证年审（晋JA1234）将于")
    screenshot(phone, "drivers-2-inbox")

    phone.goto(f"{live_server.url}/drivers/")
    phone.select_option("form[action$='/do/request/'] select[name=kind]", label="年审代办")
    phone.fill("form[action$='/do/request/'] input[name=plate]", "晋JA1234")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_selector("text=提交年审代办申请")

    phone.get_by_role("button", name="下单").click()
    phone.wait_for_selector("text=下单成功")
    order = PurchaseOrder.objects.get()
    assert phone.inner_text(".pickup-code") == order.pickup_code
    services.order_pickup(actor=personas.county_staffer, pickup_code=order.pickup_code)
    phone.reload()
    phone.wait_for_selector("text=已提货")
    assert "已节省 110.00 元" in phone.inner_text("#shop")
    assert_fits_width(phone)
    screenshot(phone, "drivers-3-request-and-order")
