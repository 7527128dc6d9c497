"""Background jobs for members. Schedule `members_purge_import_errors` daily (cron or a worker)."""

from django_tasks import task

from .imports import error_files_purge


@task()
def purge_import_error_files() -> int:
    return error_files_purge()
