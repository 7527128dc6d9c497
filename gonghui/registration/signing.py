"""The certificate PDF: drawn with reportlab (CID font STSong-Light, a seal drawn in code, a QR code),
then signed with the registering authority's key as a PAdES signature by pyHanko.

Keys: in production settings.REGISTRATION_SIGNING_KEYS maps an authority's 统一社会信用代码 (or org id)
to {"key": "/path/key.pem", "cert": "/path/cert.pem", "chain": [...]}; without an entry and outside
production the demo generates a self-signed ECDSA P-256 certificate per authority into the database (key
encrypted). SM2: neither cryptography nor pyHanko sign with SM2/SM3 today, so signatures use ECDSA-SHA256."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import segno
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .models import AuthorityKey

FONT = "STSong-Light"
SEAL_RED = Color(0.82, 0.07, 0.07)
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# --- keys -------------------------------------------------------------------------------------


def _configured(authority) -> dict | None:
    table = getattr(settings, "REGISTRATION_SIGNING_KEYS", {}) or {}
    return table.get(authority.credit_code or "") or table.get(str(authority.pk))


def _generate(authority) -> AuthorityKey:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority.name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{authority.name} 法人登记电子印章(演示)"),
        ]
    )
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    record, _ = AuthorityKey.objects.get_or_create(
        authority=authority,
        defaults={"cert_pem": cert.public_bytes(serialization.Encoding.PEM).decode(), "key_pem": key_pem},
    )
    return record


def authority_material(authority) -> tuple[bytes, bytes, list[bytes]]:
    """(key PEM, certificate PEM, chain PEMs) the authority signs with."""
    conf = _configured(authority)
    if conf:
        chain = [Path(p).read_bytes() for p in conf.get("chain", [])]
        return Path(conf["key"]).read_bytes(), Path(conf["cert"]).read_bytes(), chain
    if getattr(settings, "GONGHUI_ENV", "demo") == "production":
        raise ImproperlyConfigured(f"未配置 {authority.name} 的法人登记签章证书 (REGISTRATION_SIGNING_KEYS)")
    record = AuthorityKey.objects.filter(authority=authority).first() or _generate(authority)
    return record.key_pem.encode(), record.cert_pem.encode(), []


def _asn1_cert(pem: bytes) -> asn1_x509.Certificate:
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def authority_certificate(authority) -> asn1_x509.Certificate:
    return _asn1_cert(authority_material(authority)[1])


# --- drawing ----------------------------------------------------------------------------------


def _seal(c: canvas.Canvas, cx: float, cy: float, r: float, authority_name: str) -> None:
    """A round official seal drawn in code: red ring, five-pointed star, the name along the top arc."""
    c.saveState()
    c.setStrokeColor(SEAL_RED)
    c.setFillColor(SEAL_RED)
    c.setLineWidth(3)
    c.circle(cx, cy, r)
    star_r = r * 0.28
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        rad = star_r if i % 2 == 0 else star_r * 0.4
        points.append((cx + rad * math.cos(angle), cy + rad * math.sin(angle)))
    path = c.beginPath()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    text = authority_name
    size = r * 0.26
    span = math.radians(min(250, 22 * len(text)))
    for i, ch in enumerate(text):
        angle = math.pi / 2 + span / 2 - (span * (i + 0.5) / len(text))
        c.saveState()
        c.translate(cx + (r - size * 1.05) * math.cos(angle), cy + (r - size * 1.05) * math.sin(angle))
        c.rotate(math.degrees(angle) - 90)
        c.setFont(FONT, size)
        c.drawCentredString(0, -size * 0.35, ch)
        c.restoreState()
    c.setFont(FONT, size * 0.8)
    c.drawCentredString(cx, cy - r * 0.55, "法人登记专用章")
    c.restoreState()


def _qr(c: canvas.Canvas, x: float, y: float, size: float, url: str) -> None:
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix_iter(border=1))
    cell = size / len(matrix)
    c.saveState()
    c.setFillColor(black)
    for row, cells in enumerate(matrix):
        for col, on in enumerate(cells):
            if on:
                c.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell, stroke=0, fill=1)
    c.restoreState()


def verify_url(number: str) -> str:
    base = getattr(settings, "REGISTRATION_VERIFY_BASE", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/registration/verify/{number}/"


def render_pdf(cert) -> bytes:
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setTitle(f"工会法人资格证书 {cert.number}")
    c.setAuthor(cert.authority.name)
    c.setStrokeColor(SEAL_RED)
    c.setLineWidth(4)
    c.rect(28, 28, width - 56, height - 56)
    c.setLineWidth(1)
    c.rect(36, 36, width - 72, height - 72)
    c.setFillColor(black)
    c.setFont(FONT, 30)
    c.drawCentredString(width / 2, height - 100, "工会法人资格证书")
    c.setFont(FONT, 12)
    c.drawCentredString(width / 2, height - 124, "（电子证书）")
    c.drawRightString(width - 70, height - 70, f"证书编号：{cert.number}")
    rows = [
        ("统一社会信用代码", cert.credit_code),
        ("名　　称", cert.union_name),
        ("法定代表人", cert.legal_rep),
        ("住　　所", cert.address),
        ("有 效 期", f"{cert.valid_from:%Y-%m-%d} 至 {cert.valid_until:%Y-%m-%d}"),
        ("登记机关", cert.authority.name),
    ]
    y = height - 185
    for label, value in rows:
        c.setFont(FONT, 15)
        c.drawString(90, y, label)
        c.drawString(235, y, str(value))
        y -= 38
    issued = timezone.localtime(cert.issued_at).date()
    c.setFont(FONT, 13)
    c.drawString(width - 360, 95, cert.authority.name)
    c.drawString(width - 360, 72, f"发证日期：{issued:%Y-%m-%d}")
    _seal(c, width - 160, 122, 62, cert.authority.name)
    _qr(c, 80, 60, 90, verify_url(cert.number))
    c.setFont(FONT, 9)
    c.drawString(180, 80, "扫码或访问查验页面核验证书状态；")
    c.drawString(180, 66, "本证书经登记机关数字签名，内容被改动即验签失败。")
    c.showPage()
    c.save()
    return buf.getvalue()


def sign_pdf(pdf: bytes, authority) -> bytes:
    key_pem, cert_pem, chain = authority_material(authority)
    signing_key = asn1_keys.PrivateKeyInfo.load(
        serialization.load_pem_private_key(key_pem, password=None).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert_pem),
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(p) for p in chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="登记机关签章",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="工会法人登记",
        location=authority.name,
    )
    out = _off_loop(signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer)
    return out.getvalue()


def certificate_pdf(cert) -> bytes:
    return sign_pdf(render_pdf(cert), cert.authority)


def _off_loop(fn, *args):
    """pyHanko's sync API runs its own event loop: from inside a running loop, run it on a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def validate(pdf: bytes, authority) -> dict:
    """pyHanko's validator on a certificate PDF, trusting the authority's certificate."""
    trust_root = authority_certificate(authority)
    return _off_loop(_validate, pdf, trust_root)


def _validate(pdf: bytes, trust_root) -> dict:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception:  # a mangled file is simply not a valid certificate
        return {"intact": False, "valid": False, "trusted": False, "signer": ""}
    if not sigs:
        return {"intact": False, "valid": False, "trusted": False, "signer": ""}
    ctx = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    try:
        status = validate_pdf_signature(sigs[0], ctx)
    except Exception:
        return {"intact": False, "valid": False, "trusted": False, "signer": ""}
    return {
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "signer": status.signing_cert.subject.human_friendly,
    }
