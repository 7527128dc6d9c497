"""会费: the rate setting per union and payments."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope

from ..models import (
    DuesPayment,
    DuesSetting,
    Member,
)
from .common import REGISTRY_ROLES

CENT = Decimal("0.01")
DEFAULT_RATE = Decimal("0.0050")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字（元，最多两位小数）", code="amount_format", field=field) from None
    if not number.is_finite():
        raise DomainError(f"{label}应为数字", code="amount_format", field=field)
    return number


def dues_setting_for(org: Org) -> DuesSetting:
    """The union's own setting, else the nearest ancestor's, else 0.5% of the wage base."""
    step = 5
    ancestors = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    setting = DuesSetting.objects.filter(org__path__in=ancestors).order_by("-org__depth").first()
    return setting or DuesSetting(org=org, mode=DuesSetting.Mode.RATE, rate=DEFAULT_RATE)


def dues_monthly_amount(setting: DuesSetting, wage_base: Decimal | None) -> Decimal:
    if setting.mode == DuesSetting.Mode.FIXED:
        return setting.fixed_amount.quantize(CENT)
    if wage_base is None:
        raise DomainError("按比例计缴需填写月工资基数", code="wage_required", field="wage_base")
    # 工资收入中不足10元的尾数不计算.
    base = (wage_base // 10) * 10
    return (base * setting.rate).quantize(CENT, rounding=ROUND_HALF_UP)


def dues_setting_set(*, actor, org: Org, mode: str, rate=None, fixed_amount=None) -> DuesSetting:
    require_scope(actor, org, [Staff.Role.ADMIN])
    if mode not in DuesSetting.Mode.values:
        raise DomainError("计缴方式只能是按比例或固定金额", code="mode_invalid", field="mode")
    setting = DuesSetting.objects.filter(org=org).first() or DuesSetting(org=org)
    setting.mode = mode
    if mode == DuesSetting.Mode.RATE:
        percent = _decimal(rate if rate not in (None, "") else "0.5", "rate", "比例")
        if not Decimal("0") < percent <= Decimal("5"):
            raise DomainError("比例应在 0 到 5（%）之间，通常为 0.5", code="rate_range", field="rate")
        setting.rate = (percent / 100).quantize(Decimal("0.0001"))
    else:
        amount = _decimal(fixed_amount, "fixed_amount", "固定金额")
        if not Decimal("0") < amount <= Decimal("1000") or amount != amount.quantize(CENT):
            raise DomainError(
                "固定金额应大于0、不超过1000元，最多两位小数", code="amount_range", field="fixed_amount"
            )
        setting.fixed_amount = amount
    with transaction.atomic():
        setting.save()
        audit_record(
            actor=actor,
            action="dues.setting",
            obj=org,
            org=org,
            detail={"mode": mode, "rate": str(setting.rate), "fixed": str(setting.fixed_amount)},
        )
    return setting


def dues_payment_record(*, actor, member: Member, period: str, wage_base=None, amount=None) -> DuesPayment:
    require_scope(actor, member.org, REGISTRY_ROLES)
    period = (period or "").strip()
    if not _PERIOD.match(period):
        raise DomainError("月份格式应为 YYYY-MM（如 2026-11）", code="period_format", field="period")
    today = timezone.localdate()
    if period > f"{today:%Y-%m}":
        raise DomainError("不能登记未来月份的会费", code="period_future", field="period")
    if period < f"{member.joined_at:%Y-%m}":
        raise DomainError(
            f"该会员 {member.joined_at:%Y-%m} 入会，不能登记之前月份的会费",
            code="period_before_join",
            field="period",
        )
    if member.status == Member.Status.RETIRED:
        raise Conflict("退休会员保留会籍，不再缴纳会费", code="retired_no_dues", field="member")
    if member.status not in Member.HOLDING:
        raise Conflict(
            f"会籍状态为「{member.get_status_display()}」，不能登记会费", code="not_active", field="member"
        )
    base = None
    if wage_base not in (None, ""):
        base = _decimal(wage_base, "wage_base", "月工资基数")
        if base <= 0 or base > Decimal("1000000"):
            raise DomainError("月工资基数应大于0元", code="wage_range", field="wage_base")
    if amount not in (None, ""):
        value = _decimal(amount, "amount", "金额")
        if value <= 0 or value != value.quantize(CENT):
            raise DomainError("金额应大于0，最多两位小数（元）", code="amount_range", field="amount")
    else:
        value = dues_monthly_amount(
            dues_setting_for(member.org), base if base is not None else member.wage_base
        )
        if value <= 0:
            # E.g. a wage base under 10 元 (tails under 10 元 are not counted): nothing to collect.
            raise DomainError(
                f"按此工资基数计算的会费为 {value:.2f} 元，不能登记 0 元会费：请核对月工资基数或直接填写金额",
                code="dues_zero",
                field="wage_base",
            )
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                member=member,
                org=member.org,
                org_path=member.org_path,
                period=period,
                amount=value,
                wage_base=base,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="dues.record",
                obj=member,
                org=member.org,
                detail={"period": period, "amount": str(value)},
            )
    except IntegrityError:
        raise Conflict(
            f"{period} 的会费已登记，无需重复登记", code="dues_duplicate", field="period"
        ) from None
    return payment
