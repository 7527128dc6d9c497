"""On a phone at 360 px: add a vehicle and its 年审 date, get the reminder in the inbox, ask for 年审代办,
order a tyre and pick it up with the code (the union's staffer types the code on the workbench at 1366 px).
Then the staffer's pages: the requests queue with assignment, the hotline log, products."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.drivers import rules, services
from gonghui.drivers.models import DriverRequest, PurchaseOrder
from gonghui.testing.browser import (
    assert_accessible,
    assert_fits_width,
    login_staff,
    login_worker,
    screenshot,
)
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_driver_on_the_phone(live_server, phone_page, desk_page):
    from gonghui.testing.personas import build_personas

    personas = build_personas()
    staff = personas.county_staffer
    services.product_create(
        actor=staff,
        org_id=personas.tree.county.pk,
        name="载重轮胎 12R22.5",
        purchase_price="1580",
        market_price="1690",
        stock=10,
        supplier="山东某轮胎厂",
        quality_note="三省工厂实测",
    )
    services.hotline_number_set(
        actor=staff, org_id=personas.tree.county.pk, number="400-838-5115", hours="24 小时"
    )
    phone = phone_page
    phone.set_viewport_size({"width": 360, "height": 780})
    login_worker(phone, live_server, personas.worker)
    phone.goto(f"{live_server.url}/drivers/")
    phone.wait_for_selector("text=司机服务热线 400-838-5115")
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
    assert_accessible(phone)
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
    assert DriverRequest.objects.get().kind == "inspection"

    phone.get_by_role("button", name="下单").click()
    phone.wait_for_selector("text=下单成功")
    code = phone.inner_text(".pickup-code")
    assert code == PurchaseOrder.objects.get().pickup_code

    # The driver reads the code out at the counter; the staffer types it on the workbench.
    desk = desk_page
    login_staff(desk, live_server, staff, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/drivers/orders/")
    desk.fill("input[name=pickup_code]", code)
    desk.get_by_role("button", name="确认提货").click()
    desk.wait_for_selector("text=已提货：载重轮胎 12R22.5 × 1")
    assert_accessible(desk)
    screenshot(desk, "drivers-bench-orders")

    phone.reload()
    phone.wait_for_selector("text=已提货")
    assert "已节省 110.00 元" in phone.inner_text("#shop")
    assert_fits_width(phone)
    screenshot(phone, "drivers-3-request-and-order")

    # The staffer assigns the 年审代办 to a partner agency; the driver sees it in the timeline.
    req = DriverRequest.objects.get()
    desk.goto(f"{live_server.url}/workbench/drivers/requests/")
    desk.get_by_role("link", name="年审代办").click()
    desk.check("input[name=assignee_kind][value=agency]")
    desk.fill("input[name=partner]", "柳林县某机动车代办服务部")
    desk.get_by_role("button", name="指派").click()
    desk.wait_for_selector("text=指派给合作代办机构：柳林县某机动车代办服务部")
    assert_accessible(desk)
    screenshot(desk, "drivers-bench-request")
    phone.reload()
    phone.wait_for_selector("text=指派给合作代办机构：柳林县某机动车代办服务部")
    req.refresh_from_db()
    assert req.status == "accepted"

    call = services.hotline_log(
        actor=staff,
        org_id=personas.tree.grassroots.pk,
        caller_phone=personas.worker.phone,
        topic="询问通行证办理需要哪些材料",
        promise="明天把材料清单发到会员消息",
    )
    for path, name in [("", "overview"), ("products/", "products"), ("hotline/", "hotline")]:
        desk.goto(f"{live_server.url}/workbench/drivers/{path}")
        assert_accessible(desk)
        screenshot(desk, f"drivers-bench-{name}")
    log = desk.inner_text("#log")
    assert "王*军" in log and personas.worker.phone[-11:] not in log
    desk.goto(f"{live_server.url}/workbench/drivers/hotline/{call.pk}/")
    assert_accessible(desk)
    screenshot(desk, "drivers-bench-call")
    desk.select_option("select[name=kind]", label="通行证办理")
    desk.get_by_role("button", name="转为申请").click()
    desk.wait_for_selector("text=提交通行证办理申请（热线来电登记）")
