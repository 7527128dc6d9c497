import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gonghui.cases import services
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Sets "now" for services and auto_now fields: time limits are about real calendar dates."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.now = None

    def set(self, year, month, day, hour=10, minute=0):
        self.now = dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
        self.monkeypatch.setattr(timezone, "now", lambda: self.now)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def township_handler(personas):
    return make_staff(personas.tree.township, Staff.Role.HANDLER, name="柳镇经办")


@pytest.fixture
def county_handler(personas):
    return make_staff(personas.tree.county, Staff.Role.HANDLER, name="县经办")


def wage_input(tree, **overrides):
    data = {
        "category": "wages",
        "description": "工地拖欠我三个月工资，老板一直推说工程款没到位。",
        "workplace_region": "141125",
        "employer_name": "柳林县某建筑劳务有限公司",
        "workplace_township_id": tree.township.pk,
        "amount_claimed": "9000",
    }
    data.update(overrides)
    return services.CaseInput(**data)


@pytest.fixture
def file_case(personas):
    def _file(actor=None, **overrides):
        return services.case_file(actor=actor or personas.worker, data=wage_input(personas.tree, **overrides))

    return _file
