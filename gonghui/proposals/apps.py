from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "gonghui.proposals"
    label = "proposals"
    verbose_name = "全员改善"
