"""Attachment checks for cases: the one upload check of core.uploads with the cases limits."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile

from gonghui.core.uploads import check_uploads as _check_uploads
from gonghui.core.uploads import sniff  # noqa: F401 - kept importable from here


def check_uploads(files, field: str = "attachments") -> list[tuple[ContentFile, str, str, int]]:
    return _check_uploads(
        files,
        field=field,
        limit=settings.GONGHUI_CASES_ATTACHMENTS_PER_UPLOAD,
        max_bytes=settings.GONGHUI_CASES_ATTACHMENT_MAX_BYTES,
    )
