"""The 30-day rules on a controlled clock: expiry reminders, unfiled changes, overdue approvals."""

import datetime as dt

import pytest

from gonghui.core.models import Notification
from gonghui.registration import selectors, services
from gonghui.registration.models import Certificate, Filing

from .conftest import at

pytestmark = pytest.mark.django_db


def test_expiry_reminder_30_days_before(world):
    cert = world.registered()  # valid until 2031-02-28
    with at(2031, 1, 28):
        assert services.deadline_sweep()["expiry"] == 0
    with at(2031, 1, 29):
        assert services.deadline_sweep()["expiry"] == 1
        assert services.deadline_sweep()["expiry"] == 0  # once
        assert [c.pk for c in selectors.deadline_lists(actor=world.approver)["expiring"]] == [cert.pk]
    for user in (world.filer, world.approver):
        assert Notification.objects.filter(user=user, title__contains="2031-02-28 到期").count() == 1
    with at(2031, 3, 1):
        assert [c.pk for c in selectors.deadline_lists(actor=world.approver)["expired"]] == [cert.pk]


def test_a_new_chair_in_the_tree_not_filed_within_30_days_is_reminded(world):
    cert = world.registered()
    world.union.chair_name = "王卫东"
    world.union.save()
    with at(2026, 4, 1):
        services.deadline_sweep()
    cert.refresh_from_db()
    assert cert.drift_since == dt.date(2026, 4, 1)
    with at(2026, 5, 1):
        assert services.deadline_sweep()["drift"] == 0
    with at(2026, 5, 2):
        assert services.deadline_sweep()["drift"] == 1
        assert [c.pk for c in selectors.deadline_lists(actor=world.approver)["drift"]] == [cert.pk]
    assert Notification.objects.filter(user=world.filer, title__contains="超过 30 日未办理变更").exists()


def test_overdue_approval_is_flagged_and_escalated_to_the_city(world):
    with at(2026, 3, 2):
        filing = world.apply()  # due 2026-03-16
    with at(2026, 3, 16):
        assert services.deadline_sweep()["escalated"] == 0
    with at(2026, 3, 17):
        assert [f.pk for f in selectors.filings(actor=world.approver, view="overdue")] == [filing.pk]
        assert services.deadline_sweep()["escalated"] == 1
    assert Notification.objects.filter(user=world.p.city_staffer, title__contains="督办").exists()
    assert Certificate.objects.count() == 0 and Filing.objects.get().escalated
