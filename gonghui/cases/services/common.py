"""Shared by the case services: roles, inputs, text limits, the step log, notifications, locks and status guards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gonghui.core.errors import DomainError, Forbidden, field_value
from gonghui.core.notifications import notify
from gonghui.core.validators import normalize_mobile
from gonghui.core.workdays import add_working_days
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import staff_holding, staff_users

from ..models import Case, CaseStep

ACT_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
READ_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.OBSERVER, Staff.Role.AUDITOR)
# Categories about an employer: the employer's name is needed to route and to act.
EMPLOYER_CATEGORIES = {"wages", "injury", "contract", "social_insurance", "safety"}
DEPARTMENTS = [
    "人社局（劳动保障监察）",
    "劳动人事争议仲裁院",
    "住建局",
    "人民法院",
    "司法局（法律援助中心）",
    "公安局",
    "市场监管局",
    "乡镇(街道)政府",
    "用人单位",
    "其他",
]
MAX_CLAIMANTS = 1000
S = Case.Status


@dataclass
class ClaimantInput:
    name: str
    phone: str = ""
    amount: str | Decimal = "0"


@dataclass
class CaseInput:
    category: str
    description: str
    workplace_region: str
    employer_name: str = ""
    employer_credit_code: str = ""
    workplace_township_id: int | None = None
    workplace_address: str = ""
    amount_claimed: str | Decimal | None = None
    title: str = ""
    confidential: bool = False
    claimant_name: str = ""
    claimant_phone: str = ""
    claimants: list[ClaimantInput] = field(default_factory=list)


def _clean_phone(value: str, field_name: str, *, required: bool) -> str:
    if not (value or "").strip():
        if required:
            raise DomainError("请填写手机号，便于工会联系您", code="phone_required", field=field_name)
        return ""
    return field_value(value, field_name, normalize_mobile)


# Longest text accepted per field: longer input is refused with the field and the limit, never cut.
MAX_LENGTHS = {
    "title": (80, "标题"),
    "employer_name": (120, "用人单位"),
    "workplace_address": (200, "工作地点"),
    "claimant_name": (40, "诉求人姓名"),
    "body": (5000, "内容"),
    "note": (120, "备注"),
    "comment": (300, "评价"),
    "reason": (200, "理由"),
}


def _text(value, field: str, *, limit_key: str | None = None) -> str:
    """The stripped text, or a coded error naming the field and its limit when it is too long."""
    value = (value or "").strip()
    limit, label = MAX_LENGTHS[limit_key or field]
    if len(value) > limit:
        raise DomainError(
            f"{label}不能超过{limit}个字（现有{len(value)}个字），请精简后再提交",
            code="text_too_long",
            field=field,
        )
    return value


def _step(case, kind, actor, *, body="", visible=False, department="", org=None) -> CaseStep:
    label = ""
    if getattr(actor, "pk", None):
        label = actor.name or "工作人员"
    return CaseStep.objects.create(
        case=case,
        kind=kind,
        body=body,
        visible_to_worker=visible,
        department=department,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:80],
        org=org or case.org,
    )


def chain_positions(case: Case, roles):
    """Active positions with these roles on the handling union or a union above it."""
    return staff_holding(org=case.org, roles=roles, reach="chain")


def _staff_users(org: Org, roles=ACT_ROLES):
    return staff_users(org=org, roles=roles)


def _staff_link(case) -> str:
    return reverse("cases_bench:detail", args=[case.pk])


def _worker_link(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _notify_org(org: Org, *, title: str, body: str, case: Case) -> None:
    for user in _staff_users(org):
        notify(user=user, title=title, body=body, link=_staff_link(case), kind="case")


def _notify_worker(case: Case, title: str, body: str = "", *, sms: bool = False) -> None:
    if case.filer_id:
        notify(user=case.filer, title=title, body=body, link=_worker_link(case), kind="case", sms=sms)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_act(actor, case: Case) -> None:
    if not in_scope(actor, case.org, ACT_ROLES):
        raise Forbidden("您没有办理该工单的权限（仅承办工会及其上级的经办人、管理员可以办理）")


def _require_status(case: Case, allowed, action: str) -> None:
    if case.status not in allowed:
        raise DomainError(
            f"工单当前状态为「{case.get_status_display()}」，不能{action}",
            code="invalid_transition",
            status=409,
        )


def _handle_limit(case: Case) -> int:
    return settings.GONGHUI_CASES_HANDLE_WORKDAYS[case.difficulty]


def _recompute_due(case: Case) -> None:
    if case.clock_start:
        case.handle_due = add_working_days(case.clock_start, _handle_limit(case) + case.paused_workdays)


def _start_work(case: Case) -> None:
    """Any handling step on an accepted case means it is being worked on."""
    if case.status == S.ACCEPTED:
        case.status = S.IN_PROGRESS


def _today() -> dt.date:
    return timezone.localdate()
