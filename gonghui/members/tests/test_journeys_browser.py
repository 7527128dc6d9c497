"""Issue 11 worker journeys walked in a real phone browser at 360 px:
online join → approval → certified → grab a 实名-only coupon; a 货拉拉 driver with a Beijing ID joins
with the 省/市/县 picker; a form with three mistakes shows three errors at the top and keeps the input."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gonghui.testing.browser import assert_fits_width, chromium_available, login_staff, screenshot
from gonghui.testing.factories import PASSWORD, make_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason="需要 Debian chromium（/usr/bin/chromium）"),
]

PHONE_360 = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE_360, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()
    from gonghui.testing.browser import close_page_connections

    close_page_connections()


def fill_code(page, phone_number):
    page.fill("input[name=phone]", phone_number)
    page.get_by_role("button", name="获取验证码").click()
    page.fill("input[name=code]", page.locator("#code-hint .demo-code").inner_text(timeout=5000))


def pick_region(page, province, city, county):
    page.select_option("select[name=work_province]", province)
    page.wait_for_selector(f"select[name=work_city] option[value='{city}']", state="attached")
    page.select_option("select[name=work_city]", city)
    page.wait_for_selector(f"select[name=work_county] option[value='{county}']", state="attached")
    page.select_option("select[name=work_county]", county)
    page.wait_for_function(f"document.querySelector('select[name=work_county]').value === '{county}'")


def test_join_approve_certified_and_grab_a_real_name_coupon(
    transactional_db, personas, live_server, browser, phone, settings
):
    from gonghui.campaigns import services as campaign_services
    from gonghui.members.models import Enrollment

    settings.GONGHUI_SHOW_LOGIN_CODE = True
    now = timezone.now()
    campaign = campaign_services.campaign_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        title="柳林县职工消费券",
        kind="coupon",
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=3),
        real_name_required=True,
        venue="柳林县各合作商户",
        offers=[{"name": "50 元消费券", "capacity": 20, "valid_until": dt.date(2099, 12, 31)}],
    )
    phone.goto(f"{live_server.url}/join/")
    phone.fill("input[name=name]", "韩建辉")
    phone.fill("input[name=id_number]", make_id(dt.date(1990, 3, 4)))
    fill_code(phone, "13800011020")
    phone.fill("input[name=employer_name]", "山西吕梁柳林县预石运输有限公司")
    phone.select_option("select[name=occupation]", "truck_driver")
    assert_fits_width(phone)
    screenshot(phone, "journey-1-join-form")
    phone.get_by_role("button", name="提交入会申请").click()
    phone.wait_for_url(re.compile(r"/join/\d+/$"))
    enrollment = Enrollment.objects.get()
    assert enrollment.org == personas.tree.grassroots  # the employer's union, despite the suffix
    screenshot(phone, "journey-1-submitted")

    # Before approval: the campaign refuses and says what to do.
    phone.goto(f"{live_server.url}/me/realname/")
    assert "未实名认证" in phone.content()
    screenshot(phone, "journey-1-realname-before")

    desk_context = browser.new_context(viewport=DESK, locale="zh-CN")
    desk = desk_context.new_page()
    login_staff(desk, live_server, personas.grassroots_admin, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/members/enrollments/{enrollment.pk}/")
    desk.get_by_role("button", name="批准入会").click()
    assert "已批准入会" in desk.locator(".flash").inner_text()
    assert "实名认证" in desk.locator(".flash").inner_text()
    desk_context.close()

    phone.goto(f"{live_server.url}/me/")
    assert "已认证" in phone.locator("a[href='/me/realname/']").inner_text()
    screenshot(phone, "journey-1-me-certified")
    phone.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert "不符合条件" not in phone.content()
    phone.get_by_role("button", name="立即抢").first.click()
    phone.get_by_text("抢到了").wait_for()
    assert_fits_width(phone)
    screenshot(phone, "journey-1-coupon-grabbed")


def test_a_huolala_driver_with_a_beijing_id_joins_with_the_region_picker(
    transactional_db, personas, live_server, phone, settings
):
    from gonghui.members.models import Enrollment

    settings.GONGHUI_SHOW_LOGIN_CODE = True
    phone.goto(f"{live_server.url}/join/")
    phone.fill("input[name=name]", "刘长江")
    phone.fill("input[name=id_number]", make_id(dt.date(1986, 8, 8), region="110105"))
    fill_code(phone, "13800011021")
    phone.fill("input[name=employer_name]", "货拉拉")
    phone.select_option("select[name=occupation]", "truck_driver")
    # No raw code anywhere: the driver picks 山西 / 吕梁 / 柳林 where he mostly drives.
    assert phone.locator("input[name=work_region]").count() == 0
    pick_region(phone, "140000", "141100", "141125")
    assert_fits_width(phone)
    screenshot(phone, "journey-2-region-picker")
    phone.get_by_role("button", name="提交入会申请").click()
    phone.wait_for_url(re.compile(r"/join/\d+/$"))
    enrollment = Enrollment.objects.get()
    assert enrollment.org == personas.tree.county and enrollment.work_region == "141125"
    assert "柳林县总工会" in phone.content()
    screenshot(phone, "journey-2-submitted")


def test_a_form_with_three_mistakes_shows_three_errors_at_the_top(
    transactional_db, personas, live_server, phone, settings
):
    settings.GONGHUI_SHOW_LOGIN_CODE = True
    phone.goto(f"{live_server.url}/join/")
    phone.fill("input[name=id_number]", "141125199003040011")  # wrong check digit
    fill_code(phone, "13800011022")
    phone.fill("input[name=employer_name]", "货拉拉")
    pick_region(phone, "140000", "141100", "141125")
    # name empty, ID wrong, occupation not chosen
    phone.get_by_role("button", name="提交入会申请").click()
    summary = phone.locator("#form-errors")
    summary.wait_for()
    assert summary.locator("li").count() == 3
    assert phone.evaluate("document.activeElement.id") == "form-errors"
    assert phone.evaluate("document.getElementById('form-errors').getBoundingClientRect().top") < 200
    assert phone.input_value("input[name=id_number]") == "141125199003040011"
    assert phone.input_value("input[name=employer_name]") == "货拉拉"
    assert phone.input_value("select[name=work_county]") == "141125"
    assert_fits_width(phone)
    screenshot(phone, "journey-3-three-errors", full_page=False)
    summary.get_by_role("link", name=re.compile("职业")).click()
    assert phone.evaluate("document.activeElement.name") == "occupation"


def test_a_station_qr_join_reaches_the_station_union(
    transactional_db, personas, live_server, browser, phone, settings
):
    from gonghui.members.models import Enrollment
    from gonghui.stations import services as station_services

    settings.GONGHUI_SHOW_LOGIN_CODE = True
    station = station_services.station_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data={
            "name": "柳林县青龙城户外劳动者驿站",
            "address": "柳林县青龙路 8 号",
            "lat": 37.4316,
            "lng": 110.8893,
            "hours_text": "每天 08:00-20:00",
            "amenities": ["rest", "water", "charge"],
            "district": "柳林县",
        },
    )
    # 先服务后入会: the worker rests at the station, scans its QR code and joins from its page.
    phone.goto(f"{live_server.url}/stations/s/{station.code}/")
    phone.get_by_role("link", name="我要入会").click()
    phone.wait_for_url(re.compile(r"/join/\?"))
    assert "柳林县青龙城户外劳动者驿站" in phone.locator(".card").first.inner_text()
    phone.fill("input[name=name]", "郭海平")
    phone.fill("input[name=id_number]", make_id(dt.date(1979, 11, 2)))
    fill_code(phone, "13800011023")
    phone.fill("input[name=employer_name]", "美团")
    phone.select_option("select[name=occupation]", "food_delivery")
    assert_fits_width(phone)
    screenshot(phone, "journey-4-station-join")
    phone.get_by_role("button", name="提交入会申请").click()
    phone.wait_for_url(re.compile(r"/join/\d+/$"))
    enrollment = Enrollment.objects.get()
    assert enrollment.channel == "station" and enrollment.station_code == station.code
    assert enrollment.org == personas.tree.county

    desk_context = browser.new_context(viewport=DESK, locale="zh-CN")
    desk = desk_context.new_page()
    login_staff(desk, live_server, personas.county_staffer, PASSWORD)
    desk.goto(f"{live_server.url}/workbench/members/enrollments/")
    assert "驿站扫码：柳林县青龙城户外劳动者驿站" in desk.content()
    desk.get_by_role("link", name="郭*平").click()
    assert "驿站扫码（柳林县青龙城户外劳动者驿站）" in desk.content()
    desk.fill("input[name=org_q]", "柳林")
    desk.wait_for_selector("#reassign-org option:nth-child(2)", state="attached")
    screenshot(desk, "journey-4-station-union-sees-it")
    desk_context.close()


def test_an_uncertified_member_is_told_what_to_do_and_certifies_online(
    transactional_db, personas, live_server, browser, phone, settings
):
    from django.test import Client

    from gonghui.campaigns import services as campaign_services
    from gonghui.testing.factories import make_member, make_user

    settings.GONGHUI_REALNAME_BACKEND = "gonghui.accounts.realname.LogRealNameVerifier"
    worker = make_user(phone="13800011024", name="白玉兰")
    id_number = make_id(dt.date(1984, 5, 20), male=False)
    make_member(
        personas.tree.grassroots, user=worker, name="白玉兰", id_number=id_number, occupation="housekeeper"
    )
    now = timezone.now()
    campaign = campaign_services.campaign_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        title="柳林县职工体检券",
        kind="coupon",
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=3),
        real_name_required=True,
        venue="柳林县人民医院",
        offers=[{"name": "职工体检券", "capacity": 10, "valid_until": dt.date(2099, 12, 31)}],
    )
    client = Client()
    client.force_login(worker)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    refusal = phone.locator("p.error").first.inner_text()
    assert "我的 → 实名认证" in refusal and "驿站" in refusal
    assert_fits_width(phone)
    screenshot(phone, "journey-5-campaign-refusal")
    phone.get_by_role("link", name="去实名认证").click()
    phone.fill("input[name=name]", "白玉兰")
    phone.fill("input[name=id_number]", id_number)
    screenshot(phone, "journey-5-realname-form")
    phone.get_by_role("button", name="提交核验").click()
    phone.get_by_text("已实名认证").first.wait_for()
    screenshot(phone, "journey-5-realname-done")
    phone.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    phone.get_by_role("button", name="立即抢").first.click()
    phone.get_by_text("抢到了").wait_for()
    worker.refresh_from_db()
    assert worker.real_name_method == "verifier"
