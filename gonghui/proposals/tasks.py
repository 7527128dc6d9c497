"""Background jobs for 全员改善. Schedule `proposals_flag_overdue` daily (cron or a worker)."""

from django_tasks import task

from .services import proposals_flag_overdue


@task()
def flag_overdue_proposals() -> list[int]:
    return list(proposals_flag_overdue())
