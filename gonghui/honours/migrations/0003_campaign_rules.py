"""Campaigns already aimed at honour holders get the "honours" rule on their row (campaigns 0003), which is
where the grab now looks for the rules that apply."""

from django.db import migrations


def forwards(apps, schema_editor):
    HonourService = apps.get_model("honours", "HonourService")
    Campaign = apps.get_model("campaigns", "Campaign")
    targeted = HonourService.objects.filter(kind="campaign").values_list("target_id", flat=True)
    for campaign in Campaign.objects.filter(pk__in=list(targeted)):
        if "honours" not in campaign.extra_rules:
            campaign.extra_rules = [*campaign.extra_rules, "honours"]
            campaign.save(update_fields=["extra_rules"])


class Migration(migrations.Migration):
    dependencies = [
        ("honours", "0002_studios_contests_training"),
        ("campaigns", "0003_extra_rules"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
