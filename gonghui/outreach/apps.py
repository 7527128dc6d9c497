from django.apps import AppConfig


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gonghui.outreach"
    verbose_name = "走访与协商"
