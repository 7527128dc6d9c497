"""走访与协商 in a real browser: a staffer at 1366 px records a 法律体检 visit whose wage problem becomes a
诉求工单 in one click, closes a problem a worker raised, and looks after a forum's commitments; the worker
reads the outcome on a 360 px phone."""

import datetime as dt
import urllib.request
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.outreach import services
from gonghui.outreach.models import CheckItem, Problem
from gonghui.testing.browser import (
    assert_accessible,
    assert_fits_width,
    login_staff,
    login_worker,
    screenshot,
)
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
DESK_1366 = {"width": 1366, "height": 900}


def _warm(live_server) -> None:
    """The first page a fresh live server renders (templates, static files) can take longer than the
    browser's 15 s on a loaded 2-core box; fetch it once with a generous timeout before the browser does."""
    urllib.request.urlopen(f"{live_server.url}/accounts/staff-login/", timeout=120).read()


def test_visit_to_case_and_problem_outcome_reach_the_worker(live_server, desk_page, phone_page):
    from gonghui.testing.personas import build_personas

    with time_machine.travel(dt.datetime(2027, 5, 6, 10, tzinfo=SHANGHAI), tick=True):
        p = build_personas()
        services.opinion_submit(actor=p.worker, text="国道沿线夜间没有货车停车休息点，常被罚停")
        desk = desk_page
        desk.set_viewport_size(DESK_1366)
        _warm(live_server)
        login_staff(desk, live_server, p.county_staffer, PASSWORD)

        desk.goto(f"{live_server.url}/workbench/outreach/visits/new/")
        desk.fill("input[name=enterprise_name]", "柳林县某装饰材料有限公司")
        desk.fill("input[name=visitors]", "职工服务中心 张律师")
        desk.check("input[name=contract-result][value=ok]")
        desk.check("input[name=wages-result][value=problem]")
        desk.get_by_role("button", name="保存走访记录").click()
        desk.wait_for_selector("#form-errors")  # the wage problem needs its note
        assert "请填写“工资按时足额”的问题说明" in desk.locator("#form-errors").inner_text()
        screenshot(desk, "outreach-1-visit-refused")
        desk.get_by_label("工资按时足额情况说明").fill("离职职工何某军在岗期间工资未发放")
        desk.get_by_label("工资按时足额涉及职工").fill("何某军")
        desk.get_by_label("工资按时足额涉及金额").fill("7800")
        desk.get_by_role("button", name="保存走访记录").click()
        desk.get_by_role("button", name="转为维权诉求").click()
        desk.wait_for_selector("text=已转诉求")
        item = CheckItem.objects.get(topic="wages")
        assert item.case_number and desk.get_by_role("link", name=item.case_number).is_visible()
        assert_accessible(desk)
        screenshot(desk, "outreach-2-visit-case")

        desk.goto(f"{live_server.url}/workbench/outreach/problems/")
        desk.get_by_label("国道沿线夜间没有货车停车休息点，常被罚停").check()
        desk.fill("input[name=title]", "货车司机夜间停车休息难")
        desk.get_by_role("button", name="列入问题清单").click()
        desk.fill("input[name=text]", "设置货车临时停车休息区")
        desk.fill("input[name=owner_department]", "交通运输局")
        desk.get_by_role("button", name="添加措施").click()
        desk.fill("textarea[name=outcome]", "国道柳林段已设 2 处货车临时停车休息区，夜间有交警巡逻。")
        desk.get_by_role("button", name="办结并通知职工").click()
        desk.wait_for_selector("text=已通知反映该问题的职工")
        assert Problem.objects.get().status == Problem.Status.CLOSED
        assert_accessible(desk)
        screenshot(desk, "outreach-3-problem-closed")
        desk.goto(f"{live_server.url}/workbench/outreach/")
        assert_accessible(desk)
        screenshot(desk, "outreach-4-home")

        phone = phone_page
        phone.set_viewport_size({"width": 360, "height": 780})
        login_worker(phone, live_server, p.worker)
        phone.goto(f"{live_server.url}/outreach/")
        phone.wait_for_selector("text=国道柳林段已设 2 处货车临时停车休息区")
        assert phone.locator(".pill-ok", has_text="已解决").count() == 1
        assert_fits_width(phone)
        assert_accessible(phone)
        screenshot(phone, "outreach-5-phone")
        assert not phone.external_requests and not desk.console_errors


def test_forum_calendar_and_commitment_evidence(live_server, desk_page):
    from gonghui.orgs.models import Org, Staff
    from gonghui.testing.factories import make_org, make_staff
    from gonghui.testing.personas import build_tree

    with time_machine.travel(dt.datetime(2027, 10, 8, 10, tzinfo=SHANGHAI), tick=True):
        tree = build_tree()
        org = make_org(tree.county, Org.Kind.INDUSTRY, "柳林县网约车行业工会联合会", region_code="141125")
        admin = make_staff(org, Staff.Role.ADMIN, name="倪文杰")
        forum = services.forum_create(
            actor=admin, org_id=org.pk, name="网约车行业协商协调", counterpart="出行平台"
        )
        talk = services.meeting_schedule(
            actor=admin,
            forum_id=forum.pk,
            kind="talk",
            title="劳动者权益协商恳谈会",
            scheduled_on="2027-07-20",
        )
        services.meeting_record(
            actor=admin,
            meeting_id=talk.pk,
            minutes="通过议事规则，签订关心关爱协议",
            participants=[
                {"side": "union", "name": "倪文杰", "unit": "行业工会"},
                {"side": "employer", "name": "王经理", "unit": "出行平台"},
            ],
        )
        services.agreement_sign(
            actor=admin,
            meeting_id=talk.pk,
            title="行业自律和关心关爱协议",
            parties="行业工会；出行平台",
            commitments=[f"第 {i} 项关爱举措" for i in range(1, 13)],
        )
        desk = desk_page
        desk.set_viewport_size(DESK_1366)
        _warm(live_server)
        login_staff(desk, live_server, admin, PASSWORD)
        desk.goto(f"{live_server.url}/workbench/outreach/forums/{forum.pk}/")
        assert "尚缺 1 次" in desk.locator(".or-year").inner_text()
        desk.get_by_label("第 1 条核查情况与佐证").fill("抽查 3 个检修点，台账齐全")
        desk.get_by_label("第 1 条核查结论").select_option("kept")
        desk.locator("form.or-evidence").first.get_by_role("button", name="记录").click()
        desk.wait_for_selector("text=跟进佐证已记录")
        assert desk.locator("tr.overdue").count() == 11
        desk.fill("input[name=title]", "2027 年协商协调会")
        desk.fill("input[name=scheduled_on]", "2027-11-20")
        desk.get_by_role("button", name="排期", exact=True).click()
        desk.wait_for_selector("text=已排期：2027-11-20")
        assert "尚缺" not in desk.locator(".or-year").inner_text()
        assert_accessible(desk)
        screenshot(desk, "outreach-6-forum")
