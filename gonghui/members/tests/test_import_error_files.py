"""Import error files: stored encrypted, downloaded masked unless revealed with a reason (audited),
gone after ERROR_FILE_DAYS."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gonghui.core.models import AuditEvent
from gonghui.members import imports
from gonghui.members.models import ImportBatch
from gonghui.testing.factories import make_id

pytestmark = pytest.mark.django_db
PHONE = "13800013010"


@pytest.fixture
def batch(personas):
    bad_id = make_id(dt.date(1990, 1, 1))
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    # A valid ID and phone with an unknown occupation: refused, so the row lands in the error file.
    ws.append(["韩建辉", bad_id, PHONE, "宇航员", "@SUM(1+1)*cmd"])
    out = io.BytesIO()
    wb.save(out)
    result = imports.member_import(
        actor=personas.county_staffer, org=personas.tree.grassroots, file_name="x.xlsx", data=out.getvalue()
    )
    assert result.batch.failed == 1
    result.batch.bad_id = bad_id
    return result.batch


def _cells(content: bytes) -> list:
    return [c.value for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]


def test_stored_encrypted(batch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT error_file FROM members_importbatch WHERE id = %s", [batch.pk])
        raw = bytes(cursor.fetchone()[0])
    assert batch.bad_id.encode() not in raw and PHONE.encode() not in raw and raw.startswith(b"g1$")


def test_download_is_masked_and_audited_with_the_org(batch, personas, client):
    client.force_login(personas.grassroots_admin)
    response = client.get(reverse("members_bench:import_errors", args=[batch.pk]))
    assert response.status_code == 200
    cells = _cells(response.content)
    assert batch.bad_id not in cells and PHONE not in cells
    assert any(str(c).startswith("1990") is False and "*" in str(c) for c in cells)
    event = AuditEvent.objects.filter(action="members.import_errors").latest("id")
    assert event.org_id == personas.tree.grassroots.pk and event.detail["revealed"] is False


def test_reveal_needs_the_permission_and_a_reason(batch, personas, client):
    client.force_login(personas.grassroots_admin)  # no can_reveal_pii
    refused = client.get(
        reverse("members_bench:import_errors", args=[batch.pk]), {"reveal": "1", "reason": "核对"}
    )
    assert refused.status_code == 302
    assert AuditEvent.objects.filter(action="members.import_errors", result="denied").exists()
    client.force_login(personas.county_staffer)
    no_reason = client.get(reverse("members_bench:import_errors", args=[batch.pk]), {"reveal": "1"})
    assert no_reason.status_code == 302
    full = client.get(
        reverse("members_bench:import_errors", args=[batch.pk]), {"reveal": "1", "reason": "核对导入"}
    )
    assert batch.bad_id in _cells(full.content)


def test_formula_in_a_refused_row_stays_text(batch, personas, client):
    client.force_login(personas.county_staffer)
    content = client.get(reverse("members_bench:import_errors", args=[batch.pk])).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("@SUM")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_error_files_expire(batch, personas, client):
    client.force_login(personas.county_staffer)
    with time_machine.travel(timezone.now() + dt.timedelta(days=imports.ERROR_FILE_DAYS, hours=1)):
        assert client.get(reverse("members_bench:import_errors", args=[batch.pk])).status_code == 302
        assert imports.error_files_purge() == 1
    assert ImportBatch.objects.get(pk=batch.pk).error_file is None
