"""manage.py outreach_remind — remind an industry union whose yearly minimum of 协商协调会 is not yet
scheduled by GONGHUI_OUTREACH_REMIND_BY (once per forum and year), and the staffer whose 法律体检 follow-up
is past its day (once). Safe to run as often as you like."""

from django.core.management.base import BaseCommand

from gonghui.outreach.services import followups_remind, yearly_reminders_send


class Command(BaseCommand):
    help = "提醒尚未排期年度协商协调会的行业工会（每年一次），并提示逾期的法律体检跟进事项（可重复运行）"

    def handle(self, *args, **options):
        forums = yearly_reminders_send()
        followups = followups_remind()
        self.stdout.write(f"本次发送年度协商提醒 {forums} 条，逾期跟进提醒 {followups} 条")
