"""Upload checks (cases attachments, aid documents): the type is read from the file's first bytes, never from its name or the
browser's Content-Type, and the size is bounded before anything is stored."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile

from .errors import DomainError

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def sniff_ebook(head: bytes) -> tuple[str, str] | None:
    """PDF, or EPUB: a zip whose first entry is the uncompressed `mimetype` file (EPUB OCF 3.0 §4.3)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head[:4] == b"PK\x03\x04" and head[30:38] == b"mimetype" and head[38:58] == b"application/epub+zip":
        return "application/epub+zip", "epub"
    return None


def check_uploads(
    files,
    field: str = "attachments",
    *,
    limit: int | None = None,
    max_bytes: int | None = None,
    sniffer=sniff,
    accepted: str = "JPG、PNG、WEBP 图片或 PDF 文件",
) -> list[tuple[ContentFile, str, str, int]]:
    """Validates every file first, so one bad file rejects the whole upload and nothing is half-saved.
    `sniffer` reads the type from the first 64 bytes (`sniff` for attachments, `sniff_ebook` for e-books)."""
    files = list(files or [])
    limit = limit or settings.GONGHUI_CASES_ATTACHMENTS_PER_UPLOAD
    if len(files) > limit:
        raise DomainError(f"一次最多上传 {limit} 个附件", code="too_many_files", field=field)
    max_bytes = max_bytes or settings.GONGHUI_CASES_ATTACHMENT_MAX_BYTES
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "附件")[-100:]
        size = upload.size
        if size > max_bytes:
            raise DomainError(
                f"附件「{name}」超过 {max_bytes // (1024 * 1024)} MB，请压缩后重新上传",
                code="file_too_large",
                field=field,
            )
        if size == 0:
            raise DomainError(f"附件「{name}」是空文件", code="file_empty", field=field)
        upload.seek(0)
        data = upload.read()
        kind = sniffer(data[:64])
        if kind is None:
            raise DomainError(
                f"附件「{name}」不是 {accepted}，请重新选择",
                code="file_type",
                field=field,
            )
        content_type, ext = kind
        checked.append((ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), name, content_type, size))
    return checked
