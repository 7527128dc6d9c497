"""Every seed scheme's formula at its boundaries, and the spec validation a union meets when it saves one."""

from decimal import Decimal

import pytest

from gonghui.funds import formula
from gonghui.funds.formula import FormulaError, InputError
from gonghui.funds.seed_schemes import ALL, seed


def quote(code, **inputs):
    return formula.evaluate(formula.validate(seed(code)["formula"]), inputs)


@pytest.mark.parametrize("code", [s["code"] for schemes in ALL.values() for s in schemes])
def test_every_seed_formula_is_valid(code):
    assert formula.validate(seed(code)["formula"])


# 沈阳: 2,000 元 for ≤ 25 members, 20 元 more for each member above 25.
@pytest.mark.parametrize(
    ("members", "amount"), [(1, "2000.00"), (25, "2000.00"), (26, "2020.00"), (40, "2300.00")]
)
def test_shenyang_pilot_union_at_25_and_26_members(members, amount):
    q = quote("SY-SD", members=members)
    assert q.minimum == q.maximum == Decimal(amount)


def test_shenyang_pilot_working_names_the_extra_members():
    q = quote("SY-SD", members=26)
    assert q.lines == ["会员 26 人，超过 25 人的 1 人：2,000.00 + 1 × 20.00 = 2,020.00 元"]


# 沈阳: at most 60 % of the cost and at most 10万元.
@pytest.mark.parametrize(
    ("cost", "maximum", "capped"),
    [
        ("166666.65", "99999.99", False),  # 60 % just under 10万
        ("166666.67", "100000.00", False),  # 100,000.002 rounds to the cap exactly
        ("166667.00", "100000.00", True),  # 100,000.20: the cap applies
        ("500000", "100000.00", True),
        ("1000", "600.00", False),
    ],
)
def test_shenyang_project_share_crosses_the_cap(cost, maximum, capped):
    q = quote("SY-XM", cost=cost)
    assert q.minimum == Decimal("0.00")  # "at most": the reviewer may approve less
    assert q.maximum == Decimal(maximum)
    assert any("封顶" in line for line in q.lines) is capped


def test_shenyang_chairs_per_person_month_and_month_cap():
    assert quote("SY-JZ", persons=2, months=12).maximum == Decimal("7200.00")
    q = quote("SY-JZ", persons=2, months=14)
    assert q.maximum == Decimal("7200.00")
    assert "按 12 个月计" in q.lines[0]
    assert quote("SY-JZ", persons=0, months=12).maximum == Decimal("0.00")


@pytest.mark.parametrize(
    ("level", "low", "high"),
    [
        ("senior", "1600.00", "2000.00"),
        ("technician", "3000.00", "4000.00"),
        ("senior_technician", "3000.00", "4000.00"),
    ],
)
def test_huaian_training_bands_both_ends(level, low, high):
    q = quote("HA-PX", level=level)
    assert (q.minimum, q.maximum) == (Decimal(low), Decimal(high))


def test_huaian_unknown_level_is_refused_with_the_choices():
    with pytest.raises(InputError) as exc:
        quote("HA-PX", level="master")
    assert exc.value.field == "level"
    assert "高级工" in exc.value.message


def test_huaian_awards():
    assert quote("HA-GJ").maximum == Decimal("10000.00")
    master = quote("HA-DS")
    assert master.minimum == master.maximum == Decimal("50000.00")
    assert master.lines == [
        "津贴：固定金额 10,000.00 元",
        "建设经费：固定金额 40,000.00 元",
        "合计 50,000.00 元",
    ]
    assert quote("HA-LM").maximum == Decimal("20000.00")


def test_guangxi_county_social_workers_and_awards():
    assert quote("GX-XJ").maximum == Decimal("100000.00")
    assert quote("GX-SG", persons=3, months=12).maximum == Decimal("114300.00")
    award = quote("GX-MF")
    assert (award.minimum, award.maximum) == (Decimal("20000.00"), Decimal("50000.00"))


@pytest.mark.parametrize(
    ("inputs", "field"),
    [({}, "members"), ({"members": "abc"}, "members"), ({"members": -1}, "members")],
)
def test_bad_inputs_name_the_field(inputs, field):
    with pytest.raises(InputError) as exc:
        quote("SY-SD", **inputs)
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ("2000", "formula"),
        ({"type": "magic"}, "formula.type"),
        ({"type": "fixed", "amount": 2000.5}, "formula.fixed.amount"),
        ({"type": "fixed", "amount": "-1"}, "formula.fixed.amount"),
        ({"type": "cost_share", "rate": "60", "cap": "100000"}, "formula.cost_share.rate"),
        ({"type": "range", "min": "5", "max": "1"}, "formula.range.min"),
        (
            {"type": "per_member_above", "base": "2000", "threshold": 0, "per_member": "20"},
            "formula.per_member_above.threshold",
        ),
        ({"type": "banded", "bands": []}, "formula.bands"),
        (
            {
                "type": "banded",
                "bands": [
                    {"key": "a", "label": "甲", "min": "1", "max": "2"},
                    {"key": "a", "label": "乙", "min": "1", "max": "2"},
                ],
            },
            "formula.bands[1].key",
        ),
        (
            {"type": "sum", "parts": [{"label": "x", "formula": {"type": "fixed", "amount": "1"}}]},
            "formula.parts",
        ),
        (
            {"type": "per_person_month", "rate": "300", "persons_from": "everyone"},
            "formula.per_person_month.persons_from",
        ),
    ],
)
def test_invalid_specs_are_refused_naming_the_field(spec, field):
    with pytest.raises(FormulaError) as exc:
        formula.validate(spec)
    assert exc.value.field == field
    assert exc.value.message


def test_describe_reads_like_the_notice():
    spec = formula.validate(seed("SY-SD")["formula"])
    assert formula.describe(spec) == "会员 25 人及以下 2,000.00 元，超过 25 人的每人增加 20.00 元"
    assert (
        formula.describe(formula.validate(seed("SY-XM")["formula"]))
        == "不超过项目费用的 60%，最高 100,000.00 元"
    )
