from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from gonghui.funds.models import Budget, FundApplication, LedgerEntry, Scheme

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seed_schemes_once():
    call_command("demo", members=20, quiet_logins=True, stdout=StringIO())
    call_command("demo", only="funds", stdout=StringIO())  # idempotent
    # The ten seed schemes; the honours demo adds 预石运输's own prize scheme (YS-ZM) that pays its award.
    assert Scheme.objects.exclude(code="YS-ZM").count() == 10
    project = FundApplication.objects.get(scheme__code="SY-XM")
    assert project.approved_amount == Decimal("100000.00")  # 186,500 × 60 % = 111,900: capped at 10万
    assert project.status == "paid" and project.year == 2022
    chairs = FundApplication.objects.get(scheme__code="SY-JZ")
    assert chairs.inputs == {"persons": 2, "months": 12} and chairs.approved_amount == Decimal("7200.00")
    training = FundApplication.objects.get(scheme__code="HA-PX")
    assert (training.minimum, training.maximum, training.approved_amount) == (
        Decimal("3000.00"),
        Decimal("4000.00"),
        Decimal("3500.00"),
    )
    county = Budget.objects.get(scheme__code="GX-XJ")
    assert county.amount == Decimal("11100000.00") and county.paid == Decimal("100000.00")
    assert LedgerEntry.objects.filter(kind="pay").count() == 5
