"""manage.py cases_escalate — flag overdue 诉求工单 and notify the parent union. Safe to run as often as
you like: each case is escalated once per missed time limit."""

from django.core.management.base import BaseCommand

from gonghui.cases.services import cases_escalate_overdue


class Command(BaseCommand):
    help = "扫描超期未受理、超期未办结的诉求工单，标记超期并报上级工会督办（可重复运行）"

    def handle(self, *args, **options):
        count = cases_escalate_overdue()
        self.stdout.write(f"本次新增超期督办 {count} 件")
