from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "gonghui.stats"
    label = "stats"
    verbose_name = "统计看板"
