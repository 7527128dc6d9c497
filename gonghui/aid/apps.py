from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "gonghui.aid"
    label = "aid"
    verbose_name = "帮扶"

    def ready(self):
        from gonghui.core import notices

        from .services.applications import objection_to_case

        notices.register_source("aid", label="帮扶资助", on_objection=objection_to_case)
