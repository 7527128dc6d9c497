"""Working days in mainland China: Monday–Friday, minus public holidays, plus make-up working
days (调休上班 Saturdays and Sundays). The exceptions are data (cases.CalendarDay), edited each
November when the State Council publishes the next year's schedule.

Time limits in working days ("受理时限 1 个工作日", "办结时限 15 个工作日") count whole days after
the starting day: something filed on a Friday afternoon is due by the end of the next working day.
A clock may pause (waiting for the worker to supply material); paused working days do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.utils import timezone

ONE_DAY = dt.timedelta(days=1)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """{date: is_working_day} for the exceptions in [start, end]; one query."""
    model = apps.get_model("cases", "CalendarDay")
    rows = model.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return {day: kind == "workday" for day, kind in rows}


class WorkCalendar:
    """Answers is_working_day for a window of dates with one query, for loops over many days."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        self.exceptions = _overrides(start, end)

    def is_working_day(self, day: dt.date) -> bool:
        if not (self.start <= day <= self.end):
            raise ValueError("日期超出日历窗口")
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return WorkCalendar(day, day).is_working_day(day)


def add_working_days(start: dt.date | dt.datetime, days: int) -> dt.date:
    """The day on which `days` working days after `start` have passed (start itself not counted).

    add_working_days(date(2026, 2, 13), 1) is 2026-02-14: a 调休 Saturday is a working day.
    With days == 0 the answer is start (or the next working day if start is not one)."""
    if isinstance(start, dt.datetime):
        start = timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    if days < 0:
        raise ValueError("工作日数不能为负")
    # Long holidays add at most 9 days per month; this window always suffices and costs one query.
    window_end = start + dt.timedelta(days=days * 2 + 30)
    calendar = WorkCalendar(start, window_end)
    day = start
    if days == 0:
        while not calendar.is_working_day(day):
            day += ONE_DAY
        return day
    remaining = days
    while remaining:
        day += ONE_DAY
        if day > window_end:  # pragma: no cover - only with absurd holiday data
            calendar = WorkCalendar(day, day + dt.timedelta(days=days * 2 + 30))
            window_end = calendar.end
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date,
    end: dt.date,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
    calendar: WorkCalendar | None = None,
) -> int:
    """Working days in (start, end], not counting days inside any pause (pause_start, pause_end].

    A pause that has not ended (end None) stops the clock from its first day onwards. Pass a calendar
    covering the dates to count many intervals with one query."""
    if end <= start:
        return 0
    calendar = calendar or WorkCalendar(start, end)
    windows = [(a, b or end) for a, b in pauses]
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if calendar.is_working_day(day) and not any(a < day <= b for a, b in windows):
            count += 1
        day += ONE_DAY
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 Asia/Shanghai on that day: a time limit runs to the end of its last day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
