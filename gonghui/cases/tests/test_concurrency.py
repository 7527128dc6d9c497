"""Two handlers press 受理 at the same moment: the row lock lets exactly one win. The control run
without the lock shows the race it prevents (both "accept", two acceptance steps)."""

import contextlib
import threading

import pytest
from django.db import connection

from gonghui.cases import services
from gonghui.cases.models import Case, CaseStep
from gonghui.cases.services import filing, handling
from gonghui.core.errors import DomainError
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff

from .conftest import wage_input


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["row-lock", "control-without-lock"])
def test_two_handlers_accept_at_once(monkeypatch, guarded):
    from gonghui.testing.personas import build_personas

    personas = build_personas()
    handlers = [make_staff(personas.tree.township, Staff.Role.HANDLER, name=f"经办{i}") for i in range(2)]
    case = services.case_file(actor=personas.worker, data=wage_input(personas.tree))
    barrier = threading.Barrier(2, timeout=1)
    original = handling._require_status

    def check_then_wait(case, allowed, action):
        original(case, allowed, action)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both past the status check before either writes

    monkeypatch.setattr(handling, "_require_status", check_then_wait)
    if not guarded:
        monkeypatch.setattr(handling, "_lock", lambda c: Case.objects.get(pk=c.pk))
    outcomes = []

    def accept(user):
        try:
            services.case_accept(actor=user, case=Case.objects.get(pk=case.pk))
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(h,)) for h in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    steps = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.ACCEPTED).count()
    if guarded:
        assert sorted(outcomes, key=str) == [409, "ok"] and steps == 1
    else:
        assert outcomes == ["ok", "ok"] and steps == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["filer-lock", "control-without-lock"])
def test_simultaneous_submissions_respect_the_daily_cap(monkeypatch, settings, guarded):
    """20 identical submissions at once against a cap of 5: the filer's row lock holds the cap; without
    it (control) everyone passes the count before anyone inserts."""
    import time

    from gonghui.testing.personas import build_personas

    settings.GONGHUI_CASES_MAX_PER_DAY = 5
    personas = build_personas()
    data = wage_input(personas.tree)
    n = 20
    barrier = threading.Barrier(n, timeout=5)
    monkeypatch.setattr(filing, "_check_daily_cap", _after_barrier(filing._check_daily_cap, barrier))
    monkeypatch.setattr(filing, "_cap_race_window", lambda: time.sleep(0.05))
    if not guarded:
        monkeypatch.setattr(filing, "_lock_filer", lambda user: None)
    outcomes = []

    def submit():
        try:
            services.case_file(actor=personas.worker, data=data)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = Case.objects.filter(filer=personas.worker).count()
    if guarded:
        assert created == 5 and outcomes.count("case_daily_cap") == n - 5, outcomes
    else:
        assert created > 5, outcomes


def _after_barrier(check, barrier):
    """The first (unlocked) check passes for everyone together; the one under the lock runs as is."""
    calls = threading.local()

    def wrapped(user):
        check(user)
        if not getattr(calls, "seen", False):
            calls.seen = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    return wrapped
