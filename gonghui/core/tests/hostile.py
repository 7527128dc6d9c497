"""Small generated hostile spreadsheets for the import tests of every app."""

import io
import zipfile


def bomb_xlsx(inflated_mb: int = 300) -> bytes:
    """An xlsx of well under 1 MB whose sheet inflates to `inflated_mb` MB of whitespace."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_rows_xlsx(rows: int) -> bytes:
    """A real xlsx (header + `rows` rows) written row by row, cheap to generate."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(["姓名", "身份证号", "手机号", "职业", "工作单位/平台"])
    for i in range(rows):
        ws.append([f"张{i}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
