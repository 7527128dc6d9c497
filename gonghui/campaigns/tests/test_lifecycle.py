import datetime as dt
import json

import pytest
from django.utils import timezone

from gonghui.campaigns import lottery, services
from gonghui.campaigns.models import Campaign, Entry, Offer, Ticket, WaitlistEntry
from gonghui.core.models import AuditEvent, Notification
from gonghui.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def member_user(org, name="刘师傅", **kw):
    user = make_user(name=name, real_name_verified=True)
    make_member(org, user=user, name=name, **kw)
    return user


def grab(user, campaign, offer=None):
    offer = offer or campaign.offers.first()
    return services.offer_grab(actor=user, campaign_id=campaign.pk, offer_id=offer.pk)


# --- creating ----------------------------------------------------------------------------


def campaign_payload(org, **overrides):
    now = timezone.now()
    body = {
        "org_id": org.pk,
        "title": "宁波职工福利券",
        "kind": "coupon",
        "mode": "fcfs",
        "opens_at": (now + dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=2)).isoformat(),
        "offers": [
            {"name": "电影券", "capacity": 5000, "face_value": "40.00", "valid_until": "2030-12-31"},
            {"name": "体检券", "capacity": 120, "valid_until": "2030-12-31"},
        ],
    }
    body.update(overrides)
    return body


def test_staff_create_campaign_in_scope(personas, api):
    response = api(personas.county_staffer).post("campaigns", campaign_payload(personas.tree.county))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [o["remaining"] for o in body["offers"]] == [5000, 120]
    assert body["offers"][0]["face_value"] == "40.00"
    assert len(body["seed_commitment"]) == 64 and "seed" not in body
    assert AuditEvent.objects.filter(action="campaign.create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"mode": "fastest"}, "mode"),
        ({"closes_at": "2020-01-01T00:00:00+08:00"}, "closes_at"),
        ({"offers": []}, "offers"),
        ({"offers": [{"name": "电影券", "capacity": 0, "valid_until": "2030-01-01"}]}, "offers.0.capacity"),
        ({"offers": [{"name": "电影券", "capacity": 10}]}, "offers.0.valid_until"),
        ({"occupations": ["astronaut"]}, "occupations"),
        ({"opens_at": "明天"}, "opens_at"),
    ],
)
def test_create_bad_input_names_the_field(personas, api, overrides, field):
    response = api(personas.county_staffer).post(
        "campaigns", campaign_payload(personas.tree.county, **overrides)
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["field"] == field, body
    assert body["message"]
    assert Campaign.objects.count() == 0


def test_sibling_staff_cannot_create_in_my_subtree(personas, api):
    response = api(personas.sibling_staffer).post("campaigns", campaign_payload(personas.tree.county))
    assert response.status_code == 404
    assert Campaign.objects.count() == 0


def test_worker_cannot_create(personas, api):
    response = api(personas.worker).post("campaigns", campaign_payload(personas.tree.grassroots))
    assert response.status_code == 404
    assert Campaign.objects.count() == 0


# --- scope on every staff endpoint ------------------------------------------------------------


def test_sibling_staff_get_404_on_every_staff_endpoint(personas, make_campaign, verified, api):
    now = timezone.now()
    campaign = make_campaign(
        mode="lottery", opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(hours=1)
    )
    client = api(personas.sibling_staffer)
    for method, path in [
        ("get", f"campaigns/{campaign.pk}/report"),
        ("get", f"campaigns/{campaign.pk}/report.xlsx"),
        ("post", f"campaigns/{campaign.pk}/draw"),
        ("post", f"campaigns/{campaign.pk}/withdraw"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 404, (path, response.content)
    assert all(c["id"] != campaign.pk for c in client.get("campaigns/manage").json())
    campaign.refresh_from_db()
    assert campaign.drawn_at is None and campaign.status == Campaign.Status.PUBLISHED


def test_sibling_staff_cannot_redeem(personas, make_campaign, verified, api):
    ticket = grab(verified, make_campaign()).ticket
    response = api(personas.sibling_staffer).post("campaigns/redeem", {"code": ticket.code})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ACTIVE


def test_campaign_list_shows_own_and_ancestor_unions_only(personas, make_campaign, verified, api):
    mine = make_campaign()
    sibling = make_campaign(org=personas.tree.sibling_city, actor=personas.sibling_staffer, title="太原")
    ids = [c["id"] for c in api(verified).get("campaigns").json()]
    assert mine.pk in ids and sibling.pk not in ids


# --- cancel and waiting list ---------------------------------------------------------------------


def test_cancel_passes_the_place_to_the_first_waiting_member(
    personas, make_campaign, verified, api, sms_outbox, django_capture_on_commit_callbacks
):
    campaign = make_campaign(offers=[{"name": "茶艺班", "capacity": 1}])
    offer = campaign.offers.get()
    holder_ticket = grab(verified, campaign).ticket
    first, second = (
        member_user(personas.tree.grassroots, "候补甲"),
        member_user(personas.tree.grassroots, "候补乙"),
    )
    for user in (first, second):
        response = api(user).post(f"campaigns/{campaign.pk}/offers/{offer.pk}/waitlist")
        assert response.status_code == 200
    assert response.json()["position"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = api(verified).post(f"campaigns/tickets/{holder_ticket.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    promoted = Ticket.objects.get(member=first.member, offer=offer)
    assert promoted.source == Ticket.Source.WAITLIST and promoted.status == Ticket.Status.ACTIVE
    offer.refresh_from_db()
    assert offer.remaining == 0
    assert Notification.objects.filter(user=first, title__startswith="候补成功").exists()
    assert len(sms_outbox) == 1
    assert WaitlistEntry.objects.get(member=second.member).status == WaitlistEntry.Status.WAITING
    # The canceller cannot grab again.
    again = api(verified).post(f"campaigns/{campaign.pk}/offers/{offer.pk}/grab")
    assert again.status_code == 409 and "已退订" in again.json()["message"]


def test_cancel_without_waitlist_returns_place_to_pool(personas, make_campaign, verified, api):
    campaign = make_campaign()
    ticket = grab(verified, campaign).ticket
    assert api(verified).post(f"campaigns/tickets/{ticket.pk}/cancel").status_code == 200
    assert campaign.offers.get().remaining == 3
    again = api(verified).post(f"campaigns/tickets/{ticket.pk}/cancel")
    assert again.status_code == 409 and "已退订" in again.json()["message"]


def test_cancel_after_deadline_is_refused(personas, make_campaign, verified, api):
    now = timezone.now()
    campaign = make_campaign(
        opens_at=now - dt.timedelta(days=1), cancel_deadline=now - dt.timedelta(minutes=5)
    )
    Campaign.objects.filter(pk=campaign.pk).update(cancel_deadline=now - dt.timedelta(minutes=5))
    ticket = grab(verified, campaign).ticket
    response = api(verified).post(f"campaigns/tickets/{ticket.pk}/cancel")
    assert response.status_code == 409 and "已过退订截止时间" in response.json()["message"]
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.ACTIVE


def test_cannot_cancel_someone_elses_ticket(personas, make_campaign, verified, api):
    ticket = grab(verified, make_campaign()).ticket
    other = member_user(personas.tree.grassroots)
    assert api(other).post(f"campaigns/tickets/{ticket.pk}/cancel").status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.ACTIVE


def test_waitlist_refused_while_places_remain(personas, make_campaign, verified, api):
    campaign = make_campaign()
    response = api(verified).post(f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/waitlist")
    assert response.status_code == 409 and "请直接领取" in response.json()["message"]


# --- redemption -----------------------------------------------------------------------------------


def test_redeem_once_then_second_scan_says_when_and_where(personas, make_campaign, verified, api):
    ticket = grab(verified, make_campaign()).ticket
    staff = api(personas.county_staffer)
    first = staff.post(
        "campaigns/redeem", {"code": ticket.code.lower(), "place": "宝鸡市工人文化宫 302 教室"}
    )
    assert first.status_code == 200, first.content
    assert first.json()["message"] == "核销成功" and first.json()["member_name"] == "王*军"
    second = api(personas.city_staffer).post("campaigns/redeem", {"code": ticket.code})
    assert second.status_code == 409
    message = second.json()["message"]
    assert second.json()["code"] == "already_redeemed"
    assert "宝鸡市工人文化宫 302 教室" in message and timezone.localtime().strftime("%Y-%m-%d") in message
    ticket.refresh_from_db()
    assert ticket.redeemed_by == personas.county_staffer


def test_merchant_account_redeems_its_campaign(personas, make_campaign, verified, api):
    campaign = make_campaign(
        kind="coupon", offers=[{"name": "游泳券", "capacity": 2, "valid_until": "2030-01-01"}]
    )
    merchant = make_user(name="宁波游泳馆")
    services.campaign_set_redeemers(actor=personas.county_staffer, campaign=campaign, users=[merchant])
    ticket = grab(verified, campaign).ticket
    response = api(merchant).post("campaigns/redeem", {"code": ticket.code, "place": "宁波游泳馆"})
    assert response.status_code == 200
    stranger = make_user(name="别的商户")
    ticket2 = grab(member_user(personas.tree.grassroots), campaign).ticket
    assert api(stranger).post("campaigns/redeem", {"code": ticket2.code}).status_code == 404


def test_expired_and_cancelled_tickets_say_so(personas, make_campaign, verified, api):
    campaign = make_campaign(
        kind="coupon",
        offers=[{"name": "餐券", "capacity": 5, "valid_until": "2030-01-01"}],
        per_member_limit=1,
    )
    ticket = grab(verified, campaign).ticket
    Offer.objects.filter(pk=ticket.offer_id).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    response = api(personas.county_staffer).post("campaigns/redeem", {"code": ticket.code})
    assert response.status_code == 409 and "已过期" in response.json()["message"]
    other = member_user(personas.tree.grassroots)
    Offer.objects.filter(pk=ticket.offer_id).update(valid_until="2030-01-01")
    t2 = grab(other, campaign).ticket
    services.ticket_cancel(actor=other, ticket_id=t2.pk)
    response = api(personas.county_staffer).post("campaigns/redeem", {"code": t2.code})
    assert response.status_code == 409 and "已退订" in response.json()["message"]


@pytest.mark.parametrize("code", ["", "   ", "NOSUCHCODE"])
def test_redeem_bad_codes(personas, api, code):
    response = api(personas.county_staffer).post("campaigns/redeem", {"code": code})
    assert response.status_code in (400, 404)
    assert response.json()["message"]


# --- lottery --------------------------------------------------------------------------------------


def test_lottery_entry_draw_and_public_rerun(
    personas, make_campaign, api, django_capture_on_commit_callbacks
):
    now = timezone.now()
    campaign = make_campaign(
        mode="lottery",
        title="疗休养抽签",
        kind="event",
        offers=[{"name": "疗休养（第一期）", "capacity": 3}],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )
    offer = campaign.offers.get()
    users = [member_user(personas.tree.grassroots, f"报名{i}号") for i in range(8)]
    for user in users:
        response = api(user).post(f"campaigns/{campaign.pk}/offers/{offer.pk}/grab")
        assert response.status_code == 201 and response.json()["result"] == "entered"
    assert (
        api(users[0]).post(f"campaigns/{campaign.pk}/offers/{offer.pk}/grab").json()["result"]
        == "already_entered"
    )
    before = api(users[0]).get(f"campaigns/{campaign.pk}/draw").json()
    assert before["seed"] is None and len(before["offers"][0]["entrants"]) == 8
    early = api(personas.county_staffer).post(f"campaigns/{campaign.pk}/draw")
    assert early.status_code == 409
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=now - dt.timedelta(minutes=1))
    assert api(personas.county_staffer).post(f"campaigns/{campaign.pk}/draw").status_code == 200
    record = api(users[0]).get(f"campaigns/{campaign.pk}/draw").json()
    # Anyone can re-run the published draw with the published algorithm and get the same winners.
    assert lottery.verify_publication(json.loads(json.dumps(record))) == []
    assert lottery.commitment(record["seed"]) == before["seed_commitment"]
    published = record["offers"][0]
    assert len(published["winners"]) == 3 and len(published["waitlist"]) == 5
    assert all("*" in e["name"] for e in published["entrants"])
    winners = set(Entry.objects.filter(result="won").values_list("member_id", flat=True))
    assert set(Ticket.objects.filter(offer=offer).values_list("member_id", flat=True)) == winners
    assert WaitlistEntry.objects.filter(offer=offer).count() == 5
    assert Offer.objects.get(pk=offer.pk).remaining == 0
    again = api(personas.county_staffer).post(f"campaigns/{campaign.pk}/draw")
    assert again.status_code == 409 and "不能重复抽签" in again.json()["message"]
    # A tampered record does not check out.
    record["offers"][0]["winners"][0], record["offers"][0]["waitlist"][0] = (
        record["offers"][0]["waitlist"][0],
        record["offers"][0]["winners"][0],
    )
    assert lottery.verify_publication(record)


def test_lottery_algorithm_is_deterministic_and_weighted():
    seed = "ab" * 32
    entrants = [(i, 1) for i in range(1, 101)]
    assert lottery.draw(seed, 7, entrants, 10) == lottery.draw(seed, 7, list(reversed(entrants)), 10)
    assert lottery.draw(seed, 7, entrants, 10) != lottery.draw("cd" * 32, 7, entrants, 10)
    # Weight 2 roughly doubles the chance: over many seeds, weighted entrants win more often.
    weighted = [(i, 2 if i <= 50 else 1) for i in range(1, 101)]
    wins_heavy = sum(
        sum(1 for w in lottery.draw(f"{s:064x}", 1, weighted, 10)[0] if w <= 50) for s in range(200)
    )
    assert wins_heavy > 0.6 * 2000


def test_weighting_for_last_time_losers(personas, make_campaign):
    now = timezone.now()
    user = member_user(personas.tree.grassroots)
    first = make_campaign(
        mode="lottery",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(hours=1),
        offers=[{"name": "一期", "capacity": 1}],
    )
    winner = member_user(personas.tree.grassroots, "先到者")
    grab(winner, first)
    grab(user, first)
    Entry.objects.filter(member=winner.member).update(
        weight=50
    )  # make the first draw's outcome certain enough
    Campaign.objects.filter(pk=first.pk).update(closes_at=now - dt.timedelta(minutes=1))
    first.refresh_from_db()
    services.campaign_draw(actor=personas.county_staffer, campaign=first)
    lost = Entry.objects.get(campaign=first, result="lost").member
    second = make_campaign(
        mode="lottery", lottery_weight_losers=True, offers=[{"name": "二期", "capacity": 1}]
    )
    loser_user = lost.user
    assert grab(loser_user, second).entry.weight == 2


def test_lottery_not_eligible_cannot_enter(personas, make_campaign, api):
    campaign = make_campaign(mode="lottery")
    sibling = member_user(personas.tree.sibling_grassroots)
    response = api(sibling).post(f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/grab")
    assert response.status_code == 403
    assert Entry.objects.count() == 0


# --- report ----------------------------------------------------------------------------------------


def test_report_counts_by_union_and_occupation_and_xlsx(personas, make_campaign, verified, api):
    from io import BytesIO

    from openpyxl import load_workbook

    campaign = make_campaign(offers=[{"name": "摄影班", "capacity": 5}])
    tickets = [grab(verified, campaign).ticket]
    courier = member_user(personas.tree.township, occupation="courier")
    tickets.append(grab(courier, campaign).ticket)
    third = member_user(personas.tree.grassroots)
    tickets.append(grab(third, campaign).ticket)
    services.ticket_redeem(actor=personas.county_staffer, code=tickets[0].code)
    services.ticket_cancel(actor=third, ticket_id=tickets[2].pk)
    report = api(personas.city_staffer).get(f"campaigns/{campaign.pk}/report").json()
    assert report["totals"] == {"issued": 3, "redeemed": 1, "cancelled": 1, "no_show": 0}
    by_occ = {r["label"]: r["issued"] for r in report["by_occupation"]}
    assert by_occ == {"货车司机": 2, "快递员": 1}
    assert {r["union"] for r in report["by_union"]} == {"预石运输工会", "柳林镇工会"}
    response = api(personas.city_staffer).get(f"campaigns/{campaign.pk}/report.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["按名额", "按工会", "按职业"]
    rows = list(wb["按名额"].iter_rows(values_only=True))
    assert rows[3][:7] == ("摄影班", 5, 3, 3, 1, 1, 0)
    assert AuditEvent.objects.filter(action="campaign.report_export").count() == 1
