import datetime as dt

from ninja import Router, Schema

from gonghui.core.errors import Forbidden
from gonghui.core.pagination import window
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import scope_paths

from .selectors import audit_events

router = Router(tags=["审计"])


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor_label: str
    org_id: int | None
    action: str
    object_type: str
    object_id: str
    result: str
    ip: str | None
    detail: dict


@router.get("/audit", response=list[AuditOut], summary="审计日志（审计员）")
def audit_list(request, action: str = "", result: str = "", limit: int = 100, offset: int = 0):
    if not scope_paths(request.user, roles=[Staff.Role.AUDITOR]):
        raise Forbidden("只有审计员可以查看审计日志")
    qs = audit_events(actor=request.user, action=action, result=result)
    return window(qs, limit=limit, offset=offset, maximum=500)
