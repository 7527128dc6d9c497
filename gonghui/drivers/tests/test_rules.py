"""Due-date rules per document type across years and leap days."""

import datetime as dt

import pytest

from gonghui.drivers import rules
from gonghui.drivers.models import DocKind


@pytest.mark.parametrize(
    ("kind", "last", "due"),
    [
        (DocKind.VEHICLE_INSPECTION, dt.date(2025, 3, 15), dt.date(2026, 3, 15)),
        (DocKind.VEHICLE_INSPECTION, dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # leap day → 28 Feb
        (DocKind.VEHICLE_INSPECTION, dt.date(2025, 12, 31), dt.date(2026, 12, 31)),  # across the year
        (DocKind.QUALIFICATION, dt.date(2020, 2, 29), dt.date(2026, 2, 28)),  # 6 years from a leap day
        (
            DocKind.QUALIFICATION,
            dt.date(2022, 2, 28),
            dt.date(2028, 2, 28),
        ),  # lands in a leap year, unchanged
        (DocKind.INSURANCE, dt.date(2026, 1, 31), dt.date(2027, 1, 31)),
    ],
)
def test_next_due(kind, last, due):
    assert rules.next_due(kind, last) == due


def test_month_end_clamps():
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)


def test_rule_configurable_per_type(settings):
    settings.GONGHUI_DRIVERS_RULE_MONTHS = {DocKind.VEHICLE_INSPECTION: 6}
    assert rules.next_due(DocKind.VEHICLE_INSPECTION, dt.date(2026, 1, 10)) == dt.date(2026, 7, 10)
    assert rules.next_due(DocKind.QUALIFICATION, dt.date(2026, 1, 10)) == dt.date(2032, 1, 10)
