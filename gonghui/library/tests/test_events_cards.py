"""Reading events and reading cards are campaigns of the campaigns app: sign-up and check-in there,
counted per room here."""

import datetime as dt

import pytest
from django.test import Client

from gonghui.campaigns.services import offer_grab, ticket_redeem
from gonghui.core.errors import DomainError, NotFound
from gonghui.library import selectors, services
from gonghui.library.models import ReadingCardIssue, ReadingEvent

from .conftest import SH

pytestmark = pytest.mark.django_db


def test_an_event_at_a_room_signs_up_and_checks_in_through_campaigns(personas, make_room, clock):
    room = make_room(name="预石运输职工书屋")
    event = services.event_create(
        actor=personas.grassroots_admin,
        room=room,
        kind="recital",
        title="书香工会·经典诵读会",
        starts_at="2026-04-25T14:30",
        capacity=30,
    )
    campaign = event.campaign
    assert (campaign.kind, campaign.org, campaign.venue) == (
        "event",
        room.org,
        f"{room.name}（{room.address}）",
    )
    offer = campaign.offers.get()
    outcome = offer_grab(actor=personas.worker, campaign_id=campaign.pk, offer_id=offer.pk)
    assert outcome.ticket is not None
    counts = selectors.event_counts(actor=personas.grassroots_admin, room=room)
    assert (counts["signed_up"], counts["checked_in"]) == (1, 0)
    clock.move_to(dt.datetime(2026, 4, 25, 14, 20, tzinfo=SH))
    ticket_redeem(actor=personas.grassroots_admin, code=outcome.ticket.code)
    counts = selectors.event_counts(actor=personas.grassroots_admin, room=room)
    assert (counts["signed_up"], counts["checked_in"]) == (1, 1)
    page = Client()
    page.force_login(personas.grassroots_admin)
    html = page.get(f"/workbench/library/rooms/{room.pk}/").content.decode()
    assert "报名 1 人次 · 签到 1 人次" in html
    register = page.get("/workbench/library/").content.decode()
    assert "预石运输职工书屋" in register


def test_an_event_in_the_past_is_refused_with_the_field(personas, make_room):
    room = make_room()
    with pytest.raises(DomainError) as exc:
        services.event_create(
            actor=personas.grassroots_admin,
            room=room,
            kind="salon",
            title="沙龙",
            starts_at="2026-04-01T09:00",
            capacity=10,
        )
    assert exc.value.field == "starts_at"
    with pytest.raises(NotFound):
        services.event_create(
            actor=personas.sibling_staffer,
            room=room,
            kind="salon",
            title="沙龙",
            starts_at="2026-05-01T09:00",
            capacity=10,
        )
    assert ReadingEvent.objects.count() == 0


def test_the_worker_room_page_lists_upcoming_events(personas, make_room):
    room = make_room()
    services.event_create(
        actor=personas.grassroots_admin,
        room=room,
        kind="lecture",
        title="技能专题讲座",
        starts_at="2026-05-08T19:00",
        capacity=50,
    )
    html = Client().get(f"/library/rooms/{room.pk}/").content.decode()
    assert "技能专题讲座" in html and "专题讲座" in html


def test_reading_cards_are_a_coupon_campaign(personas, make_room):
    room = make_room()
    issue = services.cards_issue(
        actor=personas.county_staffer,
        org=personas.tree.county,
        room=room,
        title="2026 书香工会 职工读书卡",
        count=200,
        face_value="100",
        valid_until="2026-12-31",
    )
    campaign = issue.campaign
    offer = campaign.offers.get()
    assert (campaign.kind, offer.capacity, str(offer.face_value), offer.valid_until) == (
        "coupon",
        200,
        "100.00",
        dt.date(2026, 12, 31),
    )
    outcome = offer_grab(actor=personas.worker, campaign_id=campaign.pk, offer_id=offer.pk)
    assert outcome.ticket.offer_id == offer.pk
    with pytest.raises(DomainError) as exc:
        services.cards_issue(
            actor=personas.county_staffer,
            org=personas.tree.county,
            title="读书卡",
            count=10,
            face_value="-5",
            valid_until="2026-12-31",
        )
    assert exc.value.field == "face_value"
    with pytest.raises(NotFound):
        services.cards_issue(
            actor=personas.sibling_staffer,
            org=personas.tree.county,
            title="越权",
            count=1,
            face_value="1",
            valid_until="2026-12-31",
        )
    assert ReadingCardIssue.objects.count() == 1
