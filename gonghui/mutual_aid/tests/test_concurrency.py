"""Two stays of one member filed at the same moment (the member on the phone, the union at its desk): the
enrolment row lock makes the second wait and compute against the first, so the yearly deductible is taken once.
The control run without the lock shows the race it prevents: both stays take the whole deductible."""

import contextlib
import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Enrolment, MutualAidClaim

from .conftest import bill, stay


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["row-lock", "control-without-lock"])
def test_two_stays_filed_at_once_share_one_deductible(monkeypatch, personas, enrolment, media, guarded):
    barrier = threading.Barrier(2, timeout=1)
    original = services.year_recompute

    def wait_then_recompute(enrolment):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both stays inserted before either year is computed
        return original(enrolment)

    monkeypatch.setattr(services, "year_recompute", wait_then_recompute)
    if not guarded:
        monkeypatch.setattr(
            services, "_lock", lambda e: Enrolment.objects.select_related("product").get(pk=e.pk)
        )
    errors = []

    def file(kwargs):
        try:
            services.claim_file(**kwargs)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    jobs = [
        {"actor": personas.worker, "data": stay(dt.date(2025, 2, 1), 4, "3000"), "files": [bill()]},
        {
            "actor": personas.grassroots_admin,
            "data": stay(dt.date(2025, 5, 1), 6, "3000"),
            "member_id": personas.member.pk,
        },
    ]
    threads = [threading.Thread(target=file, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claims = list(MutualAidClaim.objects.order_by("admitted_on"))
    taken = sum(D(c.breakdown["deductible_taken"]) for c in claims)
    if guarded:
        assert taken == D("1000.00")
        assert [c.payout for c in claims] == [D("600.00"), D("900.00")]
    else:
        assert taken == D("2000.00")
        assert [c.payout for c in claims] == [D("600.00"), D("600.00")]
