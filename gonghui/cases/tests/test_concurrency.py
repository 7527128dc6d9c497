"""Two handlers press 受理 at the same moment: the row lock lets exactly one win. The control run
without the lock shows the race it prevents (both "accept", two acceptance steps)."""

import contextlib
import threading

import pytest
from django.db import connection

from gonghui.cases import services
from gonghui.cases.models import Case, CaseStep
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
    original = services._require_status

    def check_then_wait(case, allowed, action):
        original(case, allowed, action)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both past the status check before either writes

    monkeypatch.setattr(services, "_require_status", check_then_wait)
    if not guarded:
        monkeypatch.setattr(services, "_lock", lambda c: Case.objects.get(pk=c.pk))
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
