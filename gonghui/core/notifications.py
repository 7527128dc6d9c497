"""The in-app inbox. notify() stores the message; an SMS copy leaves only after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .sms import send_sms


def notify(
    *, user, title: str, body: str = "", link: str = "", kind: str = "system", sms: bool = False
) -> Notification:
    note = Notification.objects.create(user=user, title=title, body=body, link=link, kind=kind)
    if sms and user.phone:
        phone, text = user.phone, f"【工会】{title}"
        transaction.on_commit(lambda: send_sms(phone, text))
    return note


def notifications_for(user):
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
