import datetime as dt

from django.db import connection
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from gonghui.core.errors import Forbidden
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import scope_paths

from . import notifications
from .pagination import window
from .selectors import audit_events

router = Router(tags=["系统"])


class HealthOut(Schema):
    status: str
    database: str


@router.get("/health", auth=None, response=HealthOut, summary="健康检查")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {
        "status": "ok",
        "database": "postgresql" if connection.vendor == "postgresql" else connection.vendor,
    }


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool = Field(alias="is_read")

    @staticmethod
    def resolve_is_read(obj):
        return obj.read_at is not None


@router.get("/notifications", response=list[NotificationOut], summary="我的站内通知", tags=["通知"])
def notification_list(request, unread: bool = False):
    qs = notifications.notifications_for(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[:100])


@router.post("/notifications/{notification_id}/read", summary="标记已读", tags=["通知"])
def notification_read(request, notification_id: int):
    get_object_or_404(notifications.notifications_for(request.user), pk=notification_id)
    notifications.notification_mark_read(user=request.user, notification_id=notification_id)
    return {"ok": True}


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


@router.get("/audit", response=list[AuditOut], summary="审计日志（审计员）", tags=["审计"])
def audit_list(request, action: str = "", result: str = "", limit: int = 100, offset: int = 0):
    if not scope_paths(request.user, roles=[Staff.Role.AUDITOR]):
        raise Forbidden("只有审计员可以查看审计日志")
    qs = audit_events(actor=request.user, action=action, result=result)
    return window(qs, limit=limit, offset=offset, maximum=500)
