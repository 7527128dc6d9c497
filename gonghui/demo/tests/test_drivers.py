import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine

from gonghui.demo import drivers, tree
from gonghui.drivers.models import DriverRequest, HotlineCall, Product, PurchaseOrder, Reminder, UnionHotline
from gonghui.drivers.selectors import savings_for_member

pytestmark = pytest.mark.django_db


def test_demo_drivers_yushi_transport():
    with time_machine.travel(dt.datetime(2026, 2, 28, 10, tzinfo=dt.UTC), tick=False):
        tree.load(stdout=StringIO(), members=20)
        drivers.load(stdout=StringIO())
        drivers.load(stdout=StringIO())  # idempotent
    assert Product.objects.count() == 4
    han = PurchaseOrder.objects.get(quantity=6).buyer
    assert han.name == "韩建辉" and savings_for_member(user=han, year=2026) == Decimal("660.00")
    assert DriverRequest.objects.count() == 2
    assert all(c.caller_user is not None for c in HotlineCall.objects.all())
    assert DriverRequest.objects.get(kind="accident").assignee_kind == "lawyer"
    assert UnionHotline.objects.get().number == "400-838-5115"
    late = HotlineCall.objects.get(promise_done=False, promise_due=dt.date(2026, 2, 27))
    assert late.topic == "违章罚单异地处理"
    assert Reminder.objects.count() == 3  # every 行驶证年审 falls due within 30 days
