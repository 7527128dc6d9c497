"""Background jobs for 统计看板. Schedule `stats_rollup` nightly (cron or a worker), like drivers_remind."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from .rollup import rollup_days


@task()
def rollup_recent() -> int:
    today = timezone.localdate()
    return rollup_days(today - dt.timedelta(days=1), today)["changed"]
