from django.core.management.base import BaseCommand

from gonghui.registration import services


class Command(BaseCommand):
    help = "法人登记期限检查：到期前 30 日提醒、登记事项变化 30 日未变更提醒、审批超期提级督办（每日运行，可重复运行）"

    def handle(self, *args, **options):
        counts = services.deadline_sweep()
        self.stdout.write(
            f"到期提醒 {counts['expiry']}，变更提醒 {counts['drift']}，超期督办 {counts['escalated']}"
        )
