"""A real phone browser: grab a seat → see the ticket with its QR → staff redeem it (twice)."""

import os
from pathlib import Path

import pytest
from django.test import Client

from gonghui.campaigns.models import Ticket

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="需要 Debian chromium（/usr/bin/chromium）"),
]


@pytest.fixture(autouse=True)
def _close_connections():
    # `browser` is the shared session-scoped Chromium from gonghui/testing/browser.py.
    yield
    from gonghui.testing.browser import close_page_connections

    close_page_connections()


def session_context(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_grab_ticket_and_redeem_in_the_browser(
    transactional_db, live_server, browser, personas, make_campaign, verified
):
    ARTIFACTS.mkdir(exist_ok=True)
    campaign = make_campaign(
        title="宝鸡市工人文化宫·古筝初级班",
        offers=[
            {
                "name": "古筝初级班（周六上午）",
                "capacity": 30,
                "schedule": "每周六 9:00-11:00",
                "location": "302 教室",
            },
            {"name": "声乐班（周日下午）", "capacity": 25, "schedule": "每周日 14:00-16:00"},
        ],
    )
    phone = {"width": 390, "height": 844}
    worker = session_context(browser, live_server, verified, phone).new_page()
    worker.goto(f"{live_server.url}/campaigns/")
    worker.screenshot(path=str(ARTIFACTS / "campaigns-list.png"), full_page=True)
    worker.get_by_text("宝鸡市工人文化宫·古筝初级班").click()
    worker.wait_for_url(f"**/campaigns/{campaign.pk}/")
    worker.get_by_role("button", name="立即抢").first.click()
    worker.get_by_text("抢到了").wait_for()
    first_offer = campaign.offers.order_by("pk").first()
    assert worker.locator(f"#left-{first_offer.pk}").inner_text() == "剩 29"  # the count moved with the sale
    worker.screenshot(path=str(ARTIFACTS / "campaigns-grabbed.png"), full_page=True)
    worker.get_by_role("link", name="查看我的券和二维码").click()
    worker.wait_for_url("**/campaigns/tickets/")
    ticket = Ticket.objects.get()
    assert worker.locator(".cg-qr svg").count() == 1
    assert ticket.code in worker.content()
    worker.screenshot(path=str(ARTIFACTS / "campaigns-tickets.png"), full_page=True)

    staff = session_context(browser, live_server, personas.county_staffer, phone).new_page()
    staff.goto(f"{live_server.url}/workbench/campaigns/redeem/")
    # Which session is at the door: the Sunday singing class, while the ticket is for 古筝 on Saturday.
    second_offer = campaign.offers.order_by("pk").last()
    staff.get_by_label("正在核销的活动/场次").select_option(str(second_offer.pk))
    staff.get_by_label("券码").fill(ticket.code)
    staff.get_by_label("核销地点").fill("宝鸡市工人文化宫 302 教室")
    staff.get_by_role("button", name="查验券码").click()
    staff.get_by_text("不是正在核销的场次「声乐班（周日下午）」").wait_for()
    staff.screenshot(path=str(ARTIFACTS / "campaigns-redeem-wrong-session.png"), full_page=True)
    staff.get_by_label("正在核销的活动/场次").select_option(str(first_offer.pk))
    staff.get_by_role("button", name="查验券码").click()
    staff.get_by_text("请核对后确认核销").wait_for()
    staff.get_by_role("button", name="确认核销").click()
    staff.get_by_text("核销成功").wait_for()
    staff.screenshot(path=str(ARTIFACTS / "campaigns-redeemed.png"), full_page=True)
    staff.get_by_role("button", name="查验券码").click()
    staff.get_by_text("该券已核销").wait_for()
    assert "宝鸡市工人文化宫 302 教室" in staff.locator("#redeem-result").inner_text()
    assert staff.get_by_role("button", name="确认核销").count() == 0
    staff.screenshot(path=str(ARTIFACTS / "campaigns-redeem-twice.png"), full_page=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REDEEMED

    bench = session_context(
        browser, live_server, personas.county_staffer, {"width": 1440, "height": 900}
    ).new_page()
    bench.goto(f"{live_server.url}/workbench/campaigns/{campaign.pk}/")
    bench.get_by_text("按职业").wait_for()
    bench.screenshot(path=str(ARTIFACTS / "campaigns-bench-detail.png"), full_page=True)
    bench.goto(f"{live_server.url}/workbench/campaigns/new/")
    bench.screenshot(path=str(ARTIFACTS / "campaigns-bench-new.png"), full_page=True)
