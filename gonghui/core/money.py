"""Money: one rounding rule for every amount in 元 (DESIGN.md §4.9, §4.11).

Amounts are ``Decimal`` with two places; halves round up (四舍五入), as finance offices and banks expect.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import DomainError

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999.99")


def to_fen(amount) -> Decimal:
    """Round an amount in 元 to the fen. Floats are refused: they already lost the fen."""
    if isinstance(amount, float):
        raise TypeError("money must be Decimal, int or str, never float")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(amount) -> str:
    """``1234.5`` → ``"1,234.50"`` for pages and exports."""
    return f"{to_fen(amount):,.2f}"


def parse_amount(
    value, field_name: str, *, required: bool = False, maximum: Decimal = MAX_AMOUNT, label: str = "金额"
) -> Decimal:
    """Money typed by a person, in 元 with at most 2 decimals, never negative; errors name the field
    (``label`` names it in the message too: 个人自付不能为负数)."""
    if value is None or str(value).strip() == "":
        if required:
            raise DomainError(f"请填写{label}（元）", code="amount_required", field=field_name)
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise DomainError(
            f"{label}应为数字，例如 3000 或 3000.50", code="amount_format", field=field_name
        ) from exc
    if not amount.is_finite():
        raise DomainError(f"{label}应为数字，例如 3000 或 3000.50", code="amount_format", field=field_name)
    if amount < 0:
        raise DomainError(f"{label}不能为负数", code="amount_negative", field=field_name)
    if amount > maximum:
        raise DomainError(f"{label}过大，请核对（单位为元）", code="amount_too_large", field=field_name)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{label}最多保留两位小数（元、角、分）", code="amount_precision", field=field_name)
    return amount.quantize(Decimal("0.01"))
