"""The payment batch as xlsx for the finance office: one row per payment and the control total."""

from __future__ import annotations

from gonghui.core.money import to_fen
from gonghui.core.xlsx import XlsxWriter

HEADER = ["序号", "申请编号", "补贴项目", "版本", "申请单位/个人", "收款方", "核定金额（元）", "审核意见"]


def batch_xlsx(batch, rows) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet("支付批次", header=HEADER)
    sheet.widths([6, 22, 30, 6, 36, 36, 16, 30])
    total = to_fen(0)
    for i, app in enumerate(rows, start=1):
        total += app.approved_amount
        sheet.append(
            [
                i,
                app.number,
                app.scheme.name,
                f"v{app.version.number}",
                app.applicant_name,
                app.payee,
                app.approved_amount,
                app.review_reason,
            ]
        )
    sheet.append(["合计", f"{len(rows)} 笔", "", "", "", "", total, f"批次 {batch.number} 控制总额 {total}"])
    return book.to_bytes()
