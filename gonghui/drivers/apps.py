from django.apps import AppConfig


class DriversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gonghui.drivers"
    verbose_name = "司机服务"
