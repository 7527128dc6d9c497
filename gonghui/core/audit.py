"""Writing the audit log. Services call audit_record inside their transaction."""

from __future__ import annotations

import re

from .context import current_ip
from .crypto import mask_id_number, mask_phone
from .models import AuditEvent

# Free text that reaches the log (a reveal reason, say) may carry the very number it is about.
_ID_LIKE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])")


def scrub(value):
    """Mask anything shaped like a 身份证号 or mobile number in a detail value, however nested."""
    if isinstance(value, str):
        value = _ID_LIKE.sub(lambda m: mask_id_number(m.group(0)), value)
        return _MOBILE_LIKE.sub(lambda m: mask_phone(m.group(0).removeprefix("+").removeprefix("86")), value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    org=None,
    result: str = AuditEvent.Result.OK,
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    event = audit_event(actor=actor, action=action, obj=obj, org=org, result=result, detail=detail, ip=ip)
    event.save()
    return event


def audit_event(
    *,
    actor,
    action: str,
    obj=None,
    org=None,
    result: str = AuditEvent.Result.OK,
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """The event audit_record would write, unsaved: for a caller that writes it in its own statement."""
    if org is None and obj is not None:
        org = getattr(obj, "org", None) if not _is_org(obj) else obj
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        org=org,
        org_path=getattr(org, "path", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        result=result,
        ip=ip or current_ip.get(),
        detail=scrub(detail or {}),
    )


def _is_org(obj) -> bool:
    return obj._meta.label_lower == "orgs.org"


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "匿名"
    # The display name and masked phone, never the full number.
    return f"{actor.name or '用户'}（{actor.phone_masked}）"[:80]
