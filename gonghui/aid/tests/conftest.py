import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.aid.models import LowIncomeStandard
from gonghui.aid.services import programmes
from gonghui.aid.services.applications import ApplicationData
from gonghui.testing.factories import make_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHILD_ID = make_id(dt.date(2008, 3, 9), male=False)


def png(name="doc.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def all_documents():
    return {k: [png(f"{k}.png")] for k in ("admission", "id_card", "household", "hardship_proof")}


@pytest.fixture
def dibao(db):
    return LowIncomeStandard.objects.create(
        region_code="141125", region_name="柳林县", monthly="760.00", effective_from=dt.date(2025, 7, 1)
    )


@pytest.fixture
def jinqiu(personas, dibao):
    return programmes.programme_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        kind="jinqiu",
        name="2026年柳林县金秋助学",
        year=2026,
        budget="100000",
        fund_source="县总工会帮扶资金",
    )


def child_data(**kw):
    data = {
        "applicant_id_number": make_id(dt.date(1980, 5, 1)),
        "unit_name": "预石运输有限责任公司",
        "beneficiary_name": "王小雨",
        "beneficiary_id_number": CHILD_ID,
        "level": "university",
        "school_name": "太原理工大学",
        "bank_name": "中国农业银行柳林支行",
        "bank_account": "6228480123456789012",
    }
    data.update(kw)
    return ApplicationData(**data)


@pytest.fixture
def xlsx_rows():
    from openpyxl import load_workbook

    def read(data: bytes):
        return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]

    return read
