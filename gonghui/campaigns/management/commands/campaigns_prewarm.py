"""manage.py campaigns_prewarm — run every minute (cron or a scheduled task): campaigns opening within the
next few minutes get their offers and their eligible members' sign-in tokens put in the cache."""

import time

from django.core.management.base import BaseCommand

from gonghui.campaigns.services import PREWARM_MINUTES, campaigns_prewarm_due


class Command(BaseCommand):
    help = f"把 {PREWARM_MINUTES} 分钟内开抢的活动的名额和可参加会员的登录令牌放进缓存"

    def handle(self, *args, **options):
        started = time.monotonic()
        done = campaigns_prewarm_due()
        for campaign, tokens in done:
            self.stdout.write(f"预热「{campaign.title}」：令牌 {tokens} 个")
        self.stdout.write(f"共 {len(done)} 个活动，用时 {time.monotonic() - started:.1f} 秒")
