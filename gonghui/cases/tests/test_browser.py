"""A worker files an unpaid-wages claim on a phone; township staff accept and resolve it; the worker rates it."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from gonghui.cases.models import Case
from gonghui.orgs.models import Staff
from gonghui.testing.browser import close_page_connections
from gonghui.testing.factories import make_staff

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "cases"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="需要 Debian chromium（/usr/bin/chromium）才能运行浏览器测试"
    ),
]


# `browser` is the shared session-scoped Chromium from gonghui/testing/browser.py.


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    close_page_connections()


def _signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_worker_files_staff_resolve_worker_rates(live_server, browser):
    from gonghui.testing.personas import build_personas

    personas = build_personas()
    tree = personas.tree
    handler = make_staff(tree.township, Staff.Role.HANDLER, name="柳镇经办")

    worker = _signed_in(browser, live_server, personas.worker, PHONE)
    worker.goto(live_server.url + "/")
    worker.get_by_role("link", name="我要维权").first.click()
    worker.get_by_role("link", name="我要维权").first.click()
    worker.select_option("select[name=category]", "wages")
    worker.fill(
        "textarea[name=description]", "在柳林镇某工地干了三个月，老板拖欠工资9000元，一直说工程款没到。"
    )
    worker.fill("input[name=employer_name]", "柳林县某建筑劳务有限公司")
    worker.select_option("select[name=workplace_region]", "141125")
    worker.select_option("select[name=workplace_township]", str(tree.township.pk))
    worker.fill("input[name=amount_claimed]", "9000")
    worker.check("input[name=confidential]")
    _shot(worker, "1-worker-file-form")
    worker.get_by_role("button", name="提交诉求").click()
    worker.wait_for_selector("text=办理进度")
    case = Case.objects.get()
    assert case.org == tree.township and case.confidential
    assert "待受理" in worker.inner_text(".w-main")
    _shot(worker, "2-worker-submitted")

    staff = _signed_in(browser, live_server, handler, DESKTOP)
    staff.goto(live_server.url + "/workbench/cases/?view=todo")
    staff.get_by_role("link", name=case.number).click()
    staff.get_by_role("button", name="受理", exact=True).click()
    staff.wait_for_selector("text=答复与备注")
    staff.fill(
        "form:has(input[value=resolve]) textarea[name=summary]", "经协调，老板已当场支付全部拖欠工资。"
    )
    staff.fill("form:has(input[value=resolve]) input[name=amount_recovered]", "9000")
    _shot(staff, "3-staff-before-resolve")
    staff.get_by_role("button", name="办结", exact=True).click()
    staff.wait_for_selector("h1 >> text=已办结")
    _shot(staff, "4-staff-resolved")
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and str(case.amount_recovered) == "9000.00"

    worker.reload()
    worker.click("label[for=star4]")
    worker.fill("textarea[name=comment]", "工会办事快，谢谢！")
    _shot(worker, "5-worker-rate")
    worker.get_by_role("button", name="提交评价").click()
    worker.wait_for_selector("text=您的评价")
    _shot(worker, "6-worker-rated")
    case.refresh_from_db()
    assert case.status == Case.Status.RATED and case.rating == 4

    stats = _signed_in(browser, live_server, personas.county_staffer, DESKTOP)
    stats.goto(live_server.url + "/workbench/cases/stats/")
    stats.wait_for_selector("#chart-category canvas")
    _shot(stats, "7-stats")
