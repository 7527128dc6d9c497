"""全员改善 report speed (issue 14). Prints its figures; not run by pytest.

    python benchmarks/proposals_report.py [--proposals 100000] [--units 60]

A company union with --units workshop sub-unions under a county, --proposals proposals of one year spread
over units, tiers, categories and states, and an award for about a fifth of the adopted ones, in a fresh
SQLite database (or the PostgreSQL database of BENCH_DATABASE_URL, which is dropped and recreated). Then,
as the company admin and as the county staffer above it: the report by unit, tier, category and quarter
(best of three rounds, with the number of queries), the reward ledger of one quarter, and the library's
first page ranked by verified benefit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=60)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ["SQLITE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="gonghui-bench-"), "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from gonghui.orgs.models import Org, Staff
    from gonghui.proposals import selectors, services
    from gonghui.proposals.models import Proposal, Reward
    from gonghui.testing.factories import make_org, make_staff, make_user

    rng = random.Random(14)
    national = make_org(None, Org.Kind.NATIONAL, "中华全国总工会")
    province = make_org(national, Org.Kind.PROVINCE, "山东省总工会", region_code="370000")
    city = make_org(province, Org.Kind.CITY, "济南市总工会", region_code="370100")
    county = make_org(city, Org.Kind.COUNTY, "济南市钢城区总工会", region_code="370117")
    company = make_org(
        county, Org.Kind.GRASSROOTS, "山东钢铁股份有限公司莱芜分公司工会", region_code="370117"
    )
    units = [company] + [
        make_org(company, Org.Kind.GRASSROOTS, f"第{i + 1}作业区分工会", region_code="370117")
        for i in range(args.units)
    ]
    admin = make_staff(company, Staff.Role.ADMIN, name="工会主席")
    county_staffer = make_staff(county, Staff.Role.ADMIN, name="区总干部")
    worker = make_user(name="李洋洋")
    programme = services.programme_create(actor=admin, org=company)
    tiers = list(programme.tiers.all())
    states = [
        Proposal.Status.SUBMITTED,
        Proposal.Status.REJECTED,
        Proposal.Status.ADOPTED,
        Proposal.Status.IMPLEMENTED,
        Proposal.Status.VERIFIED,
    ]
    t = time.perf_counter()
    batch = []
    for i in range(args.proposals):
        unit, status = rng.choice(units), rng.choice(states)
        submitted = dt.datetime(2026, rng.randint(1, 12), rng.randint(1, 28), 9, tzinfo=SHANGHAI)
        batch.append(
            Proposal(
                programme=programme,
                org=unit,
                org_path=unit.path,
                author=worker,
                author_name="李洋洋",
                number=f"GS-B{i:08d}",
                title=f"改善提案{i}",
                problem="问题",
                solution="措施",
                tier=rng.choice(tiers),
                category=rng.choice(Proposal.Category.values),
                status=status,
                submitted_at=submitted,
                decided_at=submitted if status != Proposal.Status.SUBMITTED else None,
                verified_benefit=Decimal(rng.randint(1000, 500000))
                if status == Proposal.Status.VERIFIED
                else None,
            )
        )
        if len(batch) == 5000:
            Proposal.objects.bulk_create(batch)
            batch = []
    Proposal.objects.bulk_create(batch)
    adopted = list(
        Proposal.objects.filter(status__in=Proposal.ADOPTED_STATES).values_list("pk", "org_path")[
            : args.proposals
        ]
    )
    rewards = [
        Reward(
            programme=programme,
            org_path=path,
            kind="quarter",
            proposal_id=pk,
            recipient=worker,
            recipient_name="李洋洋",
            year=2026,
            quarter=rng.randint(1, 4),
            amount=Decimal(rng.choice([1000, 2000, 5000, 8000, 20000])),
            approved_by=admin,
        )
        for pk, path in adopted
        if rng.random() < 0.2
    ]
    Reward.objects.bulk_create(rewards, batch_size=5000)
    print(
        f"{connection.vendor}: {args.proposals:,} proposals over {len(units)} units, {len(rewards):,} rewards, "
        f"loaded in {time.perf_counter() - t:.1f} s"
    )

    def measure(label, fn):
        best, queries = None, 0
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = fn()
                elapsed = (time.perf_counter() - t) * 1000
            best = elapsed if best is None else min(best, elapsed)
            queries = len(ctx)
        print(f"  {label:<44} {best:8.1f} ms  {queries} queries  ({len(result)} rows)")

    for actor, root, who in ((admin, company, "company admin"), (county_staffer, county, "county staffer")):
        print(f"as the {who}:")
        for by in ("unit", "tier", "category", "quarter"):
            measure(
                f"report by {by}",
                lambda by=by, actor=actor, root=root: selectors.report(
                    actor=actor, year=2026, by=by, org=root
                ),
            )
        measure(
            "ledger 2026 Q2",
            lambda actor=actor: list(selectors.reward_ledger(actor=actor, year=2026, quarter=2)),
        )
        measure(
            "library first 20 by verified benefit",
            lambda: list(selectors.library(root=company, order="benefit")[:20]),
        )


if __name__ == "__main__":
    main()
