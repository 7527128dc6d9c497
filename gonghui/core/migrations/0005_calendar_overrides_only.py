"""The table keeps only what the official calendar (chinese-calendar) does not already say: the 2025/2026
rows an earlier migration typed in by hand agree with the package and go; anything else (a provincial
day, a correction) stays."""

from django.db import migrations


def drop_rows_the_package_agrees_with(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    redundant = []
    for pk, day, kind in CalendarDay.objects.values_list("pk", "date", "kind"):
        try:
            official = chinese_calendar.is_workday(day)
        except NotImplementedError:
            continue
        if official == (kind == "workday"):
            redundant.append(pk)
    CalendarDay.objects.filter(pk__in=redundant).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendarday")]
    operations = [migrations.RunPython(drop_rows_the_package_agrees_with, migrations.RunPython.noop)]
