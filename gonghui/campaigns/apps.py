from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "gonghui.campaigns"
    label = "campaigns"
    verbose_name = "活动、课程与福利券"

    def ready(self):
        from . import signals  # noqa: F401
