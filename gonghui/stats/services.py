"""Writes of 统计看板: a union's targets, its denominators (eligible workers) and its public page.

Only the union's own admins (a post on the union or above) set them; a parent sees its children's targets
but sets its own. The facts themselves are written by the roll-up job (rollup.py), never by a request."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gonghui.core.audit import audit_record
from gonghui.core.cleaners import clean_date, clean_text
from gonghui.core.errors import DomainError, NotFound
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope

from .definitions import BY_KEY
from .models import Denominator, PublicBoard, Target

MANAGE_ROLES = [Staff.Role.ADMIN]


def _int(value, *, field: str, label: str, minimum: int, maximum: int) -> int:
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise DomainError(f"请填写{label}", code="required", field=field)
    try:
        number = int(text)
    except ValueError:
        raise DomainError(f"{label}应为整数，例如 5000", code="stats_number_format", field=field) from None
    if not (minimum <= number <= maximum):
        raise DomainError(f"{label}应在 {minimum} 至 {maximum} 之间", code="stats_number_range", field=field)
    return number


def _share_permille(value, *, field: str) -> int:
    text = str(value if value is not None else "").strip().rstrip("%").strip()
    if not text:
        raise DomainError("请填写目标占比（%），例如 6.5", code="required", field=field)
    try:
        share = float(text)
    except ValueError:
        raise DomainError(
            "目标占比应为数字（%），例如 6.5", code="stats_number_format", field=field
        ) from None
    if not (0 < share <= 100):
        raise DomainError("目标占比应大于 0、不超过 100（%）", code="stats_number_range", field=field)
    return round(share * 10)


def target_set(*, actor, org: Org, kind: str, value, start, due, note: str = "") -> Target:
    require_scope(actor, org, MANAGE_ROLES)
    if kind not in Target.Kind.values:
        raise DomainError(
            "请选择目标类型：新发展会员或新就业形态会员占比", code="stats_target_kind", field="kind"
        )
    if kind == Target.Kind.NEW_MEMBERS:
        number = _int(value, field="value", label="新发展会员目标（人）", minimum=1, maximum=100_000_000)
    else:
        number = _share_permille(value, field="value")
    start_day = clean_date(start, field="start", label="起始日期")
    due_day = clean_date(due, field="due", label="完成期限", not_before=start_day)
    if due_day - start_day > dt.timedelta(days=366 * 10):
        raise DomainError("完成期限距起始日期不能超过 10 年", code="date_too_late", field="due")
    note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    with transaction.atomic():
        target = Target.objects.create(
            org=org, kind=kind, value=number, start=start_day, due=due_day, note=note, created_by=actor
        )
        audit_record(
            actor=actor,
            action="stats.target_set",
            obj=target,
            org=org,
            detail={"kind": kind, "value": number, "start": f"{start_day}", "due": f"{due_day}"},
        )
    return target


def target_delete(*, actor, target_id) -> None:
    try:
        target = Target.objects.select_related("org").get(pk=int(target_id))
    except (Target.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    require_scope(actor, target.org, MANAGE_ROLES)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="stats.target_delete",
            obj=target,
            org=target.org,
            detail={"kind": target.kind, "value": target.value},
        )
        target.delete()


def denominator_set(*, actor, org: Org, eligible, as_of, source: str = "") -> Denominator:
    require_scope(actor, org, MANAGE_ROLES)
    number = _int(eligible, field="eligible", label="应入会职工数", minimum=1, maximum=500_000_000)
    day = clean_date(as_of, field="as_of", label="统计日期")
    source = clean_text(source, field="source", label="数据来源", max_length=120, required=False)
    with transaction.atomic():
        row, _ = Denominator.objects.update_or_create(
            org=org, as_of=day, defaults={"eligible": number, "source": source, "created_by": actor}
        )
        audit_record(
            actor=actor,
            action="stats.denominator_set",
            obj=row,
            org=org,
            detail={"eligible": number, "as_of": f"{day}"},
        )
    return row


def board_set(*, actor, org: Org, enabled: bool, figures: list[str]) -> PublicBoard:
    require_scope(actor, org, MANAGE_ROLES)
    chosen = [key for key in dict.fromkeys(figures or []) if key]
    bad = [key for key in chosen if key not in BY_KEY or not BY_KEY[key].public]
    if bad:
        raise DomainError(
            "公开的指标中有不可公开或不存在的项，请重新勾选", code="stats_figure_invalid", field="figures"
        )
    if enabled and not chosen:
        raise DomainError("请至少勾选一项要公开的指标", code="stats_figures_required", field="figures")
    with transaction.atomic():
        board, _ = PublicBoard.objects.select_for_update().get_or_create(org=org)
        board.enabled, board.figures, board.updated_by = bool(enabled), chosen, actor
        board.save()
        audit_record(
            actor=actor,
            action="stats.board_set",
            obj=board,
            org=org,
            detail={"enabled": board.enabled, "figures": chosen},
        )
    return board
