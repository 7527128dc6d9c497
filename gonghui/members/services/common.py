"""Shared by the member services: roles, the enrollment step log, notifications, text cleaners."""

from __future__ import annotations

import re

from django.urls import reverse

from gonghui.core.audit import _actor_label as actor_label
from gonghui.core.errors import DomainError
from gonghui.core.notifications import notify
from gonghui.core.regions import province_name
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.selectors import staff_users

from ..models import (
    Enrollment,
    EnrollmentStep,
)

REVEALABLE = {"id_number": "身份证号", "phone": "手机号"}
APPROVER_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER)
REGISTRY_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER, Staff.Role.HANDLER)
MIN_AGE = 16
CARD_SALT = "gonghui.members.card"


def _reason(value: str, field: str = "reason", what: str = "原因") -> str:
    value = (value or "").strip()
    if len(value) < 2:
        raise DomainError(f"请填写{what}（至少2个字）", code="reason_required", field=field)
    if len(value) > 200:
        raise DomainError(f"{what}不能超过200字", code="reason_too_long", field=field)
    return value


def _approvers(org: Org) -> list:
    """Approvers of the org, or of the nearest ancestor that has any, so nothing lands unread."""
    return staff_users(org=org, roles=APPROVER_ROLES, reach="nearest")


def _notify_staff(org: Org, *, title: str, body: str, link: str, sms: bool = False) -> None:
    for user in {u.pk: u for u in _approvers(org)}.values():
        notify(user=user, title=title, body=body, link=link, kind="enrollment", sms=sms)


def _step(enrollment: Enrollment, title: str, detail: str = "", actor=None) -> None:
    EnrollmentStep.objects.create(
        enrollment=enrollment,
        title=title,
        detail=detail[:500],
        actor_label=actor_label(actor) if actor is not None else "系统",
    )


def _tell_applicant(enrollment: Enrollment, title: str, body: str = "", sms: bool = False) -> None:
    if enrollment.user_id:
        notify(
            user=enrollment.user,
            title=title,
            body=body,
            kind="enrollment",
            sms=sms,
            link=reverse("members:enrollment", args=[enrollment.pk]),
        )


def _clean_text(value: str, field: str, label: str, max_len: int, required: bool = True) -> str:
    value = re.sub(r"\s+", " ", (value or "").strip())
    if required and not value:
        raise DomainError(f"请填写{label}", code="required", field=field)
    if len(value) > max_len:
        raise DomainError(f"{label}不能超过{max_len}个字", code="too_long", field=field)
    return value


def _clean_region(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and not (re.fullmatch(r"\d{6}", value) and province_name(value)):
        raise DomainError("请从列表中选择省、市、县（区）", code="region_format", field=field)
    return value
