"""Money: one rounding rule for every amount in 元 (DESIGN.md §4.9, §4.11).

Amounts are ``Decimal`` with two places; halves round up (四舍五入), as finance offices and banks expect.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


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
