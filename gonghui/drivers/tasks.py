"""Background jobs for 司机服务. Schedule `drivers_remind` daily (cron or a worker), like cases_escalate."""

from django_tasks import task

from .services import hotline_flag_overdue, reminders_send


@task()
def send_due_reminders() -> int:
    return reminders_send()


@task()
def flag_overdue_hotline_promises() -> int:
    return hotline_flag_overdue()
