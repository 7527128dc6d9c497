"""Public holidays and make-up working days from the State Council notices:
国办发明电〔2024〕12号 (2025) and 国办发明电〔2025〕7号 (2026). Loaded by a data migration;
staff edit later years in the admin (节假日与调休)."""

import datetime as dt

# (first day, last day, name) — every day in the range is a day off.
HOLIDAYS = {
    2025: [
        ("2025-01-01", "2025-01-01", "元旦"),
        ("2025-01-28", "2025-02-04", "春节"),
        ("2025-04-04", "2025-04-06", "清明节"),
        ("2025-05-01", "2025-05-05", "劳动节"),
        ("2025-05-31", "2025-06-02", "端午节"),
        ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ],
    2026: [
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ],
}

# Weekend days that are working days (调休上班).
MAKEUP_WORKDAYS = {
    2025: [
        ("2025-01-26", "春节"),
        ("2025-02-08", "春节"),
        ("2025-04-27", "劳动节"),
        ("2025-09-28", "国庆节"),
        ("2025-10-11", "国庆节"),
    ],
    2026: [
        ("2026-01-04", "元旦"),
        ("2026-02-14", "春节"),
        ("2026-02-28", "春节"),
        ("2026-05-09", "劳动节"),
        ("2026-09-20", "国庆节"),
        ("2026-10-10", "国庆节"),
    ],
}


def calendar_rows():
    """(date, kind, name) for every exception day, holidays first."""
    for year in sorted(HOLIDAYS):
        for first, last, name in HOLIDAYS[year]:
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end:
                yield day, "holiday", name
                day += dt.timedelta(days=1)
        for day, name in MAKEUP_WORKDAYS[year]:
            yield dt.date.fromisoformat(day), "workday", name
