from django.db import migrations


def load(apps, schema_editor):
    from gonghui.cases.holidays import calendar_rows

    CalendarDay = apps.get_model("cases", "CalendarDay")
    for day, kind, name in calendar_rows():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})


def unload(apps, schema_editor):
    from gonghui.cases.holidays import calendar_rows

    apps.get_model("cases", "CalendarDay").objects.filter(
        date__in=[d for d, _k, _n in calendar_rows()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
