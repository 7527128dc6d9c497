"""The same child's 金秋助学 filed at the same moment by the worker (county union) and by a sibling city's
staff: the unique need key lets exactly one application live. The control, with the key made unique per
request, shows the race it prevents: two live applications, a double grant waiting to happen."""

import contextlib
import datetime as dt
import threading
import types
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from gonghui.aid.models import AidApplication, LowIncomeStandard
from gonghui.aid.services import applications, programmes
from gonghui.core.errors import DomainError

from .conftest import child_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guarded", [True, False], ids=["unique-need-key", "control-without-key"])
def test_same_child_filed_twice_at_once(monkeypatch, guarded):
    from gonghui.testing.personas import build_personas

    p = build_personas()
    LowIncomeStandard.objects.create(
        region_code="141125", region_name="柳林县", monthly="760.00", effective_from=dt.date(2025, 7, 1)
    )
    year = timezone.localdate().year
    county = programmes.programme_create(
        actor=p.county_staffer,
        org=p.tree.county,
        kind="jinqiu",
        name="金秋助学",
        year=year,
        budget="100000",
        fund_source="县总工会",
    )
    sibling = programmes.programme_create(
        actor=p.sibling_staffer,
        org=p.tree.sibling_city,
        kind="jinqiu",
        name="金秋助学",
        year=year,
        budget="100000",
        fund_source="市总工会",
    )
    barrier = threading.Barrier(2, timeout=2)

    def localtime_after_both_checked(*args):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both are past the friendly duplicate check before either inserts
        return timezone.localtime(*args)

    monkeypatch.setattr(
        applications,
        "timezone",
        types.SimpleNamespace(localtime=localtime_after_both_checked, now=timezone.now),
    )
    if not guarded:
        real = applications.dedup_key
        monkeypatch.setattr(
            applications, "dedup_key", lambda prog, idx: f"{real(prog, idx)}:{uuid.uuid4().hex[:8]}"
        )
    outcomes = []

    def submit(actor, programme, on_behalf):
        try:
            data = child_data(applicant_name="王建军", applicant_phone="13800015001")
            applications.application_submit(actor=actor, programme=programme, data=data, on_behalf=on_behalf)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(p.worker, county, False)),
        threading.Thread(target=submit, args=(p.sibling_staffer, sibling, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    live = AidApplication.objects.exclude(dedup_key=None).count()
    if guarded:
        assert sorted(outcomes) == ["duplicate_need", "ok"] and live == 1
    else:
        assert outcomes == ["ok", "ok"] and live == 2
