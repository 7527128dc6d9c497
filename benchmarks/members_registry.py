"""Registry speed at province scale: search and the first page of filtered lists, as the workbench
runs them (page of 30 + the total for the pager), at 1,000,000 members on PostgreSQL.

    createdb gonghui_bench_members
    export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gonghui_bench_members GONGHUI_VAR_DIR=/tmp/gh_bench_var
    python manage.py migrate && python manage.py demo --members 1000000 --quiet-logins
    python benchmarks/members_registry.py

Prints p50/p95 in ms per query kind for a national admin (all 1,000,000) and a county staffer.
Target: p95 ≤ 100 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from gonghui.accounts.models import User  # noqa: E402
from gonghui.members.models import Member  # noqa: E402
from gonghui.members.selectors import member_search  # noqa: E402
from gonghui.members.views import CappedPaginator  # noqa: E402
from gonghui.orgs.models import Org  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def first_page(actor, **filters):
    # Exactly what the registry page does: 30 rows and the pager's (capped) total.
    page = CappedPaginator(member_search(actor=actor, **filters), 30).get_page(1)
    return len(list(page)), page.paginator.count


def measure(label, fn):
    fn()  # warm the cache once, as a running server would be
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"  {label:<44} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
    return p95


def main():
    total = Member.objects.count()
    print(f"database: {connection.vendor}; members: {total:,}")
    sample = Member.objects.order_by("id")[total // 2]
    yushi = Org.objects.get(short_name="预石运输工会")
    for phone, who in (("13800000009", "全国总工会管理员（全部会员）"), ("13800000004", "柳林县总工会干部")):
        actor = User.objects.get_by_phone(phone)
        scope_total = member_search(actor=actor).count()
        print(f"{who}: {scope_total:,} members in scope")
        worst = max(
            measure("search: full 身份证号 (blind index)", lambda a=actor: first_page(a, q=sample.id_number)),
            measure("search: phone number (blind index)", lambda a=actor: first_page(a, q=sample.phone[3:])),
            measure("search: member number", lambda a=actor: first_page(a, q=sample.member_no)),
            measure("search: name prefix 王建", lambda a=actor: first_page(a, q="王建")),
            measure("list: unfiltered first page", lambda a=actor: first_page(a)),
            measure(
                "list: occupation=快递员 + active",
                lambda a=actor: first_page(a, occupation="courier", status="active"),
            ),
            measure("list: employment_form=new", lambda a=actor: first_page(a, employment_form="new")),
            measure(
                "list: union=预石运输 + joined 2024",
                lambda a=actor: first_page(
                    a,
                    org_path=yushi.path,
                    joined_from=__import__("datetime").date(2024, 1, 1),
                    joined_to=__import__("datetime").date(2024, 12, 31),
                ),
            ),
        )
        print(f"  worst p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()
