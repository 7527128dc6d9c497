from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "gonghui.funds"
    label = "funds"
    verbose_name = "补贴与经费"
