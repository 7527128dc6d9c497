"""A real browser on the worker's phone (360 px) and the staff desk (1366 px): reading rooms near me
beside the stations, reading a PDF and an EPUB in the browser (pdf.js, foliate-js from npm), a loan
withdrawn mid-read, and the register's counts moving when the county approves an upgrade."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.core.geo import gcj02_to_wgs84
from gonghui.library import services
from gonghui.stations import services as station_services
from gonghui.testing.browser import assert_accessible, assert_fits_width, close_page_connections, screenshot

from .conftest import LIULIN, PNG_1PX, make_epub, make_pdf, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESK = {"width": 1366, "height": 900}
SHOTS = Path("/work/wt/shots/library")


@pytest.fixture
def personas(transactional_db, settings, tmp_path):
    # Real time here: the browser's session cookies would expire in a travelled past.
    settings.MEDIA_ROOT = tmp_path
    from gonghui.testing.personas import build_personas

    return build_personas()


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    close_page_connections()


def open_page(browser, live_server, user=None, viewport=PHONE, **options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        device_scale_factor=2 if viewport == PHONE else 1,
        is_mobile=viewport == PHONE,
        has_touch=viewport == PHONE,
        **options,
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.left = []
    context.route(
        lambda url: not url.startswith(live_server.url) and url.startswith(("http:", "https:")),
        lambda route: (page.left.append(route.request.url), route.abort()),
    )
    return context, page


def shot(page, name):
    path = screenshot(page, f"library-{name}")
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def test_reading_rooms_near_me_on_a_360px_phone(live_server, browser, personas):
    station = station_services.station_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data={
            "name": "青龙大街户外劳动者驿站",
            "address": "柳林县青龙大街 8 号",
            "lat": 37.4345,
            "lng": 110.8902,
            "hours_text": "每天 00:00-24:00",
            "amenities": ["rest", "water", "charge"],
            "district": "柳林县",
        },
    )
    common = {"hours": "周一至周日 8:30–20:30", "books_count": 3200, "workers_reached": 600}
    services.room_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        name="青龙大街驿站职工书屋",
        station_id=station.pk,
        **common,
    )
    services.room_create(
        actor=personas.grassroots_admin,
        org=personas.tree.grassroots,
        name="预石运输车队职工书屋",
        place="workshop",
        address="柳林县预石运输公司车队楼二层",
        lat=37.4412,
        lng=110.8930,
        **common,
    )
    wgs = gcj02_to_wgs84(*LIULIN)
    context, page = open_page(
        browser,
        live_server,
        permissions=["geolocation"],
        geolocation={"latitude": wgs[0], "longitude": wgs[1]},
    )
    page.goto("/library/")
    page.get_by_role("link", name="附近的职工书屋").click()
    page.get_by_role("button", name="定位我附近").click()
    rooms = page.locator(".lb-room")
    rooms.first.wait_for()
    assert rooms.count() == 2
    assert rooms.nth(0).locator(".lb-room-name").inner_text() == "青龙大街驿站职工书屋"
    assert "在青龙大街户外劳动者驿站内" in rooms.nth(0).inner_text()
    assert "步行" in rooms.nth(1).inner_text()
    assert page.locator(".lb-station").first.inner_text().startswith("青龙大街户外劳动者驿站")
    assert_fits_width(page)
    assert_accessible(page)
    shot(page, "1-nearby-phone")
    rooms.nth(1).locator(".lb-room-name").click()
    page.get_by_role("heading", name="预石运输车队职工书屋").wait_for()
    assert_fits_width(page)
    shot(page, "2-room-phone")
    assert page.left == [] and page.problems == [], (page.left, page.problems)
    context.close()


@pytest.fixture
def shelf(personas):
    collection = services.collection_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        name="流动电子职工书屋",
        licence_until=timezone.localdate() + dt.timedelta(days=365),
    )
    pdf = services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="职工安全生产读本",
        author="铁岭市总工会",
        category="skills",
        file=upload(make_pdf(), "anquan.pdf"),
    )
    epub = services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="书香工会读本",
        category="literature",
        file=upload(make_epub(), "shuxiang.epub"),
    )
    loan = services.loan_create(
        actor=personas.county_staffer,
        collection=collection,
        borrower=personas.tree.grassroots,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return loan, pdf, epub


def test_reading_a_pdf_in_the_browser_until_the_loan_is_withdrawn(live_server, browser, personas, shelf):
    loan, pdf, _epub = shelf
    context, page = open_page(browser, live_server, personas.worker)
    page.goto("/library/")
    shot(page, "3-shelf-phone")
    page.get_by_role("link", name="职工安全生产读本").click()
    page.locator("#lb-reader[data-state=ready]").wait_for()
    canvas = page.locator("canvas.lb-page")
    # Drawn, not blank: pdf.js painted the page (the red block and the text) …
    inked = page.evaluate(
        """() => { const c = document.querySelector('canvas.lb-page'); const d = c.getContext('2d')
             .getImageData(0, 0, c.width, c.height).data; let n = 0;
             for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i+1] < 200) n++; return n; }"""
    )
    assert inked > 1000
    # … and read the Chinese text through the CMaps served from static/vendor.
    assert "班前检查五步法" in canvas.get_attribute("aria-label")
    assert page.locator("#lb-where").inner_text() == "第 1 / 2 页"
    assert_fits_width(page)
    assert_accessible(page)
    shot(page, "4-pdf-phone")
    page.get_by_role("button", name="下一页").click()
    page.locator("#lb-reader[data-page='2']").wait_for()
    assert page.locator("#lb-where").inner_text() == "第 2 / 2 页"
    assert page.left == [] and page.problems == [], (page.left, page.problems)
    services.loan_withdraw(actor=personas.county_staffer, loan=loan, reason="版权方调整书目")
    response = page.goto(f"/library/read/{loan.pk}/{pdf.pk}/")
    assert response.status == 403
    assert "由出借工会收回" in page.content()
    shot(page, "5-ended-phone")
    context.close()


def test_reading_an_epub_in_the_browser(live_server, browser, personas, shelf):
    loan, _pdf, epub = shelf
    context, page = open_page(browser, live_server, personas.worker)
    page.goto(f"/library/read/{loan.pk}/{epub.pk}/")
    page.locator("#lb-reader[data-state=ready]").wait_for()
    text = page.evaluate(
        """async () => { const view = document.querySelector('foliate-view');
             for (let i = 0; i < 50; i++) { const c = view.renderer.getContents()[0];
               if (c && c.doc && c.doc.body && c.doc.body.textContent.trim()) return c.doc.body.textContent;
               await new Promise((r) => setTimeout(r, 100)); } return ''; }"""
    )
    assert "多读书、读好书、善读书" in text
    assert page.locator("#lb-where").inner_text().startswith("已读")
    assert_fits_width(page)
    page.wait_for_timeout(1500)  # the paginator fades the page in
    shot(page, "6-epub-phone")
    assert page.left == [] and page.problems == [], (page.left, page.problems)
    context.close()
    history = Client()
    history.force_login(personas.worker)
    assert "书香工会读本" in history.get("/library/history/").content.decode()


def test_the_county_approves_an_upgrade_and_the_register_counts_move(live_server, browser, personas):
    room = services.room_create(
        actor=personas.grassroots_admin,
        org=personas.tree.grassroots,
        name="预石运输职工书屋",
        address="柳林县预石运输公司二楼",
        lat=LIULIN[0],
        lng=LIULIN[1],
        hours="每天 8:00–20:00",
        books_count=2600,
        workers_reached=420,
    )
    services.upgrade_apply(
        actor=personas.grassroots_admin,
        room=room,
        statement="书屋面积 60 平方米，藏书 2600 册，每月读书分享会，设驾驶员夜读角。",
        files=[upload(PNG_1PX, "书屋照片.png"), upload(make_pdf("借阅制度"), "借阅制度.pdf")],
    )
    context, page = open_page(browser, live_server, personas.county_staffer, viewport=DESK)
    page.goto("/workbench/library/")
    county = page.locator("#lb-level-counts [data-level=county] strong")
    assert county.inner_text() == "0"
    page.get_by_role("link", name="有 1 个升级申请待你审批").click()
    page.get_by_role("link", name="预石运输职工书屋").first.click()
    shot(page, "7-upgrade-desk")
    page.get_by_label("审批意见").fill("材料齐全，同意命名为县级职工书屋")
    page.get_by_role("button", name="批准升级").click()
    page.goto("/workbench/library/")
    assert page.locator("#lb-level-counts [data-level=county] strong").inner_text() == "1"
    assert page.locator("#lb-level-counts [data-level=grassroots] strong").inner_text() == "0"
    assert_accessible(page)
    shot(page, "8-register-desk")
    assert page.left == [] and page.problems == [], (page.left, page.problems)
    context.close()
