"""Staff read phone numbers as people write them — 138 0000 0001, masked 138****0001 — never E.164."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.validators import display_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+8613800000001", "138 0000 0001"),
        ("13912345678", "139 1234 5678"),
        ("138****0001", "138****0001"),
        ("0358-4412351", "0358-4412351"),
        ("", ""),
        (None, ""),
    ],
)
def test_display_phone(stored, shown):
    assert display_phone(stored) == shown


def test_revealed_phone_and_full_export_read_as_3_4_4(personas, client):
    client.force_login(personas.county_staffer)
    member = personas.member
    national = member.phone[3:]
    page = client.get(reverse("members_bench:detail", args=[member.pk])).content.decode()
    assert f"{national[:3]}****{national[-4:]}" in page and "+86" not in page
    revealed = client.post(
        reverse("members_bench:reveal", args=[member.pk]), {"field": "phone", "reason": "电话回访"}
    ).content.decode()
    assert f"{national[:3]} {national[3:7]} {national[7:]}" in revealed and "+86" not in revealed
    export = client.post(reverse("members_bench:export"), {"reveal": "1", "reason": "年度核查"})
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws.cell(row=2, column=4).value == f"{national[:3]} {national[3:7]} {national[7:]}"
