"""The 全员改善 journey in a real browser: a worker captures a draft on the phone in one screen and
finishes it later; the reviewer adopts it in the workbench; the owner records the implementation; the
quarter's award lands in the ledger; the worker sees it on the phone (at 360 px)."""

import pytest

from gonghui.proposals.models import Proposal, Reward
from gonghui.testing.browser import assert_fits_width, login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_capture_complete_review_implement_reward(live_server, phone_page, desk_page):
    from gonghui.testing.personas import build_personas

    from .conftest import World

    world = World(build_personas())
    phone = phone_page
    phone.set_viewport_size({"width": 360, "height": 780})

    # 1. On the shop floor: one screen, a title and the place, saved as a draft.
    login_worker(phone, live_server, world.worker)
    phone.goto(f"{live_server.url}/proposals/")
    phone.get_by_role("link", name="随手拍").click()
    phone.fill("input[name=title]", "皮带机托辊加装防尘罩")
    phone.fill("textarea[name=note]", "2号转运站托辊积尘严重")
    phone.fill("input[name=place]", "2号转运站")
    assert_fits_width(phone)
    screenshot(phone, "proposals-1-capture")
    phone.get_by_role("button", name="保存草稿").click()
    phone.wait_for_selector("text=完善提案")
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT

    # 2. On a break: complete and submit.
    phone.goto(f"{live_server.url}/proposals/")
    phone.get_by_role("link", name="皮带机托辊加装防尘罩").click()
    phone.select_option("select[name=tier]", label="改善提案")
    phone.select_option("select[name=category]", label="五小")
    phone.fill("textarea[name=problem]", "托辊积尘，每月更换 6 个")
    phone.fill("textarea[name=solution]", "加装可拆卸防尘罩")
    phone.fill("input[name=estimated_savings]", "12000")
    assert_fits_width(phone)
    screenshot(phone, "proposals-2-complete")
    phone.get_by_role("button", name="提交评审").click()
    phone.wait_for_selector("text=分配评审")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    screenshot(phone, "proposals-3-submitted")

    # 3. The reviewer adopts it in the workbench.
    desk = desk_page
    login_staff(desk, live_server, world.reviewer, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/proposals/?view=mine")
    desk.get_by_role("link", name=proposal.number).click()
    desk.fill("input[name=score_innovation]", "22")
    desk.fill("input[name=score_feasibility]", "26")
    desk.fill("input[name=score_benefit]", "32")
    desk.select_option("select[name=decision]", "adopt")
    screenshot(desk, "proposals-4-review")
    desk.get_by_role("button", name="提交评审结论").click()
    desk.wait_for_selector("h1 >> text=已采纳")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED

    # 4. The union names an owner; the owner records the implementation.
    desk.context.clear_cookies()
    login_staff(desk, live_server, world.admin, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/proposals/{proposal.pk}/")
    desk.select_option("form:has(input[value=owner]) select[name=owner]", str(world.reviewer2.pk))
    desk.get_by_role("button", name="保存").click()
    desk.wait_for_selector("text=实施负责人")
    desk.context.clear_cookies()
    login_staff(desk, live_server, world.reviewer2, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/proposals/{proposal.pk}/")
    desk.fill("textarea[name=evidence]", "已在 2 号转运站加装 36 个防尘罩，托辊更换降到每月 1 个")
    desk.get_by_role("button", name="登记实施").click()
    desk.wait_for_selector("h1 >> text=已实施")
    screenshot(desk, "proposals-5-implemented")

    # 5. The quarter's award, within the range, lands in the ledger.
    desk.context.clear_cookies()
    login_staff(desk, live_server, world.admin, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/proposals/{proposal.pk}/")
    desk.fill("form#reward-form input[name=year]", "2026")
    desk.select_option("form#reward-form select[name=quarter]", "2")
    desk.fill("form#reward-form input[name=amount]", "25000")
    desk.get_by_role("button", name="记录奖励").click()
    desk.wait_for_selector("text=本次填写 25,000.00 元")
    desk.fill("form#reward-form input[name=amount]", "5000")
    desk.get_by_role("button", name="记录奖励").click()
    desk.wait_for_selector("text=获优秀提案")
    desk.goto(f"{live_server.url}/workbench/proposals/rewards/?year=2026&quarter=2")
    assert "5000.00" in desk.inner_text("#ledger")
    screenshot(desk, "proposals-6-ledger")
    assert Reward.objects.get().amount == 5000

    # 6. The worker sees it.
    phone.goto(f"{live_server.url}/proposals/rewards/")
    assert "5000.00" in phone.inner_text(".w-main")
    assert_fits_width(phone)
    screenshot(phone, "proposals-7-my-rewards")
    phone.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    assert "获优秀提案" in phone.inner_text(".w-main")
    screenshot(phone, "proposals-8-timeline")
    assert not phone.console_errors and not desk.console_errors


def test_screens_library_report_and_home(live_server, phone_page, desk_page):
    """The other pages people look at, with a handful of proposals in every state."""
    from gonghui.proposals import services
    from gonghui.testing.personas import build_personas

    from .conftest import World

    world = World(build_personas())
    for i, (title, benefit) in enumerate((("除尘风机变频改造", "86000"), ("行车吊钩防脱装置", "12000"))):
        proposal = world.adopted(title=title, show_name=bool(i))
        services.proposal_record_implementation(actor=world.admin, proposal=proposal, evidence="完成")
        services.proposal_verify_benefit(actor=world.admin, proposal=proposal, benefit=benefit)
    world.adopted(title="循环水泵叶轮涂层修复")
    world.submitted(title="转炉平台照明改造")
    world.draft(title="铁水罐口护板加厚")

    phone = phone_page
    phone.set_viewport_size({"width": 360, "height": 780})
    login_worker(phone, live_server, world.worker)
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="全员改善").first.click()
    phone.wait_for_selector("text=已提报")
    assert_fits_width(phone)
    screenshot(phone, "proposals-9-mine")
    phone.goto(f"{live_server.url}/proposals/library/?order=benefit")
    phone.locator("details.lib-item summary").first.click()
    assert "匿名职工" in phone.inner_text(".w-main")
    assert_fits_width(phone)
    screenshot(phone, "proposals-10-library")

    desk = desk_page
    login_staff(desk, live_server, world.admin, PASSWORD)
    desk.get_by_role("link", name="全员改善").click()
    desk.get_by_role("link", name="全部").click()
    screenshot(desk, "proposals-11-bench-list")
    from django.utils import timezone

    year = timezone.localdate().year  # the proposals were submitted just now
    desk.goto(f"{live_server.url}/workbench/proposals/report/?year={year}&by=unit")
    assert "98000.00" in desk.inner_text("#report")
    screenshot(desk, "proposals-12-report")
    desk.get_by_role("link", name="活动设置").click()
    desk.wait_for_selector("text=评审人（按层级、单位和级别）")
    screenshot(desk, "proposals-13-settings")
    desk.get_by_role("link", name="奖励台账").click()
    desk.wait_for_selector("text=评选改善标兵")
    screenshot(desk, "proposals-14-ledger-exemplar")
    assert not phone.console_errors and not desk.console_errors
