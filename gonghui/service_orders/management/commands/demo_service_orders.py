"""manage.py demo_service_orders — the 安丘 订单式服务 demo on top of `manage.py demo` (also called by it)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gonghui.service_orders import demo


class Command(BaseCommand):
    help = "加载订单式服务演示数据（安丘市总工会 31 项服务菜单、专家服务团、点单与排期）"

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境不能加载演示数据")
        if not demo.load(self.stdout):
            self.stdout.write("订单式服务演示数据已存在，或尚未运行 manage.py demo")
        demo.print_logins(self.stdout)
