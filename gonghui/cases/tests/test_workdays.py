import datetime as dt

import pytest

from gonghui.cases.models import CalendarDay
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


@pytest.mark.django_db
def test_calendar_is_editable_data_for_a_new_year():
    # 2027 has not been published: weekends only, until staff add the days.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    CalendarDay.objects.create(date=D(2027, 2, 8), kind="holiday", name="春节")
    CalendarDay.objects.create(date=D(2027, 2, 6), kind="workday", name="春节")
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 6)
    assert add_working_days(D(2027, 2, 6), 1) == D(2027, 2, 9)


@pytest.mark.django_db
def test_seeded_calendar_matches_the_notices():
    assert CalendarDay.objects.filter(date__year=2026, kind="holiday").count() == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert CalendarDay.objects.filter(date__year=2026, kind="workday").count() == 6
    assert CalendarDay.objects.filter(date__year=2025, kind="holiday").count() == 1 + 8 + 3 + 5 + 3 + 8
