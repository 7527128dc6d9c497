"""The working-day calendar now lives in core (core 0003 took the table over); only the state changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_calendar_2025_2026"),
        ("core", "0004_calendarday"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarDay")],
            database_operations=[],
        ),
    ]
