"""The grab under real concurrency, on PostgreSQL: many threads, each with its own connection.

The control test runs a deliberately naive read-then-write sale (what the guard replaces) and shows it
oversells; the guarded service, under the same barrier-aligned load, never does."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count

from gonghui.campaigns import services
from gonghui.campaigns.models import Offer, Ticket, new_ticket_code
from gonghui.testing.factories import make_member, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 12


def run_together(n, work):
    """Start n threads that wait on one barrier, so their critical sections overlap."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def body(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def naive_grab(offer_id, member, barrier):
    """The race the guard prevents: read the count, decide in Python, write back. Test-only."""
    with transaction.atomic():
        offer = Offer.objects.get(pk=offer_id)
        if offer.remaining <= 0:
            return "sold_out"
        barrier.wait()  # every buyer has now read the same "places left"
        offer.remaining -= 1
        offer.save(update_fields=["remaining"])
        Ticket.objects.create(
            offer=offer, campaign_id=offer.campaign_id, member=member, code=new_ticket_code()
        )
        return "won"


@pytest.fixture
def buyers(personas):
    users = []
    for i in range(THREADS):
        user = make_user(name=f"抢课人{i}", real_name_verified=True)
        make_member(personas.tree.grassroots, user=user, name=f"抢课人{i}")
        users.append(user)
    return users


@pytest.fixture
def open_course(make_campaign, settings):
    settings.GONGHUI_GRAB_MEMBER_LIMIT = (1000, 10)
    settings.GONGHUI_GRAB_IP_LIMIT = (100000, 60)
    return make_campaign(offers=[{"name": "声乐班", "capacity": 3}])


def test_control_naive_read_then_write_oversells(open_course, buyers):
    offer = open_course.offers.get()
    barrier = threading.Barrier(THREADS, timeout=20)
    results = run_together(THREADS, lambda i: naive_grab(offer.pk, buyers[i].member, barrier))
    won = sum(1 for r in results if r == "won")
    assert won > offer.capacity, results  # the race: more tickets than places
    assert Ticket.objects.filter(offer=offer).count() > offer.capacity


def test_guarded_grab_never_oversells(open_course, buyers):
    offer = open_course.offers.get()
    results = run_together(
        THREADS, lambda i: services.offer_grab(actor=buyers[i], campaign_id=open_course.pk, offer_id=offer.pk)
    )
    won = [r for r in results if isinstance(r, services.GrabOutcome) and r.result == "won"]
    sold_out = [r for r in results if isinstance(r, services.GrabRefused) and r.code == "sold_out"]
    assert len(won) == offer.capacity
    assert len(sold_out) == THREADS - offer.capacity, results
    offer.refresh_from_db()
    assert offer.remaining == 0
    assert Ticket.objects.filter(offer=offer).count() == offer.capacity


def test_same_member_hammering_gets_one_ticket(open_course, buyers):
    offer = open_course.offers.get()
    user = buyers[0]
    results = run_together(
        THREADS,
        lambda i: services.offer_grab(
            actor=user,
            campaign_id=open_course.pk,
            offer_id=offer.pk,
            idempotency_key="tap" if i % 2 else None,
        ),
    )
    assert all(isinstance(r, services.GrabOutcome) for r in results), results
    codes = {r.ticket.code for r in results}
    assert len(codes) == 1
    assert Counter(r.result for r in results)["won"] == 1
    offer.refresh_from_db()
    assert offer.remaining == offer.capacity - 1
    assert not Ticket.objects.values("member", "offer").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_per_member_limit_holds_under_concurrency(make_campaign, buyers, settings):
    settings.GONGHUI_GRAB_MEMBER_LIMIT = (1000, 10)
    campaign = make_campaign(
        offers=[{"name": f"班{i}", "capacity": 5} for i in range(THREADS)], per_member_limit=2
    )
    offers = list(campaign.offers.all())
    user = buyers[0]
    results = run_together(
        THREADS, lambda i: services.offer_grab(actor=user, campaign_id=campaign.pk, offer_id=offers[i].pk)
    )
    assert sum(isinstance(r, services.GrabOutcome) for r in results) == 2, results
    assert Ticket.objects.filter(member=user.member).count() == 2


def test_cancel_and_grab_race_keeps_the_books_straight(
    open_course, buyers, django_capture_on_commit_callbacks
):
    """Cancellations returning places while others grab: tickets issued always equal capacity − remaining."""
    offer = open_course.offers.get()
    holders = buyers[:3]
    tickets = [
        services.offer_grab(actor=u, campaign_id=open_course.pk, offer_id=offer.pk).ticket for u in holders
    ]
    late = buyers[3:]

    def work(i):
        if i < len(holders):
            return services.ticket_cancel(actor=holders[i], ticket_id=tickets[i].pk)
        return services.offer_grab(
            actor=late[i - len(holders)], campaign_id=open_course.pk, offer_id=offer.pk
        )

    run_together(THREADS, work)
    offer.refresh_from_db()
    active = Ticket.objects.filter(offer=offer, status=Ticket.Status.ACTIVE).count()
    assert active == offer.capacity - offer.remaining
    assert 0 <= offer.remaining <= offer.capacity
