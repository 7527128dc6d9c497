"""Background jobs for 走访与协商. Schedule `outreach_remind` daily (cron or a worker), like drivers_remind."""

from django_tasks import task

from .services import followups_remind, yearly_reminders_send


@task()
def send_yearly_meeting_reminders() -> int:
    return yearly_reminders_send()


@task()
def remind_overdue_followups() -> int:
    return followups_remind()
