"""manage.py drivers_remind — send 证照到期 reminders (30/7/1 days before, each once) and surface hotline
promises past their day. Safe to run as often as you like."""

from django.core.management.base import BaseCommand

from gonghui.drivers.services import hotline_flag_overdue, reminders_send


class Command(BaseCommand):
    help = "发送证照到期提醒（每档只发一次），并提示逾期未兑现的热线承诺（可重复运行）"

    def handle(self, *args, **options):
        sent = reminders_send()
        flagged = hotline_flag_overdue()
        self.stdout.write(f"本次发送到期提醒 {sent} 条，逾期热线承诺 {flagged} 条")
