"""Every page at the viewport it is made for, plus the narrow and tablet widths: nothing scrolls
sideways, no script or CSP error, and a screenshot of each in test-artifacts/ to look at."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.core.notifications import notify
from gonghui.site.views.worker import HOME_TILES
from gonghui.testing.browser import assert_fits_width, login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD, make_member

pytestmark = pytest.mark.browser


def _shot(page, name):
    screenshot(page, name)  # first, so a failing width check leaves the picture behind
    assert_fits_width(page)
    assert page.console_errors == [], page.console_errors
    assert page.external_requests == [], page.external_requests


@pytest.fixture
def populated(personas):
    for i, (name, job) in enumerate(
        [("刘海涛", "courier"), ("陈美玲", "food_delivery"), ("张志强", "ride_hailing")]
    ):
        make_member(personas.tree.grassroots, name=name, occupation=job, phone=f"1391234{i:04d}")
    notify(
        user=personas.worker, title="入会申请已通过", body="欢迎加入预石运输有限责任公司工会。", kind="enroll"
    )
    notify(user=personas.worker, title="夏季送清凉活动报名开始", body="7月1日起在柳林镇驿站领取防暑用品。")
    notify(
        user=personas.county_staffer, title="有 3 份入会申请待审批", body="柳林镇工会提交", link="/workbench/"
    )
    return personas


@pytest.mark.parametrize("width", [390, 360])
def test_worker_pages(populated, phone_page, live_server, width):
    page, suffix = phone_page, "" if width == 390 else f"-{width}"
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/")
    expect(page.locator(".tile")).to_have_count(len(HOME_TILES))
    _shot(page, f"worker-home-anon{suffix}")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=phone]", "13812345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-hint .demo-code")).to_have_text(re.compile(r"^\d{6}$"))
    _shot(page, f"worker-login-code{suffix}")
    page.get_by_role("link", name="密码登录").click()
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=password]", "wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("手机号或密码不正确")
    _shot(page, f"worker-login-password{suffix}")

    login_worker(page, live_server, populated.worker)
    _shot(page, f"worker-home{suffix}")
    for path, name in [("/services/", "services"), ("/me/", "me"), ("/inbox/", "inbox")]:
        page.goto(live_server.url + path)
        _shot(page, f"worker-{name}{suffix}")
    page.goto(live_server.url + "/no-such-page/")
    _shot(page, f"worker-404{suffix}")
    page.goto(live_server.url + "/workbench/")
    expect(page.locator("h1")).to_have_text("这里是工会干部的工作台")
    _shot(page, f"worker-403-workbench{suffix}")


@pytest.mark.parametrize("width", [1440, 1024])
def test_workbench_pages(populated, desk_page, live_server, width):
    page, tree, suffix = desk_page, populated.tree, "" if width == 1440 else f"-{width}"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/accounts/staff-login/")
    _shot(page, f"bench-login{suffix}")
    login_staff(page, live_server, populated.county_staffer, PASSWORD)
    _shot(page, f"bench-home{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/")
    page.get_by_role("button", name=f"展开 {tree.county.name}").click()
    page.get_by_role("button", name=f"展开 {tree.township.name}").click()
    expect(page.get_by_role("link", name=tree.grassroots.name)).to_be_visible()
    _shot(page, f"bench-tree{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/?q=运输")
    _shot(page, f"bench-tree-search{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/{tree.county.pk}/")
    _shot(page, f"bench-org-county{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/{tree.grassroots.pk}/")
    _shot(page, f"bench-org-grassroots{suffix}")

    page.goto(f"{live_server.url}/workbench/orgs/{tree.township.pk}/new/")
    page.fill("input[name=name]", "柳林镇快递物流行业联合工会")
    page.fill("input[name=credit_code]", "81141125MA0000000X")
    page.fill("input[name=region_code]", "14112")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".has-error").first).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("柳林镇快递物流行业联合工会")
    _shot(page, f"bench-org-new-errors{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/{tree.grassroots.pk}/edit/")
    _shot(page, f"bench-org-edit{suffix}")

    page.goto(f"{live_server.url}/workbench/members/")
    expect(page.locator("tbody tr")).to_have_count(4)
    _shot(page, f"bench-members{suffix}")
    page.goto(f"{live_server.url}/workbench/members/?q=没有这个人")
    _shot(page, f"bench-members-empty{suffix}")
    page.goto(f"{live_server.url}/workbench/members/{populated.member.pk}/")
    _shot(page, f"bench-member{suffix}")
    page.goto(f"{live_server.url}/workbench/inbox/")
    _shot(page, f"bench-inbox{suffix}")
    page.goto(f"{live_server.url}/workbench/audit/")
    _shot(page, f"bench-audit-denied{suffix}")
    page.goto(f"{live_server.url}/workbench/orgs/{tree.sibling_city.pk}/")
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.get_by_role("link", name="返回工作台")).to_be_visible()
    _shot(page, f"bench-404{suffix}")
    page.goto(f"{live_server.url}/accounts/password/")
    _shot(page, f"bench-password{suffix}")

    page.context.clear_cookies()
    login_staff(page, live_server, populated.county_auditor, PASSWORD)
    page.goto(f"{live_server.url}/workbench/audit/")
    _shot(page, f"bench-audit{suffix}")


def test_workbench_fits_a_phone(populated, phone_page, live_server):
    """Township staff often only have a phone: the side rail folds into a strip, tables scroll in place."""
    page, tree = phone_page, populated.tree
    login_staff(page, live_server, populated.county_staffer, PASSWORD)
    _shot(page, "phone-bench-home")
    page.get_by_role("link", name="会员名册").click()
    expect(page.locator("tbody tr")).to_have_count(4)
    _shot(page, "phone-bench-members")
    page.goto(f"{live_server.url}/workbench/orgs/{tree.county.pk}/")
    _shot(page, "phone-bench-org")
