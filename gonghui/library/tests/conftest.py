import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.library import services
from gonghui.library.models import Collection, ReadingRoom

SH = ZoneInfo("Asia/Shanghai")
# 2026 全民阅读月: a Thursday in April, 10:00 in 铁岭's time zone.
NOW = dt.datetime(2026, 4, 23, 10, 0, tzinfo=SH)
LIULIN = (37.4317, 110.8890)  # 柳林县 (GCJ-02)

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_pdf(title: str = "职工安全生产读本", pages: int = 2) -> bytes:
    """A small real PDF with Chinese text (reportlab's built-in CID font, as many union PDFs are made)."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A5)
    for n in range(1, pages + 1):
        c.setFont("STSong-Light", 22)
        c.drawString(40, 480, title)
        c.setFont("STSong-Light", 14)
        c.drawString(40, 440, f"第 {n} 章  班前检查五步法")
        c.drawString(40, 410, "一看二查三试四记五报，安全生产从我做起。")
        c.setFillColorRGB(0.78, 0.09, 0.11)
        c.rect(40, 300, 200, 60, fill=1, stroke=0)
        c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def make_epub(title: str = "书香工会读本", text: str = "多读书、读好书、善读书。") -> bytes:
    """A small real EPUB 3: mimetype first and stored, container.xml, the OPF package, nav and one chapter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        z.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0" encoding="utf-8"?>'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="zh-CN">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="uid">urn:uuid:gonghui-test</dc:identifier>'
            f"<dc:title>{title}</dc:title><dc:language>zh-CN</dc:language><dc:creator>铁岭市总工会</dc:creator>"
            '<meta property="dcterms:modified">2026-04-01T00:00:00Z</meta></metadata>'
            '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
            '<spine><itemref idref="c1"/></spine></package>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        z.writestr(
            "OEBPS/nav.xhtml",
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-CN"><head><title>目录</title></head><body>'
            '<nav epub:type="toc"><ol><li><a href="c1.xhtml">第一章</a></li></ol></nav></body></html>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        z.writestr(
            "OEBPS/c1.xhtml",
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN">'
            f"<head><title>第一章</title></head><body><h1>第一章 {title}</h1><p>{text}</p>"
            "<p>铁岭市职工书屋从办公区走进车间，从乡镇走进村（社区）。</p></body></html>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def personas(clock, db):
    from gonghui.testing.personas import build_personas

    return build_personas()


@pytest.fixture
def make_room(personas):
    counter = iter(range(1, 10_000))

    def make(org=None, *, actor=None, lat=LIULIN[0], lng=LIULIN[1], **data) -> ReadingRoom:
        n = next(counter)
        fields = {
            "name": f"测试职工书屋{n}",
            "address": f"柳林县测试路 {n} 号",
            "lat": lat,
            "lng": lng,
            "hours": "周一至周五 8:30–17:30",
            "books_count": 1200,
            "workers_reached": 300,
        }
        fields.update(data)
        return services.room_create(
            actor=actor or personas.grassroots_admin, org=org or personas.tree.grassroots, **fields
        )

    return make


@pytest.fixture
def collection(personas) -> Collection:
    """The county's 流动电子职工书屋, licensed to the end of the year."""
    return services.collection_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        name="流动电子职工书屋（时政·管理·健康·文学）",
        licensor="某数字阅读平台",
        licence_until=dt.date(2026, 12, 31),
    )


@pytest.fixture
def pdf_book(personas, collection):
    return services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="职工安全生产读本",
        author="铁岭市总工会",
        category="skills",
        file=upload(make_pdf(), "anquan.pdf"),
    )


@pytest.fixture
def epub_book(personas, collection):
    return services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="书香工会读本",
        author="铁岭市总工会",
        category="literature",
        file=upload(make_epub(), "shuxiang.epub"),
    )
