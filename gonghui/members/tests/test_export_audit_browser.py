"""A full-PII export, walked in the browser: without a reason it is an error that keeps the filters;
with one, the file downloads and the auditor of that subtree finds the export in the audit viewer."""

import pytest
from playwright.sync_api import expect

from gonghui.orgs.models import Staff
from gonghui.testing.browser import assert_accessible, login_staff, screenshot
from gonghui.testing.factories import PASSWORD, make_staff

pytestmark = pytest.mark.browser


def test_full_export_is_refused_without_reason_then_seen_by_the_subtrees_auditor(
    personas, browser, desk_page, live_server
):
    page = desk_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login_staff(page, live_server, personas.county_staffer, PASSWORD)
    page.goto(live_server.url + "/workbench/members/")
    page.get_by_label("职业").select_option("truck_driver")
    page.get_by_role("button", name="查询").click()
    page.get_by_text("导出 Excel（默认脱敏，导出留痕）").click()
    page.get_by_label("导出完整身份证号和手机号").check()
    page.get_by_role("button", name="导出当前筛选结果").click()

    alert = page.locator("#export-error")
    expect(alert).to_have_text("导出完整个人信息须填写原因（至少2个字）")
    expect(alert).to_have_css("color", "rgb(185, 28, 28)")  # an error, not a green banner
    expect(page.locator(".flash")).to_have_count(0)
    expect(page.get_by_label("职业")).to_have_value("truck_driver")  # the filter is kept
    expect(page.get_by_label("导出完整身份证号和手机号")).to_be_checked()
    screenshot(page, "members-export-no-reason-1366")
    assert_accessible(page)

    page.get_by_label("原因").fill("年度会员核查")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出当前筛选结果").click()
    assert download.value.suggested_filename.startswith("members-")

    auditor_context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    auditor = auditor_context.new_page()
    login_staff(auditor, live_server, personas.county_auditor, PASSWORD)
    auditor.goto(live_server.url + "/workbench/audit/?action=members.export")
    row = auditor.locator("tbody tr", has_text="members.export")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("柳林县总工会")
    expect(row).to_contain_text("revealed_rows=1")
    expect(row).to_contain_text("年度会员核查")
    screenshot(auditor, "audit-members-export-1366")
    auditor_context.close()

    # The auditor of a sibling subtree does not see it.
    sibling_auditor = make_staff(personas.tree.sibling_city, Staff.Role.AUDITOR, name="郑审计")
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    other_page = other.new_page()
    login_staff(other_page, live_server, sibling_auditor, PASSWORD)
    other_page.goto(live_server.url + "/workbench/audit/?action=members.export")
    expect(other_page.locator("tbody")).to_contain_text("没有符合条件的记录")
    other.close()
