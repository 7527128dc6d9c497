"""Due-date rules per document type: how many months until the next 年审/换证 (settings may override)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings

from .models import DocKind

DEFAULT_MONTHS = {
    DocKind.DRIVING_LICENCE: 72,  # 驾驶证首次 6 年
    DocKind.QUALIFICATION: 72,  # 从业资格证每 6 年
    DocKind.VEHICLE_INSPECTION: 12,  # 营运货车行驶证年审每年
    DocKind.TRANSPORT_PERMIT: 12,  # 道路运输证年审每年
    DocKind.INSURANCE: 12,  # 交强险一年一保
}
DEFAULT_REMIND_DAYS = (30, 7, 1)


def months_for(kind: str) -> int:
    overrides = getattr(settings, "GONGHUI_DRIVERS_RULE_MONTHS", {}) or {}
    return int(overrides.get(kind, DEFAULT_MONTHS[kind]))


def remind_days() -> tuple[int, ...]:
    return tuple(sorted(getattr(settings, "GONGHUI_DRIVERS_REMIND_DAYS", DEFAULT_REMIND_DAYS), reverse=True))


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day N months later; a day the target month lacks (29 Feb, 31st) becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(kind: str, last_done_on: dt.date) -> dt.date:
    return add_months(last_done_on, months_for(kind))
