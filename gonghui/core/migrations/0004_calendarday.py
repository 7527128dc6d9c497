"""The working-day calendar moves from cases to core without touching the database: the model is created
in core's state over the existing table cases_calendarday (made by cases 0001 on an empty database, or
already there), and cases 0003 drops it from cases' state."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_public_notices"),
        ("cases", "0002_calendar_2025_2026"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("holiday", "放假"), ("workday", "调休上班")],
                                max_length=8,
                                verbose_name="类型",
                            ),
                        ),
                        ("name", models.CharField(max_length=20, verbose_name="节日")),
                    ],
                    options={
                        "verbose_name": "节假日与调休",
                        "verbose_name_plural": "节假日与调休",
                        "db_table": "cases_calendarday",
                        "ordering": ["date"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
