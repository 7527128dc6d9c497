import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from gonghui.honours import services
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_member, make_staff, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def prize_scheme(admin, org, budget="100000"):
    """The county's award scheme whose budget pays selection prizes (through the funds ledger)."""
    from gonghui.funds import services as funds

    with at(2027, 1, 5):
        scheme = funds.scheme_create(
            actor=admin,
            org=org,
            code="LL-JL",
            name="柳林县劳模工匠奖励",
            category="award",
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
            formula={"type": "range", "min": "0", "max": "100000"},
            once_per="none",
        )
        funds.budget_set(actor=admin, scheme=scheme, year=2027, amount=budget)
    return scheme


class World:
    """The county union (柳林县总工会) runs a selection; a panel of two outside experts."""

    def __init__(self, personas):
        self.p = personas
        self.tree = personas.tree
        self.admin = personas.county_staffer
        self.expert = make_staff(self.tree.county, Staff.Role.EXPERT, name="刘评委")
        self.expert2 = make_staff(self.tree.county, Staff.Role.EXPERT, name="陈评委")
        self.worker = personas.worker
        self.member = personas.member  # 王建军 at 预石运输
        self.other = make_member(self.tree.township, user=make_user(name="李师傅"), name="李师傅")
        self.prize_scheme = prize_scheme(self.admin, self.tree.county)

    def selection(self, **kw):
        data = dict(
            title="2027年柳林县五一劳动奖章评选",
            honour_title="柳林县五一劳动奖章",
            level="county",
            quota=1,
            opens_on=dt.date(2027, 3, 1),
            closes_on=dt.date(2027, 3, 31),
            criteria="爱岗敬业，业绩突出",
            prize="2000",
            prize_scheme_id=self.prize_scheme.pk,
        )
        data.update(kw)
        return services.selection_open(
            actor=self.admin,
            org=self.tree.county,
            data=services.SelectionInput(**data),
            panel=[self.expert, self.expert2],
        )


@pytest.fixture
def world(personas):
    return World(personas)
