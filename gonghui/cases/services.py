"""Writes for 诉求工单. Each service: keyword-only, one transaction, validates, audits, notifies after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, RateLimited, field_value
from gonghui.core.money import parse_amount
from gonghui.core.notifications import notify
from gonghui.core.validators import normalize_mobile, validate_credit_code
from gonghui.core.workdays import add_working_days, end_of_day, working_days_between
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, scope_paths
from gonghui.orgs.selectors import staff_holding, staff_users

from . import routing
from .attachments import check_uploads
from .models import OPEN_STATUSES, Attachment, Case, CaseStep, CoClaimant, Escalation, phone_blind_index

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


# --- input ---------------------------------------------------------------------------------


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


def _validate(data: CaseInput) -> dict:
    if data.category not in Case.Category.values:
        raise DomainError("请选择诉求类别", code="category_required", field="category")
    description = (data.description or "").strip()
    if len(description) < 10:
        raise DomainError(
            "请详细描述诉求（不少于10个字）：发生了什么、涉及多少人、持续多久",
            code="description_short",
            field="description",
        )
    if len(description) > 5000:
        raise DomainError("诉求内容不超过5000字", code="description_long", field="description")
    employer_name = _text(data.employer_name, "employer_name")
    _text(data.workplace_address, "workplace_address")
    _text(data.claimant_name, "claimant_name")
    if data.category in EMPLOYER_CATEGORIES and len(employer_name) < 2:
        raise DomainError(
            "请填写用人单位（工作单位、工地或平台）名称", code="employer_required", field="employer_name"
        )
    credit = (data.employer_credit_code or "").strip().upper()
    if credit:
        credit = field_value(credit, "employer_credit_code", validate_credit_code)
    region = (data.workplace_region or "").strip()
    if len(region) != 6 or not region.isdigit():
        raise DomainError("请选择工作地所在县(市、区)", code="region_required", field="workplace_region")
    township = None
    if data.workplace_township_id:
        township = Org.objects.filter(pk=data.workplace_township_id).first()
        if township is None:
            raise DomainError(
                "所选乡镇(街道)不存在，请重新选择", code="bad_township", field="workplace_township"
            )
    claimants = []
    if len(data.claimants) > MAX_CLAIMANTS:
        raise DomainError(f"共同诉求人最多 {MAX_CLAIMANTS} 人", code="too_many_claimants", field="claimants")
    for i, c in enumerate(data.claimants, start=1):
        name = (c.name or "").strip()
        if not name:
            raise DomainError(f"第{i}位共同诉求人缺少姓名", code="claimant_name", field="claimants")
        if len(name) > 40:
            raise DomainError(
                f"第{i}位共同诉求人的姓名不能超过40个字", code="text_too_long", field="claimants"
            )
        phone = _clean_phone(c.phone, "claimants", required=False)
        claimants.append((name[:40], phone, parse_amount(c.amount, "claimants")))
    amount = parse_amount(data.amount_claimed, "amount_claimed")
    if claimants:
        total = sum((a for _n, _p, a in claimants), Decimal("0.00"))
        if data.amount_claimed not in (None, "") and amount != total:
            raise DomainError(
                f"诉求金额应等于各共同诉求人金额之和（{total} 元）",
                code="amount_mismatch",
                field="amount_claimed",
            )
        amount = total
    if data.category == "wages" and amount <= 0:
        raise DomainError(
            "欠薪诉求请填写被拖欠的工资金额（元）", code="amount_required", field="amount_claimed"
        )
    title = (
        _text(data.title, "title")
        or f"{Case.Category(data.category).label}：{employer_name or description[:16]}"
    )[:80]
    return {
        "description": description,
        "employer_name": employer_name[:120],
        "credit": credit,
        "region": region,
        "township": township,
        "claimants": claimants,
        "amount": amount,
        "title": title,
    }


# --- intake --------------------------------------------------------------------------------


def _lock_filer(user) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def _check_daily_cap(user) -> None:
    since = timezone.now() - dt.timedelta(days=1)
    if Case.objects.filter(filer=user, created_at__gte=since).count() >= settings.GONGHUI_CASES_MAX_PER_DAY:
        raise RateLimited(
            "您今天提交的诉求较多，请等待工会联系，或拨打 12351 职工服务热线", code="case_daily_cap"
        )


def _cap_race_window() -> None:
    """Between the cap check and the insert. Tests widen it to prove the lock is what decides."""


def case_file(*, actor, data: CaseInput, files=(), channel: str = Case.Channel.ONLINE) -> Case:
    """A worker files for themselves (online/api); staff enter a phone or walk-in claim for someone."""
    on_behalf = channel in (Case.Channel.PHONE, Case.Channel.WALK_IN)
    if on_behalf and not scope_paths(actor, ACT_ROLES):
        raise Forbidden("只有工会经办人员可以代为登记诉求")
    clean = _validate(data)
    if on_behalf:
        claimant_name = (data.claimant_name or "").strip()
        if not claimant_name:
            raise DomainError("请填写诉求人姓名", code="claimant_name", field="claimant_name")
        claimant_phone = _clean_phone(data.claimant_phone, "claimant_phone", required=True)
        filer = None
    else:
        member = getattr(actor, "member", None)
        claimant_name = (data.claimant_name or "").strip() or actor.name or (member.name if member else "")
        if not claimant_name:
            raise DomainError("请填写您的姓名", code="claimant_name", field="claimant_name")
        claimant_phone, filer = actor.phone, actor
        _check_daily_cap(actor)  # fast refusal; decided again under the lock below
    uploads = check_uploads(files)
    large = routing.is_large(
        collective=bool(clean["claimants"]), claimants=len(clean["claimants"]), amount=clean["amount"]
    )
    excluded = routing.employer_union_ids(clean["employer_name"], filer=filer)
    route = routing.route_case(
        region=clean["region"], township=clean["township"], large=large, excluded=excluded
    )
    now = timezone.now()
    with transaction.atomic():
        if filer is not None:
            # The daily cap is decided in the database: the filer's row is locked, so simultaneous
            # submissions count one after another and the cap cannot be overrun.
            _lock_filer(filer)
            _check_daily_cap(filer)
            _cap_race_window()
        case = Case.objects.create(
            number=f"T{uuid.uuid4().hex[:16]}",
            category=data.category,
            channel=channel,
            title=clean["title"],
            description=clean["description"],
            employer_name=clean["employer_name"],
            employer_key=routing.employer_key(clean["employer_name"]),
            employer_credit_code=clean["credit"],
            workplace_region=clean["region"],
            workplace_township=clean["township"],
            workplace_address=(data.workplace_address or "").strip()[:200],
            amount_claimed=clean["amount"],
            is_collective=bool(clean["claimants"]),
            confidential=bool(data.confidential),
            filer=filer,
            claimant_name=claimant_name[:40],
            claimant_phone=claimant_phone,
            claimant_phone_index=phone_blind_index(claimant_phone),
            org=route.org,
            org_path=route.org.path,
            supervising_org=route.supervising_org,
            difficulty=Case.Difficulty.HARD if large else Case.Difficulty.NORMAL,
            accept_due=end_of_day(
                add_working_days(timezone.localtime(now).date(), settings.GONGHUI_CASES_ACCEPT_WORKDAYS)
            ),
        )
        case.number = f"{timezone.localtime(now):%Y%m%d}{case.pk:06d}"
        case.save(update_fields=["number"])
        CoClaimant.objects.bulk_create(
            [
                CoClaimant(case=case, name=n, phone=p, phone_index=phone_blind_index(p), amount_claimed=a)
                for n, p, a in clean["claimants"]
            ]
        )
        step = _step(
            case,
            CaseStep.Kind.FILED,
            actor,
            visible=True,
            body=f"{case.get_channel_display()}提交，{len(uploads)} 个附件"
            if uploads
            else f"{case.get_channel_display()}提交",
        )
        _store_uploads(case, step, uploads, actor, visible=True)
        _step(
            case,
            CaseStep.Kind.ROUTED,
            None,
            visible=True,
            org=route.org,
            body=f"{route.reason}：{route.org.name}"
            + (f"，{route.supervising_org.name}督办" if route.supervising_org else ""),
        )
        audit_record(
            actor=actor,
            action="case.file",
            obj=case,
            org=route.org,
            detail={
                "number": case.number,
                "category": case.category,
                "channel": channel,
                "claimants": len(clean["claimants"]),
                "large": large,
            },
        )
        _notify_org(route.org, title=f"新诉求待受理：{case.number}", body=case.title, case=case)
        if route.supervising_org:
            _notify_org(
                route.supervising_org,
                title=f"督办：{case.number} 由{route.org.name}承办",
                body=case.title,
                case=case,
            )
    return case


def case_open_for_org(
    *,
    actor,
    org: Org,
    category: str,
    title: str,
    description: str,
    claimant_name: str,
    claimant_phone: str = "",
    source: str = "",
) -> Case:
    """A case another app opens for a known union (a 公示 objection to an aid grant, say): no routing,
    the union that owns the matter handles it. The caller validated the text; `source` names the app."""
    if category not in Case.Category.values:
        raise DomainError("请选择诉求类别", code="category_required", field="category")
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            number=f"T{uuid.uuid4().hex[:16]}",
            category=category,
            channel=Case.Channel.ONLINE,
            title=(title or "").strip()[:80] or "异议",
            description=(description or "").strip()[:5000],
            workplace_region=org.region_code or "000000",
            filer=actor if getattr(actor, "pk", None) else None,
            claimant_name=(claimant_name or "").strip()[:40],
            claimant_phone=claimant_phone,
            claimant_phone_index=phone_blind_index(claimant_phone) if claimant_phone else "",
            org=org,
            org_path=org.path,
            accept_due=end_of_day(
                add_working_days(timezone.localtime(now).date(), settings.GONGHUI_CASES_ACCEPT_WORKDAYS)
            ),
        )
        case.number = f"{timezone.localtime(now):%Y%m%d}{case.pk:06d}"
        case.save(update_fields=["number"])
        _step(case, CaseStep.Kind.FILED, actor, visible=True, body=f"由{source or '其他业务'}转入")
        audit_record(
            actor=actor,
            action="case.file",
            obj=case,
            org=org,
            detail={"number": case.number, "category": category, "source": source},
        )
        _notify_org(org, title=f"新诉求待受理：{case.number}", body=case.title, case=case)
    return case


def _store_uploads(case, step, uploads, actor, *, visible: bool) -> list[Attachment]:
    return [
        Attachment.objects.create(
            case=case,
            step=step,
            file=content,
            original_name=name,
            content_type=ctype,
            size=size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            visible_to_worker=visible,
        )
        for content, name, ctype, size in uploads
    ]


# --- helpers -------------------------------------------------------------------------------


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
    return reverse("cases:bench_detail", args=[case.pk])


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


# --- workflow ------------------------------------------------------------------------------


def case_accept(*, actor, case: Case, difficulty: str | None = None, message: str = "") -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.SUBMITTED], "受理")
        if difficulty:
            if difficulty not in Case.Difficulty.values:
                raise DomainError("请选择难度：一般、难点或特别复杂", code="difficulty", field="difficulty")
            case.difficulty = difficulty
        now = timezone.now()
        case.status, case.accepted_at, case.clock_start = S.ACCEPTED, now, timezone.localtime(now).date()
        case.overdue = False
        if case.handler_id is None and in_scope(actor, case.org, [Staff.Role.HANDLER, Staff.Role.ADMIN]):
            case.handler = actor
        _recompute_due(case)
        case.save()
        text = (
            message.strip()
            or f"您的诉求已由{case.org.name}受理，我们将在 {case.handle_due:%Y-%m-%d} 前办结。"
        )
        _step(case, CaseStep.Kind.ACCEPTED, actor, visible=True, body=text)
        audit_record(
            actor=actor,
            action="case.accept",
            obj=case,
            detail={"number": case.number, "difficulty": case.difficulty, "due": str(case.handle_due)},
        )
        _notify_worker(case, f"诉求已受理：{case.number}", text, sms=True)
    return case


def case_set_difficulty(*, actor, case: Case, difficulty: str, reason: str) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "调整难度")
        if difficulty not in Case.Difficulty.values:
            raise DomainError("请选择难度：一般、难点或特别复杂", code="difficulty", field="difficulty")
        if not reason.strip():
            raise DomainError("请填写调整难度的理由", code="reason_required", field="reason")
        case.difficulty = difficulty
        _recompute_due(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.NOTE,
            actor,
            body=f"难度调整为「{case.get_difficulty_display()}」，"
            f"办结时限 {case.handle_due:%Y-%m-%d}。理由：{reason.strip()}",
        )
        audit_record(actor=actor, action="case.difficulty", obj=case, detail={"difficulty": difficulty})
    return case


def case_assign(*, actor, case: Case, handler_id: int) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "指定经办人")
        position = chain_positions(case, ACT_ROLES).filter(user_id=handler_id).first()
        if position is None:
            raise DomainError(
                "经办人须是承办工会（或其上级）的经办人或管理员", code="bad_handler", field="handler"
            )
        case.handler = position.user
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.ASSIGNED,
            actor,
            body=f"指定经办人：{position.user.name}（{position.org.display_name}）",
        )
        audit_record(actor=actor, action="case.assign", obj=case, detail={"handler_id": handler_id})
        notify(
            user=position.user,
            title=f"您被指定为工单 {case.number} 的经办人",
            body=case.title,
            link=_staff_link(case),
            kind="case",
        )
    return case


def case_transfer(*, actor, case: Case, org_id: int, reason: str) -> Case:
    """转派: to another union inside the actor's own scope, never to the employer's own union."""
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "转派")
        if not reason.strip():
            raise DomainError("请填写转派理由", code="reason_required", field="reason")
        target = Org.objects.filter(pk=org_id, is_active=True).first()
        if target is None or not in_scope(actor, target, ACT_ROLES):
            raise DomainError("只能转派给您管辖范围内的工会", code="bad_target", field="org")
        if target.pk == case.org_id:
            raise DomainError("工单已由该工会承办", code="same_org", field="org")
        if target.pk in routing.employer_union_ids(case.employer_name, filer=case.filer):
            raise DomainError("不能转派给被投诉用人单位的本单位工会", code="employer_union", field="org")
        previous = case.org
        case.org, case.org_path, case.handler = target, target.path, None
        case.save()
        _step(
            case,
            CaseStep.Kind.TRANSFERRED,
            actor,
            visible=True,
            org=target,
            body=f"由{previous.name}转派至{target.name}。理由：{reason.strip()}",
        )
        audit_record(
            actor=actor,
            action="case.transfer",
            obj=case,
            org=target,
            detail={"from": previous.pk, "to": target.pk},
        )
        _notify_org(target, title=f"转派工单待办：{case.number}", body=reason.strip()[:100], case=case)
    return case


def case_message(*, actor, case: Case, body: str, internal: bool, files=()) -> CaseStep:
    """A message to the worker (visible on their timeline) or an internal note (staff only)."""
    body = _text(body, "body")
    if not body:
        raise DomainError("请填写内容", code="body_required", field="body")
    uploads = check_uploads(files)
    with transaction.atomic():
        case = _lock(case)
        if internal and case.lawyer_id == actor.pk:
            pass  # the partner lawyer may leave notes for the handlers
        else:
            _require_act(actor, case)
        _require_status(case, [*OPEN_STATUSES, S.RESOLVED, S.RATED], "留言")
        if not internal:
            _start_work(case)
            case.save()
        step = _step(
            case,
            CaseStep.Kind.NOTE if internal else CaseStep.Kind.MESSAGE,
            actor,
            body=body,
            visible=not internal,
        )
        _store_uploads(case, step, uploads, actor, visible=not internal)
        audit_record(
            actor=actor,
            action="case.note" if internal else "case.message",
            obj=case,
            detail={"step": step.pk, "files": len(uploads)},
        )
        if not internal:
            _notify_worker(case, f"工单 {case.number} 有新的答复", body[:100])
    return step


def case_joint_step(
    *, actor, case: Case, department: str, body: str, files=(), visible: bool = True
) -> CaseStep:
    """联合处置: a meeting or action with a government department, with documents such as a 支付承诺书."""
    if department not in DEPARTMENTS:
        raise DomainError("请选择协同部门", code="department", field="department")
    body = _text(body, "body")
    if not body:
        raise DomainError("请填写处置情况", code="body_required", field="body")
    uploads = check_uploads(files)
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "登记联合处置")
        _start_work(case)
        case.save()
        step = _step(case, CaseStep.Kind.JOINT, actor, body=body, department=department, visible=visible)
        _store_uploads(case, step, uploads, actor, visible=visible)
        audit_record(
            actor=actor,
            action="case.joint",
            obj=case,
            detail={"department": department, "files": len(uploads)},
        )
        if visible:
            _notify_worker(case, f"工单 {case.number} 有新进展", f"{department}：{body[:80]}")
    return step


def case_pause(*, actor, case: Case, request_text: str) -> Case:
    """Ask the worker for material; the working-day clock stops until they answer or staff resume."""
    request_text = (request_text or "").strip()
    if not request_text:
        raise DomainError("请写明需要职工补充的材料", code="body_required", field="body")
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "暂停计时")
        if case.paused_since:
            raise Conflict("工单已在等待职工补充材料")
        _start_work(case)
        case.paused_since = timezone.now()
        case.save()
        _step(case, CaseStep.Kind.PAUSED, actor, visible=True, body=f"请您补充：{request_text}")
        audit_record(actor=actor, action="case.pause", obj=case)
        _notify_worker(case, f"工单 {case.number} 需要您补充材料", request_text[:100], sms=True)
    return case


def _resume(case: Case, actor, note: str) -> None:
    paused_on = timezone.localtime(case.paused_since).date()
    case.paused_workdays += working_days_between(paused_on, _today())
    case.paused_since = None
    _recompute_due(case)
    if case.handle_due and case.handle_due >= _today():
        case.overdue = False
    _step(
        case,
        CaseStep.Kind.RESUMED,
        actor,
        visible=True,
        body=f"{note}，恢复计时，办结时限顺延至 {case.handle_due:%Y-%m-%d}",
    )


def case_resume(*, actor, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        if not case.paused_since:
            raise Conflict("工单没有暂停计时")
        _resume(case, actor, "工作人员确认材料齐全")
        case.save()
        audit_record(actor=actor, action="case.resume", obj=case, detail={"due": str(case.handle_due)})
    return case


def case_add_info(*, actor, case: Case, body: str, files=()) -> CaseStep:
    """The worker adds information; if the clock was waiting on them, it starts again."""
    body = _text(body, "body")
    uploads = check_uploads(files)
    if not body and not uploads:
        raise DomainError("请填写补充内容或上传材料", code="body_required", field="body")
    with transaction.atomic():
        case = _lock(case)
        if case.filer_id != actor.pk:
            raise Forbidden()
        _require_status(case, OPEN_STATUSES, "补充材料")
        step = _step(
            case, CaseStep.Kind.INFO, actor, visible=True, body=body or f"上传了 {len(uploads)} 个附件"
        )
        _store_uploads(case, step, uploads, actor, visible=True)
        if case.paused_since:
            _resume(case, actor, "职工已补充材料")
        case.save()
        audit_record(actor=actor, action="case.info", obj=case, detail={"files": len(uploads)})
        who = [case.handler] if case.handler_id else list(_staff_users(case.org))
        for user in who:
            notify(
                user=user,
                title=f"职工补充了工单 {case.number} 的材料",
                body=body[:100],
                link=_staff_link(case),
                kind="case",
            )
    return step


def case_record_payment(
    *, actor, case: Case, claimant_id: int, amount_paid, paid_on: dt.date | None = None, note: str = ""
) -> CoClaimant:
    """Registers what one co-claimant has received so far (cumulative), e.g. after a payment commitment."""
    paid = parse_amount(amount_paid, "amount_paid", required=True)
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "登记支付")
        claimant = CoClaimant.objects.select_for_update().filter(case=case, pk=claimant_id).first()
        if claimant is None:
            raise DomainError("该共同诉求人不在此工单中", code="bad_claimant", field="claimant")
        if paid > claimant.amount_claimed and claimant.amount_claimed > 0:
            raise DomainError(
                f"已支付金额不能超过该职工的诉求金额 {claimant.amount_claimed} 元",
                code="amount_over",
                field="amount_paid",
            )
        claimant.amount_paid = paid
        claimant.payment_status = (
            CoClaimant.Payment.UNPAID
            if paid == 0
            else CoClaimant.Payment.PAID
            if paid >= claimant.amount_claimed
            else CoClaimant.Payment.PARTIAL
        )
        claimant.paid_at = paid_on or (_today() if paid else None)
        claimant.note = _text(note, "note")
        claimant.save()
        case.amount_recovered = _sum_paid(case)
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.PAYMENT,
            actor,
            body=f"登记{claimant.name_masked}已收到 {paid} 元（{claimant.get_payment_status_display()}）",
        )
        audit_record(
            actor=actor, action="case.payment", obj=case, detail={"claimant": claimant.pk, "paid": str(paid)}
        )
    return claimant


def case_resolve(*, actor, case: Case, outcome: str, summary: str, amount_recovered=None) -> Case:
    if outcome not in Case.Outcome.values:
        raise DomainError("请选择办理结果：已解决、部分解决或未解决", code="outcome", field="outcome")
    summary = (summary or "").strip()
    if len(summary) < 2:
        raise DomainError("请填写办结说明，告诉职工办理结果", code="summary_required", field="summary")
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "办结")
        if case.is_collective and case.claimants.exists():
            recovered = _sum_paid(case)
            if (
                amount_recovered not in (None, "")
                and parse_amount(amount_recovered, "amount_recovered") != recovered
            ):
                raise DomainError(
                    f"集体诉求的追回金额按各职工支付登记合计为 {recovered} 元",
                    code="amount_mismatch",
                    field="amount_recovered",
                )
        else:
            recovered = parse_amount(amount_recovered, "amount_recovered")
        if recovered > case.amount_claimed and case.amount_claimed > 0:
            raise DomainError("追回金额不能超过诉求金额", code="amount_over", field="amount_recovered")
        if case.paused_since:
            _resume(case, actor, "办结")
        now = timezone.now()
        case.status, case.outcome, case.amount_recovered, case.resolved_at = (
            S.RESOLVED,
            outcome,
            recovered,
            now,
        )
        case.resolved_on_time = bool(case.handle_due and timezone.localtime(now).date() <= case.handle_due)
        case.save()
        text = f"办理结果：{case.get_outcome_display()}。{summary}"
        if recovered:
            text += f"（追回 {recovered} 元）"
        _step(case, CaseStep.Kind.RESOLVED, actor, visible=True, body=text)
        audit_record(
            actor=actor,
            action="case.resolve",
            obj=case,
            detail={"outcome": outcome, "recovered": str(recovered), "on_time": case.resolved_on_time},
        )
        _notify_worker(case, f"工单 {case.number} 已办结，请您评价", text[:120], sms=True)
    return case


def _sum_paid(case: Case) -> Decimal:
    # SQLite returns the sum without its scale; money always has two places.
    return (case.claimants.aggregate(t=Sum("amount_paid"))["t"] or Decimal("0")).quantize(Decimal("0.01"))


def reopen_window_open(case: Case) -> bool:
    return bool(case.resolved_at) and timezone.now() - case.resolved_at <= dt.timedelta(
        days=settings.GONGHUI_CASES_REOPEN_DAYS
    )


def case_rate(*, actor, case: Case, rating: int, comment: str = "", reopen: bool = False) -> Case:
    """The worker's 回访: 1–5 stars; unsatisfied (≤ 2) and asking to reopen, within the window, reopens it."""
    try:
        rating = int(rating)
    except (TypeError, ValueError) as exc:
        raise DomainError("请选择 1–5 星评价", code="rating", field="rating") from exc
    if not 1 <= rating <= 5:
        raise DomainError("请选择 1–5 星评价", code="rating", field="rating")
    with transaction.atomic():
        case = _lock(case)
        if case.filer_id != actor.pk:
            raise Forbidden()
        _require_status(case, [S.RESOLVED], "评价")
        case.rating, case.rating_comment, case.rated_at = (
            rating,
            _text(comment, "comment"),
            timezone.now(),
        )
        case.status = S.RATED
        case.save()
        _step(
            case,
            CaseStep.Kind.RATED,
            actor,
            visible=True,
            body=f"{'★' * rating}{'☆' * (5 - rating)} {case.rating_comment}".strip(),
        )
        audit_record(actor=actor, action="case.rate", obj=case, detail={"rating": rating})
        for user in [case.handler] if case.handler_id else _staff_users(case.org):
            notify(
                user=user,
                title=f"工单 {case.number} 收到职工评价：{rating} 星",
                body=case.rating_comment[:100],
                link=_staff_link(case),
                kind="case",
            )
    if reopen:
        if rating > 2:
            raise DomainError("满意的评价无需重新办理", code="reopen_satisfied", field="reopen")
        case = case_reopen(actor=actor, case=case, reason=comment or "职工对办理结果不满意")
    return case


def case_reopen(*, actor, case: Case, reason: str) -> Case:
    reason = _text(reason, "reason")
    with transaction.atomic():
        case = _lock(case)
        if case.filer_id != actor.pk:
            raise Forbidden()
        _require_status(case, [S.RESOLVED, S.RATED], "申请重新办理")
        if not reopen_window_open(case):
            raise DomainError(
                f"办结超过 {settings.GONGHUI_CASES_REOPEN_DAYS} 天的工单不能重新办理，请重新提交诉求",
                code="reopen_expired",
                status=409,
            )
        case.status, case.outcome, case.resolved_at, case.resolved_on_time = S.IN_PROGRESS, "", None, None
        case.reopen_count += 1
        case.clock_start, case.paused_workdays, case.overdue = _today(), 0, False
        _recompute_due(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.REOPENED,
            actor,
            visible=True,
            body=f"职工申请重新办理：{(reason or '').strip()[:200]}。新的办结时限 {case.handle_due:%Y-%m-%d}",
        )
        audit_record(actor=actor, action="case.reopen", obj=case, detail={"count": case.reopen_count})
        _notify_org(
            case.org, title=f"工单 {case.number} 被职工申请重新办理", body=(reason or "")[:100], case=case
        )
    return case


def case_archive(*, actor, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        if case.status == S.RESOLVED and reopen_window_open(case):
            raise DomainError(
                f"职工尚未评价，办结 {settings.GONGHUI_CASES_REOPEN_DAYS} 天后方可归档",
                code="invalid_transition",
                status=409,
            )
        _require_status(case, [S.RATED, S.RESOLVED], "归档")
        case.status, case.archived_at = S.ARCHIVED, timezone.now()
        case.save()
        _step(case, CaseStep.Kind.ARCHIVED, actor, visible=True, body="工单已归档")
        audit_record(actor=actor, action="case.archive", obj=case)
    return case


def case_assign_lawyer(*, actor, case: Case, lawyer_id: int) -> Case:
    """Partner lawyers (法律援助) are experts registered at the handling union or a union above it."""
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "指派律师")
        position = chain_positions(case, [Staff.Role.EXPERT]).filter(user_id=lawyer_id).first()
        if position is None:
            raise DomainError("请选择承办工会或其上级登记的合作律师", code="bad_lawyer", field="lawyer")
        case.lawyer = position.user
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.LAWYER,
            actor,
            visible=True,
            body=f"指派合作律师{position.user.name}提供法律援助",
        )
        audit_record(actor=actor, action="case.lawyer", obj=case, detail={"lawyer_id": lawyer_id})
        notify(
            user=position.user,
            title=f"法律援助指派：工单 {case.number}",
            body=case.title,
            link=_staff_link(case),
            kind="case",
        )
    return case


def case_merge(*, actor, case: Case, duplicate: Case) -> Case:
    """Folds a duplicate (same employer) into `case`: its claimants join, it closes as 已合并."""
    if case.pk == duplicate.pk:
        raise DomainError("不能与自身合并", code="merge_self", field="duplicate")
    with transaction.atomic():
        first, second = sorted([case.pk, duplicate.pk])
        locked = {
            c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")
        }
        case, duplicate = locked[case.pk], locked[duplicate.pk]
        _require_act(actor, case)
        _require_act(actor, duplicate)
        _require_status(case, OPEN_STATUSES, "合并")
        if duplicate.status not in OPEN_STATUSES:
            raise DomainError(
                f"被合并工单状态为「{duplicate.get_status_display()}」，不能合并",
                code="invalid_transition",
                status=409,
            )
        same_code = case.employer_credit_code and case.employer_credit_code == duplicate.employer_credit_code
        if not (same_code or (case.employer_key and case.employer_key == duplicate.employer_key)):
            raise DomainError("只能合并同一用人单位的重复诉求", code="merge_employer", field="duplicate")
        if not case.claimants.exists():
            _add_claimant_from(case, case)
        known = set(case.claimants.exclude(phone_index="").values_list("phone_index", flat=True))
        moved = 0
        incoming = list(duplicate.claimants.all()) or [None]
        for claimant in incoming:
            if claimant is None:
                if duplicate.claimant_phone_index not in known:
                    _add_claimant_from(case, duplicate)
                    moved += 1
                continue
            if claimant.phone_index and claimant.phone_index in known:
                continue
            claimant.case = case
            claimant.save(update_fields=["case"])
            moved += 1
        case.is_collective = True
        total = case.claimants.aggregate(t=Sum("amount_claimed"))["t"]
        case.amount_claimed = total.quantize(Decimal("0.01")) if total is not None else case.amount_claimed
        case.save()
        duplicate.status, duplicate.merged_into = S.MERGED, case
        duplicate.save()
        _step(
            case,
            CaseStep.Kind.MERGED,
            actor,
            body=f"合并重复工单 {duplicate.number}，新增共同诉求人 {moved} 人",
        )
        _step(
            duplicate,
            CaseStep.Kind.MERGED,
            actor,
            visible=True,
            body=f"您的诉求与同一用人单位的其他职工诉求合并办理（工单 {case.number}），进展将在此继续告知",
        )
        audit_record(
            actor=actor, action="case.merge", obj=case, detail={"duplicate": duplicate.pk, "moved": moved}
        )
        _notify_worker(duplicate, f"您的工单 {duplicate.number} 已合并办理", f"合并至工单 {case.number}")
    return case


def _add_claimant_from(target: Case, source: Case) -> CoClaimant:
    return CoClaimant.objects.create(
        case=target,
        name=source.claimant_name,
        phone=source.claimant_phone,
        phone_index=source.claimant_phone_index,
        amount_claimed=source.amount_claimed,
    )


def case_pii_read(*, actor, case: Case, where: str) -> None:
    """Every time staff see the claimant's name and phone, the audit log says who, which case, where."""
    audit_record(
        actor=actor, action="case.pii_read", obj=case, detail={"number": case.number, "where": where}
    )


# --- time limits ---------------------------------------------------------------------------


def cases_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Flags overdue cases and tells the parent union once per case, kind and due date (idempotent)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    late_accept = Case.objects.filter(status=S.SUBMITTED, accept_due__lt=now)
    late_handle = Case.objects.filter(
        status__in=[S.ACCEPTED, S.IN_PROGRESS], paused_since__isnull=True, handle_due__lt=today
    )
    count = 0
    for kind, qs in ((Escalation.Kind.ACCEPT, late_accept), (Escalation.Kind.HANDLE, late_handle)):
        for case in qs.select_related("org", "org__parent").iterator():
            due = (
                case.accept_due.isoformat() if kind == Escalation.Kind.ACCEPT else case.handle_due.isoformat()
            )
            if _escalate(case, kind, due):
                count += 1
    return count


def _escalate(case: Case, kind: str, due: str) -> bool:
    above = case.org.parent or case.org
    try:
        with transaction.atomic():
            Escalation.objects.create(case=case, kind=kind, org=above, due=due)
            Case.objects.filter(pk=case.pk).update(overdue=True)
            label = Escalation.Kind(kind).label
            _step(
                case,
                CaseStep.Kind.ESCALATED,
                None,
                org=above,
                body=f"{label}（时限 {due[:10]}），已报{above.name}督办",
            )
            audit_record(
                actor=None,
                action="case.escalate",
                obj=case,
                org=above,
                detail={"kind": kind, "due": due[:10]},
            )
            _notify_org(
                above,
                title=f"督办：工单 {case.number} {label}",
                body=f"{case.org.name}承办的「{case.title}」{label}，时限 {due[:10]}",
                case=case,
            )
            if case.handler_id:
                notify(
                    user=case.handler,
                    title=f"工单 {case.number} {label}，已报上级督办",
                    link=_staff_link(case),
                    kind="case",
                )
    except IntegrityError:
        return False  # already escalated for this due date, by an earlier or concurrent run
    return True
