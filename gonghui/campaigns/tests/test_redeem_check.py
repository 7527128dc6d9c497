"""核销 at the door: staff say which activity/session they are checking in, each code is shown
before it is confirmed, and a ticket for another activity, another session or another day is
flagged — never silently used up."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from gonghui.campaigns import services
from gonghui.campaigns.models import Ticket
from gonghui.testing.factories import make_member, make_user

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 7, 8, 30, tzinfo=SH)  # Saturday morning, before the 09:00 class


@pytest.fixture
def door(personas, make_campaign, verified):
    """Tickets grabbed the day before: one for the Saturday class, one for the Sunday class of the
    same course, one for another campaign."""
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        window = {"opens_at": NOW - dt.timedelta(days=2), "closes_at": NOW + dt.timedelta(days=2)}
        zither = make_campaign(
            title="古筝初级班",
            offers=[
                {"name": "周六上午班", "capacity": 5, "starts_at": NOW.replace(hour=9, minute=0)},
                {
                    "name": "周日下午班",
                    "capacity": 5,
                    "starts_at": NOW.replace(hour=14, minute=0) + dt.timedelta(days=1),
                },
            ],
            **window,
        )
        singing = make_campaign(
            title="声乐班",
            offers=[{"name": "声乐班", "capacity": 5, "starts_at": NOW.replace(hour=10, minute=0)}],
            **window,
        )
        saturday, sunday = zither.offers.order_by("position")
        other = make_user(name="陈美玲", real_name_verified=True)
        make_member(personas.tree.grassroots, user=other, name="陈美玲")
        right = services.offer_grab(actor=verified, campaign_id=zither.pk, offer_id=saturday.pk).ticket
        wrong_day = services.offer_grab(actor=other, campaign_id=zither.pk, offer_id=sunday.pk).ticket
        wrong_activity = services.offer_grab(
            actor=verified, campaign_id=singing.pk, offer_id=singing.offers.get().pk
        ).ticket
    return {"saturday": saturday, "right": right, "wrong_day": wrong_day, "wrong_activity": wrong_activity}


def _staff(personas):
    client = Client()
    client.force_login(personas.county_staffer)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_page_asks_which_session_and_lists_the_actors_sessions(personas, door):
    html = _staff(personas).get("/workbench/campaigns/redeem/").content.decode()
    assert "正在核销的活动/场次" in html
    assert '<optgroup label="古筝初级班">' in html and '<optgroup label="声乐班">' in html
    assert f'<option value="{door["saturday"].pk}">周六上午班 · 2026-03-07 09:00</option>' in html
    sibling = Client()
    sibling.force_login(personas.sibling_staffer)
    assert "古筝初级班" not in sibling.get("/workbench/campaigns/redeem/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_matching_ticket_is_shown_then_confirmed(personas, door):
    client, ticket, offer = _staff(personas), door["right"], door["saturday"]
    preview = client.post(
        "/workbench/campaigns/redeem/", {"offer": offer.pk, "code": ticket.code, "step": "check"}
    ).content.decode()
    assert "请核对后确认核销" in preview and "确认核销" in preview and 'role="alert"' not in preview
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ACTIVE  # looking is not using
    done = client.post(
        "/workbench/campaigns/redeem/", {"offer": offer.pk, "code": ticket.code, "step": "confirm"}
    ).content.decode()
    assert "核销成功" in done
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REDEEMED
    # The chosen session is remembered for the next scan.
    again = client.get("/workbench/campaigns/redeem/").content.decode()
    assert f'<option value="{offer.pk}" selected>' in again


@pytest.mark.parametrize(
    ("which", "warning"),
    [
        ("wrong_activity", "这张券属于「声乐班」，不是正在核销的「古筝初级班」"),
        ("wrong_day", "这张券是「周日下午班」，不是正在核销的场次「周六上午班」"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_wrong_activity_or_session_is_flagged_before_confirming(personas, door, which, warning):
    client, ticket, offer = _staff(personas), door[which], door["saturday"]
    preview = client.post(
        "/workbench/campaigns/redeem/", {"offer": offer.pk, "code": ticket.code, "step": "check"}
    ).content.decode()
    assert warning in preview and "仍然核销" in preview and 'role="alert"' in preview
    if which == "wrong_day":
        assert "这张券的场次在 2026-03-08（还没到），不是今天 2026-03-07" in preview
    # Confirming without the acknowledgement (e.g. a stale form) is refused with the reasons.
    refused = client.post(
        "/workbench/campaigns/redeem/", {"offer": offer.pk, "code": ticket.code, "step": "confirm"}
    )
    assert refused.status_code == 409 and warning in refused.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ACTIVE
    # 仍然核销: the staffer checked with the holder and goes ahead.
    done = client.post(
        "/workbench/campaigns/redeem/",
        {"offer": offer.pk, "code": ticket.code, "step": "confirm", "acknowledged": "1"},
    ).content.decode()
    assert "核销成功" in done


@time_machine.travel(NOW, tick=False)
def test_without_a_chosen_session_the_wrong_day_is_still_flagged(personas, door):
    preview = (
        _staff(personas)
        .post(
            "/workbench/campaigns/redeem/", {"offer": "any", "code": door["wrong_day"].code, "step": "check"}
        )
        .content.decode()
    )
    assert "还没到" in preview and "仍然核销" in preview


@time_machine.travel(NOW, tick=False)
def test_api_checks_the_session_when_given(personas, door, api):
    client = api(personas.county_staffer)
    offer = door["saturday"]
    refused = client.post("campaigns/redeem", {"code": door["wrong_activity"].code, "offer_id": offer.pk})
    assert refused.status_code == 409 and refused.json()["code"] == "redeem_check"
    ok = client.post(
        "campaigns/redeem", {"code": door["wrong_activity"].code, "offer_id": offer.pk, "acknowledged": True}
    )
    assert ok.status_code == 200
    assert (
        client.post("campaigns/redeem", {"code": door["right"].code, "offer_id": offer.pk}).status_code == 200
    )
    # A session of another subtree is not found.
    sibling = api(personas.sibling_staffer).post(
        "campaigns/redeem", {"code": door["wrong_day"].code, "offer_id": offer.pk}
    )
    assert sibling.status_code == 404
