"""manage.py members_flag_overdue — run daily (cron or a scheduled task): flags applications that have
waited longer than GONGHUI_ENROLLMENT_LIMIT_WORKING_DAYS (default 15) and tells the parent union."""

from django.core.management.base import BaseCommand

from gonghui.members.services import enrollments_flag_overdue, overdue_limit


class Command(BaseCommand):
    help = "标记超过办理时限（默认15个工作日）的入会申请，并提醒上级工会"

    def handle(self, *args, **options):
        flagged = enrollments_flag_overdue()
        self.stdout.write(f"超过 {overdue_limit()} 个工作日未办结、本次新提醒：{flagged} 份")
