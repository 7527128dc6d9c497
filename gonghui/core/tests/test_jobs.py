"""Scheduled jobs: every app server carries the same cron line, one of them runs each period."""

import datetime as dt
import io
import threading
import time

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from gonghui.core.jobs import job_acquire, job_lock, job_release
from gonghui.core.models import JobLease

T0 = dt.datetime(2026, 12, 1, 10, 0, 5, tzinfo=dt.UTC)


@pytest.mark.django_db
@time_machine.travel(T0, tick=False)
def test_the_second_server_skips_the_period_the_first_ran():
    # The second server asks while the first is still running.
    with job_lock("cases_escalate", every=3600) as first, job_lock("cases_escalate", every=3600) as second:
        assert (first, second) == (True, False)
    with job_lock("cases_escalate", every=3600) as late:  # same hour, after the first finished
        assert late is False
    with job_lock("members_flag_overdue", every=3600) as other_job:
        assert other_job is True


@pytest.mark.django_db
def test_the_next_period_runs_again():
    with time_machine.travel(T0, tick=False), job_lock("campaigns_prewarm", every=60) as mine:
        assert mine
    later = time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False)
    with later, job_lock("campaigns_prewarm", every=60) as mine:
        assert not mine
    next_minute = time_machine.travel(T0 + dt.timedelta(seconds=60), tick=False)
    with next_minute, job_lock("campaigns_prewarm", every=60) as mine:
        assert mine


@pytest.mark.django_db
def test_a_dead_runner_keeps_the_job_until_its_lease_expires_then_another_server_takes_it():
    with time_machine.travel(T0, tick=False):
        assert job_acquire("registration_sweep", every=60, ttl=300, holder="app1:42")  # then app1 dies
    with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
        assert not job_acquire("registration_sweep", every=60, ttl=300, holder="app2:7")
    with time_machine.travel(T0 + dt.timedelta(minutes=5, seconds=1), tick=False):
        assert job_acquire("registration_sweep", every=60, ttl=300, holder="app2:7")
        assert JobLease.objects.get(name="registration_sweep").holder == "app2:7"
        job_release("registration_sweep", holder="app1:42")  # the dead runner's release changes nothing
        assert JobLease.objects.get(name="registration_sweep").finished_at is None


@pytest.mark.django_db
@time_machine.travel(T0, tick=False)
def test_manage_scheduled_runs_the_command_once_per_period():
    first, second = io.StringIO(), io.StringIO()
    call_command("scheduled", "check", "--every", "3600", stdout=first)
    call_command("scheduled", "check", "--every", "3600", stdout=second)
    assert "System check identified no issues" in first.getvalue()
    assert "跳过" in second.getvalue() and "System check" not in second.getvalue()


def race(acquire, prefix, runners=2, rounds=8):
    """`runners` threads call acquire(name, holder) at the same moment, `rounds` times; winners per round."""
    winners = []
    for r in range(rounds):
        barrier = threading.Barrier(runners)
        won = []

        def run(holder, name=f"{prefix}-{r}", barrier=barrier, won=won):
            try:
                barrier.wait()
                if acquire(name, holder):
                    won.append(holder)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(f"app{i}",)) for i in range(runners)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners.append(len(won))
    return winners


def naive_acquire(name, holder):
    """Read, decide, write — what a job lock without a conditional write does (the control)."""
    from django.utils import timezone

    now = timezone.now()
    lease = JobLease.objects.filter(name=name).first()
    if lease is not None and lease.expires_at > now:
        return False
    time.sleep(0.05)  # the other server reads in this gap
    JobLease.objects.update_or_create(
        name=name, defaults={"holder": holder, "expires_at": now + dt.timedelta(minutes=5), "started_at": now}
    )
    return True


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_app_servers_at_the_same_instant_one_runs_the_job():
    winners = race(lambda name, holder: job_acquire(name, every=60, ttl=300, holder=holder), "lease")
    assert winners == [1] * len(winners)
    # Control: without the conditional write both servers run the job in (nearly) every round.
    control = race(naive_acquire, "naive")
    assert max(control) == 2
