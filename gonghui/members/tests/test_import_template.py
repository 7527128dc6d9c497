"""The import template keeps 身份证号 and 手机号 as text, its own example row imports, and a number
Excel has mangled is told apart from a mistyped one."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gonghui.members.imports import HEADERS, template_xlsx
from gonghui.members.models import ImportBatch, Member
from gonghui.testing.factories import make_id


def _upload(client, org, data):
    return client.post(
        reverse("members_bench:import"), {"org": org.pk, "file": SimpleUploadedFile("offline.xlsx", data)}
    )


def test_template_formats_id_and_phone_columns_as_text():
    ws = load_workbook(io.BytesIO(template_xlsx())).active
    id_col, phone_col = HEADERS.index("身份证号") + 1, HEADERS.index("手机号") + 1
    for row in (2, 3, 500, 2001):
        assert ws.cell(row=row, column=id_col).number_format == "@"
        assert ws.cell(row=row, column=phone_col).number_format == "@"
    # The example values themselves are text, not numbers.
    assert isinstance(ws.cell(row=2, column=id_col).value, str)
    assert isinstance(ws.cell(row=2, column=phone_col).value, str)
    # Other columns keep Excel's general format.
    assert ws.cell(row=3, column=1).number_format == "General"


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2027, 6, 30)])
def test_the_templates_own_example_row_imports(personas, client, day):
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0), tick=False):
        client.force_login(personas.grassroots_admin)
        html = _upload(client, personas.tree.grassroots, template_xlsx()).content.decode()
        batch = ImportBatch.objects.get()
        assert (batch.total, batch.imported, batch.failed) == (1, 1, 0), html
        assert Member.objects.filter(name="韩建辉").exists()


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _errors(client, batch):
    response = client.get(reverse("members_bench:import_errors", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    return [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]


def test_a_number_excel_mangled_gets_its_own_message(personas, client):
    good = make_id(dt.date(1985, 6, 1))
    typo = good[:17] + ("1" if good[17] != "1" else "2")
    rows = [
        # typed into a number cell: Excel keeps 15 significant digits and stores a double
        ["刘一", float(good[:17] + "0"), "13812345601", "货车司机", "预石运输", "", "", ""],
        # copied out of Excel as displayed
        ["刘二", "1.41125E+17", "13812345602", "货车司机", "预石运输", "", "", ""],
        # the check character X dropped
        ["刘三", good[:17], "13812345603", "货车司机", "预石运输", "", "", ""],
        # a plain typo keeps the checksum message, once
        ["刘四", typo, "13812345604", "货车司机", "预石运输", "", "", ""],
        # the phone typed as a number is fine
        ["刘五", make_id(dt.date(1986, 7, 2)), 13812345605, "货车司机", "预石运输", "", "", ""],
    ]
    client.force_login(personas.grassroots_admin)
    _upload(client, personas.tree.grassroots, _sheet(rows))
    batch = ImportBatch.objects.get()
    assert (batch.imported, batch.failed) == (1, 4)
    messages = _errors(client, batch)
    assert messages[0].startswith("第2行 身份证号：身份证号被 Excel 转成了数字（显示为 1.")
    assert "文本" in messages[0] and "校验位" not in messages[0]
    assert messages[1].startswith("第3行 身份证号：身份证号被 Excel 转成了数字（显示为 1.41125E+17）")
    assert messages[2].startswith("第4行 身份证号：身份证号只有17位") and "X" in messages[2]
    assert messages[3] == "第5行 身份证号：身份证号校验位不正确，请核对后重新输入"
    assert all(m.count("校验位") <= 1 and m.count("请核对") <= 1 for m in messages)
