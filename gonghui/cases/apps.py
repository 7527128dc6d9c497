from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gonghui.cases"
    label = "cases"
    verbose_name = "诉求工单"
