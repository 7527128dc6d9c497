"""Filing a case: validation, the daily cap, attachments, and cases other apps open for a union."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError, ErrorCollector, Forbidden, RateLimited, field_value
from gonghui.core.money import parse_amount
from gonghui.core.validators import validate_credit_code
from gonghui.core.workdays import add_working_days, end_of_day
from gonghui.orgs.models import Org
from gonghui.orgs.scope import scope_paths

from .. import routing
from ..attachments import check_uploads
from ..models import Attachment, Case, CaseStep, CoClaimant, phone_blind_index
from .common import (
    ACT_ROLES,
    EMPLOYER_CATEGORIES,
    MAX_CLAIMANTS,
    CaseInput,
    _clean_phone,
    _notify_org,
    _step,
    _text,
)


def _validate(data: CaseInput) -> dict:
    """Every field is checked before giving up, so the form shows all its mistakes at once."""
    errors = ErrorCollector()
    with errors.check():
        if data.category not in Case.Category.values:
            raise DomainError("请选择诉求类别", code="category_required", field="category")
    description = (data.description or "").strip()
    with errors.check():
        if len(description) < 10:
            raise DomainError(
                "请详细描述诉求（不少于10个字）：发生了什么、涉及多少人、持续多久",
                code="description_short",
                field="description",
            )
        if len(description) > 5000:
            raise DomainError("诉求内容不超过5000字", code="description_long", field="description")
    employer_name = ""
    with errors.check():
        employer_name = _text(data.employer_name, "employer_name")
    with errors.check():
        _text(data.workplace_address, "workplace_address")
    with errors.check():
        _text(data.claimant_name, "claimant_name")
    with errors.check():
        if data.category in EMPLOYER_CATEGORIES and len(employer_name) < 2:
            raise DomainError(
                "请填写用人单位（工作单位、工地或平台）名称", code="employer_required", field="employer_name"
            )
    credit = (data.employer_credit_code or "").strip().upper()
    with errors.check():
        if credit:
            credit = field_value(credit, "employer_credit_code", validate_credit_code)
    region = (data.workplace_region or "").strip()
    with errors.check():
        if len(region) != 6 or not region.isdigit():
            raise DomainError("请选择工作地所在县(市、区)", code="region_required", field="workplace_region")
    township = None
    with errors.check():
        if data.workplace_township_id:
            township = Org.objects.filter(pk=data.workplace_township_id).first()
            if township is None:
                raise DomainError(
                    "所选乡镇(街道)不存在，请重新选择", code="bad_township", field="workplace_township"
                )
    claimants = []
    with errors.check():
        if len(data.claimants) > MAX_CLAIMANTS:
            raise DomainError(
                f"共同诉求人最多 {MAX_CLAIMANTS} 人", code="too_many_claimants", field="claimants"
            )
        for i, c in enumerate(data.claimants, start=1):
            name = (c.name or "").strip()
            if not name:
                raise DomainError(f"第{i}位共同诉求人缺少姓名", code="claimant_name", field="claimants")
            if len(name) > 40:
                raise DomainError(
                    f"第{i}位共同诉求人的姓名不能超过40个字", code="text_too_long", field="claimants"
                )
            phone = _clean_phone(c.phone, "claimants", required=False)
            claimants.append((name, phone, parse_amount(c.amount, "claimants")))
    amount = Decimal("0.00")
    with errors.check():
        amount = parse_amount(data.amount_claimed, "amount_claimed")
        if claimants and not errors.has("claimants"):
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
    title = ""
    with errors.check():
        title = _text(data.title, "title")
    errors.raise_if_any()
    title = (title or f"{Case.Category(data.category).label}：{employer_name or description[:16]}")[:80]
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
