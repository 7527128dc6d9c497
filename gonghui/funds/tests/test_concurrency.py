"""Two reviewers approving at once for the last of a budget: the conditional UPDATE decides.

The control swaps the guard for the obvious read-check-write and holds both reviewers between the read and the
write: both approvals pass and the scheme pays out more than its budget, which is what the guard prevents."""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.db import connection

from gonghui.core.errors import Conflict
from gonghui.funds import services
from gonghui.funds.models import Budget, FundApplication
from gonghui.orgs.models import Org
from gonghui.testing.factories import make_org

from .conftest import make_scheme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DOCS = [{"name": "试点工会认定文件"}, {"name": "会员名册（系统自动统计）"}]


def _read_check_write(budget_id, amount):
    """What the guard replaces: read the budget, check, write back — with no lock and no condition."""
    budget = Budget.objects.get(pk=budget_id)
    if budget.amount - budget.committed - budget.paid < amount:
        return False
    services._race_window()
    Budget.objects.filter(pk=budget_id).update(committed=budget.committed + amount)
    return True


def race(personas, monkeypatch, *, guarded: bool):
    # 3,000 元 left; two approvals of 2,000 元 each.
    scheme = make_scheme(personas, "SY-SD", budget="3000")
    unions = [
        personas.tree.grassroots,
        make_org(personas.tree.township, Org.Kind.GRASSROOTS, "柳林镇快递行业工会"),
    ]
    apps = [
        services.application_submit(actor=personas.city_staffer, scheme=scheme, org=u, documents=DOCS)
        for u in unions
    ]
    gate = threading.Barrier(2, timeout=1.0 if guarded else 15)

    def window():
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()

    if guarded:
        monkeypatch.setattr(services, "_race_window", window)
    else:
        monkeypatch.setattr(services, "_race_window", window)
        monkeypatch.setattr(services, "_commit_budget", _read_check_write)
    start = threading.Barrier(2)
    results: list[str] = []

    def approve(app):
        start.wait()
        try:
            services.application_approve(
                actor=personas.city_staffer, application_id=app.pk, amount="2000", reason="同意"
            )
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    approved = sum(
        FundApplication.objects.filter(status=FundApplication.Status.APPROVED).values_list(
            "approved_amount", flat=True
        ),
        Decimal("0"),
    )
    return sorted(results), approved


def test_two_approvals_cannot_overspend_the_last_of_a_budget(personas, monkeypatch):
    results, approved = race(personas, monkeypatch, guarded=True)
    assert results == ["budget_exhausted", "ok"]
    assert approved == Decimal("2000.00")
    assert Budget.objects.get().committed == Decimal("2000.00")


def test_control_without_the_guard_overspends(personas, monkeypatch):
    results, approved = race(personas, monkeypatch, guarded=False)
    assert results == ["ok", "ok"]
    assert approved == Decimal("4000.00")  # 4,000 元 approved against a 3,000 元 budget
