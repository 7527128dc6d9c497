import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.funds import services
from gonghui.funds.seed_schemes import seed
from gonghui.orgs.models import Org

SH = ZoneInfo("Asia/Shanghai")
# Inside 沈阳's scheme period (2021-08 – 2022-10), after its member-count reference date 2022-06-30.
IN_PERIOD = dt.datetime(2022, 7, 15, 10, 0, tzinfo=SH)


@pytest.fixture
def clock():
    with time_machine.travel(IN_PERIOD, tick=False) as traveller:
        yield traveller


def make_scheme(
    personas, code: str, *, as_code="", org: Org | None = None, budget="1000000", year=2022, **overrides
):
    """A seed scheme paid by the city (吕梁市总工会 in the personas tree) with a budget for the year."""
    fields = {**seed(code), **overrides}
    fields.pop("code")
    if code.startswith(("HA", "GX")) and "period_start" not in overrides:
        fields.update(period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31))
    scheme = services.scheme_create(
        actor=personas.city_staffer, org=org or personas.tree.city, code=as_code or code, **fields
    )
    if budget:
        services.budget_set(actor=personas.city_staffer, scheme=scheme, year=year, amount=budget)
    return scheme


@pytest.fixture
def scheme_factory(personas, clock):
    return lambda code, **kw: make_scheme(personas, code, **kw)


@pytest.fixture
def personas(clock, db):
    """The personas, created on the test's day (so the worker joined before the scheme's reference date... or not)."""
    from gonghui.testing.personas import build_personas

    return build_personas()
