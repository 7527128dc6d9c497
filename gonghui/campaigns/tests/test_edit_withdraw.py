"""Campaigns in the workbench: offers typed as rows (添加一行 / 删除), edited before they open,
withdrawn while nobody holds a ticket."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from gonghui.campaigns import services
from gonghui.campaigns.models import Campaign
from gonghui.core.errors import Conflict
from gonghui.core.models import AuditEvent

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 4, 1, 10, 0, tzinfo=SH)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _form(org, **over):
    data = {
        "org": org.pk,
        "title": "宝鸡市工人文化宫公益培训",
        "kind": "course",
        "mode": "fcfs",
        "opens_at": "2026-04-10T09:00",
        "closes_at": "2026-04-12T18:00",
        "per_member_limit": "1",
        "real_name_required": "on",
        "offer_name": ["古筝初级班（周六上午）"],
        "offer_capacity": ["30"],
        "offer_starts_at": ["2026-04-18T09:00"],
        "offer_schedule": ["每周六 9:00-11:00"],
        "offer_valid_until": [""],
        "offer_location": ["302 教室"],
        "offer_face_value": [""],
    }
    data.update(over)
    return data


@time_machine.travel(NOW, tick=False)
def test_add_and_remove_offer_rows_without_losing_what_was_typed(personas):
    client = _client(personas.county_staffer)
    page = client.get("/workbench/campaigns/new/").content.decode()
    assert page.count('name="offer_name"') == 1 and "添加一行" in page
    added = client.post("/workbench/campaigns/new/", _form(personas.tree.county, add_offer="1"))
    html = added.content.decode()
    assert added.status_code == 200 and html.count('name="offer_name"') == 2
    assert 'value="古筝初级班（周六上午）"' in html and 'value="宝鸡市工人文化宫公益培训"' in html
    assert not Campaign.objects.exists()
    two = _form(
        personas.tree.county,
        offer_name=["古筝初级班（周六上午）", "声乐班"],
        offer_capacity=["30", "25"],
        offer_starts_at=["2026-04-18T09:00", ""],
        offer_schedule=["", ""],
        offer_valid_until=["", ""],
        offer_location=["", ""],
        offer_face_value=["", ""],
    )
    removed = client.post("/workbench/campaigns/new/", {**two, "remove_offer": "0"}).content.decode()
    assert removed.count('name="offer_name"') == 1 and 'value="声乐班"' in removed
    assert 'value="古筝初级班（周六上午）"' not in removed
    assert client.post("/workbench/campaigns/new/", two).status_code == 302
    campaign = Campaign.objects.get()
    offers = list(campaign.offers.order_by("position"))
    assert [(o.name, o.capacity) for o in offers] == [("古筝初级班（周六上午）", 30), ("声乐班", 25)]
    assert offers[0].starts_at == dt.datetime(2026, 4, 18, 9, 0, tzinfo=SH)


@time_machine.travel(NOW, tick=False)
def test_a_bad_cell_is_shown_on_its_row(personas):
    client = _client(personas.county_staffer)
    data = _form(
        personas.tree.county,
        kind="coupon",
        offer_name=["50元游泳券", "", "100元体检券"],
        offer_capacity=["100", "", "50"],
        offer_starts_at=["", "", ""],
        offer_schedule=["", "", ""],
        offer_valid_until=["2026-06-30", "", ""],
        offer_location=["", "", ""],
        offer_face_value=["50", "", "abc"],
    )
    response = client.post("/workbench/campaigns/new/", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "面值应为数字（元），也可以不填" in html
    data["offer_face_value"] = ["50", "", "100"]
    html = client.post("/workbench/campaigns/new/", data).content.decode()
    # The blank middle row is skipped; the service's error lands on the third row, not the second.
    assert "福利券「100元体检券」请填写有效期止" in html
    assert not Campaign.objects.exists()


@pytest.fixture
def upcoming(personas, make_campaign):
    with time_machine.travel(NOW, tick=False):
        return make_campaign(
            title="五一职工健步走",
            kind="event",
            opens_at=NOW + dt.timedelta(days=9),
            closes_at=NOW + dt.timedelta(days=11),
            offers=[{"name": "健步走名额", "capacity": 200}],
        )


@time_machine.travel(NOW, tick=False)
def test_edit_before_it_opens(personas, upcoming):
    client = _client(personas.county_staffer)
    detail = client.get(f"/workbench/campaigns/{upcoming.pk}/").content.decode()
    assert f'href="/workbench/campaigns/{upcoming.pk}/edit/"' in detail
    form = client.get(f"/workbench/campaigns/{upcoming.pk}/edit/").content.decode()
    assert 'value="五一职工健步走"' in form and 'value="健步走名额"' in form and 'value="200"' in form
    assert 'value="2026-04-10T10:00"' in form  # the opening, in local time for datetime-local
    data = _form(
        personas.tree.county,
        title="五一职工健步走（扩容）",
        kind="event",
        offer_name=["健步走名额", "亲子组"],
        offer_capacity=["300", "50"],
        offer_starts_at=["", ""],
        offer_schedule=["", ""],
        offer_valid_until=["", ""],
        offer_location=["", ""],
        offer_face_value=["", ""],
    )
    response = client.post(f"/workbench/campaigns/{upcoming.pk}/edit/", data)
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.title == "五一职工健步走（扩容）" and upcoming.offer_count == 2
    assert sorted((o.name, o.capacity, o.remaining) for o in upcoming.offers.all()) == [
        ("亲子组", 50, 50),
        ("健步走名额", 300, 300),
    ]
    event = AuditEvent.objects.get(action="campaign.update")
    assert "title" in event.detail["changed"] and event.org == personas.tree.county


def test_no_edit_once_open(personas, upcoming):
    with time_machine.travel(NOW + dt.timedelta(days=9, minutes=1), tick=False):
        client = _client(personas.county_staffer)
        detail = client.get(f"/workbench/campaigns/{upcoming.pk}/").content.decode()
        assert "/edit/" not in detail
        response = client.post(f"/workbench/campaigns/{upcoming.pk}/edit/", _form(personas.tree.county))
        assert response.status_code == 302
        upcoming.refresh_from_db()
        assert upcoming.title == "五一职工健步走"
        with pytest.raises(Conflict):
            services.campaign_update(
                actor=personas.county_staffer,
                campaign=upcoming,
                org=personas.tree.county,
                title="x",
                kind="event",
                opens_at=NOW + dt.timedelta(days=20),
                closes_at=NOW + dt.timedelta(days=21),
                offers=[{"name": "a", "capacity": 1}],
            )


@time_machine.travel(NOW, tick=False)
def test_withdraw_from_the_workbench(personas, upcoming):
    client = _client(personas.county_staffer)
    assert "撤回活动" in client.get(f"/workbench/campaigns/{upcoming.pk}/").content.decode()
    response = client.post(f"/workbench/campaigns/{upcoming.pk}/", {"action": "withdraw"})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == Campaign.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="campaign.withdraw", org=personas.tree.county).exists()
    again = client.post(f"/workbench/campaigns/{upcoming.pk}/", {"action": "withdraw"})
    assert again.status_code == 422 and "活动已撤回" in again.content.decode()


@time_machine.travel(NOW, tick=False)
def test_sibling_cannot_edit_or_withdraw(personas, upcoming):
    client = _client(personas.sibling_staffer)
    assert client.get(f"/workbench/campaigns/{upcoming.pk}/edit/").status_code == 404
    assert (
        client.post(f"/workbench/campaigns/{upcoming.pk}/edit/", _form(personas.tree.county)).status_code
        == 404
    )
    assert client.post(f"/workbench/campaigns/{upcoming.pk}/", {"action": "withdraw"}).status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status == Campaign.Status.PUBLISHED and upcoming.title == "五一职工健步走"


@time_machine.travel(NOW, tick=False)
def test_api_put_edits_before_opening(personas, upcoming, api):
    payload = {
        "org_id": personas.tree.county.pk,
        "title": "五一职工健步走",
        "kind": "event",
        "opens_at": "2026-04-10T10:00:00+08:00",
        "closes_at": "2026-04-12T10:00:00+08:00",
        "offers": [{"name": "健步走名额", "capacity": 250}],
    }
    response = api(personas.county_staffer).put(f"campaigns/{upcoming.pk}", payload)
    assert response.status_code == 200, response.json()
    assert response.json()["offers"][0]["capacity"] == 250
    assert api(personas.sibling_staffer).put(f"campaigns/{upcoming.pk}", payload).status_code == 404


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 360])
def test_offer_rows_in_the_browser(personas, desk_page, live_server, width):
    from playwright.sync_api import expect

    from gonghui.testing.browser import assert_accessible, assert_fits_width, login_staff, screenshot
    from gonghui.testing.factories import PASSWORD

    page = desk_page
    page.set_viewport_size({"width": width, "height": 900})
    login_staff(page, live_server, personas.county_staffer, PASSWORD)
    page.goto(live_server.url + "/workbench/campaigns/new/")
    page.get_by_label("名称", exact=True).first.fill("宝鸡市工人文化宫公益培训")
    page.get_by_label("开抢/报名开始").fill("2030-05-01T09:00")
    page.get_by_label("报名截止").fill("2030-05-03T18:00")
    page.locator("input[name=offer_name]").fill("古筝初级班（周六上午）")
    page.locator("input[name=offer_capacity]").fill("30")
    page.get_by_role("button", name="＋ 添加一行").click()
    expect(page.locator("input[name=offer_name]")).to_have_count(2)
    expect(page.locator("input[name=offer_name]").first).to_have_value("古筝初级班（周六上午）")
    page.locator("input[name=offer_name]").nth(1).fill("声乐班（周日下午）")
    page.locator("input[name=offer_capacity]").nth(1).fill("0")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".cg-offer-row .error").first).to_be_visible()
    screenshot(page, f"campaigns-offer-rows-{width}")
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("button", name="删除第 2 项").click()
    expect(page.locator("input[name=offer_name]")).to_have_count(1)
