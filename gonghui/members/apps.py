from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = "会员"

    def ready(self):
        from gonghui.orgs.selectors import subtree_counter_register

        from .models import Member

        subtree_counter_register(
            "members", lambda: Member.objects.filter(status=Member.Status.ACTIVE), "org_path"
        )
