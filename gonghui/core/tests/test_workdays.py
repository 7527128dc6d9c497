import datetime as dt

import pytest
import time_machine

from gonghui.core import workdays
from gonghui.core.models import CalendarDay
from gonghui.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.django_db
class TestCalendar2026:
    def test_makeup_saturday_before_spring_festival_is_a_working_day(self):
        assert is_working_day(D(2026, 2, 14))  # 周六调休上班
        assert not is_working_day(D(2026, 2, 16))  # 春节
        assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)

    def test_one_working_day_after_the_makeup_saturday_jumps_the_whole_holiday(self):
        # 2月15日至23日放假：周六 14 日受理的诉求，下一个工作日是 24 日（周二）。
        assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)

    def test_counting_across_spring_festival(self):
        # (13, 28]：14 日调休、24–27 日、28 日调休 = 6 个工作日
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6

    def test_fifteen_working_days_across_mid_autumn_and_national_day(self):
        # 9/20 周日上班，9/25–27 中秋、10/1–7 国庆放假，10/10 周六上班。
        assert add_working_days(D(2026, 9, 18), 15) == D(2026, 10, 15)
        assert is_working_day(D(2026, 9, 20)) and is_working_day(D(2026, 10, 10))
        assert not is_working_day(D(2026, 10, 8 - 1))

    def test_zero_days_from_a_holiday_is_the_next_working_day(self):
        assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)

    def test_new_year_2026_sunday_makeup(self):
        assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)

    def test_2025_national_day_eight_days(self):
        assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
        assert is_working_day(D(2025, 10, 11))


@pytest.mark.django_db
def test_paused_days_do_not_count():
    # (2, 13] 有 9 个工作日；3 月 5、6 日在等待职工补充材料期间，不计时。
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 13)) == 9
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 13), pauses=[(D(2026, 3, 4), D(2026, 3, 6))]) == 7
    # An open pause stops the clock from its first day.
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 13), pauses=[(D(2026, 3, 4), None)]) == 2


@pytest.fixture
def package_without_2027(monkeypatch):
    """The package as it was before the 2027 notice, whatever version is installed."""
    real = workdays.chinese_calendar.is_workday

    def is_workday(day):
        if day.year >= 2027:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", is_workday)
    monkeypatch.setattr(workdays, "official_years", lambda: frozenset(range(2004, 2027)))


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_is_edited_in_the_table(package_without_2027):
    # 2027 has not been published: weekends only, until staff add the days.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    CalendarDay.objects.create(date=D(2027, 2, 8), kind="holiday", name="春节")
    CalendarDay.objects.create(date=D(2027, 2, 6), kind="workday", name="春节")
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 6)
    assert add_working_days(D(2027, 2, 6), 1) == D(2027, 2, 9)


@pytest.mark.django_db
def test_the_table_overrides_the_package():
    # A provincial day off (say a region adds 2026-04-20, a Monday, for its own festival).
    assert is_working_day(D(2026, 4, 20))
    CalendarDay.objects.create(date=D(2026, 4, 20), kind="holiday", name="三月三")
    assert not is_working_day(D(2026, 4, 20))
    assert add_working_days(D(2026, 4, 17), 1) == D(2026, 4, 21)


def test_the_official_calendar_comes_from_the_package():
    assert workdays.official(D(2026, 10, 1)) is False and workdays.official(D(2026, 10, 10)) is True
    assert workdays.official_name(D(2026, 2, 16)) == "春节" and workdays.official_name(D(2026, 3, 3)) == ""
    assert {2025, 2026} <= workdays.official_years()


@pytest.mark.django_db
def test_from_november_the_missing_next_year_is_named(package_without_2027):
    with time_machine.travel(dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC), tick=False):
        assert workdays.next_year_missing() is None  # October: too early to worry
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False):
        assert workdays.next_year_missing() == 2027
        CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
        assert workdays.next_year_missing() is None
    with time_machine.travel(dt.datetime(2025, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        assert workdays.next_year_missing() is None  # the package knows 2026
