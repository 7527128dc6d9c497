"""Writing the audit log. Services call audit_record inside their transaction."""

from __future__ import annotations

from .context import current_ip
from .models import AuditEvent


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
    if org is None and obj is not None:
        org = getattr(obj, "org", None) if not _is_org(obj) else obj
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        org=org,
        org_path=getattr(org, "path", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        ip=ip or current_ip.get(),
        detail=detail or {},
    )


def _is_org(obj) -> bool:
    return obj._meta.label_lower == "orgs.org"


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "匿名"
    # The display name and masked phone, never the full number.
    return f"{actor.name or '用户'}（{actor.phone_masked}）"[:80]
