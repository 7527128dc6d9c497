"""A provincial admin is warned in November that next year's holidays are missing and enters them."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from gonghui.core import workdays
from gonghui.core.models import CalendarDay
from gonghui.orgs.models import Staff
from gonghui.testing.browser import assert_fits_width, login_staff, screenshot
from gonghui.testing.factories import PASSWORD, make_staff

pytestmark = pytest.mark.browser


def test_province_admin_enters_next_years_spring_festival(personas, desk_page, live_server, monkeypatch):
    real = workdays.chinese_calendar.is_workday

    def is_workday(day):
        if day.year >= 2027:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", is_workday)
    monkeypatch.setattr(workdays, "official_years", lambda: frozenset(range(2004, 2027)))
    admin = make_staff(personas.tree.province, Staff.Role.ADMIN, name="省总管理员")
    page = desk_page
    with time_machine.travel(
        dt.datetime(2026, 11, 16, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=True
    ):
        login_staff(page, live_server, admin, PASSWORD)
        warning = page.get_by_role("alert")
        expect(warning).to_contain_text("2027 年的法定节假日和调休安排尚未录入")
        screenshot(page, "bench-home-calendar-warning")
        warning.get_by_role("link", name="去录入").click()
        expect(page.locator("h1")).to_have_text("节假日与调休")
        page.fill("input[name=date]", "2027-02-08")
        page.fill("input[name=name]", "")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert").last).to_contain_text("请填写节日名称")
        expect(page.locator("input[name=date]")).to_have_value("2027-02-08")
        screenshot(page, "bench-calendar-error")
        page.fill("input[name=name]", "春节")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("tbody tr").first).to_contain_text("2027-02-08")
        expect(page.locator(".flash")).to_contain_text("已保存")
        screenshot(page, "bench-calendar")
        assert_fits_width(page)
        assert page.console_errors == [], page.console_errors
    assert CalendarDay.objects.filter(date=dt.date(2027, 2, 8), kind="holiday", name="春节").exists()
