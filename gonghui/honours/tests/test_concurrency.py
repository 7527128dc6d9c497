"""Two masters press 揭榜 on the same technical problem at the same moment: the conditional UPDATE lets
exactly one take it. The control, a read-then-save without the condition, shows both "taking" it."""

import threading

import pytest
from django.db import connection, transaction

from gonghui.core.errors import DomainError
from gonghui.honours import services
from gonghui.honours.models import TechProblem
from gonghui.honours.services.selections import _actor_member
from gonghui.testing.factories import make_member, make_user


def _naive_take(*, actor, problem, barrier):
    member = _actor_member(actor)
    with transaction.atomic():
        row = TechProblem.objects.get(pk=problem.pk)
        if row.status != TechProblem.Status.POSTED:
            raise DomainError("已被揭榜", code="already_taken", status=409)
        barrier.wait()
        row.status, row.solver = TechProblem.Status.TAKEN, member
        row.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["conditional-update", "control-read-then-save"])
def test_two_masters_take_the_same_problem_at_once(guarded):
    from gonghui.testing.personas import build_personas

    p = build_personas()
    masters = [
        make_member(p.tree.grassroots, user=make_user(name=n), name=n).user for n in ("郝师傅", "贺师傅")
    ]
    problem = services.problem_post(
        actor=p.grassroots_admin,
        org=p.tree.grassroots,
        title="配电柜跳闸",
        category="electrical",
        description="每周3次",
    )
    barrier = threading.Barrier(2, timeout=2)
    outcomes = []

    def take(user):
        try:
            if guarded:
                barrier.wait()
                services.problem_take(actor=user, problem=problem)
            else:
                _naive_take(actor=user, problem=problem, barrier=barrier)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in masters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if guarded:
        assert sorted(outcomes, key=str) == [409, "ok"]
    else:
        assert outcomes == ["ok", "ok"]  # both were told they took it; the last save wins silently
