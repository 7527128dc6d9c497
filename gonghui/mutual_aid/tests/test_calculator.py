"""The payout calculator on hand-computed cases (default product of docs/mutual_aid.md) and its properties."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.mutual_aid.calculator import DEFAULT_RULES, Band, Rules, Stay, YearSoFar, compute, compute_year


def test_a_stay_below_the_deductible_pays_the_hospital_allowance_instead():
    result = compute(DEFAULT_RULES, Stay(D("800.00"), 5))
    assert result.method == "allowance"
    assert result.deductible_taken == D("800.00")
    assert result.allowance_days == 5 and result.payout == D("150.00")  # 5 days × 30 元
    assert result.after.deductible_used == D("800.00")


def test_the_yearly_deductible_is_spread_over_two_stays():
    first, second = compute_year(DEFAULT_RULES, [Stay(D("600.00"), 4), Stay(D("3400.00"), 6)])
    assert first.method == "allowance" and first.payout == D("120.00")
    # Only the 400 元 left of the deductible is taken from the second stay: 3,000 × 30 % = 900.
    assert second.deductible_used_before == D("600.00")
    assert second.deductible_taken == D("400.00")
    assert second.eligible == D("3000.00")
    assert [b.share for b in second.bands] == [D("900.00")]
    assert second.payout == D("900.00")


def test_a_payout_of_60_is_raised_to_the_minimum_of_100():
    result = compute(DEFAULT_RULES, Stay(D("1200.00"), 2))
    assert result.banded_total == D("60.00")  # 200 × 30 %
    assert result.minimum_applied
    assert result.payout == D("100.00")


def test_a_claim_crossing_three_bands():
    result = compute(DEFAULT_RULES, Stay(D("81000.00"), 20))
    assert [(b.amount, b.rate, b.share) for b in result.bands] == [
        (D("10000.00"), D("0.30"), D("3000.00")),
        (D("40000.00"), D("0.40"), D("16000.00")),
        (D("30000.00"), D("0.60"), D("18000.00")),
    ]
    assert result.payout == D("37000.00")


def test_the_yearly_cap_is_reached_on_the_second_claim():
    first, second = compute_year(DEFAULT_RULES, [Stay(D("600000.00"), 40), Stay(D("650000.00"), 50)])
    # 3,000 + 16,000 + 90,000 + 399,000 × 95 % = 488,050
    assert first.payout == D("488050.00") and not first.cap_applied
    # The second stay starts in the 95 % band: 650,000 × 95 % = 617,500, but only 511,950 is left.
    assert second.eligible_before == D("599000.00")
    assert [b.rate for b in second.bands] == [D("0.95")]
    assert second.before_cap == D("617500.00")
    assert second.cap_applied and second.payout == D("511950.00")
    assert first.payout + second.payout == D("1000000.00")


def test_the_seed_case_of_1250000_self_paid_pays_the_cap():
    result = compute(DEFAULT_RULES, Stay(D("1250000.00"), 60))
    assert result.banded_total == D("1105550.00")  # 3,000 + 16,000 + 90,000 + 996,550
    assert result.payout == D("1000000.00") and result.cap_applied


def test_the_allowance_stops_at_180_days_a_year():
    result = compute(DEFAULT_RULES, Stay(D("500.00"), 30), YearSoFar(D("0"), D("0"), D("0"), 170))
    assert result.allowance_days == 10 and result.payout == D("300.00")


def test_a_stay_just_over_the_deductible_never_pays_less_than_the_allowance():
    below = compute(DEFAULT_RULES, Stay(D("1000.00"), 10))
    above = compute(DEFAULT_RULES, Stay(D("1000.01"), 10))
    assert below.payout == D("300.00")
    assert above.allowance_floor_applied and above.payout == D("300.00")


def test_every_step_is_spelled_out():
    steps = compute(DEFAULT_RULES, Stay(D("81000.00"), 20)).as_dict()["steps"]
    assert "年度起付线 1,000.00 元，此前已用 0.00 元，本次抵扣 1,000.00 元" in steps
    assert "  10,000–50,000 元段：40,000.00 × 40% = 16,000.00 元" in steps
    assert steps[-1] == "本次互助金 37,000.00 元"


# --- properties -------------------------------------------------------------------------------------

money = st.decimals(min_value=D("0"), max_value=D("3000000"), places=2, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=0, max_value=366)


@st.composite
def year_so_far(draw, rules=DEFAULT_RULES):
    deductible_used = draw(st.decimals(min_value=D("0"), max_value=rules.deductible, places=2))
    eligible = draw(money) if deductible_used == rules.deductible else D("0.00")
    paid = draw(st.decimals(min_value=D("0"), max_value=rules.yearly_cap, places=2))
    return YearSoFar(deductible_used, eligible, paid, draw(st.integers(0, rules.allowance_max_days)))


@st.composite
def rules(draw):
    cuts = sorted(set(draw(st.lists(st.integers(1, 500_000), min_size=0, max_size=4))))
    lowers = [0, *cuts]
    bands = tuple(
        Band(D(lo), D(hi) if hi is not None else None, D(draw(st.integers(0, 100))) / 100)
        for lo, hi in zip(lowers, [*cuts, None], strict=True)
    )
    return Rules(
        deductible=D(draw(st.integers(0, 5000))),
        bands=bands,
        minimum_payout=D(draw(st.integers(0, 500))),
        allowance_per_day=D(draw(st.integers(0, 100))),
        allowance_max_days=draw(st.integers(0, 366)),
        yearly_cap=D(draw(st.integers(0, 2_000_000))),
    )


@settings(max_examples=300, deadline=None)
@given(rules=rules(), a=money, b=money, days=days, data=st.data())
def test_the_payout_never_decreases_when_the_self_paid_cost_grows(rules, a, b, days, data):
    before = data.draw(year_so_far(rules))
    low, high = min(a, b), max(a, b)
    assert compute(rules, Stay(low, days), before).payout <= compute(rules, Stay(high, days), before).payout


@settings(max_examples=300, deadline=None)
@given(rules=rules(), a=money, days=days, data=st.data())
def test_a_payout_never_exceeds_what_is_left_of_the_cap(rules, a, days, data):
    before = data.draw(year_so_far(rules))
    result = compute(rules, Stay(a, days), before)
    assert D("0") <= result.payout <= max(rules.yearly_cap - before.paid_so_far, D("0"))
    assert result.payout <= rules.yearly_cap


@settings(max_examples=200, deadline=None)
@given(stays=st.lists(st.tuples(money, days), min_size=1, max_size=8))
def test_a_year_of_stays_never_pays_more_than_the_cap(stays):
    results = compute_year(DEFAULT_RULES, [Stay(a, d) for a, d in stays])
    assert sum(r.payout for r in results) <= DEFAULT_RULES.yearly_cap
    assert results[-1].after.deductible_used <= DEFAULT_RULES.deductible
