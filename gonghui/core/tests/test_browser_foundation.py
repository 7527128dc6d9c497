"""The foundation seen through a real browser: a county staffer browses the tree, a worker signs in
with a one-time code, personal data is revealed with a reason and shows up in the audit log, and the
API docs work offline."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.testing.browser import login_staff, login_worker, screenshot
from gonghui.testing.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_county_staffer_browses_the_tree_down_to_the_grassroots_union(personas, desk_page, live_server):
    page, tree = desk_page, personas.tree
    login_staff(page, live_server, personas.county_staffer, PASSWORD)
    expect(page.locator("h1")).to_contain_text("赵县干")

    page.get_by_role("link", name="组织架构").click()
    expect(page.locator("#org-tree")).to_contain_text("柳林县总工会")
    for org in (tree.county, tree.township):
        page.get_by_role("button", name=f"展开 {org.name}").click()
        page.locator(f"#kids-{org.pk} > li").first.wait_for()
    grassroots = page.locator(f"#kids-{tree.township.pk}").get_by_role("link", name=tree.grassroots.name)
    expect(grassroots).to_be_visible()
    screenshot(page, "bench-tree-expanded")

    grassroots.click()
    expect(page).to_have_url(re.compile(rf"/workbench/orgs/{tree.grassroots.pk}/$"))
    stats = page.locator(".stats")
    expect(stats).to_contain_text("在籍会员")
    expect(stats.locator(".stat").first.locator("strong")).to_have_text("1")
    expect(page.locator("#staff-panel")).to_contain_text("李桂兰")
    screenshot(page, "bench-org-detail")

    for path in (
        "/workbench/",
        "/workbench/orgs/",
        "/workbench/members/",
        f"/workbench/orgs/{tree.grassroots.pk}/",
    ):
        page.goto(live_server.url + path)
        assert "太原市" not in page.content()
    assert page.console_errors == []
    assert page.external_requests == []


def test_worker_signs_in_with_a_code_on_a_phone_and_sees_membership(personas, phone_page, live_server):
    page = phone_page
    login_worker(page, live_server, personas.worker)
    page.get_by_role("link", name="我的", exact=True).click()
    expect(page.locator(".tabbar [aria-current=page]")).to_have_text("我的")
    expect(page.locator(".me-head h1")).to_have_text("王建军")
    phone = personas.worker.phone[3:]
    expect(page.locator(".me-head p")).to_have_text(f"{phone[:3]}****{phone[-4:]}")
    membership = page.locator("section.card").first
    expect(membership).to_contain_text(personas.member.member_no)
    expect(membership).to_contain_text(personas.tree.grassroots.name)
    expect(membership).to_contain_text(personas.member.get_status_display())
    assert phone not in page.content()
    screenshot(page, "worker-me")
    assert page.console_errors == []


def test_reveal_with_reason_is_swapped_in_and_the_auditor_sees_it(personas, desk_page, live_server):
    page, member = desk_page, personas.member
    login_staff(page, live_server, personas.county_staffer, PASSWORD)
    page.goto(f"{live_server.url}/workbench/members/{member.pk}/")
    cell = page.locator("#reveal-id_number")
    expect(cell).to_contain_text(member.id_masked)
    cell.get_by_role("button", name="查看完整").click()
    # The browser's own required check stops an empty reason before it reaches the server.
    expect(cell.locator(".revealed")).to_have_count(0)
    cell.get_by_placeholder("查看原因（必填）").fill("核对工伤申请材料")
    cell.get_by_role("button", name="查看完整").click()
    expect(cell.locator(".revealed")).to_have_text(member.id_number)
    assert page.url.endswith(f"/workbench/members/{member.pk}/")  # swapped in place, no navigation
    screenshot(page, "bench-member-revealed")

    page.context.clear_cookies()
    login_staff(page, live_server, personas.county_auditor, PASSWORD)
    page.get_by_role("link", name="审计日志").click()
    row = page.locator("tbody tr", has=page.locator("code", has_text="pii.reveal"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("赵县干")
    expect(row).to_contain_text("核对工伤申请材料")
    assert member.id_number not in page.content()
    screenshot(page, "bench-audit-log")


def test_api_docs_render_from_bundled_static_files(desk_page, live_server, db):
    page = desk_page
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("gonghui")
    expect(page.locator(".opblock").first).to_be_visible()
    screenshot(page, "api-docs")
    assert page.external_requests == []
    assert page.console_errors == []
