import datetime as dt

import pytest
from django.utils import timezone

from gonghui.campaigns import gate, services
from gonghui.campaigns.models import Offer, Ticket
from gonghui.campaigns.services import grab as grab_services
from gonghui.core.models import AuditEvent
from gonghui.testing.factories import make_member, make_user


def grab(api, user, campaign, offer=None, **headers):
    offer = offer or campaign.offers.first()
    client = api(user)
    return client.post(
        f"campaigns/{campaign.pk}/offers/{offer.pk}/grab", headers={**client.headers, **headers}
    )


def member_user(org, verified=True, **kw):
    user = make_user(name="刘师傅", real_name_verified=verified)
    make_member(org, user=user, name="刘师傅", **kw)
    return user


@pytest.mark.django_db
def test_grab_wins_a_ticket_and_says_so(personas, make_campaign, verified, api):
    campaign = make_campaign()
    response = grab(api, verified, campaign)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["result"] == "won" and body["message"] == "抢到了"
    assert len(body["ticket"]["code"]) == 10
    offer = campaign.offers.get()
    assert offer.remaining == 2
    assert AuditEvent.objects.filter(action="ticket.grab", result="ok").count() == 1


@pytest.mark.django_db
def test_double_tap_returns_the_same_ticket(personas, make_campaign, verified, api):
    campaign = make_campaign()
    client = api(verified)
    url = f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/grab"
    first = client.post(url, headers={**client.headers, "Idempotency-Key": "k-1"})
    again = client.post(url, headers={**client.headers, "Idempotency-Key": "k-1"})
    third = client.post(url)
    assert first.status_code == 201 and again.status_code == 200 and third.status_code == 200
    assert again.json()["message"] == "你已领取"
    assert first.json()["ticket"]["code"] == again.json()["ticket"]["code"] == third.json()["ticket"]["code"]
    assert Ticket.objects.count() == 1
    assert campaign.offers.get().remaining == 2


@pytest.mark.django_db
def test_idempotency_key_reused_for_another_offer_is_refused(personas, make_campaign, verified, api):
    campaign = make_campaign(
        offers=[{"name": "A班", "capacity": 2}, {"name": "B班", "capacity": 2}], per_member_limit=2
    )
    a, b = campaign.offers.all()
    assert grab(api, verified, campaign, a, **{"Idempotency-Key": "same"}).status_code == 201
    response = grab(api, verified, campaign, b, **{"Idempotency-Key": "same"})
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_sold_out_answers_and_then_answers_from_the_cache(
    personas, make_campaign, verified, api, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    campaign = make_campaign(
        offers=[{"name": "体检券", "capacity": 1, "valid_until": dt.date(2030, 1, 1)}],
        kind="coupon",
        title="宁波职工体检券",
    )
    other = member_user(personas.tree.grassroots)
    with django_capture_on_commit_callbacks(execute=True):
        assert grab(api, other, campaign).status_code == 201
    response = grab(api, verified, campaign)
    assert response.status_code == 409
    assert response.json()["code"] == "sold_out" and response.json()["message"].startswith("已抢完")
    newcomer = member_user(personas.tree.grassroots)
    client = api(newcomer)
    url = f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/grab"
    # Token lookup only: the flag answers without reading the offer, the member or the tickets.
    with django_assert_max_num_queries(2):
        first_tap = client.post(url)
    assert first_tap.json()["code"] == "sold_out"
    # Who tried before the sell-out hears the truth from the database: the loser 已抢完, the winner 你已领取.
    assert grab(api, verified, campaign).json()["code"] == "sold_out"
    assert grab(api, other, campaign).json()["message"] == "你已领取"


@pytest.mark.django_db
def test_stale_sold_out_flag_never_decides_a_sale(personas, make_campaign, verified):
    campaign = make_campaign()
    offer = campaign.offers.get()
    gate.clear_sold_out(campaign.pk, offer.pk)
    outcome = services.offer_grab(actor=verified, campaign_id=campaign.pk, offer_id=offer.pk)
    assert outcome.result == "won"
    # A cache that wrongly says "sold out" only makes people wait; it never sells a place that is not there.
    Offer.objects.filter(pk=offer.pk).update(remaining=0)
    late = member_user(personas.tree.grassroots)
    with pytest.raises(services.GrabRefused) as refused:
        services.offer_grab(actor=late, campaign_id=campaign.pk, offer_id=offer.pk)
    assert refused.value.code == "sold_out"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_not_open_yet_gives_a_countdown(personas, make_campaign, verified, api):
    opens = timezone.now() + dt.timedelta(hours=2, minutes=5)
    campaign = make_campaign(opens_at=opens, closes_at=opens + dt.timedelta(days=1))
    response = grab(api, verified, campaign)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_open"
    assert body["message"].startswith("未开始") and "2小时" in body["message"]
    assert 7400 <= body["seconds_left"] <= 7501
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_closed_campaign_says_so(personas, make_campaign, verified, api):
    now = timezone.now()
    campaign = make_campaign(opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1))
    response = grab(api, verified, campaign)
    assert response.status_code == 409 and response.json()["message"].startswith("已结束")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("unverified", "实名认证"),
        ("sibling", "及下属工会的会员"),
        ("withdrawn", "仅限在籍会员"),
        ("occupation", "仅限以下职业：快递员"),
        ("new_form", "仅限新就业形态劳动者"),
        ("no_member", "请先申请入会"),
    ],
)
def test_ineligible_members_hear_the_reason(personas, make_campaign, api, setup, reason):
    overrides = {"occupation": {"occupations": ["courier"]}, "new_form": {"new_form_only": True}}.get(
        setup, {}
    )
    campaign = make_campaign(**overrides)
    if setup == "unverified":
        user = member_user(personas.tree.grassroots, verified=False)
    elif setup == "sibling":
        user = member_user(personas.tree.sibling_grassroots)
    elif setup == "withdrawn":
        user = member_user(personas.tree.grassroots, status="withdrawn")
    elif setup == "new_form":
        user = member_user(personas.tree.grassroots, employment_form="standard")
    elif setup == "no_member":
        user = make_user(real_name_verified=True)
    else:
        user = member_user(personas.tree.grassroots)
    response = grab(api, user, campaign)
    assert response.status_code == 403
    assert response.json()["code"] == "not_eligible"
    assert response.json()["message"].startswith("不符合条件：") and reason in response.json()["message"]
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_per_member_limit_across_offers(personas, make_campaign, verified, api):
    campaign = make_campaign(offers=[{"name": f"班{i}", "capacity": 5} for i in range(3)], per_member_limit=2)
    offers = list(campaign.offers.all())
    assert grab(api, verified, campaign, offers[0]).status_code == 201
    assert grab(api, verified, campaign, offers[1]).status_code == 201
    third = grab(api, verified, campaign, offers[2])
    assert third.status_code == 409 and "每人限领 2 个" in third.json()["message"]
    assert offers[2].__class__.objects.get(pk=offers[2].pk).remaining == 5


@pytest.mark.django_db
def test_member_rate_limit_is_429_in_chinese(personas, make_campaign, verified, api, settings):
    settings.GONGHUI_GRAB_MEMBER_LIMIT = (3, 10)
    campaign = make_campaign()
    client = api(verified)
    url = f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/grab"
    codes = [client.post(url).status_code for _ in range(4)]
    assert codes == [201, 200, 200, 429]
    body = client.post(url).json()
    assert body["code"] == "rate_limited" and body["message"] == "操作太频繁，请 10 秒后再试"


@pytest.mark.django_db
def test_ip_rate_limit(personas, make_campaign, verified, api, settings):
    settings.GONGHUI_GRAB_IP_LIMIT = (2, 60)
    campaign = make_campaign()
    users = [member_user(personas.tree.grassroots) for _ in range(3)]
    codes = [grab(api, u, campaign).status_code for u in users]
    assert codes == [201, 201, 429]
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"), [("campaigns/999999/offers/1/grab", 404), ("campaigns/abc/offers/1/grab", 422)]
)
def test_grab_bad_ids(personas, verified, api, path, status):
    response = api(verified).post(path)
    assert response.status_code == status
    assert set(response.json()) >= {"code", "message", "field"}


@pytest.mark.django_db
def test_grab_offer_of_another_campaign_is_404(personas, make_campaign, verified, api):
    first, second = make_campaign(), make_campaign(title="另一个")
    response = api(verified).post(f"campaigns/{first.pk}/offers/{second.offers.get().pk}/grab")
    assert response.status_code == 404
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_grab_is_401(personas, make_campaign, api):
    campaign = make_campaign()
    response = api().post(f"campaigns/{campaign.pk}/offers/{campaign.offers.get().pk}/grab")
    assert response.status_code in (401, 403)  # no token, no session: refused before any work
    assert api().get("campaigns/tickets").status_code == 401
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_a_colliding_ticket_code_is_redrawn_not_a_500(personas, make_campaign, verified, api, monkeypatch):
    campaign = make_campaign(offers=[{"name": "古筝初级班", "capacity": 5}])
    first = member_user(personas.tree.grassroots)
    taken = grab(api, first, campaign).json()["ticket"]["code"]
    codes = iter([taken, "ABCDEFGH23"])
    monkeypatch.setattr(grab_services, "new_ticket_code", lambda: next(codes))
    response = grab(api, verified, campaign)
    assert response.status_code == 201, response.content
    assert response.json()["ticket"]["code"] == "ABCDEFGH23"
    assert campaign.offers.get().remaining == 3
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_a_changed_campaign_is_seen_by_the_next_grab(personas, make_campaign, verified, api):
    campaign = make_campaign()
    unverified = member_user(personas.tree.grassroots, verified=False)
    # The refused grab has put the offer and its campaign in the cache.
    assert grab(api, unverified, campaign).json()["code"] == "not_eligible"
    campaign.closes_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()
    response = grab(api, verified, campaign)
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_a_withdrawn_campaign_is_gone_for_the_next_grab(personas, make_campaign, verified, api):
    campaign = make_campaign()
    unverified = member_user(personas.tree.grassroots, verified=False)
    assert grab(api, unverified, campaign).json()["code"] == "not_eligible"
    services.campaign_withdraw(actor=personas.county_staffer, campaign=campaign)
    assert grab(api, verified, campaign).status_code == 404
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_the_cached_offer_never_answers_with_a_stale_count(personas, make_campaign, verified, api):
    campaign = make_campaign(offers=[{"name": "体检券", "capacity": 1, "valid_until": dt.date(2030, 1, 1)}])
    offer = campaign.offers.get()
    assert grab(api, verified, campaign).status_code == 201  # cached while one place was left
    late = member_user(personas.tree.grassroots)
    # The waiting list opens only when nothing is left: it must read 0, not the cached 1.
    entry = services.waitlist_join(actor=late, campaign_id=campaign.pk, offer_id=offer.pk)
    assert services.waitlist_position(entry) == 1


@pytest.mark.django_db
def test_a_sale_leaves_the_ticket_and_its_audit_row(personas, make_campaign, verified, api):
    # On PostgreSQL the sale is one hand-assembled statement, elsewhere ORM saves: both must leave the same.
    campaign = make_campaign()
    response = grab(api, verified, campaign, **{"Idempotency-Key": "tap-1", "X-Forwarded-For": "10.2.3.4"})
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.json()["ticket"]["id"] == ticket.pk
    assert (ticket.member.user, ticket.offer, ticket.campaign) == (verified, campaign.offers.get(), campaign)
    assert ticket.status == Ticket.Status.ACTIVE and ticket.source == Ticket.Source.GRAB
    assert ticket.idempotency_key == "tap-1" and ticket.redeemed_place == ""
    event = AuditEvent.objects.get(action="ticket.grab")
    assert (event.object_type, event.object_id) == ("campaigns.ticket", str(ticket.pk))
    assert event.actor == verified and event.actor_label == f"{verified.name}（{verified.phone_masked}）"
    assert (event.org, event.org_path) == (campaign.org, campaign.org.path)
    assert event.detail == {"campaign": campaign.pk, "offer": ticket.offer_id}
    assert event.result == "ok" and event.created_at is not None
    assert campaign.offers.get().remaining == 2
