"""The calendar moved from cases to core by state only: a database that already has the cases table keeps
its rows (minus those the package already says), and an empty one gets the table from cases 0001."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0003_public_notices"), ("cases", "0002_calendar_2025_2026")]


@pytest.mark.django_db(transaction=True)
def test_an_existing_cases_table_is_taken_over_with_its_overrides():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldDay = old.get_model("cases", "CalendarDay")
        OldDay.objects.bulk_create(
            [
                OldDay(date=dt.date(2026, 10, 1), kind="holiday", name="国庆节"),  # the package says the same
                OldDay(date=dt.date(2026, 2, 14), kind="workday", name="春节"),  # the package says the same
                OldDay(date=dt.date(2026, 4, 20), kind="holiday", name="三月三"),  # a provincial day: stays
            ]
        )
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        new = MigrationExecutor(connection).loader.project_state(latest).apps
        Day = new.get_model("core", "CalendarDay")
        assert list(Day.objects.values_list("date", "kind", "name")) == [
            (dt.date(2026, 4, 20), "holiday", "三月三")
        ]
        assert Day._meta.db_table == "cases_calendarday"
        with pytest.raises(LookupError):
            new.get_model("cases", "CalendarDay")
    finally:
        MigrationExecutor(connection).migrate(latest)


@pytest.mark.django_db
def test_an_empty_database_has_the_table_and_no_rows():
    from gonghui.core.models import CalendarDay

    assert "cases_calendarday" in connection.introspection.table_names()
    assert not CalendarDay.objects.exists()
