"""manage.py demo — load the demo data set (once) and print one sign-in per role.

manage.py demo                     # the tree, staff and about 5,000 workers, then every app's demo (idempotent)
manage.py demo --members 1000000   # add members up to a province-scale registry
manage.py demo --reset             # wipe the demo database first (SQLite only)
manage.py demo --only campaigns    # one app's demo data again, on an existing demo database
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gonghui.demo import tree

# Each app's demo data is one module gonghui/demo/<app>.py with `load(*, stdout)`, loaded in this
# order after the tree. A new app adds one line.
APPS = [
    "service_orders",  # 订单式服务 (seed 002): 安丘's 31-item menu
    "stations",  # 盐城 454 stations, 柳林, 成都
    "cases",  # 阳江 wage arrears
    "members",  # 周转池, applications, cards, dues
    "campaigns",  # 宝鸡 courses, 宁波 coupons
    "mutual_aid",  # 广西 职工医疗互助保障: the 100万 case, allowance, minimum, 五个一
    "aid",  # 帮扶: 柳林 金秋助学 with 公示, drivers' hardship files, 两节 visits, donations
    "proposals",  # 全员改善 (seed 001): 山钢莱芜分公司
    "drivers",  # 司机服务 (issue 20): 预石运输工会
    "funds",  # 沈阳 三项补贴, 淮安 training subsidies and awards, 广西 county funding, 工会经费
    "registration",  # 工会法人登记 (北京 一网通办): 朝阳区总工会
    "honours",  # 劳模工匠: 预石运输 最美货车司机, 师带徒, 技术难题
    "outreach",  # 走访与协商 (issue 22): 义乌 法律体检, 中铁上海 问题清单, 浦东 网约车 协商
]


class Command(BaseCommand):
    help = "加载演示数据（工会组织树、各级干部、约5000名职工及各业务演示数据），并打印各角色的演示账号"

    def add_arguments(self, parser):
        parser.add_argument(
            "--members",
            type=int,
            default=tree.DEFAULT_MEMBERS,
            help="会员总数（默认 5000；性能测试可用 1000000）",
        )
        parser.add_argument("--reset", action="store_true", help="先清空演示数据库（仅 SQLite）")
        parser.add_argument("--seed", type=int, default=20261123, help="随机种子，保证每次生成相同数据")
        parser.add_argument("--quiet-logins", action="store_true", help="不打印演示账号")
        parser.add_argument("--only", choices=APPS, help="只加载某一业务的演示数据（需已有组织树）")

    def handle(self, *args, members, reset, seed, quiet_logins, only, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境不能加载演示数据")
        # Replaying the demo stories "sends" hundreds of SMS through the log backend; keep the output
        # to what a newcomer needs (counts and the sign-ins).
        logging.getLogger("gonghui.sms").setLevel(logging.WARNING)
        if reset:
            if connection.vendor != "sqlite":
                raise CommandError("--reset 只用于内置 SQLite 演示库")
            call_command("flush", interactive=False, verbosity=0)
        if only:
            import_module(f"gonghui.demo.{only}").load(stdout=self.stdout)
            return
        tree.load(stdout=self.stdout, members=members, seed=seed)
        for app in APPS:
            import_module(f"gonghui.demo.{app}").load(stdout=self.stdout)
        if not quiet_logins:
            tree.print_logins(stdout=self.stdout)
            for app in APPS:
                module = import_module(f"gonghui.demo.{app}")
                if hasattr(module, "print_logins"):
                    module.print_logins(stdout=self.stdout)
