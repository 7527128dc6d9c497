"""The payout calculator (职工医疗互助金): a pure function, every step shown.

The quote API and every claim use this one function. Inputs are the product's rules, one stay and the
member's year so far (what earlier stays of the same product year already used); the answer is the payout
and the steps that led to it, each amount rounded to the fen (core.money.to_fen, halves up).

Rules (docs/mutual_aid.md):
1. The deductible (起付线) is taken once per product year: a stay first uses what is left of it.
2. A stay whose self-paid cost does not exceed what is left of the deductible pays the hospital allowance
   (住院津贴) instead: so much per day, up to a number of days per year.
3. Otherwise the cost above the deductible is paid in bands. The bands count the year's eligible cost
   cumulatively: a second stay continues where the first one stopped (so two stays of a year pay what one
   stay of the same cost would, before the minimum).
4. A payout above zero but under the minimum is raised to the minimum (保底).
5. A stay that crosses the deductible never pays less than the allowance the same stay would earn below
   it (paying more never yields less).
6. The year's payouts never exceed the yearly cap: a stay gets at most what is left of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gonghui.core.money import to_fen

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Band:
    lower: Decimal  # eligible cost (above the deductible) from which the band applies
    upper: Decimal | None  # None = no upper bound
    rate: Decimal  # 0.30 for 30 %


@dataclass(frozen=True)
class Rules:
    deductible: Decimal
    bands: tuple[Band, ...]
    minimum_payout: Decimal
    allowance_per_day: Decimal
    allowance_max_days: int
    yearly_cap: Decimal
    covers_accident: bool = True


@dataclass(frozen=True)
class YearSoFar:
    """What the member's earlier stays of the same product year used (in date order)."""

    deductible_used: Decimal = ZERO
    eligible_so_far: Decimal = ZERO  # banded cost already counted this year
    paid_so_far: Decimal = ZERO
    allowance_days_used: int = 0


@dataclass(frozen=True)
class Stay:
    self_paid: Decimal
    days: int


@dataclass
class BandShare:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    amount: Decimal  # the part of this stay's eligible cost that falls in the band
    share: Decimal  # amount × rate, to the fen

    def as_dict(self) -> dict:
        return {
            "lower": str(self.lower),
            "upper": None if self.upper is None else str(self.upper),
            "rate": str(self.rate),
            "amount": str(self.amount),
            "share": str(self.share),
        }


@dataclass
class Breakdown:
    self_paid: Decimal
    days: int
    deductible: Decimal
    deductible_used_before: Decimal
    deductible_taken: Decimal  # by this stay
    eligible: Decimal  # this stay's cost above the deductible
    eligible_before: Decimal
    method: str  # "allowance" | "bands"
    bands: list[BandShare] = field(default_factory=list)
    banded_total: Decimal = ZERO
    minimum_applied: bool = False
    allowance_days: int = 0
    allowance_per_day: Decimal = ZERO
    allowance: Decimal = ZERO
    allowance_floor_applied: bool = False
    before_cap: Decimal = ZERO
    paid_before: Decimal = ZERO
    cap: Decimal = ZERO
    cap_remaining: Decimal = ZERO
    cap_applied: bool = False
    payout: Decimal = ZERO
    after: YearSoFar = field(default_factory=YearSoFar)

    def as_dict(self) -> dict:
        return {
            "self_paid": str(self.self_paid),
            "days": self.days,
            "deductible": str(self.deductible),
            "deductible_used_before": str(self.deductible_used_before),
            "deductible_taken": str(self.deductible_taken),
            "deductible_remaining_after": str(self.deductible - self.after.deductible_used),
            "eligible_before": str(self.eligible_before),
            "eligible": str(self.eligible),
            "method": self.method,
            "bands": [b.as_dict() for b in self.bands],
            "banded_total": str(self.banded_total),
            "minimum_applied": self.minimum_applied,
            "allowance_days": self.allowance_days,
            "allowance_per_day": str(self.allowance_per_day),
            "allowance": str(self.allowance),
            "allowance_floor_applied": self.allowance_floor_applied,
            "before_cap": str(self.before_cap),
            "paid_before": str(self.paid_before),
            "cap": str(self.cap),
            "cap_remaining": str(self.cap_remaining),
            "cap_applied": self.cap_applied,
            "payout": str(self.payout),
            "steps": self.steps(),
        }

    def steps(self) -> list[str]:
        """The same steps in words, for pages and the 补助短信."""
        lines = [
            f"本次自付费用 {self.self_paid:,.2f} 元，住院 {self.days} 天",
            f"年度起付线 {self.deductible:,.2f} 元，此前已用 {self.deductible_used_before:,.2f} 元，"
            f"本次抵扣 {self.deductible_taken:,.2f} 元",
        ]
        if self.method == "allowance":
            lines.append(
                f"自付费用未超过剩余起付线：按住院津贴 {self.allowance_days} 天 × {self.allowance_per_day:,.2f} 元"
                f" = {self.allowance:,.2f} 元"
            )
        else:
            lines.append(
                f"进入分段的费用 {self.eligible:,.2f} 元（本年此前已累计 {self.eligible_before:,.2f} 元）"
            )
            for b in self.bands:
                label = (
                    f"{b.lower:,.0f} 元以上段" if b.upper is None else f"{b.lower:,.0f}–{b.upper:,.0f} 元段"
                )
                lines.append(
                    f"  {label}：{b.amount:,.2f} × {(b.rate * 100).normalize():f}% = {b.share:,.2f} 元"
                )
            lines.append(f"分段合计 {self.banded_total:,.2f} 元")
            if self.minimum_applied:
                lines.append(f"不足保底金额，按保底 {self.before_cap:,.2f} 元")
            if self.allowance_floor_applied:
                lines.append(
                    f"低于同样 {self.allowance_days} 天的住院津贴，按住院津贴 {self.allowance:,.2f} 元"
                )
        lines.append(
            f"年度封顶 {self.cap:,.2f} 元，此前已付 {self.paid_before:,.2f} 元，剩余 {self.cap_remaining:,.2f} 元"
            + ("，本次以剩余额度为限" if self.cap_applied else "")
        )
        lines.append(f"本次互助金 {self.payout:,.2f} 元")
        return lines


def compute(rules: Rules, stay: Stay, before: YearSoFar | None = None) -> Breakdown:
    before = before or YearSoFar()
    self_paid = to_fen(max(stay.self_paid, ZERO))
    days = max(int(stay.days), 0)
    deductible = to_fen(rules.deductible)
    remaining_deductible = max(deductible - before.deductible_used, ZERO)
    cap = to_fen(rules.yearly_cap)
    cap_remaining = max(cap - before.paid_so_far, ZERO)

    allowance_days = min(days, max(rules.allowance_max_days - before.allowance_days_used, 0))
    allowance = to_fen(rules.allowance_per_day * allowance_days)

    out = Breakdown(
        self_paid=self_paid,
        days=days,
        deductible=deductible,
        deductible_used_before=before.deductible_used,
        deductible_taken=min(self_paid, remaining_deductible),
        eligible=ZERO,
        eligible_before=before.eligible_so_far,
        method="allowance",
        allowance_per_day=to_fen(rules.allowance_per_day),
        paid_before=before.paid_so_far,
        cap=cap,
        cap_remaining=cap_remaining,
    )

    if self_paid <= remaining_deductible:
        out.allowance_days, out.allowance = allowance_days, allowance
        amount = allowance
        days_used = allowance_days
    else:
        out.method = "bands"
        out.eligible = self_paid - remaining_deductible
        start, end = before.eligible_so_far, before.eligible_so_far + out.eligible
        for band in rules.bands:
            top = end if band.upper is None else min(end, band.upper)
            part = to_fen(max(top - max(start, band.lower), ZERO))
            if part > 0:
                out.bands.append(BandShare(band.lower, band.upper, band.rate, part, to_fen(part * band.rate)))
        out.banded_total = sum((b.share for b in out.bands), ZERO)
        amount = out.banded_total
        if amount < rules.minimum_payout:
            amount, out.minimum_applied = to_fen(rules.minimum_payout), True
        days_used = 0
        if amount < allowance:
            amount, out.allowance_floor_applied = allowance, True
            out.minimum_applied = False
            out.allowance_days, out.allowance = allowance_days, allowance
            days_used = allowance_days

    out.before_cap = amount
    out.payout = min(amount, cap_remaining)
    out.cap_applied = out.payout < amount
    out.after = YearSoFar(
        deductible_used=before.deductible_used + out.deductible_taken,
        eligible_so_far=before.eligible_so_far + out.eligible,
        paid_so_far=before.paid_so_far + out.payout,
        allowance_days_used=before.allowance_days_used + days_used,
    )
    return out


def compute_year(rules: Rules, stays: list[Stay]) -> list[Breakdown]:
    """Stays of one product year in date order, each against what the earlier ones used."""
    before, results = YearSoFar(), []
    for stay in stays:
        result = compute(rules, stay, before)
        results.append(result)
        before = result.after
    return results


DEFAULT_BANDS = (
    Band(Decimal("0"), Decimal("10000"), Decimal("0.30")),
    Band(Decimal("10000"), Decimal("50000"), Decimal("0.40")),
    Band(Decimal("50000"), Decimal("200000"), Decimal("0.60")),
    Band(Decimal("200000"), None, Decimal("0.95")),
)

DEFAULT_RULES = Rules(
    deductible=Decimal("1000.00"),
    bands=DEFAULT_BANDS,
    minimum_payout=Decimal("100.00"),
    allowance_per_day=Decimal("30.00"),
    allowance_max_days=180,
    yearly_cap=Decimal("1000000.00"),
)
