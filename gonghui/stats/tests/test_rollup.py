"""Each figure equals a direct count on small data — after joins, a transfer, a lapse and a withdrawal —
and the two roads to the month totals (nightly increments, full rebuild) arrive at the same rows."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from gonghui.members import services as member_services
from gonghui.members.models import Member
from gonghui.orgs.scope import subtree_q
from gonghui.stats.models import MonthFact, OwnFact
from gonghui.stats.rollup import rebuild, rollup_days
from gonghui.stats.selectors import overview, period
from gonghui.testing.factories import make_member

TZ = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def month_rows():
    return sorted(MonthFact.objects.values_list("org_id", "month", "metric", "dim", "value"))


def direct_members(org) -> int:
    return Member.objects.filter(subtree_q(org.path, "org_path"), status__in=Member.HOLDING).count()


def direct_new_form(org) -> int:
    return (
        Member.objects.filter(subtree_q(org.path, "org_path"), status__in=Member.HOLDING)
        .filter(employment_form="new")
        .count()
    )


class Story:
    """Jan: five join (two at the sibling city). Feb: one moves within the county, one to the sibling city,
    one lapses. Mar: one withdraws. The nightly job runs after every day that had something."""

    def __init__(self, personas):
        self.p = personas
        t = personas.tree
        self.nightly = []
        with time_machine.travel(at(dt.date(2026, 1, 5)), tick=False):
            self.a = make_member(t.grassroots, name="甲", employment_form="new")
            self.b = make_member(t.grassroots, name="乙", employment_form="standard", occupation="other")
            self.c = make_member(t.grassroots, name="丙", employment_form="new", occupation="courier")
            Member.objects.filter(pk=self.c.pk).update(source="online")
            self.d = make_member(t.sibling_grassroots, name="丁")
        self.night(dt.date(2026, 1, 5))
        with time_machine.travel(at(dt.date(2026, 2, 10)), tick=False):
            self.move(self.a, t.township, personas.county_staffer, personas.county_staffer)
        self.night(dt.date(2026, 2, 10))
        with time_machine.travel(at(dt.date(2026, 2, 12)), tick=False):
            self.move(self.b, t.sibling_grassroots, personas.county_staffer, personas.sibling_staffer)
        self.night(dt.date(2026, 2, 12))
        with time_machine.travel(at(dt.date(2026, 2, 20)), tick=False):
            member_services.member_status_change(
                actor=personas.county_staffer, member=self.c, status="lapsed", reason="连续六个月未交会费"
            )
        self.night(dt.date(2026, 2, 20))
        with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
            member_services.member_leave(actor=personas.worker, reason="离开本单位")
        self.night(dt.date(2026, 3, 2))

    def move(self, member, to_org, out_actor, in_actor):
        tr = member_services.transfer_start(actor=out_actor, member=member, to_org=to_org, reason="工作调动")
        if tr.status == "await_out":
            tr = member_services.transfer_confirm_out(actor=out_actor, transfer=tr)
        member_services.transfer_accept_in(actor=in_actor, transfer=tr)

    def night(self, day):
        # Run at 23:30 that day for yesterday and today, as the scheduled job does.
        with time_machine.travel(at(day, 23), tick=False):
            rollup_days(day - dt.timedelta(days=1), day)


@pytest.fixture
def story(personas):
    # The personas' own members (the worker at the grassroots union, one at the sibling city) joined on
    # 2026-01-05 too: build them inside that day.
    return Story(personas)


@pytest.fixture
def personas(db):
    from gonghui.testing.personas import build_personas

    with time_machine.travel(at(dt.date(2026, 1, 5), 9), tick=False):
        return build_personas()


def figures(org, m0="2026-01", m1="2026-03"):
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        return overview(org, *period(m0, m1))


def test_members_equal_a_direct_count_at_every_level(story, personas):
    t = personas.tree
    for org in (t.province, t.city, t.county, t.township, t.grassroots, t.sibling_city, t.sibling_grassroots):
        f = figures(org)["figures"]
        assert f["members"] == direct_members(org), org.name
        assert f["new_form"] == direct_new_form(org), org.name
    # And the story as a person tells it: 4 joined at 预石 (the worker, 甲, 乙, 丙); 甲 moved to the
    # township (still in the county), 乙 left for the sibling city, 丙 lapsed, the worker withdrew.
    assert direct_members(t.county) == 1
    assert figures(t.grassroots)["figures"]["members"] == 0
    assert figures(t.township)["figures"]["members"] == 1


def test_flows_by_period_and_union(story, personas):
    t = personas.tree
    county = figures(t.county)
    f = county["figures"]
    assert (f["joins"], f["xfer_in"], f["xfer_out"], f["leaves"], f["net_growth"]) == (4, 1, 2, 2, 1)
    # Joins stay where they happened: the member who moved away still joined at 预石.
    assert figures(t.grassroots)["figures"]["joins"] == 4
    assert figures(t.sibling_grassroots)["figures"]["joins"] == 2  # 丁 and 吴师傅, not 乙 who moved in
    sibling = figures(t.sibling_city)["figures"]
    assert (sibling["joins"], sibling["xfer_in"], sibling["members"]) == (2, 1, 3)
    # The province counts both ends of a move inside it: in and out, no change in members.
    prov = figures(t.province)["figures"]
    assert (prov["xfer_in"], prov["xfer_out"], prov["members"]) == (2, 2, direct_members(t.province))
    by_month = {row["month"]: row for row in county["series"]}
    assert by_month["2026-01"]["members"] == 4
    assert by_month["2026-02"]["members"] == 2  # 甲 stays in the county; 乙 left; 丙 lapsed
    assert by_month["2026-03"]["members"] == 1
    reasons = {r["key"]: r["value"] for r in county["breakdowns"]["leave_reason"]}
    assert reasons == {"lapsed": 1, "withdrawn": 1}
    channels = {r["key"]: r["value"] for r in county["breakdowns"]["join_channel"]}
    assert channels == {"offline": 3, "online": 1}


def test_a_period_that_starts_later_opens_with_the_stock_before_it(story, personas):
    f = figures(personas.tree.county, "2026-03", "2026-03")["figures"]
    assert (f["members"], f["joins"], f["leaves"], f["net_growth"]) == (1, 0, 1, -1)


def test_rollup_is_idempotent_and_rebuild_equals_the_nightly_increments(story, personas):
    nightly = month_rows()
    own = sorted(OwnFact.objects.values_list("org_id", "month", "metric", "dim", "value"))
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        rollup_days(dt.date(2026, 2, 1), dt.date(2026, 3, 10))
        assert month_rows() == nightly
        MonthFact.objects.all().delete()
        OwnFact.objects.all().delete()
        rebuild(dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    assert month_rows() == nightly
    assert sorted(OwnFact.objects.values_list("org_id", "month", "metric", "dim", "value")) == own


def test_a_day_recomputed_after_later_moves_keeps_its_figures(story, personas):
    """January's joins are counted where the members joined, even recomputed after February's moves."""
    before = month_rows()
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        call_command("stats_rollup", "--day", "2026-01-05")
    assert month_rows() == before


def test_a_late_change_reaches_every_ancestor_once(story, personas):
    t = personas.tree
    with time_machine.travel(at(dt.date(2026, 3, 5)), tick=False):
        make_member(t.grassroots, name="戊", employment_form="new")
    with time_machine.travel(at(dt.date(2026, 3, 9), 23), tick=False):
        rollup_days(dt.date(2026, 3, 1), dt.date(2026, 3, 9))
        rollup_days(dt.date(2026, 3, 1), dt.date(2026, 3, 9))
    for org in (t.province, t.city, t.county, t.township, t.grassroots):
        assert figures(org)["figures"]["members"] == direct_members(org)


def test_money_and_services_equal_direct_sums(personas):
    from gonghui.cases.models import Case

    t = personas.tree
    with time_machine.travel(at(dt.date(2026, 2, 3)), tick=False):
        common = dict(
            title="欠薪",
            description="三个月工资未发",
            workplace_region="141125",
            claimant_name="王建军",
            accept_due=at(dt.date(2026, 2, 5)),
        )
        Case.objects.create(
            number="GD1", category="wages", org=t.grassroots, org_path=t.grassroots.path, **common
        )
        Case.objects.create(
            number="GD2",
            category="wages",
            org=t.county,
            org_path=t.county.path,
            resolved_at=at(dt.date(2026, 2, 3), 16),
            resolved_on_time=True,
            amount_recovered=Decimal("12800.50"),
            status="resolved",
            **common,
        )
        Case.objects.create(
            number="GD3",
            category="injury",
            org=t.sibling_county,
            org_path=t.sibling_county.path,
            **common,
        )
        rollup_days(dt.date(2026, 2, 3), dt.date(2026, 2, 3))
    county = figures(t.county)["figures"]
    assert (county["cases_filed"], county["cases_closed"], county["cases_on_time"]) == (2, 1, 100.0)
    assert county["cases_recovered"] == "12,800.50"
    assert (
        figures(t.province)["figures"]["cases_filed"]
        == Case.objects.filter(subtree_q(t.province.path, "org_path")).count()
    )
    assert figures(t.grassroots)["figures"]["cases_recovered"] == "0.00"
