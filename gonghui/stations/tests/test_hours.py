import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gonghui.core.errors import DomainError
from gonghui.stations.hours import Schedule, format_hours, parse_hours

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


# 2026-11-23 is a Monday.
MON = (2026, 11, 23)


def schedule(text, closures=(), is_24h=False):
    hours, parsed_24h = parse_hours(text)
    return Schedule.compile(hours, is_24h or parsed_24h, closures)


def test_weekday_hours_open_and_closed():
    s = schedule("周一至周五 08:00-20:00；周六、周日 09:00-17:00")
    assert s.is_open(at(*MON, 8, 0))
    assert not s.is_open(at(*MON, 7, 59))
    assert not s.is_open(at(*MON, 20, 0))  # the end minute is already closed
    assert s.is_open(at(2026, 11, 28, 16, 59))  # Saturday
    assert not s.is_open(at(2026, 11, 28, 8, 30))


def test_over_midnight_range_stays_open_into_the_next_day():
    s = schedule("周五 22:00-06:00")
    friday = (2026, 11, 27)
    assert s.is_open(at(*friday, 23, 30))
    assert s.is_open(at(2026, 11, 28, 5, 59))  # Saturday early morning, from Friday's range
    assert not s.is_open(at(2026, 11, 28, 6, 0))
    assert not s.is_open(at(2026, 11, 28, 23, 0))  # Saturday night has no range of its own


def test_sunday_night_range_wraps_into_monday():
    s = schedule("周日 20:00-02:00")
    assert s.is_open(at(*MON, 1, 30))
    assert not s.is_open(at(*MON, 2, 0))


def test_24h_station_is_always_open_but_closes_for_a_holiday():
    holiday = (dt.date(2026, 11, 24), dt.date(2026, 11, 24))
    s = schedule("24小时", closures=[holiday])
    assert s.is_open(at(*MON, 3, 0))
    assert not s.is_open(at(2026, 11, 24, 12, 0))
    assert s.next_open(at(2026, 11, 24, 12, 0)) == at(2026, 11, 25, 0, 0)
    assert s.status(at(*MON, 3, 0))["label"] == "24小时开放"


def test_holiday_closure_overrides_regular_hours_and_opens_at_skips_it():
    spring_festival = (dt.date(2026, 11, 24), dt.date(2026, 11, 26))
    s = schedule("每天 08:00-20:00", closures=[spring_festival])
    assert not s.is_open(at(2026, 11, 25, 10, 0))
    assert s.next_open(at(2026, 11, 23, 21, 0)) == at(2026, 11, 27, 8, 0)
    label = s.status(at(2026, 11, 25, 10, 0))["label"]
    assert label == "闭站至 11-26 · 后天 08:00 开门"


def test_opens_at_today_and_tomorrow_labels():
    s = schedule("每天 08:00-20:00")
    assert s.status(at(*MON, 6, 30))["label"] == "已关门 · 今天 08:00 开门"
    assert s.status(at(*MON, 21, 0))["label"] == "已关门 · 明天 08:00 开门"
    assert s.status(at(*MON, 9, 0))["label"] == "营业中 · 20:00 关门"


def test_closing_time_of_an_overnight_range_is_next_morning():
    s = schedule("每天 18:00-02:00")
    assert s.status(at(*MON, 23, 0))["label"] == "营业中 · 02:00 关门"


def test_never_opening_station_says_so():
    s = schedule("")
    assert s.status(at(*MON, 9, 0)) == {"open": False, "label": "暂未开放", "next": None}


def test_format_round_trips():
    text = "周一至周五 08:00-12:00,14:00-18:00；周六 22:00-06:00"
    hours, is_24h = parse_hours(text)
    assert format_hours(hours, is_24h) == text
    assert parse_hours(format_hours(hours, is_24h)) == (hours, False)
    assert format_hours(*parse_hours("每天 07:00-21:00")) == "每天 07:00-21:00"


def test_rest_day_removes_a_day():
    hours, _ = parse_hours("每天 08:00-20:00；周日 休息")
    assert "6" not in hours and "0" in hours


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("周一至周五 8点到晚上", "没有时间段"),
        ("每天 25:00-26:00", "HH:MM"),
        ("每天 08:00-08:00", "24小时"),
        ("月曜 08:00-20:00", "看不懂"),
    ],
)
def test_bad_hours_are_explained(text, fragment):
    with pytest.raises(DomainError) as exc:
        parse_hours(text, field="hours_text")
    assert exc.value.field == "hours_text"
    assert fragment in exc.value.message
