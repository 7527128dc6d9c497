"""The campaign report as xlsx: counts by offer, union and occupation — no personal data."""

from __future__ import annotations

from gonghui.core.xlsx import XlsxWriter

METRIC_HEADERS = ["发放", "已核销", "已退订", "未到场/未使用"]
METRICS = ["issued", "redeemed", "cancelled", "no_show"]


def report_xlsx(report: dict) -> bytes:
    book = XlsxWriter()
    ws = book.sheet("按名额")
    ws.widths([36])
    campaign = report["campaign"]
    ws.append([campaign.title, campaign.get_kind_display(), campaign.org.name])
    ws.append([])
    ws.header(["名额", "总量", "剩余", *METRIC_HEADERS])
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
        sheet = book.sheet(title)
        sheet.widths([36])
        sheet.header([title[1:], *METRIC_HEADERS])
        for row in rows:
            sheet.append([row[key], *(row[m] for m in METRICS)])
    return book.to_bytes()
