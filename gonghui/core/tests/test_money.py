from decimal import Decimal

import pytest

from gonghui.core.money import to_fen, yuan


def test_halves_round_up_to_the_fen():
    assert to_fen(Decimal("2.345")) == Decimal("2.35")
    assert to_fen(Decimal("2.344")) == Decimal("2.34")
    assert to_fen("-2.345") == Decimal("-2.35")
    assert to_fen(20) == Decimal("20.00")


def test_floats_and_garbage_are_refused():
    with pytest.raises(TypeError):
        to_fen(0.1)
    for bad in ("abc", "NaN", "Infinity", None):
        with pytest.raises(ValueError):
            to_fen(bad)


def test_yuan_groups_thousands():
    assert yuan(Decimal("1250000")) == "1,250,000.00"
