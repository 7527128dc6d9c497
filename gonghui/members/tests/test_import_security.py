"""Hostile member imports, formula injection and the org on every export's audit row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent
from gonghui.core.tests.hostile import bomb_xlsx, many_rows_xlsx
from gonghui.members import imports
from gonghui.members.models import Member
from gonghui.site.selectors import audit_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_client(client, personas):
    client.force_login(personas.county_staffer)
    return client


def _upload(client, personas, content):
    return client.post(
        reverse("members_bench:import"),
        {"org": personas.tree.grassroots.pk, "file": SimpleUploadedFile("m.xlsx", content)},
    )


def test_a_zip_bomb_gets_a_chinese_error_and_the_server_keeps_serving(county_client, personas):
    content = bomb_xlsx(300)
    assert len(content) < 1024 * 1024
    before = Member.objects.count()
    response = _upload(county_client, personas, content)
    assert response.status_code == 422  # a failed form post (core.forms)
    assert "解压后过大或压缩比异常" in response.content.decode()
    assert Member.objects.count() == before
    assert county_client.get(reverse("members_bench:list")).status_code == 200


def test_rows_past_the_limit_stop_the_read(county_client, personas, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    response = _upload(county_client, personas, many_rows_xlsx(60))
    assert "一次最多导入 50 行" in response.content.decode()


def test_member_export_writes_a_hostile_employer_as_text(county_client, personas):
    Member.objects.filter(pk=personas.member.pk).update(
        employer_name='=HYPERLINK("http://x.example","工资条")'
    )
    response = county_client.get(reverse("members_bench:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for c in ws[2] if c.value and str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_member_export_is_audited_on_an_org_the_auditor_sees(county_client, personas):
    county_client.get(reverse("members_bench:export"))
    event = AuditEvent.objects.filter(action="members.export").latest("id")
    assert event.org_id == personas.tree.county.pk
    assert audit_events(actor=personas.county_auditor, action="members.export").filter(pk=event.pk).exists()


def test_filtered_export_is_audited_on_the_filtered_union(county_client, personas):
    county_client.get(reverse("members_bench:export"), {"org": personas.tree.grassroots.pk})
    assert (
        AuditEvent.objects.filter(action="members.export").latest("id").org_id == personas.tree.grassroots.pk
    )


def test_pipl_export_of_a_member_carries_the_org(personas):
    from gonghui.members.services import member_data_export

    member_data_export(actor=personas.worker)
    assert AuditEvent.objects.filter(action="pipl.export").latest("id").org_id == personas.member.org_id
