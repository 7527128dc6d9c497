"""manage.py proposals_flag_overdue — run daily: flags reviews past their working-day limit (the union
above is told, like overdue enrollments) and adopted proposals not implemented by their due date."""

from django.core.management.base import BaseCommand

from gonghui.proposals.services import proposals_flag_overdue


class Command(BaseCommand):
    help = "标记评审超时与逾期未实施的改善提案，并提醒上级工会"

    def handle(self, *args, **options):
        reviews, lapsed = proposals_flag_overdue()
        self.stdout.write(f"评审超时、本次新提醒：{reviews} 件；逾期未实施：{lapsed} 件")
