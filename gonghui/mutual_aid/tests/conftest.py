import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import MutualAidProduct

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_BANDS = [
    {"lower": "0", "upper": "10000", "rate": "0.30"},
    {"lower": "10000", "upper": "50000", "rate": "0.40"},
    {"lower": "50000", "upper": "200000", "rate": "0.60"},
    {"lower": "200000", "upper": None, "rate": "0.95"},
]


def product_input(year: int, **overrides) -> services.ProductInput:
    fields = {
        "code": "ZGHZ",
        "name": "职工住院医疗互助保障",
        "year": year,
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "premium": "60",
        "deductible": "1000",
        "bands": DEFAULT_BANDS,
        "minimum_payout": "100",
        "allowance_per_day": "30",
        "allowance_max_days": 180,
        "yearly_cap": "1000000",
    }
    fields.update(overrides)
    return services.ProductInput(**fields)


@pytest.fixture
def clock():
    """Late December 2025: every stay of the 2025 product year is in the past."""
    # tick=True: a frozen clock also freezes time.monotonic, and thread barriers would never time out.
    with time_machine.travel(dt.datetime(2025, 12, 20, 10, 0, tzinfo=SHANGHAI), tick=True) as traveller:
        yield traveller


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def product(personas, clock) -> MutualAidProduct:
    return services.product_create(
        actor=_province_admin(personas), org=personas.tree.province, data=product_input(2025)
    )


def _province_admin(personas):
    from gonghui.orgs.models import Staff
    from gonghui.testing.factories import make_staff

    if not hasattr(personas, "province_admin"):
        personas.province_admin = make_staff(personas.tree.province, Staff.Role.ADMIN, name="省总互助会")
    return personas.province_admin


@pytest.fixture
def province_admin(personas):
    return _province_admin(personas)


@pytest.fixture
def enrolment(personas, product):
    created, problems = services.enrolment_create(
        actor=personas.county_staffer, product=product, member_ids=[personas.member.pk]
    )
    assert not problems
    return created[0]


def bill(name="发票.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"\x00" * 200, content_type="image/jpeg")


def stay(admitted: dt.date, days: int, self_paid: str, kind: str = "illness") -> services.ClaimInput:
    return services.ClaimInput(
        kind=kind,
        hospital="柳林县人民医院",
        admitted_on=admitted,
        discharged_on=admitted + dt.timedelta(days=days),
        total_cost=str(Decimal(self_paid) * 3),
        insured_part=str(Decimal(self_paid) * 2),
        self_paid=self_paid,
    )
