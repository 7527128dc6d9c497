import datetime as dt

from django.db import connection
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from . import notifications

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
