from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "gonghui.site"
    label = "site"
    verbose_name = "门户与工作台外壳"
