"""The DOMAIN.md hardship formulas with the working shown: boundaries at exactly 1× and 2× 低保,
a household of one, zero income, and accident costs at exactly 80 % of income."""

from decimal import Decimal as D

import pytest

from gonghui.aid import formulas
from gonghui.aid.formulas import HardshipInput, assess

DIBAO = D("800.00")


def run(size, income, *, medical="0", accident="0", **kw):
    return assess(
        HardshipInput(
            household_size=size,
            annual_income=D(income),
            dibao_monthly=DIBAO,
            medical=D(medical),
            accident_costs=D(accident),
            **kw,
        )
    )


def test_below_dibao_is_deep_and_the_working_is_shown():
    # (30,000 − 6,000) ÷ 12 ÷ 3 = 666.67 < 800
    r = run(3, "30000", medical="6000")
    assert r.category == formulas.DEEP
    assert r.per_capita_monthly == D("666.67")
    text = "\n".join(r.steps)
    assert "30,000.00 − 刚性支出 6,000.00 = 24,000.00" in text
    assert "24,000.00 ÷ 12 个月 ÷ 3 人 = 666.67 元/人/月" in text
    assert "666.67 < 当地低保标准 800.00" in text


def test_exactly_one_times_dibao_is_not_deep_but_relative():
    r = run(3, str(800 * 12 * 3))  # per capita exactly 800.00
    assert r.per_capita_monthly == DIBAO
    assert r.category == formulas.RELATIVE


def test_one_fen_below_dibao_is_deep():
    r = run(1, str(800 * 12 - D("0.12")))  # 799.99 per month
    assert r.category == formulas.DEEP


def test_exactly_two_times_dibao_does_not_qualify():
    r = run(2, str(1600 * 12 * 2))
    assert r.per_capita_monthly == D("1600.00")
    assert r.category == formulas.NONE
    assert "≥ 2 倍低保 1,600.00" in r.steps[-1]


def test_just_under_two_times_is_relative():
    r = run(2, str(1600 * 12 * 2 - 1))
    assert r.category == formulas.RELATIVE


def test_household_of_one():
    r = run(1, "9000")  # 750 a month
    assert r.per_capita_monthly == D("750.00")
    assert r.category == formulas.DEEP
    assert "÷ 1 人" in r.steps[2]


def test_zero_income_is_deep():
    r = run(4, "0")
    assert r.per_capita_monthly == D("0.00")
    assert r.category == formulas.DEEP


def test_expenses_above_income_are_shown_as_such():
    r = run(2, "10000", medical="40000")
    assert r.net_income == D("-30000.00")
    assert r.category == formulas.DEEP
    assert "支出超过收入" in r.steps[1]


def test_accident_costs_at_exactly_80_percent_of_income_do_not_count():
    r = run(2, "100000", accident="80000")
    assert not r.accident
    assert r.category == formulas.NONE
    assert "80,000.00 元 ≤ 家庭年收入的 80%（80,000.00 元）" in r.steps[-1]


def test_accident_costs_above_80_percent_make_accident_hardship():
    r = run(2, "100000", accident="80000.01")
    assert r.accident and r.category == formulas.ACCIDENT


def test_deep_takes_precedence_over_accident_but_the_accident_is_noted():
    r = run(2, "10000", accident="9000")
    assert r.category == formulas.DEEP and r.accident
    assert "符合意外致困" in r.steps[-1]


@pytest.mark.parametrize(
    ("urban", "months", "expected"), [(True, 12, True), (True, 11, False), (False, 24, False)]
)
def test_migrant_worker_needs_long_term_residence_and_a_year_of_work(urban, months, expected):
    r = run(3, "20000", migrant=True, urban_long_term=urban, employed_months=months)
    assert r.category == formulas.DEEP
    assert r.migrant_hardship is expected


def test_migrant_without_hardship_is_not_a_hardship_migrant():
    r = run(1, "100000", migrant=True, urban_long_term=True, employed_months=36)
    assert not r.migrant_hardship


def test_household_size_must_be_positive():
    with pytest.raises(ValueError):
        run(0, "1000")
