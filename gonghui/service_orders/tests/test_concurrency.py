"""Two dispatchers booking the same expert at once: the per-expert-day row lock decides.

The control disables the lock and widens the gap between the check and the insert: both bookings go
through and the expert is double-booked, which is what the lock prevents."""

import contextlib
import threading

import pytest
from django.db import connection

from gonghui.core.errors import Conflict
from gonghui.service_orders import services
from gonghui.service_orders.models import Booking

from .conftest import at, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(personas, menu, monkeypatch, *, guarded: bool):
    # Guarded, the first dispatcher waits here in vain (the second is blocked on the lock), so keep it short;
    # unguarded, both arrive, however slow the machine.
    gate = threading.Barrier(2, timeout=1.0 if guarded else 15)

    def window():
        # Both dispatchers have checked the calendar; with the lock the second never gets here in time.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()

    monkeypatch.setattr(services, "_race_window", window)
    if not guarded:
        monkeypatch.setattr(services, "_lock_expert_days", lambda expert_ids, day: None)
    first = place(personas, menu.talk, [menu.monday], address="甲厂")
    second = place(personas, menu.talk, [menu.monday], address="甲厂")
    # Overlapping but not identical starts: the unique (expert, start) constraint alone would not catch it.
    jobs = [(first, at(menu.monday, 9)), (second, at(menu.monday, 9, 30))]
    results: list = []
    start = threading.Barrier(2)

    def book(order, when, dispatcher):
        start.wait()
        try:
            services.order_schedule(
                actor=dispatcher, order=order, start=when, expert_ids=[menu.counsellor.pk]
            )
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(o, w, d))
        for (o, w), d in zip(jobs, [personas.county_staffer, personas.city_staffer], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, Booking.objects.filter(expert=menu.counsellor, is_active=True).count()


def test_lock_prevents_double_booking(personas, menu, monkeypatch):
    results, active = race(personas, menu, monkeypatch, guarded=True)
    assert sorted(results) == ["expert_busy", "ok"]
    assert active == 1


def test_control_without_lock_double_books(personas, menu, monkeypatch):
    results, active = race(personas, menu, monkeypatch, guarded=False)
    assert results == ["ok", "ok"]
    assert active == 2  # 09:00–10:30 and 09:30–11:00 for the same counsellor
