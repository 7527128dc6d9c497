"""manage.py aid_recheck_reminders — tell each union which hardship files are due for their yearly re-check
within 30 days. Safe to run daily: each file is reminded once per re-check date."""

from django.core.management.base import BaseCommand

from gonghui.aid.services.hardship import recheck_reminders


class Command(BaseCommand):
    help = "提醒各级工会：30天内到期需年度复核的困难职工档案（每份档案每次复核只提醒一次）"

    def handle(self, *args, **options):
        self.stdout.write(f"本次提醒复核 {recheck_reminders()} 户")
