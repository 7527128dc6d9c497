"""Accessibility (DESIGN.md §4.13): axe-core, the npm dev dependency, runs on the key worker and
workbench pages; no serious or critical violation may remain."""

import pytest
from playwright.sync_api import expect

from gonghui.core.notifications import notify
from gonghui.testing.browser import assert_accessible, axe_violations, login_staff, login_worker
from gonghui.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

WORKER_PAGES = ["/", "/join/", "/card/", "/stations/", "/campaigns/", "/cases/", "/me/"]
BENCH_PAGES = [
    "/workbench/",
    "/workbench/members/",
    "/workbench/members/enrollments/",
    "/workbench/campaigns/",
    "/workbench/cases/",
    "/workbench/stations/",
    "/workbench/audit/",
]


def test_axe_catches_a_violation(phone_page, live_server):
    """The helper itself: a page with an unlabelled field fails it (so a green run means something)."""
    phone_page.goto(live_server.url + "/accounts/login/")
    phone_page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text';"
        " document.querySelector('main, body').appendChild(i); }"
    )
    assert any(v["id"] == "label" for v in axe_violations(phone_page))
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(phone_page)


def test_login_both_tabs(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_role("navigation", name="登录方式").get_by_role("link", name="密码登录").click()
    assert page.get_by_role("link", name="密码登录").get_attribute("aria-current") == "page"
    assert_accessible(page)
    page.goto(live_server.url + "/accounts/staff-login/")
    assert_accessible(page)


@pytest.mark.parametrize("path", WORKER_PAGES)
def test_worker_pages(personas, phone_page, live_server, path):
    notify(user=personas.worker, title="入会申请已通过", body="欢迎加入。")
    login_worker(phone_page, live_server, personas.worker)
    phone_page.goto(live_server.url + path)
    assert_accessible(phone_page)
    if path == "/":
        # The bell's name carries the unread count, not just "消息".
        expect(phone_page.get_by_role("link", name="消息 1 条未读")).to_be_visible()


def test_worker_home_signed_out(phone_page, live_server, db):
    phone_page.goto(live_server.url + "/")
    assert_accessible(phone_page)


@pytest.mark.parametrize("path", BENCH_PAGES)
def test_workbench_pages(personas, desk_page, live_server, path):
    notify(user=personas.county_staffer, title="有 3 份入会申请待审批", body="柳林镇工会提交")
    login_staff(desk_page, live_server, personas.county_staffer, PASSWORD)
    desk_page.goto(live_server.url + path)
    assert_accessible(desk_page)
    # The content sits in one <main> landmark (axe rates its absence "moderate"; we require it).
    assert desk_page.locator("main").count() == 1
    assert [v["id"] for v in axe_violations(desk_page, impacts=("moderate",)) if "landmark" in v["id"]] == []
