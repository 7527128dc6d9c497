"""core.xlsx: no cell leaves as a formula; a hostile upload is refused before any parser sees it."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from gonghui.core import xlsx
from gonghui.core.errors import DomainError

HOSTILE = ['=HYPERLINK("http://evil.example/x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def test_formula_like_strings_are_written_as_text():
    book = xlsx.XlsxWriter()
    book.sheet("s", header=["值"]).append(HOSTILE)
    content = book.to_bytes()
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    row = load_workbook(io.BytesIO(content)).active[2]
    # Whether a CR survives the XML round trip depends on the reader; the text itself must.
    assert [c.value.replace("\r", "\n") for c in row] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" and c.quotePrefix for c in row)


def test_plain_openpyxl_would_have_written_a_formula():
    # The control: the same value through openpyxl directly is a live formula.
    wb = Workbook(write_only=True)
    wb.create_sheet("s").append([HOSTILE[0]])
    out = io.BytesIO()
    wb.save(out)
    assert b"<f>" in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")


def _xlsx_with_sheet(sheet_xml: bytes, *, extra: int = 0, stored_size: int | None = None) -> bytes:
    """A minimal xlsx around the given sheet XML (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for i in range(extra):
            z.writestr(f"xl/media/x{i}.xml", b"x")
    return out.getvalue()


def _sheet(rows: int, cell: bytes = b'<c r="A{n}" t="inlineStr"><is><t>x</t></is></c>') -> bytes:
    body = b"".join(
        b'<row r="%d">' % n + cell.replace(b"{n}", str(n).encode()) + b"</row>" for n in range(1, rows + 1)
    )
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + b"</sheetData></worksheet>"
    )


def _refused(data: bytes, code: str | set, max_rows: int = 100):
    with pytest.raises(DomainError) as exc:
        xlsx.check_xlsx(data, max_rows=max_rows)
    assert exc.value.code in ({code} if isinstance(code, str) else code), exc.value.code
    assert exc.value.field == "file"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_a_zip_bomb_is_refused_by_ratio_before_parsing():
    # 300 MB of spaces inside the sheet compresses to ~300 KB.
    padding = b" " * (300 * 1024 * 1024)
    bomb = _xlsx_with_sheet(_sheet(1)[: -len(b"</worksheet>")] + padding + b"</worksheet>")
    assert len(bomb) < 1024 * 1024
    _refused(bomb, "xlsx_bomb")


def test_a_highly_compressible_sheet_below_the_total_is_refused_by_ratio():
    bomb = _xlsx_with_sheet(_sheet(1)[:-12] + b" " * (20 * 1024 * 1024) + b"</worksheet>")
    _refused(bomb, "xlsx_bomb")


def test_lying_declared_size_is_caught_while_inflating(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_RATIO", 10**9)
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    data = bytearray(_xlsx_with_sheet(_sheet(1)[:-12] + b" " * (3 * 1024 * 1024) + b"</worksheet>"))
    # Rewrite the declared uncompressed size of every entry (local header and central directory) to 1 byte.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert sum(e.file_size for e in archive.infolist()) > 2 * 1024 * 1024
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(sig, start)) != -1:
            data[start + offset : start + offset + 4] = (1).to_bytes(4, "little")
            start += 4
    # Python's zipfile never inflates past the declared size and then fails the CRC: refused either way.
    _refused(bytes(data), {"xlsx_bomb", "file_unreadable"})


def test_too_many_entries():
    _refused(_xlsx_with_sheet(_sheet(1), extra=xlsx.MAX_ENTRIES + 1), "too_many_entries")


def test_rows_beyond_the_limit_stop_the_read():
    _refused(_xlsx_with_sheet(_sheet(102)), "too_many_rows", max_rows=100)
    xlsx.check_xlsx(_xlsx_with_sheet(_sheet(101)), max_rows=100)  # header + 100 rows is fine


def test_one_cell_far_down_or_far_right_is_refused():
    far_down = _sheet(1).replace(b'<row r="1">', b'<row r="1048576">')
    _refused(_xlsx_with_sheet(far_down), "too_many_rows")
    far_right = _sheet(1, b'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c>')
    _refused(_xlsx_with_sheet(far_right), "bad_header")


def test_not_a_zip():
    _refused(b"this is not a spreadsheet", "file_unreadable")


def test_a_normal_file_reads():
    book = xlsx.XlsxWriter()
    sheet = book.sheet("s", header=["姓名", "身份证号"])
    for i in range(50):
        sheet.append([f"张{i}", "141125198805170011"])
    rows = xlsx.read_first_sheet(book.to_bytes(), max_rows=100)
    assert len(rows) == 51 and rows[1] == ["张0", "141125198805170011"]


@pytest.mark.django_db
def test_export_audit_requires_an_org(personas):
    with pytest.raises(ValueError):
        xlsx.export_audit(actor=personas.county_staffer, action="x.export", orgs=[])
    (event,) = xlsx.export_audit(actor=personas.county_staffer, action="x.export", orgs=personas.tree.county)
    assert event.org_path == personas.tree.county.path
