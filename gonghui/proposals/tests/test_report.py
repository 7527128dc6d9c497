"""The report over a few hundred proposals: every grouping adds up to the same totals, computed here
independently from the rows, in a fixed number of queries."""

import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.orgs.models import Org
from gonghui.proposals import selectors
from gonghui.proposals.models import Proposal, Reward
from gonghui.testing.factories import make_org

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
S = Proposal.Status
N = 360


@pytest.fixture
def many(world):
    """Volume no user journey could produce in a test: rows written directly."""
    rng = random.Random(14)
    second = make_org(world.company, Org.Kind.GRASSROOTS, "炼钢车间分工会", short_name="炼钢车间")
    units = [world.company, world.workshop, second]
    tiers = list(world.tiers.values())
    statuses = [S.SUBMITTED, S.REJECTED, S.ADOPTED, S.IMPLEMENTED, S.VERIFIED]
    rows = []
    for i in range(N):
        unit, tier = rng.choice(units), rng.choice(tiers)
        status = rng.choice(statuses)
        year = 2026 if i % 10 else 2025  # a tenth in another year, which the 2026 report must leave out
        submitted = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 9, tzinfo=SHANGHAI)
        rows.append(
            Proposal(
                programme=world.programme,
                org=unit,
                org_path=unit.path,
                author=world.worker,
                author_name="孙师傅",
                number=f"GS-R{i:05d}",
                title=f"改善{i}",
                tier=tier,
                category=rng.choice(Proposal.Category.values),
                status=status,
                submitted_at=submitted,
                verified_benefit=Decimal(rng.randint(1000, 90000)) if status == S.VERIFIED else None,
            )
        )
    proposals = Proposal.objects.bulk_create(rows)
    rewards = []
    for p in proposals:
        if p.status in Proposal.ADOPTED_STATES and p.submitted_at.year == 2026 and rng.random() < 0.4:
            rewards.append(
                Reward(
                    programme=world.programme,
                    org_path=p.org_path,
                    kind="quarter",
                    proposal=p,
                    recipient=world.worker,
                    recipient_name="孙师傅",
                    year=2026,
                    quarter=rng.randint(1, 4),
                    amount=Decimal(rng.randint(1000, 20000)),
                    approved_by=world.admin,
                )
            )
    Reward.objects.bulk_create(rewards)
    return proposals, rewards, units


def _expected(proposals, key):
    out = defaultdict(Counter)
    for p in proposals:
        if p.submitted_at.year != 2026:
            continue
        row = out[key(p)]
        row["submitted"] += 1
        row["adopted"] += p.status in Proposal.ADOPTED_STATES
        row["implemented"] += p.status in (S.IMPLEMENTED, S.VERIFIED)
        row["savings"] += p.verified_benefit or 0
    return out


def test_report_by_unit_tier_category_and_quarter(world, many):
    proposals, rewards, _units = many
    paid = sum(r.amount for r in rewards)
    in_year = [p for p in proposals if p.submitted_at.year == 2026]
    assert len(in_year) >= 300
    for by, key, label in (
        ("unit", lambda p: p.org_path, lambda r: r["key"]),
        ("tier", lambda p: p.tier.name, lambda r: r["key"]),
        ("category", lambda p: p.category, lambda r: r["key"]),
        ("quarter", lambda p: (p.submitted_at.astimezone(SHANGHAI).month - 1) // 3 + 1, lambda r: r["key"]),
    ):
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.report(actor=world.admin, year=2026, by=by, org=world.company)
        assert len(queries) <= 4, by
        expected = _expected(proposals, key)
        got = {label(r): r for r in rows}
        assert set(got) == set(expected), by
        for k, row in expected.items():
            for metric in ("submitted", "adopted", "implemented"):
                assert got[k][metric] == row[metric], (by, k, metric)
            assert got[k]["savings"] == row["savings"], (by, k)
        assert sum(r["submitted"] for r in rows) == len(in_year)
        if by != "quarter":  # rewards are by the quarter awarded, not the quarter submitted
            assert sum(r["rewards"] for r in rows) == paid
    by_unit = {
        r["label"]: r for r in selectors.report(actor=world.admin, year=2026, by="unit", org=world.company)
    }
    assert set(by_unit) <= {"预石运输工会", "运输车间", "炼钢车间"}


def test_report_from_above_rolls_the_company_up_into_one_row(world, many, personas):
    proposals, _, _ = many
    rows = selectors.report(actor=personas.county_staffer, year=2026, by="unit", org=personas.tree.township)
    assert [r["label"] for r in rows] == ["预石运输工会"]
    assert rows[0]["submitted"] == sum(1 for p in proposals if p.submitted_at.year == 2026)


def test_sibling_report_is_empty(world, many, personas):
    rows = selectors.report(actor=personas.sibling_staffer, year=2026, by="tier")
    assert rows == []
