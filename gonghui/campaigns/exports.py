"""The campaign report as xlsx: counts by offer, union and occupation — no personal data."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

METRIC_HEADERS = ["发放", "已核销", "已退订", "未到场/未使用"]
METRICS = ["issued", "redeemed", "cancelled", "no_show"]


def report_xlsx(report: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "按名额"
    campaign = report["campaign"]
    ws.append([campaign.title, campaign.get_kind_display(), campaign.org.name])
    ws.append([])
    ws.append(["名额", "总量", "剩余", *METRIC_HEADERS])
    for row in report["offers"]:
        ws.append([row["name"], row["capacity"], row["remaining"], *(row[m] for m in METRICS)])
    totals = report["totals"]
    ws.append(
        [
            "合计",
            sum(r["capacity"] for r in report["offers"]),
            sum(r["remaining"] for r in report["offers"]),
            *(totals[m] for m in METRICS),
        ]
    )
    for title, rows, key in (
        ("按工会", report["by_union"], "union"),
        ("按职业", report["by_occupation"], "label"),
    ):
        sheet = wb.create_sheet(title)
        sheet.append([title[1:], *METRIC_HEADERS])
        for row in rows:
            sheet.append([row[key], *(row[m] for m in METRICS)])
    for sheet in wb.worksheets:
        for cell in sheet[1 if sheet is not ws else 3]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 36
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
