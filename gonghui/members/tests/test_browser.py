"""The seed story end to end in a real browser: a driver applies on his phone, the union's admin
approves in the workbench, the driver shows the e-card, and a scan of its QR verifies it."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

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


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"members-{name}.png"), full_page=True)


def test_apply_approve_show_card_and_verify(transactional_db, personas, live_server, browser, settings):
    from gonghui.testing.factories import PASSWORD, make_id

    settings.GONGHUI_SHOW_LOGIN_CODE = True
    worker = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = worker.new_page()
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name=re.compile("我要入会")).click()
    phone.fill("input[name=name]", "韩建辉")
    phone.fill("input[name=id_number]", make_id())
    phone.fill("input[name=phone]", "13912345001")
    phone.get_by_role("button", name="获取验证码").click()
    code = phone.locator(".demo-code").inner_text(timeout=5000)
    phone.fill("input[name=code]", code)
    phone.fill("input[name=employer_name]", "柳林县预石运输有限责任公司")
    phone.select_option("select[name=occupation]", "truck_driver")
    shot(phone, "1-join-form")
    phone.get_by_role("button", name="提交入会申请").click()
    phone.wait_for_url(re.compile(r"/join/\d+/$"))
    assert phone.locator("#enrollment-status").inner_text() == "待审批"
    assert "预石运输" in phone.content()
    shot(phone, "2-enrollment-pending")

    staff = browser.new_context(viewport=DESKTOP)
    bench = staff.new_page()
    bench.goto(f"{live_server.url}/accounts/staff-login/")
    bench.fill("input[name=phone]", personas.grassroots_admin.phone[3:])
    bench.fill("input[name=password]", PASSWORD)
    bench.get_by_role("button", name="登录工作台").click()
    bench.wait_for_url(re.compile(r"/workbench/$"))
    bench.goto(f"{live_server.url}/workbench/members/enrollments/")
    shot(bench, "3-workbench-inbox")
    bench.get_by_role("link", name="韩*辉").click()
    bench.get_by_role("button", name="批准入会").click()
    assert "已批准入会" in bench.locator(".flash").inner_text()
    shot(bench, "4-workbench-approved")

    phone.reload()
    assert phone.locator("#enrollment-status").inner_text() == "已批准"
    phone.get_by_role("link", name="查看电子会员卡").click()
    assert phone.locator(".qr svg").count() == 1
    assert "韩建辉" in phone.locator(".ecard").inner_text()
    shot(phone, "5-ecard")
    verify_url = phone.get_by_role("link", name="打开验证页面").get_attribute("href")

    guard = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    guard.goto(verify_url)
    assert "有效会员" in guard.locator("#verify-result").inner_text()
    assert "韩*辉" in guard.content() and "韩建辉" not in guard.content()
    shot(guard, "6-verified")


@pytest.mark.django_db(transaction=True)
def test_lapse_candidates_ticked_all_at_once_and_confirmed(personas, desk_page, live_server):
    import datetime as dt

    from gonghui.members.models import Member
    from gonghui.testing.browser import login_staff, screenshot
    from gonghui.testing.factories import PASSWORD, make_id, make_member

    stale = [make_member(personas.tree.grassroots, id_number=make_id()) for _ in range(3)]
    Member.objects.filter(pk__in=[m.pk for m in stale]).update(joined_at=dt.date(2020, 1, 1))
    login_staff(desk_page, live_server, personas.county_staffer, PASSWORD)
    desk_page.goto("/workbench/members/dues/")
    desk_page.get_by_role("link", name=re.compile("视为自动退会候选")).click()
    rows = desk_page.locator("tbody input[name=ids]")
    assert rows.count() >= 3
    desk_page.get_by_label("全选本页").check()
    assert all(rows.nth(i).is_checked() for i in range(rows.count()))
    screenshot(desk_page, "members-lapse-candidates")
    desk_page.get_by_role("button", name="确认所选会员视为自动退会").click()
    desk_page.wait_for_load_state()
    assert "名会员视为自动退会" in desk_page.locator(".messages, [role=status], body").first.inner_text()
    assert all(Member.objects.get(pk=m.pk).status == Member.Status.LAPSED for m in stale)
    assert desk_page.console_errors == [] and desk_page.external_requests == []
