import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.campaigns import services
from gonghui.campaigns.models import Campaign, Ticket
from gonghui.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_worker_list_detail_grab_and_tickets(personas, make_campaign, verified):
    now = timezone.now()
    campaign = make_campaign()
    upcoming = make_campaign(
        title="舞蹈班（下周开抢）", opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2)
    )
    client = login(verified)
    page = client.get("/campaigns/").content.decode()
    assert campaign.title in page and upcoming.title in page and "data-deadline" in page
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "立即抢" in detail and "剩 3" in detail
    offer = campaign.offers.get()
    result = client.post(
        f"/campaigns/{campaign.pk}/offers/{offer.pk}/grab/", {"key": "page-1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "抢到了" in result
    again = client.post(
        f"/campaigns/{campaign.pk}/offers/{offer.pk}/grab/", {"key": "page-1"}
    ).content.decode()
    assert "你已领取" in again
    assert Ticket.objects.count() == 1
    tickets = client.get("/campaigns/tickets/").content.decode()
    code = Ticket.objects.get().code
    assert code in tickets and "<svg" in tickets and "退订" in tickets
    upcoming_page = client.get(f"/campaigns/{upcoming.pk}/").content.decode()
    assert "未开始" in upcoming_page and "距开抢还有" in upcoming_page


def test_worker_cancel_from_page(personas, make_campaign, verified):
    campaign = make_campaign()
    ticket = services.offer_grab(
        actor=verified, campaign_id=campaign.pk, offer_id=campaign.offers.get().pk
    ).ticket
    client = login(verified)
    response = client.post(f"/campaigns/tickets/{ticket.pk}/cancel/", follow=True)
    assert "已退订" in response.content.decode()
    assert Ticket.objects.get().status == Ticket.Status.CANCELLED


def test_ineligible_worker_sees_reason_not_button(personas, make_campaign):
    campaign = make_campaign()
    page = login(personas.worker).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "不符合条件：本活动仅限实名认证会员" in page and "立即抢" not in page


def test_staff_create_from_form_and_errors_next_to_fields(personas):
    client = login(personas.county_staffer)
    assert client.get("/workbench/campaigns/new/").status_code == 200
    now = timezone.localtime()
    data = {
        "org": personas.tree.county.pk,
        "title": "宝鸡市工人文化宫公益培训",
        "kind": "course",
        "mode": "fcfs",
        "opens_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "per_member_limit": "2",
        "real_name_required": "on",
        "offer_name": ["古筝初级班", "声乐班"],
        "offer_capacity": ["30", "abc"],
        "offer_schedule": ["每周六 9:00-11:00", ""],
    }
    bad = client.post("/workbench/campaigns/new/", data)
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "「声乐班」的数量应为 1 至" in html and "宝鸡市工人文化宫公益培训" in html  # nothing typed is lost
    assert 'value="每周六 9:00-11:00"' in html
    data["offer_capacity"] = ["30", "40"]
    data["offer_schedule"] = ["每周六 9:00-11:00", "每周日 14:00"]
    response = client.post("/workbench/campaigns/new/", data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert [o.capacity for o in campaign.offers.all()] == [30, 40]
    detail = client.get(response["Location"]).content.decode()
    assert "古筝初级班" in detail and "按工会" in detail
    assert client.get("/workbench/campaigns/").content.decode().count("宝鸡市工人文化宫公益培训") == 1
    export = client.get(f"/workbench/campaigns/{campaign.pk}/report.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_sibling_staff_get_404_on_every_workbench_page(personas, make_campaign):
    campaign = make_campaign(
        mode="lottery",
        opens_at=timezone.now() - dt.timedelta(days=2),
        closes_at=timezone.now() - dt.timedelta(hours=1),
    )
    client = login(personas.sibling_staffer)
    for url in (f"/workbench/campaigns/{campaign.pk}/", f"/workbench/campaigns/{campaign.pk}/report.xlsx"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/workbench/campaigns/{campaign.pk}/", {"action": "draw"}).status_code == 404
    assert campaign.title not in client.get("/workbench/campaigns/").content.decode()
    bad = client.post(
        "/workbench/campaigns/new/",
        {
            "org": personas.tree.county.pk,
            "title": "x",
            "kind": "course",
            "mode": "fcfs",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-01-02T09:00",
            "per_member_limit": 1,
            "offer_name": "a",
            "offer_capacity": "1",
        },
    )
    assert bad.status_code == 422 and "有效的选项" in bad.content.decode()
    assert Campaign.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.drawn_at is None


def test_staff_draw_from_page(personas, make_campaign, verified):
    now = timezone.now()
    campaign = make_campaign(
        mode="lottery", opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=1)
    )
    services.offer_grab(actor=verified, campaign_id=campaign.pk, offer_id=campaign.offers.get().pk)
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=now - dt.timedelta(minutes=1))
    client = login(personas.county_staffer)
    assert client.post(f"/workbench/campaigns/{campaign.pk}/", {"action": "draw"}).status_code == 302
    draw = Client().get(f"/campaigns/{campaign.pk}/draw/").content.decode()
    assert "王*军" in draw and Campaign.objects.get().seed in draw


def test_redeem_page_twice(personas, make_campaign, verified):
    ticket = services.offer_grab(
        actor=verified, campaign_id=(c := make_campaign()).pk, offer_id=c.offers.get().pk
    ).ticket
    client = login(personas.county_staffer)
    assert client.get("/workbench/campaigns/redeem/").status_code == 200
    first = client.post(
        "/workbench/campaigns/redeem/", {"code": ticket.code, "place": "302 教室", "step": "confirm"}
    ).content.decode()
    assert "核销成功" in first and "王*军" in first
    second = client.post(
        "/workbench/campaigns/redeem/", {"code": ticket.code, "step": "confirm"}
    ).content.decode()
    assert "不能重复使用" in second and "302 教室" in second
    sibling = login(personas.sibling_staffer).post("/workbench/campaigns/redeem/", {"code": ticket.code})
    assert "未找到该券码" in sibling.content.decode()


def test_anonymous_is_sent_to_login(personas, make_campaign):
    campaign = make_campaign()
    for url in (
        "/campaigns/",
        f"/campaigns/{campaign.pk}/",
        "/campaigns/tickets/",
        "/workbench/campaigns/redeem/",
    ):
        response = Client().get(url)
        assert response.status_code == 302, url
    assert PASSWORD
