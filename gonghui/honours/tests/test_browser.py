"""A selection in a real browser: the county staffer publishes the 公示 of the scored shortlist, awards
after the notice period, and the worker sees the new honour on the phone (at 360 px)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.honours.models import Honour
from gonghui.testing.browser import assert_fits_width, login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_selection_notice_award_visible_on_phone(live_server, phone_page, desk_page):
    from gonghui.honours import services
    from gonghui.testing.personas import build_personas

    from .conftest import World

    world = World(build_personas())
    with time_machine.travel(dt.datetime(2027, 3, 10, 10, tzinfo=SHANGHAI), tick=False):
        sel = world.selection()
        mine = services.nominate(
            actor=world.worker, selection=sel, member_id=world.member.pk, evidence="十年零事故"
        )
        services.score_submit(actor=world.expert, nomination=mine, score=92)

    desk = desk_page
    with time_machine.travel(dt.datetime(2027, 4, 6, 10, tzinfo=SHANGHAI)):
        login_staff(desk, live_server, world.admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/")
        desk.get_by_role("link", name=sel.title).click()
        desk.get_by_role("button", name="公示拟表彰名单").click()
        desk.wait_for_selector("text=公示中")
        screenshot(desk, "honours-1-notice")
        desk.get_by_role("button", name="公示期满，表彰").click()
        desk.wait_for_selector("text=期满后才能表彰")
    with time_machine.travel(dt.datetime(2027, 4, 14, 10, tzinfo=SHANGHAI)):
        login_staff(desk, live_server, world.admin, PASSWORD)  # a week later: the staff session has expired
        desk.goto(f"{live_server.url}/workbench/honours/selections/{sel.pk}/")
        desk.get_by_role("button", name="公示期满，表彰").click()
        desk.wait_for_selector("text=已表彰")
        screenshot(desk, "honours-2-awarded")
        assert Honour.objects.filter(member=world.member).count() == 1

        phone = phone_page
        phone.set_viewport_size({"width": 360, "height": 780})
        login_worker(phone, live_server, world.worker)
        phone.goto(f"{live_server.url}/honours/")
        phone.wait_for_selector("text=柳林县五一劳动奖章")
        assert_fits_width(phone)
        screenshot(phone, "honours-3-phone")
