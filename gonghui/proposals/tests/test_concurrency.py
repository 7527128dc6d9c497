"""Two managers press 记录奖励 for the same proposal at the same moment: the unique constraint lets exactly
one payment through. The control, with the constraint dropped, shows the double payment it prevents."""

import contextlib
import threading

import pytest
from django.db import connection

from gonghui.core.errors import DomainError
from gonghui.orgs.models import Staff
from gonghui.proposals import services
from gonghui.proposals.models import Reward
from gonghui.testing.factories import make_staff


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["unique-constraint", "control-without-constraint"])
def test_two_managers_reward_the_same_proposal_at_once(monkeypatch, guarded):
    from gonghui.testing.personas import build_personas

    from .conftest import World

    world = World(build_personas())
    second = make_staff(world.company, Staff.Role.ADMIN, name="第二位管理员")
    proposal = world.adopted()
    constraint = next(c for c in Reward._meta.constraints if c.name == "reward_once_per_proposal")
    barrier = threading.Barrier(2, timeout=2)
    original = services.Reward.objects.create

    def wait_then_create(**kw):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both past validation before either inserts
        return original(**kw)

    monkeypatch.setattr(services.Reward.objects, "create", wait_then_create)
    if not guarded:
        with connection.schema_editor() as editor:
            editor.remove_constraint(Reward, constraint)
    outcomes = []

    def grant(user):
        try:
            services.reward_grant(
                actor=user,
                programme=world.programme,
                kind="quarter",
                year=2026,
                quarter=2,
                amount="5000",
                proposal=proposal,
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.status)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=grant, args=(u,)) for u in (world.admin, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        paid = Reward.objects.filter(proposal=proposal).count()
    finally:
        if not guarded:
            Reward.objects.all().delete()
            with connection.schema_editor() as editor:
                editor.add_constraint(Reward, constraint)
    if guarded:
        assert sorted(outcomes, key=str) == [409, "ok"] and paid == 1
    else:
        assert outcomes == ["ok", "ok"] and paid == 2
