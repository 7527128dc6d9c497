"""Shared pieces of the aid services: roles, scope checks, input cleaning, encrypted documents."""

from __future__ import annotations

import base64
import datetime as dt

from django.utils import timezone

from gonghui.core.errors import DomainError, NotFound, field_value
from gonghui.core.uploads import check_uploads
from gonghui.core.validators import normalize_mobile, validate_id_number
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import in_scope

from ..models import AidDocument

ACT_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
READ_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.OBSERVER, Staff.Role.AUDITOR)
MAX_DOCUMENTS = 12


def require_act(actor, org) -> None:
    """Out of scope is "not found", the same answer as for a record that does not exist."""
    if org is None or not in_scope(actor, org, ACT_ROLES):
        raise NotFound()


def today() -> dt.date:
    return timezone.localdate()


def clean_text(value, field: str, label: str, *, min_len: int = 1, max_len: int = 120) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if len(text) < min_len:
        hint = f"（不少于{min_len}个字）" if min_len > 1 else ""
        raise DomainError(f"请填写{label}{hint}", code=f"{field}_required", field=field)
    if len(text) > max_len:
        raise DomainError(f"{label}不超过{max_len}个字", code=f"{field}_long", field=field)
    return text


def clean_id(value, field: str) -> str:
    if not (value or "").strip():
        raise DomainError("请填写身份证号（18位）", code="id_required", field=field)
    return field_value((value or "").strip().upper(), field, validate_id_number)


def clean_phone(value, field: str, *, required: bool = False) -> str:
    if not (value or "").strip():
        if required:
            raise DomainError("请填写手机号", code="phone_required", field=field)
        return ""
    return field_value(value, field, normalize_mobile)


def clean_int(value, field: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", code=f"{field}_format", field=field) from None
    if not low <= number <= high:
        raise DomainError(f"{label}应在 {low}–{high} 之间", code=f"{field}_range", field=field)
    return number


def clean_date(value, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(f"{label}格式应为 YYYY-MM-DD", code=f"{field}_format", field=field) from None


def check_documents(files_by_kind: dict[str, list]) -> list[tuple[str, tuple]]:
    """Validate every upload first (type sniffed from the bytes, size bounded): nothing half-saved."""
    checked = []
    total = 0
    for kind, files in (files_by_kind or {}).items():
        if kind not in AidDocument.Kind.values:
            raise DomainError("未知的材料类型", code="document_kind", field="documents")
        for item in check_uploads(files, field="documents"):
            checked.append((kind, item))
        total += len(files)
    if total > MAX_DOCUMENTS:
        raise DomainError(f"一次最多上传 {MAX_DOCUMENTS} 个材料", code="too_many_files", field="documents")
    return checked


def store_documents(checked, *, actor, org_path: str, **links) -> list[AidDocument]:
    """Bytes are base64-encoded and encrypted into the database, never written to disk in clear."""
    docs = []
    for kind, (content, name, content_type, size) in checked:
        content.seek(0)
        docs.append(
            AidDocument.objects.create(
                kind=kind,
                original_name=name[:120],
                content_type=content_type,
                size=size,
                content=base64.b64encode(content.read()).decode(),
                org_path=org_path,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                **links,
            )
        )
    return docs


def document_bytes(doc: AidDocument) -> bytes:
    return base64.b64decode(doc.content)
