"""After resolution: rating, reopening, archiving, merging duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError, Forbidden
from gonghui.core.notifications import notify

from ..models import OPEN_STATUSES, Case, CaseStep, CoClaimant
from .common import (
    S,
    _lock,
    _notify_org,
    _notify_worker,
    _recompute_due,
    _require_act,
    _require_status,
    _staff_link,
    _staff_users,
    _step,
    _text,
    _today,
)


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
