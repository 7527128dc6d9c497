"""Working days in mainland China: Monday–Friday, minus public holidays, plus make-up working
days (调休上班 Saturdays and Sundays).

Where the answer comes from, first match wins:
1. the override table (core.CalendarDay), which 全总 and provincial staff edit in the workbench — for a
   year the package does not know yet (the State Council publishes each November) or a provincial day;
2. the chinese-calendar package, which carries the official notices;
3. Monday–Friday, for a year neither knows (the workbench warns from November while next year is missing).

Time limits in working days ("受理时限 1 个工作日", "办结时限 15 个工作日") count whole days after
the starting day: something filed on a Friday afternoon is due by the end of the next working day.
A clock may pause (waiting for the worker to supply material); paused working days do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import chinese_calendar
from django.utils import timezone

from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


def official(day: dt.date) -> bool | None:
    """The State Council's answer (True = a working day), or None for a year the package does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def holiday_name(day: dt.date) -> str:
    """What a day off is called: the table's name, else the official one ('' for a plain weekend)."""
    row = CalendarDay.objects.filter(date=day).values_list("kind", "name").first()
    if row is not None:
        return row[1] if row[0] == CalendarDay.Kind.HOLIDAY else ""
    return official_name(day)


def official_name(day: dt.date) -> str:
    """The holiday a day belongs to in the official calendar (春节, 国庆节…), '' when none."""
    try:
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not name:
        return ""
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name


@cache
def official_years() -> frozenset[int]:
    return frozenset(d.year for d in chinese_calendar.holidays)


def year_known(year: int) -> bool:
    """Whether the year's holidays are known: from the package, or typed into the override table."""
    return year in official_years() or CalendarDay.objects.filter(date__year=year, kind="holiday").exists()


def next_year_missing(today: dt.date | None = None) -> int | None:
    """From November on, the coming year when its holidays are not known yet (else None): the workbench warns."""
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    return None if year_known(today.year + 1) else today.year + 1


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """{date: is_working_day} for the table's rows in [start, end]; one query."""
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return {day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows}


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
        answer = official(day)
        return day.weekday() < 5 if answer is None else answer

    def is_holiday(self, day: dt.date) -> bool:
        """A day off for a public holiday (a weekend inside 国庆 counts; a plain weekend does not)."""
        if day in self.exceptions:
            return not self.exceptions[day]
        return not self.is_working_day(day) and bool(official_name(day))

    def is_makeup_day(self, day: dt.date) -> bool:
        """A Saturday or Sunday that is a working day (调休上班)."""
        return day.weekday() >= 5 and self.is_working_day(day)


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
