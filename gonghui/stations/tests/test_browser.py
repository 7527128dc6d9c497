"""The worker's 附近驿站 page in a real browser on a phone-sized screen, with no tile server."""

import shutil
from pathlib import Path

import pytest

from gonghui.core.geo import gcj02_to_wgs84

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM), reason="需要 Debian chromium（/usr/bin/chromium）才能运行浏览器测试"
    ),
]


@pytest.fixture
def station_page(browser, live_server, settings):
    """A phone whose GPS stands in 柳林县城, on the shared session browser."""
    from gonghui.testing.browser import PHONE, _open_page, close_page_connections

    # Unreachable on purpose: the list and the markers must work when no tile server answers.
    settings.TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    lat, lng = gcj02_to_wgs84(37.4313, 110.8893)  # the phone's GPS reports WGS-84
    context, page = _open_page(
        browser,
        live_server,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation={"latitude": lat, "longitude": lng},
        permissions=["geolocation"],
    )
    yield page, live_server.url
    context.close()
    close_page_connections()


@pytest.mark.django_db(transaction=True)
def test_nearby_map_and_list_on_a_phone(station_page, make_station):
    from playwright.sync_api import expect

    page, base = station_page
    make_station(
        lat=37.4320,
        lng=110.8893,
        name="柳林县城关工会驿站",
        hours_text="24小时",
        amenities=["rest", "water", "heat", "charge"],
    )
    make_station(
        lat=37.4360,
        lng=110.8930,
        name="柳林县龙门街爱心驿站",
        hours_text="每天 08:00-20:00",
        amenities=["rest", "water", "toilet"],
    )
    make_station(
        lat=37.4250,
        lng=110.8800,
        name="柳林司机之家",
        hours_text="24小时",
        amenities=["rest", "charge"],
        kind="driver_home",
    )
    page.goto(f"{base}/stations/")
    assert page.locator(".tabbar a.on").inner_text().strip() == "驿站"
    page.get_by_role("button", name="定位我附近").click()
    items = page.locator(".st-item")
    items.first.wait_for()
    assert items.count() == 3
    assert items.first.locator(".st-name").inner_text() == "柳林县城关工会驿站"  # nearest first
    assert items.first.locator(".st-walk").inner_text() == "步行 2 分钟 · 78 米"  # 78 m × 1.3 ÷ 1.2 m/s
    assert items.first.locator(".pill-ok").inner_text() == "24小时开放"
    assert "uri.amap.com/navigation" in items.first.get_by_role("link", name="高德导航").get_attribute("href")
    # Markers: one per station plus "我的位置", drawn although no tile ever loads.
    expect(page.locator("#st-map path.leaflet-interactive")).to_have_count(4)
    page.get_by_text("能热饭").click()
    expect(items).to_have_count(1)
    page.get_by_text("能热饭").click()
    page.get_by_text("能充电").click()
    expect(items).to_have_count(2)
    expect(page.locator("#st-map path.leaflet-interactive")).to_have_count(3)
    expect(page.locator("#st-map-note")).to_be_visible()  # the tile server is unreachable, and says so
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stations-nearby-phone.png"), full_page=True)
    # The unreachable tile server shows up as failed resource loads; nothing else may go wrong.
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


@pytest.mark.django_db(transaction=True)
def test_choose_a_district_without_location(station_page, make_station):
    page, base = station_page
    make_station(lat=37.4320, lng=110.8893, name="柳林县城关工会驿站")
    page.goto(f"{base}/stations/")
    page.select_option("#st-district", "柳林县")
    page.locator(".st-item").first.wait_for()
    assert "柳林县城关工会驿站" in page.locator("#st-list").inner_text()
