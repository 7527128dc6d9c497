from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "gonghui.honours"
    label = "honours"
    verbose_name = "劳模工匠"

    def ready(self):
        from gonghui.campaigns.services import eligibility_rule_register
        from gonghui.core import notices

        from . import services

        notices.register_source("honours", label="评选表彰", on_objection=services.objection_to_case)
        eligibility_rule_register("honours", services.campaign_refusal)
