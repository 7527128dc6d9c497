"""A real browser: a grassroots union quotes and applies, the city approves, the payment batch is exported and
paid, and both see the ledger. The worker's training-subsidy page fits a 360 px phone."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.funds import services
from gonghui.funds.models import FundApplication
from gonghui.funds.seed_schemes import seed
from gonghui.testing.browser import assert_fits_width, close_page_connections, screenshot
from gonghui.testing.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 900}


@pytest.fixture
def personas(transactional_db):
    # No clock travel here: the browser keeps real time (session cookies would expire in a travelled past).
    from gonghui.testing.personas import build_personas

    return build_personas()


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    close_page_connections()


def context_for(browser, live_server, user, viewport=DESK, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True, **options
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.set_default_timeout(20_000)
    return context


def scheme_now(personas, code, **overrides):
    """The seed scheme, open around today (its dates are relative: the test never depends on the day)."""
    today = timezone.localdate()
    fields = {**seed(code), **overrides}
    fields.pop("code")
    fields.update(period_start=today - dt.timedelta(days=30), period_end=today + dt.timedelta(days=300))
    if fields.get("reference_date"):
        fields["reference_date"] = today - dt.timedelta(days=1)
    scheme = services.scheme_create(actor=personas.city_staffer, org=personas.tree.city, code=code, **fields)
    services.budget_set(actor=personas.city_staffer, scheme=scheme, year=today.year, amount="50000")
    return scheme


def test_quote_apply_approve_export_pay_and_both_see_the_ledger(live_server, browser, personas):
    scheme = scheme_now(personas, "SY-SD")
    joined = timezone.localdate() - dt.timedelta(days=60)
    for i in range(
        25
    ):  # + 王建军 (persona, joined today: after the reference date, not counted) = 25 on the roll
        make_member(personas.tree.grassroots, name=f"司机{i}", joined_at=joined)
    make_member(personas.tree.grassroots, name="快递员甲", occupation="courier", joined_at=joined)  # 26th

    union = context_for(browser, live_server, personas.grassroots_admin)
    page = union.new_page()
    page.goto(f"{live_server.url}/workbench/funds/")
    page.get_by_role("link", name=scheme.name).click()
    page.get_by_role("button", name="测算").click()
    page.locator("#quote-amount").wait_for()
    assert page.locator("#quote-amount").inner_text() == "2020.00 元"
    assert "26 人" in page.locator(".fd-working").inner_text()
    screenshot(page, "funds-1-quote")

    apply = page.locator("#apply")
    apply.get_by_label("试点工会认定文件", exact=True).check()
    apply.get_by_label("试点工会认定文件 文号").fill("沈总工〔2021〕12号")
    apply.get_by_label("会员名册（系统自动统计）", exact=True).check()
    with page.expect_navigation():
        apply.get_by_role("button", name="提交申请").click()
    assert page.locator("#app-status").inner_text() == "待审核"
    screenshot(page, "funds-2-applied")
    app = FundApplication.objects.get()

    city = context_for(browser, live_server, personas.city_staffer)
    cpage = city.new_page()
    cpage.goto(f"{live_server.url}/workbench/funds/applications/?role=payer&status=submitted")
    cpage.get_by_role("link", name=app.number).click()
    cpage.get_by_label("审核意见（必填）").fill("试点名单内，会员人数与名册一致，同意")
    with cpage.expect_navigation():
        cpage.get_by_role("button", name="批准", exact=True).click()
    assert cpage.locator("#app-status").inner_text() == "已批准"
    screenshot(cpage, "funds-3-approved")

    cpage.goto(f"{live_server.url}/workbench/funds/batches/")
    with cpage.expect_navigation():
        cpage.get_by_role("button", name="生成批次").click()
    with cpage.expect_download() as download:
        cpage.locator("#batch-export").click()
    with open(download.value.path(), "rb") as fh:  # a temp file without the .xlsx name openpyxl wants
        book = load_workbook(io.BytesIO(fh.read()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][1] == app.number and float(rows[1][6]) == 2020.0
    assert rows[-1][0] == "合计" and float(rows[-1][6]) == 2020.0
    cpage.get_by_label("银行回单合计（控制总额，元）").fill("2020.00")
    with cpage.expect_navigation():
        cpage.get_by_role("button", name="确认已支付").click()
    assert "已支付" in cpage.locator(".stats").inner_text()
    screenshot(cpage, "funds-4-batch-paid")

    cpage.goto(f"{live_server.url}/workbench/funds/ledger/")
    assert cpage.locator("#ledger tbody tr").count() == 2
    screenshot(cpage, "funds-5-city-ledger")
    cpage.goto(f"{live_server.url}/workbench/funds/report/")
    cpage.locator(".chart canvas").first.wait_for()
    screenshot(cpage, "funds-6-report")

    page.goto(f"{live_server.url}/workbench/funds/ledger/")
    ledger = page.locator("#ledger").inner_text()
    assert page.locator("#ledger tbody tr").count() == 2
    assert "支付" in ledger and "2020.00" in ledger
    screenshot(page, "funds-7-union-ledger")
    union.close()
    city.close()


def test_worker_training_subsidy_fits_a_phone(live_server, browser, personas):
    scheme = scheme_now(personas, "HA-PX")
    phone = context_for(
        browser,
        live_server,
        personas.worker,
        viewport={"width": 360, "height": 760},
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/funds/")
    page.get_by_role("link", name=scheme.name).click()
    page.locator("form[method=get]").get_by_label("证书等级").select_option("technician")
    page.get_by_role("button", name="测算").click()
    assert "3000.00–4000.00 元" in page.locator(".fd-amount").inner_text()
    assert_fits_width(page)
    screenshot(page, "funds-8-worker-quote")
    page.get_by_label("已备齐：职业技能等级证书").check()
    page.get_by_label("已备齐：培训合格证明").check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    assert "待审核" in page.content()
    assert_fits_width(page)
    screenshot(page, "funds-9-worker-applied")
    phone.close()
