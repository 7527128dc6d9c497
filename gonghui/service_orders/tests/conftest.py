import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from gonghui.service_orders import services
from gonghui.service_orders.models import Expert, ExpertTeam, ServiceItem


@dataclass
class Menu:
    team: ExpertTeam
    doctor: Expert
    counsellor: Expert
    lawyer: Expert
    checkup: ServiceItem  # 身心双检: a doctor and a counsellor together
    talk: ServiceItem  # 心理疏导: one counsellor
    monday: dt.date  # a Monday well past every lead time


WEEKDAY_HOURS = [(d, dt.time(9), dt.time(12)) for d in range(5)] + [
    (d, dt.time(14), dt.time(17, 30)) for d in range(5)
]


def next_monday(days_ahead: int = 8) -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=days_ahead)
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


@pytest.fixture(autouse=True)
def _clock():
    """A Monday whose next weeks hold no public holiday: the scheduler follows the holiday calendar, so a
    test must not depend on whether today happens to be near 国庆 or 春节. Tests about holidays move it."""
    with time_machine.travel(dt.datetime(2026, 7, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def menu(personas):
    county, staff = personas.tree.county, personas.county_staffer
    team = services.team_create(actor=staff, org=county, name="柳林县总工会专家服务团")
    doctor = services.expert_create(
        actor=staff, org=county, team=team, name="张医生", kind="doctor", skills="海姆立克急救、身心双检"
    )
    counsellor = services.expert_create(
        actor=staff, org=county, team=team, name="李咨询师", kind="counsellor", skills="心理疏导、身心双检"
    )
    lawyer = services.expert_create(
        actor=staff, org=county, team=team, name="王律师", kind="lawyer", skills="劳动法律讲座"
    )
    for e in (doctor, counsellor, lawyer):
        services.availability_set(actor=staff, expert=e, hours=WEEKDAY_HOURS)
    checkup = services.item_create(
        actor=staff,
        org=county,
        category="medical",
        name="身心双检",
        team=team,
        required_skill="身心双检",
        experts_needed=2,
        duration_minutes=120,
        min_headcount=20,
        max_headcount=100,
        mode="onsite",
        lead_days=3,
        description="医疗专家与心理咨询师一同上门，体检问诊并做心理测评",
    )
    talk = services.item_create(
        actor=staff,
        org=county,
        category="mental",
        name="心理疏导",
        team=team,
        required_skill="心理疏导",
        experts_needed=1,
        duration_minutes=90,
        min_headcount=5,
        max_headcount=40,
        mode="onsite",
        lead_days=3,
    )
    return Menu(team, doctor, counsellor, lawyer, checkup, talk, next_monday())


def place(personas, item, dates, *, headcount=30, address="预石运输公司三楼会议室", actor=None):
    return services.order_place(
        actor=actor or personas.grassroots_admin,
        item=item,
        org=personas.tree.grassroots,
        preferred_dates=dates,
        headcount=headcount,
        address=address,
        contact_name="李桂兰",
        contact_phone="13912345678",
        needs="司机久坐腰椎不好，想了解急救和减压方法",
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
