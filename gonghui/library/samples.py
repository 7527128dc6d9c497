"""Small real e-books made on the spot: the demo's 流动电子职工书屋 and the tests use them (no files shipped)."""

from __future__ import annotations

import io
import zipfile


def make_pdf(
    title: str = "职工安全生产读本",
    pages: int = 2,
    lines: tuple[str, ...] = (),
    chapter: str = "班前检查五步法",
) -> bytes:
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
        c.drawString(40, 440, f"第 {n} 章  {chapter}")
        c.drawString(40, 410, "一看二查三试四记五报，安全生产从我做起。")
        for i, line in enumerate(lines):
            c.drawString(40, 380 - 24 * i, line)
        c.setFillColorRGB(0.78, 0.09, 0.11)
        c.rect(40, 300, 200, 60, fill=1, stroke=0)
        c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def make_epub(
    title: str = "书香工会读本", text: str = "多读书、读好书、善读书。", uid: str = "gonghui-test"
) -> bytes:
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
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="uid">urn:uuid:{uid}</dc:identifier>'
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
