"""The one way spreadsheets enter and leave gonghui.

Writing (every export, template and error file)::

    from gonghui.core.xlsx import XlsxWriter, xlsx_response, export_audit
    book = XlsxWriter()
    sheet = book.sheet("会员名册", header=["会员编号", "姓名"])
    sheet.append([m.member_no, m.name])       # a value starting with = + - @ tab or CR is written as text
    export_audit(actor=user, action="members.export", orgs=[org], detail={"rows": n})  # org is required
    return xlsx_response(book.to_bytes(), "会员-20261201.xlsx")

Reading (every import)::

    from gonghui.core.xlsx import read_first_sheet
    rows = read_first_sheet(upload_bytes, max_rows=100_000)   # list of rows (lists of cell values)

``read_first_sheet`` checks the zip before anything parses it — declared and actual uncompressed sizes,
entry count, compression ratio, the number of rows and columns of the sheet — and answers a hostile or
oversized file with a coded DomainError in Chinese (field "file"), so a 1 MB "zip bomb" never reaches
the parser. Limits are module constants (documented in docs/security.md).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- writing --------------------------------------------------------------------------------------

# A cell that starts with one of these is a formula (or becomes one when re-typed or opened as CSV).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="C8102E")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


class XlsxSheet:
    def __init__(self, book: XlsxWriter, ws):
        self._book = book
        self.ws = ws

    def append(self, row: Iterable) -> None:
        """Append one row; strings are always text cells, never formulas."""
        self.ws.append([self._book.cell(self.ws, value) for value in row])

    def header(self, row: Iterable) -> None:
        cells = []
        for value in row:
            cell = self._book.cell(self.ws, value)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cells.append(cell)
        self.ws.append(cells)

    def widths(self, widths: Iterable[int]) -> None:
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width


class XlsxWriter:
    """A write-only (streaming) workbook whose string cells can never be formulas."""

    def __init__(self):
        self.wb = Workbook(write_only=True)

    def sheet(self, title: str, *, header: Iterable | None = None) -> XlsxSheet:
        sheet = XlsxSheet(self, self.wb.create_sheet(title[:31]))
        if header is not None:
            sheet.header(header)
        return sheet

    @staticmethod
    def cell(ws, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=None)
        if isinstance(value, str):
            # Set the value without openpyxl's type guess ("=…" → formula): a string cell shows the
            # text as typed, and the quote prefix keeps Excel from turning it into a formula on edit.
            cell._value = value
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        else:
            cell.value = value
        return cell

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of xlsx bytes; the filename may be Chinese."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def export_audit(*, actor, action: str, orgs, detail: dict | None = None, result: str = "ok", obj=None):
    """Audit an export: one row per org node the export covered, so the auditor of that subtree sees it.
    `orgs` is an Org or an iterable of Orgs and may not be empty (an export without an org is a bug)."""
    from .audit import audit_record

    orgs = [orgs] if hasattr(orgs, "path") else [o for o in orgs if o is not None]
    if not orgs:
        raise ValueError(f"export_audit({action}) needs the org the export covers")
    return [
        audit_record(actor=actor, action=action, obj=obj, org=org, result=result, detail=detail)
        for org in orgs
    ]


# --- reading --------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_ENTRIES = 200  # files inside the xlsx zip
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all entries together, declared and actually inflated
MAX_RATIO = 100  # uncompressed : compressed, for any entry above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_COLUMNS = 64
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_ROW_INDEX = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)\d")


def _bad(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, field="file")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_xlsx(data: bytes, *, max_rows: int) -> None:
    """Refuse a file that is not a sane xlsx before any parser sees it (see the module docstring)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _bad(f"文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024}MB，请拆分后上传", "file_too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _bad("无法读取文件，请上传 .xlsx 格式的表格（可先下载模板）", "file_unreadable") from None
    bomb = _bad(
        "文件解压后过大或压缩比异常，可能已损坏或被篡改；请在 Excel/WPS 中另存为 .xlsx 后重新上传",
        "xlsx_bomb",
    )
    if len(entries) > MAX_ENTRIES:
        raise _bad(
            f"文件内部包含的部件过多（超过 {MAX_ENTRIES} 个），请另存为普通 .xlsx 后上传", "too_many_entries"
        )
    if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
        raise bomb
    for e in entries:
        if e.file_size > RATIO_FLOOR and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise bomb
    inflated = 0
    sheet_names = [e.filename for e in entries if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", e.filename)]
    first_sheet = min(sheet_names, key=lambda n: int(re.sub(r"\D", "", n)), default=None)
    try:
        for e in entries:
            rows = max_row = max_col = 0
            tail = b""
            with archive.open(e) as stream:
                while chunk := stream.read(1024 * 1024):
                    inflated += len(chunk)
                    if inflated > MAX_UNCOMPRESSED:
                        raise bomb
                    if e.filename != first_sheet:
                        continue
                    window = tail + chunk
                    # A tag split across two chunks is whole in the overlap; one wholly inside it was counted.
                    rows += sum(1 for m in _ROW_TAG.finditer(window) if m.end() > len(tail))
                    for m in _ROW_INDEX.finditer(window):
                        max_row = max(max_row, int(m.group(1)[:9]))
                    for m in _CELL_COLUMN.finditer(window):
                        max_col = max(max_col, _column_number(m.group(1)[:4]))
                    tail = window[-256:]
                    if rows > max_rows + 1 or max_row > max_rows + 1:
                        raise _bad(
                            f"一次最多导入 {max_rows:,} 行，本文件超过了，请拆分后上传", "too_many_rows"
                        )
                    if max_col > MAX_COLUMNS:
                        raise _bad(f"表格列数过多（超过 {MAX_COLUMNS} 列），请按模板填写", "bad_header")
    except DomainError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _bad("无法读取文件，请上传 .xlsx 格式的表格（可先下载模板）", "file_unreadable") from None


def read_first_sheet(data: bytes, *, max_rows: int) -> list[list]:
    """The first sheet's rows (header included) as Python values, after check_xlsx."""
    from python_calamine import CalamineWorkbook

    check_xlsx(data, max_rows=max_rows)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
    except Exception:
        raise _bad("无法读取文件，请上传 .xlsx 格式的表格（可先下载模板）", "file_unreadable") from None
