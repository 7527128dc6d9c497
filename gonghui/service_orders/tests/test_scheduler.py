import datetime as dt
import itertools

import pytest
import time_machine

from gonghui.core.errors import Conflict
from gonghui.service_orders import scheduler, services
from gonghui.service_orders.models import Booking

from .conftest import at, place

pytestmark = pytest.mark.django_db


def test_suggests_first_preferred_date_in_working_hours(personas, menu):
    order = place(personas, menu.checkup, [menu.monday + dt.timedelta(days=2), menu.monday])
    slot = scheduler.suggest(order)
    # The union's first choice (Wednesday) wins over the earlier Monday: preferences are honoured in order.
    assert slot.start == at(menu.monday + dt.timedelta(days=2), 9)
    assert slot.preferred
    assert {e.pk for e in slot.experts} == {menu.doctor.pk, menu.counsellor.pk}
    assert order.expected_date == menu.monday + dt.timedelta(days=2)


def test_skips_weekend_preference_when_no_one_works_then_earliest_day(personas, menu):
    saturday = menu.monday + dt.timedelta(days=5)
    order = place(personas, menu.talk, [saturday])
    slot = scheduler.suggest(order)
    assert not slot.preferred
    # Nobody works Saturdays: the next weekday after it.
    assert slot.day.weekday() < 5
    assert slot.day == saturday + dt.timedelta(days=2)


def test_leave_moves_the_slot(personas, menu):
    services.leave_add(
        actor=personas.county_staffer,
        expert=menu.counsellor,
        start_date=menu.monday,
        end_date=menu.monday + dt.timedelta(days=1),
        reason="外出培训",
    )
    order = place(personas, menu.checkup, [menu.monday])
    slot = scheduler.suggest(order)
    assert slot.day == menu.monday + dt.timedelta(days=2)
    assert not slot.preferred


def test_availability_window_respected(personas, menu):
    # Counsellor only works Monday afternoons: the checkup (needs both) starts at 14:00.
    services.availability_set(
        actor=personas.county_staffer, expert=menu.counsellor, hours=[(0, dt.time(14), dt.time(17))]
    )
    order = place(personas, menu.checkup, [menu.monday])
    assert scheduler.suggest(order).start == at(menu.monday, 14)


def test_travel_buffer_between_sites(personas, menu, settings):
    settings.SERVICE_ORDERS_TRAVEL_BUFFER_MINUTES = 60
    first = place(personas, menu.talk, [menu.monday], address="甲厂")
    services.order_schedule(
        actor=personas.county_staffer, order=first, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )  # 09:00–10:30 at 甲厂
    second = place(personas, menu.talk, [menu.monday], address="乙厂")
    # 10:30 + 60 minutes' travel: 11:30 would end at 13:00, past the morning window, so 14:00.
    assert scheduler.suggest(second).start == at(menu.monday, 14)
    third = place(personas, menu.talk, [menu.monday], address="甲厂")
    # Same site: back to back is fine.
    assert scheduler.suggest(third).start == at(menu.monday, 10, 30)
    with pytest.raises(Conflict) as exc:
        services.order_schedule(
            actor=personas.county_staffer,
            order=second,
            start=at(menu.monday, 11),
            expert_ids=[menu.counsellor.pk],
        )
    assert exc.value.field == "start" and "路途" in exc.value.message


def test_no_slot_overlaps_and_fully_booked_day_moves_on(personas, menu, settings):
    settings.SERVICE_ORDERS_TRAVEL_BUFFER_MINUTES = 0
    orders = [place(personas, menu.checkup, [menu.monday], address="同一会议室") for _ in range(4)]
    starts = []
    for order in orders:
        slot = scheduler.suggest(order)
        services.order_schedule(
            actor=personas.county_staffer,
            order=order,
            start=slot.start,
            expert_ids=[e.pk for e in slot.experts],
        )
        starts.append(slot.start)
    # Two-hour sessions fit 09:00 and 14:00 (14:00–16:00; 16:00–18:00 overruns 17:30): then Tuesday.
    assert starts[:2] == [at(menu.monday, 9), at(menu.monday, 14)]
    assert starts[2] == at(menu.monday + dt.timedelta(days=1), 9)
    rows = list(Booking.objects.filter(expert=menu.doctor, is_active=True).order_by("start"))
    for a, b in itertools.pairwise(rows):
        assert a.end <= b.start


def test_fully_booked_union_sees_expected_date(personas, menu, settings):
    settings.SERVICE_ORDERS_HORIZON_DAYS = 60
    services.leave_add(
        actor=personas.county_staffer,
        expert=menu.doctor,
        start_date=menu.monday,
        end_date=menu.monday + dt.timedelta(days=20),
        reason="援疆",
    )
    order = place(personas, menu.checkup, [menu.monday, menu.monday + dt.timedelta(days=1)])
    assert order.expected_date == menu.monday + dt.timedelta(days=21)


def test_waiting_unions_expected_date_moves_when_slot_is_taken(
    personas, menu, django_capture_on_commit_callbacks
):
    services.availability_set(
        actor=personas.county_staffer, expert=menu.counsellor, hours=[(0, dt.time(9), dt.time(12))]
    )
    first = place(personas, menu.talk, [menu.monday], address="甲厂")
    second = place(personas, menu.talk, [menu.monday], address="乙厂")
    assert first.expected_date == second.expected_date == menu.monday
    with django_capture_on_commit_callbacks(execute=True):
        services.order_schedule(
            actor=personas.county_staffer,
            order=first,
            start=at(menu.monday, 9),
            expert_ids=[menu.counsellor.pk],
        )
    second.refresh_from_db()
    # 10:30 + an hour's travel leaves no 90-minute slot before noon: the next Monday.
    assert second.expected_date == menu.monday + dt.timedelta(days=7)


def test_inactive_expert_is_never_suggested(personas, menu, api):
    r = api(personas.county_staffer).patch(
        f"service-orders/experts/{menu.counsellor.pk}", {"is_active": False}
    )
    assert r.status_code == 200 and r.json()["is_active"] is False
    order = place(personas, menu.checkup, [menu.monday])
    # 身心双检 needs a doctor and a counsellor; the only counsellor with the skill has left.
    assert scheduler.suggest(order) is None and order.expected_date is None


# --- the holiday calendar (gonghui/core/workdays.py) ---------------------------------------------

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NATIONAL_DAY = [dt.date(2026, 10, d) for d in range(1, 8)]


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=True)
def test_no_slot_on_national_day(personas, menu):
    order = place(personas, menu.talk, [dt.date(2026, 10, 1), dt.date(2026, 10, 5)])
    slot = scheduler.suggest(order)
    assert not slot.preferred
    assert slot.day == dt.date(2026, 10, 8)  # the first working day after 国庆


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=True)
def test_a_makeup_saturday_is_offered_with_monday_hours(personas, menu):
    order = place(personas, menu.checkup, [dt.date(2026, 10, 10)])  # 周六调休上班
    slot = scheduler.suggest(order)
    assert slot.preferred and slot.start == at(dt.date(2026, 10, 10), 9)


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=True)
def test_a_weekend_expert_keeps_weekends_but_not_the_holiday(personas, menu):
    every_day = [(d, dt.time(9), dt.time(17)) for d in range(7)]
    services.availability_set(actor=personas.county_staffer, expert=menu.counsellor, hours=every_day)
    order = place(personas, menu.talk, [dt.date(2026, 10, 3), dt.date(2026, 9, 26), dt.date(2026, 10, 17)])
    slot = scheduler.suggest(order)
    # 10-03 is inside 国庆 and 09-26 inside 中秋; 10-17 is a plain Saturday the counsellor serves.
    assert slot.preferred and slot.day == dt.date(2026, 10, 17)


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=True)
def test_a_day_staff_add_to_the_table_is_a_holiday_for_the_scheduler(personas, menu):
    from gonghui.core.models import CalendarDay

    CalendarDay.objects.create(date=dt.date(2026, 9, 28), kind="holiday", name="地方节日")
    order = place(personas, menu.talk, [dt.date(2026, 9, 28)])
    assert scheduler.suggest(order).day == dt.date(2026, 9, 29)


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=True)
def test_a_booking_on_a_holiday_is_refused(personas, menu):
    order = place(personas, menu.talk, [dt.date(2026, 10, 8)])
    with pytest.raises(Conflict, match="2026-10-02 是节假日（国庆节）") as refused:
        services.order_schedule(
            actor=personas.county_staffer,
            order=order,
            start=at(dt.date(2026, 10, 2), 9),
            expert_ids=[menu.counsellor.pk],
        )
    assert refused.value.code == "holiday"
    assert not Booking.objects.filter(day__in=NATIONAL_DAY).exists()
