"""The hardship formulas of DOMAIN.md, with the working shown (pure functions: no database).

- 深度困难: (household annual disposable income − rigid expenses) ÷ 12 ÷ household members < local 低保.
- 相对困难: the same < 2 × 低保.
- 意外致困: the costs of a mishap (disaster, accident injury or death) > 80 % of household annual income.
- 困难农民工: a migrant worker living long-term in the city, with ≥ 1 year (12 months) of de facto
  employment, whose household meets one of the above.

Comparisons are exact (no rounding before comparing): the per-capita figure is shown to the fen, but
"exactly 1× 低保" means net income = 低保 × 12 × members, which is not below 低保.
Precedence when several apply: 深度 > 相对 > 意外致困 (the accident is still noted in the working).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gonghui.core.money import to_fen, yuan

DEEP, RELATIVE, ACCIDENT, NONE = "deep", "relative", "accident", "none"
LABELS = {DEEP: "深度困难", RELATIVE: "相对困难", ACCIDENT: "意外致困", NONE: "暂不符合"}
SELF_TEST_ANSWERS = {
    DEEP: "可能符合深度困难帮扶条件",
    RELATIVE: "可能符合相对困难帮扶条件",
    ACCIDENT: "可能符合意外致困帮扶条件",
    NONE: "暂不符合困难职工帮扶条件",
}
ACCIDENT_SHARE = Decimal("0.8")
MIGRANT_MIN_MONTHS = 12
ZERO = Decimal("0")


@dataclass
class HardshipInput:
    household_size: int
    annual_income: Decimal
    dibao_monthly: Decimal
    medical: Decimal = ZERO
    education: Decimal = ZERO
    housing: Decimal = ZERO
    accident_costs: Decimal = ZERO
    migrant: bool = False
    urban_long_term: bool = False
    employed_months: int = 0


@dataclass
class HardshipResult:
    category: str
    per_capita_monthly: Decimal  # rounded to the fen, for display
    net_income: Decimal
    rigid_expenses: Decimal
    accident: bool
    migrant_hardship: bool
    steps: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.category]

    @property
    def self_test_answer(self) -> str:
        return SELF_TEST_ANSWERS[self.category]

    @property
    def qualifies(self) -> bool:
        return self.category != NONE


def assess(data: HardshipInput) -> HardshipResult:
    if data.household_size < 1:
        raise ValueError("household_size must be ≥ 1")
    size = data.household_size
    income = to_fen(data.annual_income)
    medical, education, housing = to_fen(data.medical), to_fen(data.education), to_fen(data.housing)
    rigid = medical + education + housing
    net = income - rigid
    dibao = to_fen(data.dibao_monthly)
    exact_per_capita = net / 12 / size
    per_capita = to_fen(exact_per_capita)
    deep_line, relative_line = dibao * size * 12, dibao * 2 * size * 12
    steps = [
        f"刚性支出 = 医疗 {yuan(medical)} + 教育 {yuan(education)} + 住房 {yuan(housing)} = {yuan(rigid)} 元/年",
        f"家庭年可支配收入 {yuan(income)} − 刚性支出 {yuan(rigid)} = {yuan(net)} 元"
        + ("（支出超过收入）" if net < 0 else ""),
        f"{yuan(net)} ÷ 12 个月 ÷ {size} 人 = {yuan(per_capita)} 元/人/月",
    ]
    if net < deep_line:
        category = DEEP
        steps.append(f"{yuan(per_capita)} < 当地低保标准 {yuan(dibao)} 元/人/月 → 深度困难")
    elif net < relative_line:
        category = RELATIVE
        steps.append(
            f"{yuan(per_capita)} ≥ 低保标准 {yuan(dibao)}，但 < 2 倍低保 {yuan(dibao * 2)} 元/人/月 → 相对困难"
        )
    else:
        category = NONE
        steps.append(f"{yuan(per_capita)} ≥ 2 倍低保 {yuan(dibao * 2)} 元/人/月 → 不属深度或相对困难")
    accident_costs = to_fen(data.accident_costs)
    accident = False
    if accident_costs > 0:
        limit = to_fen(income * ACCIDENT_SHARE)
        accident = accident_costs > income * ACCIDENT_SHARE
        steps.append(
            f"意外支出 {yuan(accident_costs)} 元 {'>' if accident else '≤'} 家庭年收入的 80%（{yuan(limit)} 元）"
            + (" → 符合意外致困" if accident else " → 不属意外致困")
        )
        if accident and category == NONE:
            category = ACCIDENT
    migrant_hardship = False
    if data.migrant:
        migrant_hardship = (
            category != NONE and data.urban_long_term and data.employed_months >= MIGRANT_MIN_MONTHS
        )
        steps.append(
            f"农民工：长期在城镇居住{'是' if data.urban_long_term else '否'}，"
            f"事实就业 {data.employed_months} 个月（需 ≥ {MIGRANT_MIN_MONTHS}），"
            f"{'符合' if category != NONE else '不符合'}上述困难条件 → "
            + ("困难农民工" if migrant_hardship else "不属困难农民工")
        )
    return HardshipResult(
        category=category,
        per_capita_monthly=per_capita,
        net_income=net,
        rigid_expenses=rigid,
        accident=accident,
        migrant_hardship=migrant_hardship,
        steps=steps,
    )
