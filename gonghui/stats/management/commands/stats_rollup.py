"""manage.py stats_rollup — keep the dashboard facts (schedule it nightly, like drivers_remind; safe to run
as often as you like: the same source rows give the same facts).

    manage.py stats_rollup                         # yesterday and today (the nightly run)
    manage.py stats_rollup --day 2026-03-01        # one day again
    manage.py stats_rollup --rebuild --from 2024-01-01 --to 2026-03-01   # everything in the range, from scratch
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gonghui.stats.rollup import rebuild, rollup_days


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 应为 YYYY-MM-DD，例如 2026-03-01") from None


class Command(BaseCommand):
    help = "汇总统计看板的每日数据（默认昨天和今天；--rebuild 重算一段日期；可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--day", help="只重算这一天（YYYY-MM-DD）")
        parser.add_argument("--rebuild", action="store_true", help="从源数据重算 --from 至 --to 的全部统计")
        parser.add_argument("--from", dest="date_from", help="重算起始日期（YYYY-MM-DD）")
        parser.add_argument("--to", dest="date_to", help="重算截止日期（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **opts):
        today = timezone.localdate()
        if opts["rebuild"]:
            if not opts["date_from"]:
                raise CommandError("--rebuild 需要 --from")
            d0 = _date(opts["date_from"], "--from")
            d1 = _date(opts["date_to"], "--to") if opts["date_to"] else today
            if d1 < d0:
                raise CommandError("--to 不能早于 --from")
            result = rebuild(d0, d1)
            self.stdout.write(
                f"已重算 {d0} 至 {d1}：{result['facts']} 条每日数据，{result['month_rows']} 条月度汇总"
            )
            return
        if opts["day"]:
            d0 = d1 = _date(opts["day"], "--day")
        else:
            d0, d1 = today - dt.timedelta(days=1), today
        result = rollup_days(d0, d1)
        self.stdout.write(f"已汇总 {d0} 至 {d1}：{result['facts']} 条每日数据，{result['changed']} 项有变化")
