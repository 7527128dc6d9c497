"""Dashboards at province scale (issue 21): the overview API and the workbench page for a province, a city,
a county and a grassroots union, at 1, 4 and 16 million members, on PostgreSQL.

    python benchmarks/dashboards.py                       # sizes 1M,4M,16M; creates and drops bench_stats
    python benchmarks/dashboards.py --sizes 1000000 --keep

Data (all generated in SQL with generate_series): a province → 20 cities → 100 counties → 1,000 towns →
10,000 grassroots unions; members joined over two years (2024-12-01 … 2026-11-30; 30 % new-form, four
channels, nine occupations); 1 % moved by a completed transfer a month after joining; 2 % lapsed or
withdrew two months after joining; tickets at 10 million per 16 million members (40 % redeemed, coupons
with a face value); cases at 500,000 per 16 million members (80 % closed, most on time, money recovered).

Prints per size: database size, full rebuild time, the roll-up time of one day's changes, and p50/p95 in ms
for the API and the page, cold (new database connection, a month range not asked before) and warm (the same
request again), with the load average beside them — the machine is shared. Then the growth curve.
Stops before a size that would pass --disk-gb or --budget-min, and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--sizes", default="1000000,4000000,16000000")
parser.add_argument("--db", default="bench_stats", help="the benchmark database (created and dropped)")
parser.add_argument("--keep", action="store_true", help="keep the database at the end")
parser.add_argument("--reuse", action="store_true", help="use the existing bench_stats as it is")
parser.add_argument("--disk-gb", type=float, default=30.0)
parser.add_argument("--budget-min", type=float, default=40.0)
parser.add_argument("--warm", type=int, default=30)
parser.add_argument("--cold", type=int, default=10)
ARGS = parser.parse_args()
DB = ARGS.db

if not ARGS.reuse:
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", DB], check=True)
os.environ["DATABASE_URL"] = f"postgresql://postgres@{HOST}:5432/{DB}"
os.environ.setdefault("GONGHUI_VAR_DIR", "/tmp/gh_bench_stats_var")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["GONGHUI_STAFF_TOTP_REQUIRED"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from gonghui.orgs.models import Org, Staff  # noqa: E402
from gonghui.stats.rollup import rebuild, rollup_days  # noqa: E402
from gonghui.stats.selectors import add_months  # noqa: E402
from gonghui.testing.factories import make_staff  # noqa: E402

START = dt.date(2024, 12, 1)
DAYS = 730
GRASSROOTS = 10_000


def sql(statement: str, params=None):
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall() if cur.description else None


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"


def db_gb() -> float:
    return sql("select pg_database_size(current_database())")[0][0] / 1e9


def build_tree():
    sql(
        """
        create or replace function b36(n int) returns text language sql immutable as $$
          select string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (n / (36 ^ (4 - k))::int) % 36 + 1, 1), '' order by k)
          from generate_series(0, 4) k $$;
        """
    )
    cols = "name, short_name, kind, parent_id, path, depth, child_seq, region_code, address, chair_name, contact_name, contact_phone, is_active, created_at, updated_at"
    sql(
        f"insert into orgs_org ({cols}) values ('中华全国总工会', '全总', 'national', null, '00001', 1, 0, '', '', '', '', '', true, now(), now())"
    )
    sql(
        f"insert into orgs_org ({cols}) select '广东省总工会', '', 'province', id, path || '00001', 2, 0, '440000', '', '', '', '', true, now(), now() from orgs_org where kind = 'national'"
    )
    for kind, parent_kind, n, label in (
        ("city", "province", 20, "市总工会"),
        ("county", "city", 5, "县(区)总工会"),
        ("township", "county", 10, "镇(街道)工会"),
        ("grassroots", "township", 10, "公司工会"),
    ):
        sql(
            f"""insert into orgs_org ({cols})
            select p.name || '·' || g || '{label}', '', '{kind}', p.id, p.path || b36(g), p.depth + 1, 0, '', '', '', '', '', true, now(), now()
            from orgs_org p, generate_series(1, {n}) g where p.kind = '{parent_kind}'"""
        )
    sql(
        "create table bench_gr as select (row_number() over (order by path)) - 1 as k, id, path from orgs_org where kind = 'grassroots'"
    )
    sql("create unique index on bench_gr (k)")
    sql(
        "create table bench_county as select (row_number() over (order by path)) - 1 as k, id, path from orgs_org where kind = 'county'"
    )
    # One coupon campaign per county (face value 50 元) with one offer.
    sql(
        """insert into campaigns_campaign (org_id, org_path, title, kind, description, venue, mode, opens_at, closes_at,
             real_name_required, occupations, new_form_only, per_member_limit, offer_count, lottery_weight_losers,
             seed, seed_commitment, status, created_at)
           select id, path, '消费券', 'coupon', '', '', 'fcfs', '2024-12-01', '2026-12-31', false, '[]', false, 1, 1, false,
             '', '', 'published', now() from bench_county"""
    )
    sql(
        """insert into campaigns_offer (campaign_id, name, capacity, remaining, face_value, schedule, location, position)
           select id, '50元券', 100000000, 100000000, 50, '', '', 0 from campaigns_campaign"""
    )
    sql(
        "create table bench_offer as select (row_number() over (order by id)) - 1 as k, o.id, o.campaign_id from campaigns_offer o"
    )


def grow(lo: int, hi: int):
    """Members lo+1 … hi, then their transfers and leavings, tickets and cases in proportion."""
    day = f"(date '{START}' + ((i::bigint * 7919) % {DAYS})::int)"
    sql(
        f"""insert into members_member (org_id, org_path, member_no, name, id_number, id_index, phone, phone_index,
              gender, birth_date, occupation, employment_form, employer_name, status, status_reason, joined_at, source,
              created_at, updated_at)
            select g.id, g.path, 'B' || i, '会员' || i, 'x', md5(i::text), '', '', 'M', date '1990-01-01',
              (array['truck_driver','courier','carer','domestic','mall_info','food_delivery','estate_agent','security','other'])[1 + (i / 7) % 9],
              case when i % 10 < 3 then 'new' else 'standard' end, '', 'active', '', {day},
              (array['online','offline','import','station'])[1 + i % 4], now(), now()
            from generate_series({lo + 1}, {hi}) i join bench_gr g on g.k = i % {GRASSROOTS}"""
    )
    first = f"(select min(id) from members_member where member_no = 'B{lo + 1}')"
    # 1 %: moved a month after joining to another grassroots union.
    sql(
        f"""insert into members_transfer (member_id, from_org_id, to_org_id, from_path, to_path, status, reason, started_at, in_at, reject_reason)
            select m.id, m.org_id, g.id, m.org_path, g.path, 'done', '工作调动', m.joined_at + 25, (m.joined_at + 30)::timestamptz + interval '10 hours', ''
            from members_member m join bench_gr g on g.k = (m.id * 37) % {GRASSROOTS}
            where m.id >= {first} and m.id % 100 = 1 and m.joined_at + 30 < current_date and g.id <> m.org_id"""
    )
    sql(
        f"""update members_member m set org_id = t.to_org_id, org_path = t.to_path
            from members_transfer t where t.member_id = m.id and m.id >= {first} and t.status = 'done'"""
    )
    # 2 %: lapsed or withdrew two months after joining.
    sql(
        f"""insert into members_statuschange (member_id, from_status, to_status, reason, actor_label, at)
            select id, 'active', case when id % 100 = 0 then 'lapsed' else 'withdrawn' end, '基准数据', '',
              (joined_at + 60)::timestamptz + interval '11 hours'
            from members_member where id >= {first} and id % 50 = 0 and joined_at + 60 < current_date"""
    )
    sql(
        f"""update members_member m set status = s.to_status from members_statuschange s
            where s.member_id = m.id and m.id >= {first}"""
    )
    t_lo, t_hi = lo * 10 // 16, hi * 10 // 16
    noffers = sql("select count(*) from bench_offer")[0][0]
    sql(
        f"""insert into campaigns_ticket (offer_id, campaign_id, member_id, code, status, source, created_at, redeemed_at, redeemed_place)
            select o.id, o.campaign_id, {first} + (j - {t_lo} - 1), 'T' || j,
              case when j % 10 < 4 then 'redeemed' else 'active' end, 'grab', ts,
              case when j % 10 < 4 then ts + interval '3 days' end, ''
            from (select j, (date '{START}' + ((j::bigint * 104729) % {DAYS})::int)::timestamptz + interval '9 hours' as ts
                  from generate_series({t_lo + 1}, {t_hi}) j) s
            join bench_offer o on o.k = j % {noffers}"""
    )
    c_lo, c_hi = lo // 32, hi // 32
    sql(
        f"""insert into cases_case (number, category, difficulty, status, outcome, channel, title, description, employer_name,
              employer_key, employer_credit_code, workplace_region, workplace_address, amount_claimed, amount_recovered,
              is_collective, confidential, claimant_name, claimant_phone, claimant_phone_index, org_id, org_path, created_at,
              accept_due, resolved_at, resolved_on_time, paused_workdays, overdue, rating_comment, reopen_count, updated_at)
            select 'C' || j, (array['wages','injury','contract','social_insurance','legal'])[1 + j % 5], 'normal',
              case when j % 10 < 8 then 'resolved' else 'in_progress' end, '', 'online', '诉求', '', '', '', '', '440100', '',
              0, case when j % 5 = 0 and j % 10 < 8 then (j % 5000) + 0.5 else 0 end, false, false, 'x', '', '',
              g.id, g.path, ts, ts + interval '1 day',
              case when j % 10 < 8 then ts + interval '10 days' end,
              case when j % 10 < 8 then j % 10 < 7 end, 0, false, '', 0, now()
            from (select j, (date '{START}' + ((j::bigint * 7907) % {DAYS})::int)::timestamptz + interval '14 hours' as ts
                  from generate_series({c_lo + 1}, {c_hi}) j) s
            join bench_gr g on g.k = (j * 13) % {GRASSROOTS}"""
    )
    sql("analyze")


def one_days_changes(n: int, today: dt.date) -> dict:
    """A day's worth of work at this size: joins, moves, leavings, tickets and cases, all today."""
    joins = max(n // DAYS, 1)
    # Member numbers out of the generated range, and past any earlier run's (--reuse).
    base = n + 10_000_000_000 + sql("select count(*) from members_member where member_no like 'D%'")[0][0]
    before = sql("select coalesce(max(id), 0) from members_member")[0][0]
    sql(
        f"""insert into members_member (org_id, org_path, member_no, name, id_number, id_index, phone, phone_index,
              gender, birth_date, occupation, employment_form, employer_name, status, status_reason, joined_at, source, created_at, updated_at)
            select g.id, g.path, 'D' || i, '今日' || i, 'x', md5('d' || i), '', '', 'F', date '1995-01-01', 'courier', 'new', '',
              'active', '', %s, 'online', now(), now()
            from generate_series({base + 1}, {base + joins}) i join bench_gr g on g.k = i %% {GRASSROOTS}""",
        [today],
    )
    moved = sql(
        f"""with picked as (select id, org_id, org_path from members_member where status = 'active' and member_no like 'B%'
                            order by id limit {max(joins // 100, 1)})
            insert into members_transfer (member_id, from_org_id, to_org_id, from_path, to_path, status, reason, started_at, in_at, reject_reason)
            select p.id, p.org_id, g.id, p.org_path, g.path, 'done', '今日转接', now(), now(), ''
            from picked p join bench_gr g on g.k = (p.id * 11) % {GRASSROOTS} where g.id <> p.org_id returning member_id"""
    )
    sql(
        "update members_member m set org_id = t.to_org_id, org_path = t.to_path from members_transfer t "
        "where t.member_id = m.id and t.reason = '今日转接'"
    )
    left = sql(
        f"""with picked as (select id from members_member where status = 'active' and member_no like 'B%'
                            order by id desc limit {max(joins // 50, 1)})
            insert into members_statuschange (member_id, from_status, to_status, reason, actor_label, at)
            select id, 'active', 'lapsed', '今日', '', now() from picked returning member_id"""
    )
    sql(
        "update members_member m set status = 'lapsed' from members_statuschange s "
        "where s.member_id = m.id and s.reason = '今日'"
    )
    tickets = max(n * 10 // 16 // DAYS, 1)
    sql(
        f"""insert into campaigns_ticket (offer_id, campaign_id, member_id, code, status, source, created_at, redeemed_at, redeemed_place)
            select o.id, o.campaign_id, m.id, 'D' || m.id || '-' || o.id, 'active', 'grab', now(), null, ''
            from (select id, row_number() over (order by id) r from members_member where id > {before}) m
            join bench_offer o on o.k = (m.r * 7) % (select count(*) from bench_offer)
            limit {tickets}"""
    )
    return {"joins": joins, "moves": len(moved or []), "lapses": len(left or []), "tickets": tickets}


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def pct(times, q):
    times = sorted(times)
    return times[min(len(times) - 1, max(0, round(q * len(times)) - 1))]


def measure(levels, client, months) -> dict:
    out = {}
    for level, org in levels:
        for what, url in (
            ("api", f"/api/v1/stats/orgs/{org.pk}/overview"),
            ("page", f"/workbench/stats/?org={org.pk}"),
        ):
            sep = "&" if "?" in url else "?"
            cold = []
            for i in range(ARGS.cold):
                connection.close()
                m0, m1 = months[i % len(months)]
                r = [None]

                def call(m0=m0, m1=m1, r=r, url=url, sep=sep):
                    r[0] = client.get(f"{url}{sep}from={m0}&to={m1}")

                cold.append(timed(call))
                assert r[0].status_code == 200, (url, r[0].status_code)
            client.get(url)
            warm = [timed(lambda url=url: client.get(url)) for _ in range(ARGS.warm)]
            out[(level, what)] = {
                "cold_p50": statistics.median(cold),
                "cold_p95": pct(cold, 0.95),
                "warm_p50": statistics.median(warm),
                "warm_p95": pct(warm, 0.95),
            }
            v = out[(level, what)]
            print(
                f"    {level:<10} {what:<4}  cold p50 {v['cold_p50']:7.1f} p95 {v['cold_p95']:7.1f}   "
                f"warm p50 {v['warm_p50']:7.1f} p95 {v['warm_p95']:7.1f} ms   ({load()})",
                flush=True,
            )
    return out


def main():
    began = time.monotonic()
    sizes = [int(s) for s in ARGS.sizes.split(",")]
    if not ARGS.reuse:
        call_command("migrate", verbosity=0)
        build_tree()
    today = timezone.localdate()
    print(
        f"PostgreSQL {connection.pg_version}; tree: {Org.objects.count():,} unions; today {today}; {load()}",
        flush=True,
    )
    province = Org.objects.get(kind="province")
    city = Org.objects.filter(kind="city").order_by("path").first()
    county = Org.objects.filter(kind="county", path__startswith=city.path).order_by("path").first()
    grassroots = Org.objects.filter(kind="grassroots", path__startswith=county.path).order_by("path").first()
    levels = [("province", province), ("city", city), ("county", county), ("grassroots", grassroots)]
    post = Staff.objects.filter(org=province, role=Staff.Role.OBSERVER).select_related("user").first()
    staff = post.user if post else make_staff(province, Staff.Role.OBSERVER, name="省总统计员")
    client = Client()
    client.force_login(staff)
    # The process's first request loads URL patterns, API schemas and templates: not the dashboard's cost.
    client.get("/api/v1/stats/definitions")
    # Cold requests: twelve months each, ending in a different month every time (nothing asked before).
    months = [
        (add_months(today.replace(day=1), -k - 11), add_months(today.replace(day=1), -k))
        for k in range(1, ARGS.cold + 1)
    ]
    months = [(f"{a:%Y-%m}", f"{b:%Y-%m}") for a, b in months]
    curve = []
    have = sql("select count(*) from members_member where member_no like 'B%'")[0][0]
    for n in sizes:
        elapsed = (time.monotonic() - began) / 60
        gb = db_gb()
        projected = gb * n / have if have else 0
        if (
            have
            and n > have
            and (projected > ARGS.disk_gb or elapsed + elapsed * (n - have) / have > ARGS.budget_min)
        ):
            print(
                f"-- stopped before {n:,} members: database {gb:.1f} GB now (≈{projected:.0f} GB projected, limit "
                f"{ARGS.disk_gb:.0f}); {elapsed:.0f} min used of {ARGS.budget_min:.0f}",
                flush=True,
            )
            break
        print(f"== {n:,} members ({load()})", flush=True)
        if n > have:
            t0 = time.monotonic()
            grow(have, n)
            have = n
            gen_s = time.monotonic() - t0
            print(f"  generated in {gen_s:.0f} s; database {db_gb():.1f} GB", flush=True)
        t0 = time.monotonic()
        result = rebuild(START, today)
        rebuild_s = time.monotonic() - t0
        sql("analyze stats_ownfact")
        sql("analyze stats_monthfact")
        print(
            f"  full rebuild {START} … {today}: {rebuild_s:.1f} s ({result['facts']:,} daily facts, "
            f"{result['month_rows']:,} month rows; {load()})",
            flush=True,
        )
        changes = one_days_changes(n, today)
        t0 = time.monotonic()
        rollup_days(today - dt.timedelta(days=1), today)
        day_s = time.monotonic() - t0
        print(f"  one day's changes {changes}: roll-up {day_s:.1f} s ({load()})", flush=True)
        figures = measure(levels, client, months)
        curve.append((n, db_gb(), rebuild_s, day_s, figures, os.getloadavg()[0]))
    print("\n== growth curve (p95 ms: cold / warm)")
    print(
        f"{'members':>12} {'DB GB':>6} {'rebuild s':>10} {'day s':>6}  "
        + "  ".join(f"{lv + ' ' + w:>22}" for lv, _ in levels for w in ("api", "page"))
    )
    for n, gb, rb, ds, fig, ld in curve:
        cells = "  ".join(
            f"{fig[(lv, w)]['cold_p95']:>10.1f} / {fig[(lv, w)]['warm_p95']:>8.1f}"
            for lv, _ in levels
            for w in ("api", "page")
        )
        print(f"{n:>12,} {gb:>6.1f} {rb:>10.1f} {ds:>6.1f}  {cells}   load {ld:.1f}")
    print(f"total {(time.monotonic() - began) / 60:.1f} min")
    connection.close()
    if not ARGS.keep:
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB], check=True)
        print(f"dropped {DB}")


if __name__ == "__main__":
    main()
