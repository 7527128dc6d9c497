"""In a real browser: a selection from opening to 公示 to award — the county staffer opens it on the workbench
(1366 px) with a prize paid from the county's award budget, a unit nominates, the worker nominates themself on
the phone (360 px), a panelist scores (and is shown the one nomination they must stay out of), the 公示 is
published with masked names, the award writes the register, and the worker sees the honour on the phone.
Then a 师带徒 agreement with two apprentices and a technical problem taken and solved on the phone, confirmed
on the workbench."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.funds.models import FundApplication
from gonghui.honours.models import Agreement, Honour, Nomination, TechProblem
from gonghui.testing.browser import (
    assert_accessible,
    assert_fits_width,
    login_staff,
    login_worker,
    screenshot,
)
from gonghui.testing.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _world():
    from gonghui.testing.personas import build_personas

    from .conftest import World

    return World(build_personas())


def test_selection_open_to_notice_to_award_visible_on_phone(live_server, phone_page, desk_page):
    world = _world()
    # 陈评委 is a member of 王建军's grassroots unit: the page tells them to stay out of his nomination.
    make_member(world.tree.grassroots, user=world.expert2, name="陈评委")
    desk, phone = desk_page, phone_page
    desk.set_viewport_size({"width": 1366, "height": 900})
    phone.set_viewport_size({"width": 360, "height": 780})
    with time_machine.travel(dt.datetime(2027, 3, 8, 9, tzinfo=SHANGHAI)):
        login_staff(desk, live_server, world.admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/selections/")
        desk.fill("input[name=title]", "2027年柳林县五一劳动奖章评选")
        desk.fill("input[name=honour_title]", "柳林县五一劳动奖章")
        desk.select_option("select[name=level]", "county")
        desk.fill("input[name=quota]", "1")
        desk.fill("input[name=opens_on]", "2027-03-01")
        desk.fill("input[name=closes_on]", "2027-03-31")
        desk.fill("input[name=prize]", "2000")
        desk.select_option("select[name=prize_scheme_id]", str(world.prize_scheme.pk))
        desk.fill("textarea[name=criteria]", "爱岗敬业，业绩突出，近三年无安全事故")
        desk.get_by_label("刘评委").check()
        desk.get_by_label("陈评委").check()
        desk.get_by_role("button", name="发起评选").click()
        desk.wait_for_selector("text=推荐中")
        desk.fill("input[name=member_no]", world.other.member_no)
        desk.fill("textarea[name=evidence]", "镇上维修站骨干，二十年如一日")
        desk.get_by_role("button", name="推荐", exact=True).click()
        desk.wait_for_selector("#ranking >> text=李师傅")
        assert_accessible(desk)
        screenshot(desk, "honours2-1-selection-opened")

        login_worker(phone, live_server, world.worker)
        phone.goto(f"{live_server.url}/honours/")
        phone.get_by_role("link", name="我要自荐").click()
        phone.fill("textarea[name=evidence]", "   ")  # passes the browser's required check
        phone.get_by_role("button", name="提交自荐").click()
        phone.wait_for_selector("text=请填写事迹材料")  # bad input: the field is named, nothing saved
        assert not Nomination.objects.filter(member=world.member).exists()
        phone.fill("textarea[name=evidence]", "驾驶重载货车十年零事故，带出徒弟 6 名")
        phone.get_by_role("button", name="提交自荐").click()
        phone.wait_for_selector("#my-honours")
        phone.wait_for_selector("text=自荐 ·")
        assert_fits_width(phone)
        screenshot(phone, "honours2-2-phone-self-nominated")

        for expert, marks in [
            (world.expert, {"王建军": "92", "李师傅": "80"}),
            (world.expert2, {"李师傅": "85"}),
        ]:
            login_staff(desk, live_server, expert, PASSWORD)
            desk.goto(f"{live_server.url}/workbench/honours/selections/")
            desk.get_by_role("link", name="2027年柳林县五一劳动奖章评选").click()
            for name, mark in marks.items():
                desk.get_by_label(f"给{name}评分（0-100）").fill(mark)
                desk.get_by_label(f"给{name}评分（0-100）").press("Enter")
                desk.wait_for_selector(f"text=已为{name}评分")
        desk.wait_for_selector("text=回避：评审人与被推荐人同在一个基层单位，应当回避")
        screenshot(desk, "honours2-3-panel-conflict")

        login_staff(desk, live_server, world.admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/selections/")
        desk.get_by_role("link", name="2027年柳林县五一劳动奖章评选").click()
        desk.get_by_role("button", name="公示拟表彰名单").click()
        desk.wait_for_selector("#notice >> text=王*军")
        assert "王建军" not in desk.locator("#notice").inner_text()
        screenshot(desk, "honours2-4-notice")
        desk.get_by_role("button", name="公示期满，表彰").click()
        desk.wait_for_selector("text=期满后才能表彰")

    with time_machine.travel(dt.datetime(2027, 4, 14, 10, tzinfo=SHANGHAI)):
        login_staff(desk, live_server, world.admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/selections/")
        desk.get_by_role("link", name="2027年柳林县五一劳动奖章评选").click()
        desk.get_by_role("button", name="公示期满，表彰").click()
        desk.wait_for_selector("#status >> text=已表彰")
        screenshot(desk, "honours2-5-awarded")
        desk.goto(f"{live_server.url}/workbench/honours/?q=王建军")
        desk.wait_for_selector("#register >> text=柳林县五一劳动奖章")
        assert_accessible(desk)
        screenshot(desk, "honours2-6-register")
        assert Honour.objects.filter(member=world.member, year=2027).count() == 1
        assert FundApplication.objects.get(applicant_user=world.worker).approved_amount == 2000

        login_worker(phone, live_server, world.worker)
        phone.goto(f"{live_server.url}/honours/")
        phone.wait_for_selector("#my-honours >> text=柳林县五一劳动奖章")
        assert_fits_width(phone)
        assert_accessible(phone)
        screenshot(phone, "honours2-7-phone-honours")


def test_master_two_apprentices_problem_taken_solved_confirmed(live_server, phone_page, desk_page):
    world = _world()
    far = make_member(world.tree.sibling_grassroots, name="马小军")  # another city's union
    desk, phone = desk_page, phone_page
    desk.set_viewport_size({"width": 1366, "height": 900})
    phone.set_viewport_size({"width": 360, "height": 780})
    with time_machine.travel(dt.datetime(2027, 3, 8, 9, tzinfo=SHANGHAI)):
        login_staff(desk, live_server, world.admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/agreements/")
        desk.fill("input[name=master_no]", world.member.member_no)
        desk.fill("input[name=apprentice_nos]", f"{far.member_no}，{world.other.member_no}")
        desk.fill("input[name=starts_on]", "2027-03-01")
        desk.fill("input[name=ends_on]", "2028-02-28")
        desk.fill("textarea[name=plan]", "一年内掌握重载车辆电气故障排查")
        desk.get_by_role("button", name="签订").click()
        desk.wait_for_selector("text=带 2 名徒弟")
        screenshot(desk, "honours2-8-agreement")
        assert Agreement.objects.get().apprentices.count() == 2

        enterprise = world.p.grassroots_admin
        login_staff(desk, live_server, enterprise, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/problems/")
        desk.fill("input[name=title]", "车载配电柜频繁跳闸")
        desk.select_option("select[name=category]", "electrical")
        desk.fill("textarea[name=description]", "雨季车队配电柜每周跳闸 3 次")
        desk.get_by_role("button", name="发布").click()
        desk.wait_for_selector("#problems >> text=待揭榜")

        login_worker(phone, live_server, world.worker)
        phone.goto(f"{live_server.url}/honours/problems/")
        phone.get_by_role("button", name="揭榜攻关").click()
        phone.wait_for_selector("text=已揭榜")
        phone.fill("textarea[name=solution]", "更换防潮断路器并加装除湿加热器")
        phone.fill("textarea[name=follow_up]", "一个月后回访无跳闸")
        phone.get_by_role("button", name="提交方案").click()
        phone.wait_for_selector("text=待确认")
        assert_fits_width(phone)
        screenshot(phone, "honours2-9-phone-problem")

        login_staff(desk, live_server, enterprise, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/honours/problems/")
        desk.get_by_role("button", name="确认已解决").click()
        desk.wait_for_selector("#problem-counts >> text=电气设备 1 项")
        assert_accessible(desk)
        screenshot(desk, "honours2-10-problem-solved")
    problem = TechProblem.objects.get()
    assert problem.status == "solved" and problem.solver == world.member
