"""Background jobs for 帮扶. Schedule `aid_recheck_reminders` daily (cron or a worker)."""

from django_tasks import task

from .services.hardship import recheck_reminders


@task()
def remind_rechecks() -> int:
    return recheck_reminders()
