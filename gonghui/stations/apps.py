from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "gonghui.stations"
    label = "stations"
    verbose_name = "户外劳动者服务站点"
