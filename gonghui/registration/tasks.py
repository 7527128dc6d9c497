"""Daily: expiry reminders, unfiled changes, overdue approvals escalated."""

from django_tasks import task

from . import services


@task()
def registration_deadline_sweep():
    return services.deadline_sweep()
