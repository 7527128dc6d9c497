"""Background jobs for 诉求工单. Schedule `cases_escalate` every few minutes (cron or a worker)."""

from django_tasks import task

from .services import cases_escalate_overdue


@task()
def escalate_overdue_cases() -> int:
    return cases_escalate_overdue()
