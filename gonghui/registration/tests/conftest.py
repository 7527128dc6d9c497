import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.core.validators import make_credit_code
from gonghui.registration import services
from gonghui.registration.models import Filing

SHANGHAI = ZoneInfo("Asia/Shanghai")
CODE = make_credit_code("81141125MA0Y5T2K1")
DOCS = {k: list(v) for k, v in services.REQUIRED_DOCUMENTS.items()}


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)


class World:
    def __init__(self, personas):
        self.p = personas
        self.union = personas.tree.grassroots
        self.county = personas.tree.county
        self.filer = personas.grassroots_admin  # 李桂兰, 工会管理员
        self.approver = personas.county_staffer

    def apply(self, **overrides):
        data = {
            "union_name": self.union.name,
            "credit_code": CODE,
            "legal_rep": "李桂兰",
            "address": "山西省吕梁市柳林县柳林镇青龙路 18 号",
            "term_start": dt.date(2026, 3, 1),
            "term_end": dt.date(2031, 2, 28),
            "documents": DOCS[Filing.Kind.APPLY],
            **overrides,
        }
        return services.filing_submit(actor=self.filer, org=self.union, kind=Filing.Kind.APPLY, **data)

    def file(self, kind, **data):
        data.setdefault("documents", DOCS[kind])
        return services.filing_submit(actor=self.filer, org=self.union, kind=kind, **data)

    def approve(self, filing):
        return services.filing_approve(actor=self.approver, filing=filing)

    def registered(self):
        with at(2026, 3, 2):
            return self.approve(self.apply())


@pytest.fixture
def world(personas):
    return World(personas)
