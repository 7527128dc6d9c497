"""Hostile station imports, formula injection in the export, the org on the export's audit row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent
from gonghui.core.tests.hostile import bomb_xlsx
from gonghui.site.selectors import audit_events
from gonghui.stations.models import Station

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_client(client, personas):
    client.force_login(personas.county_staffer)
    return client


def test_a_zip_bomb_gets_a_chinese_error_and_nothing_is_saved(county_client, personas):
    response = county_client.post(
        "/workbench/stations/import/",
        {"org": personas.tree.county.pk, "file": SimpleUploadedFile("s.xlsx", bomb_xlsx(300))},
    )
    assert response.status_code == 422  # a failed form post (core.forms)
    assert "解压后过大或压缩比异常" in response.content.decode()
    assert not Station.objects.exists()
    assert county_client.get("/workbench/stations/").status_code == 200


def test_export_writes_a_formula_name_as_text_and_audits_the_org(county_client, personas, make_station):
    make_station(name='=HYPERLINK("http://x.example","导航")')
    response = county_client.get("/workbench/stations/export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    event = AuditEvent.objects.filter(action="station.export").latest("id")
    assert event.org_id == personas.tree.county.pk
    assert audit_events(actor=personas.county_auditor, action="station.export").filter(pk=event.pk).exists()
