"""One runner per scheduled job per period, however many app servers carry the same cron line.

    with job_lock("cases_escalate", every=3600) as mine:
        if mine:
            cases_escalate_overdue()

`manage.py scheduled <command> --every <seconds>` wraps any management command this way. The lease is a
row in the database every app server shares (core.JobLease): taking it is one INSERT or one conditional
UPDATE, so two runners can never both win, through PgBouncer too (no session advisory lock is held).
A runner that dies keeps the job for `ttl` seconds; after that another server takes it over."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobLease


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_of(now, every: int) -> int:
    """The period `now` falls in: the same number for every server during one `every`-second window."""
    return int(now.timestamp()) // max(1, every)


def job_acquire(name: str, *, every: int, ttl: int, holder: str, now=None) -> bool:
    now = now or timezone.now()
    slot = slot_of(now, every)
    expires = now + timezone.timedelta(seconds=ttl)
    taken = JobLease.objects.filter(name=name, expires_at__lte=now, last_slot__lt=slot).update(
        holder=holder, expires_at=expires, last_slot=slot, started_at=now, finished_at=None
    )
    if taken:
        return True
    if JobLease.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            JobLease.objects.create(
                name=name, holder=holder, expires_at=expires, last_slot=slot, started_at=now
            )
    except IntegrityError:
        return False  # another server inserted it first
    return True


def job_release(name: str, *, holder: str) -> None:
    now = timezone.now()
    JobLease.objects.filter(name=name, holder=holder).update(expires_at=now, finished_at=now)


@contextmanager
def job_lock(name: str, *, every: int, ttl: int | None = None):
    """Yields True on the one server that runs this period's job, False on the others."""
    holder = holder_name()
    mine = job_acquire(name, every=every, ttl=ttl or max(every, 60), holder=holder)
    try:
        yield mine
    finally:
        if mine:
            job_release(name, holder=holder)
