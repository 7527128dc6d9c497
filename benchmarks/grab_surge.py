#!/usr/bin/env python
"""50,000 workers grab 5,000 welfare coupons at the same moment (issue 4).

Starts the app under gunicorn (several workers) on a dedicated PostgreSQL database with Redis as the
cache, creates the members, their API tokens (pre-issued, as a mini-program holds them) and a campaign
with one 5,000-coupon offer, then fires one grab per member over loopback with many concurrent
connections. In the same run it measures /api/v1/health on the same server as the ceiling.

    /work/main/.venv/bin/python benchmarks/grab_surge.py            # full run (drops and recreates the DB)
    /work/main/.venv/bin/python benchmarks/grab_surge.py --members 5000 --coupons 500   # quick check

Each member's request carries its own X-Forwarded-For address (25 members per address, like riders
behind a carrier NAT), as the reverse proxy in docs/deploy.md would set it, so the per-IP limit applies
as in production rather than throttling the single loopback client.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import itertools
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=50_000)
    p.add_argument("--coupons", type=int, default=5_000, help="places in all (split evenly over --offers)")
    p.add_argument(
        "--offers",
        type=int,
        default=1,
        help="offers in the campaign; more than 1 is the 宝鸡 case: many course classes, one seat per member "
        "across all of them (member n grabs class n mod offers)",
    )
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn")
    p.add_argument("--workers", type=int, default=4, help="worker processes")
    p.add_argument("--threads", type=int, default=1, help="threads per worker (>1 uses the gthread worker)")
    p.add_argument("--port", type=int, default=8110)
    p.add_argument("--keep-alive", type=int, default=5, help="seconds (gthread worker only)")
    p.add_argument("--db", default="gonghui_bench_grab")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    p.add_argument("--health-requests", type=int, default=20_000)
    p.add_argument("--members-per-ip", type=int, default=25)
    p.add_argument("--reuse-db", action="store_true", help="keep the database and members of a previous run")
    p.add_argument(
        "--cluster",
        action="store_true",
        help="through the local cluster (make cluster): HAProxy → two gunicorn → PgBouncer → pg_auto_failover "
        "primary, Redis via Sentinel; no server is started, the cluster's database is reused",
    )
    p.add_argument(
        "--wrk",
        action="store_true",
        help="also measure both with wrk (C, not Python: the client does not eat the server's CPU)",
    )
    p.add_argument(
        "--cold-tokens",
        action="store_true",
        help="start the rush with an empty token cache: no campaigns_prewarm run, Redis restarted, and "
        "every worker's first call of the hour is the grab (by default the pre-warm job has run)",
    )
    return p.parse_args()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {msg}", flush=True)


# --- set-up -----------------------------------------------------------------------------------


def recreate_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{args.pg}/{args.db}",
            "REDIS_URL": args.redis,
            "GONGHUI_ENV": "demo",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            # The load generator plays the reverse proxy (one trusted hop): without this the app ignores
            # X-Forwarded-For and every request shares 127.0.0.1's per-IP limit (600 a minute).
            "GONGHUI_PROXY_COUNT": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def seed(args) -> tuple[int, int, list[str]]:
    """Members, tokens and the campaign, written in bulk (the per-row services would take minutes)."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from gonghui.accounts.models import ApiToken, User, phone_index
    from gonghui.campaigns import services
    from gonghui.core.validators import make_id_number
    from gonghui.members.models import Member, id_index
    from gonghui.orgs.models import Org, Staff
    from gonghui.testing.factories import make_org, make_staff

    existing = Member.objects.count() if args.reuse_db else 0
    if existing >= args.members:
        log("复用已有会员")
    else:
        if existing:  # a bigger run after a smaller one: add the missing members to the same unions
            city = Org.objects.filter(name="宁波市总工会").order_by("id").first()
            unions = list(Org.objects.filter(parent=city, kind=Org.Kind.GRASSROOTS).order_by("id"))
        else:
            province = make_org(None, Org.Kind.PROVINCE, "浙江省总工会", region_code="330000")
            city = make_org(province, Org.Kind.CITY, "宁波市总工会", region_code="330200")
            unions = [
                make_org(city, Org.Kind.GRASSROOTS, f"宁波第{i + 1}基层工会", region_code="330203")
                for i in range(50)
            ]
            make_staff(city, Staff.Role.ADMIN, name="宁波市总经办")
        today = dt.date(2026, 1, 1)
        batch = 2_000
        for start in range(existing, args.members, batch):
            stop = min(args.members, start + batch)
            users = []
            for i in range(start, stop):
                phone = f"+86177{i:08d}"
                users.append(
                    User(
                        phone=phone,
                        phone_index=phone_index(phone),
                        name=f"职工{i}",
                        password="!",
                        real_name_verified=True,
                    )
                )
            User.objects.bulk_create(users, batch_size=batch)
            users = list(User.objects.filter(phone_index__in=[u.phone_index for u in users]))
            members = []
            for n, user in enumerate(users, start=start):
                birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 400)
                id_number = make_id_number("330203", birth, (n % 400) * 2 + 1)
                org = unions[n % len(unions)]
                members.append(
                    Member(
                        user=user,
                        org=org,
                        org_path=org.path,
                        member_no=f"NB{n:08d}",
                        name=user.name,
                        id_number=id_number,
                        id_index=id_index(id_number),
                        phone=user.phone,
                        phone_index=user.phone_index,
                        gender="M",
                        birth_date=birth,
                        occupation=("courier", "food_delivery", "truck_driver", "factory_worker")[n % 4],
                        employment_form="new",
                        joined_at=today,
                    )
                )
            Member.objects.bulk_create(members, batch_size=batch)
            log(f"会员 {stop}/{args.members}")
    city = Org.objects.filter(name="宁波市总工会").order_by("id").first()
    staff = Staff.objects.filter(org=city).select_related("user").first().user
    now = timezone.now()
    if args.offers == 1:
        kind, title = "coupon", "宁波职工电影券（压测）"
        offers = [{"name": "电影券", "capacity": args.coupons, "face_value": "40.00"}]
    else:
        kind, title = "course", f"宝鸡市工人文化宫 {args.offers} 门公益课程（压测）"
        per, extra = divmod(args.coupons, args.offers)
        offers = [{"name": f"第{k + 1}班", "capacity": per + (k < extra)} for k in range(args.offers)]
    for offer in offers:
        offer["valid_until"] = (now + dt.timedelta(days=60)).date()
    campaign = services.campaign_create(
        actor=staff,
        org=city,
        title=title,
        kind=kind,
        mode="fcfs",
        opens_at=now - dt.timedelta(seconds=1),
        closes_at=now + dt.timedelta(days=1),
        per_member_limit=1,
        offers=offers,
    )
    offer_ids = list(campaign.offers.order_by("id").values_list("id", flat=True))
    ApiToken.objects.all().delete()
    raw_tokens = []
    user_ids = list(Member.objects.order_by("id").values_list("user_id", flat=True)[: args.members])
    expires = now + dt.timedelta(hours=12)
    tokens = []
    for user_id in user_ids:
        raw = secrets.token_urlsafe(24)
        raw_tokens.append(raw)
        tokens.append(
            ApiToken(
                user_id=user_id,
                key_hash=hashlib.sha256(raw.encode()).hexdigest(),
                expires_at=expires,
                last_used_at=now,
            )
        )
    ApiToken.objects.bulk_create(tokens, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return campaign.pk, offer_ids, raw_tokens


def member_ip(i: int, per_ip: int = 25) -> str:
    """Member i's address as the edge proxy reports it: `per_ip` members share one (a carrier NAT)."""
    n = i // per_ip
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def start_server(args):
    if args.server == "granian":
        import importlib.util

        if importlib.util.find_spec("granian") is None:
            raise SystemExit("未安装 granian：先运行 .venv/bin/pip install granian")
        # Rust HTTP server, one blocking thread per process (like a sync worker), keep-alive on.
        cmd = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"]
        cmd += ["--port", str(args.port), "--workers", str(args.workers), "--blocking-threads", "1"]
        cmd += ["--runtime-mode", "st", "--backlog", "4096", "--log-level", "warning"]
        cmd += ["config.wsgi:application"]
        return _started(subprocess.Popen(cmd, cwd=ROOT, env=server_env(args), start_new_session=True), args)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--backlog",
        "4096",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    if args.threads > 1:
        cmd += [
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            str(args.keep_alive),
        ]
    return _started(subprocess.Popen(cmd, cwd=ROOT, env=server_env(args), start_new_session=True), args)


def _started(proc, args):
    import urllib.request

    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"{args.server} 未能启动")


def stop_server(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# --- load ------------------------------------------------------------------------------------


async def fire(url_for, method: str, headers_for, total: int, concurrency: int) -> dict:
    import aiohttp

    counter = itertools.count()
    latencies: list[float] = []
    statuses: dict[str, int] = {"2xx": 0, "4xx": 0, "5xx": 0, "conn_err": 0}
    last_2xx = [0.0]
    by_code: dict[int, int] = {}
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker():
            while (i := next(counter)) < total:
                t0 = time.perf_counter()
                try:
                    async with session.request(method, url_for(i), headers=headers_for(i)) as resp:
                        await resp.read()
                        code = resp.status
                except (TimeoutError, aiohttp.ClientError, OSError):
                    statuses["conn_err"] += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                by_code[code] = by_code.get(code, 0) + 1
                if code // 100 == 2:
                    last_2xx[0] = time.perf_counter()
                statuses[f"{code // 100}xx" if code // 100 in (2, 4, 5) else "5xx"] += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {
        "wall": wall,
        "rps": total / wall,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        **statuses,
        "by_code": dict(sorted(by_code.items())),
        "last_2xx": last_2xx[0] - start if last_2xx[0] else float("nan"),
    }


def show(title: str, r: dict) -> None:
    print(f"\n== {title}")
    print(f"  wall time      {r['wall']:.2f} s")
    print(f"  requests/s     {r['rps']:.0f}")
    print(f"  latency ms     p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  p99 {r['p99']:.1f}  max {r['max']:.1f}")
    print(f"  last 2xx at    {r['last_2xx']:.2f} s (for the grab: when the last place was sold)")
    print(
        f"  responses      2xx {r['2xx']}  4xx {r['4xx']}  5xx {r['5xx']}  connection errors {r['conn_err']}"
        f"  by status {r['by_code']}"
    )


WRK_GRAB = """
-- One POST per token: thread k of n takes tokens k, k+n, k+2n, ... Each thread notes when its first
-- request left and when its share was answered (date(1), once each: wrk's Lua has no sub-second clock),
-- leaves a file in WRK_DONE_DIR and stops; the caller then ends wrk with SIGINT (wrk otherwise sleeps out
-- its whole -d window) and done() prints the rush's own wall time.
local tokens, ips, idx, step, answered, codes = {}, {}, 0, 1, 0, {}
share = 0  -- global: done() reads it through thread:get
threads_list = {}
local function now() local f = io.popen("date +%s.%N"); local t = tonumber(f:read("*l")); f:close(); return t end
function setup(thread) thread:set("tid", #threads_list); table.insert(threads_list, thread) end
function init(args)
  for line in io.lines(os.getenv("WRK_TOKENS")) do
    local tok, ip = line:match("([^ ]+) ([^ ]+)")
    tokens[#tokens + 1], ips[#ips + 1] = tok, ip
  end
  step = tonumber(os.getenv("WRK_THREADS"))
  idx = tid + 1
  share = math.floor((#tokens - idx) / step) + 1
  started = now()
end
function request()
  local i = idx
  if i > #tokens then i = #tokens end  -- a connection still open after the last token repeats it
  idx = idx + step
  return wrk.format("POST", os.getenv("WRK_PATH"),
    {["Authorization"] = "Bearer " .. tokens[i], ["X-Forwarded-For"] = ips[i]}, "")
end
function response(status, headers, body)
  answered = answered + 1
  if answered <= share then codes[status] = (codes[status] or 0) + 1 end
  if answered == share then
    finished = now()
    local f = io.open(os.getenv("WRK_DONE_DIR") .. "/" .. tid, "w"); f:write(finished); f:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local first, last, n, by = nil, nil, 0, {}
  for _, t in ipairs(threads_list) do
    local s, f = t:get("started"), t:get("finished")
    if s and (not first or s < first) then first = s end
    if f and (not last or f > last) then last = f end
    n = n + (t:get("share") or 0)
  end
  io.write(string.format("RUSH answered %d in %.2f s\\n", n, (last or 0) - (first or 0)))
end
"""


def run_wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    script: str | None = None,
    env: dict | None = None,
) -> dict:
    """wrk's own figures: requests/s, p99 and non-2xx count; with WRK_GRAB also the rush's own wall time."""
    import re
    import shutil
    import tempfile

    if shutil.which("wrk") is None:
        raise SystemExit("未安装 wrk：apt-get install wrk")
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    cmd += ["--timeout", "30s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        if script:
            f.write(script)
    if script:
        cmd += ["-s", f.name]
    env = {**os.environ, **(env or {})}
    if "WRK_DONE_DIR" in env:
        import signal as _signal

        proc = subprocess.Popen([*cmd, url], stdout=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(os.listdir(env["WRK_DONE_DIR"])) < threads:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
        if proc.poll() is None:
            proc.send_signal(_signal.SIGINT)  # wrk stops, prints its summary and runs done()
        out = proc.communicate()[0]
    else:
        out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env).stdout
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    rush = re.search(r"RUSH answered (\d+) in ([\d.]+) s", out)
    result = {
        "rps": rps,
        "requests": total,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "p99": p99.group(1) if p99 else "?",
        "raw": out,
    }
    if rush and float(rush.group(2)) > 0:
        # The rush's own rate: the tokens answered over the time from first request to last answer.
        result.update(answered=int(rush.group(1)), wall=float(rush.group(2)))
        result["rps"] = result["answered"] / result["wall"]
    return result


def wrk_rush(args, base: str, reseed) -> None:
    """Health and the rush again, driven by wrk (C): the client no longer eats the server's CPU.
    `reseed()` makes a fresh campaign (and warms it unless --cold-tokens) and returns (campaign, offers,
    tokens)."""
    import tempfile

    from gonghui.campaigns.models import Ticket

    health = f"{base}/api/v1/health"
    log("wrk：天花板 20 秒")
    w_health = run_wrk(health, seconds=20, connections=args.concurrency)
    campaign_id, offer_ids, tokens = reseed()
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("\n".join(f"{t} {member_ip(i, args.members_per_ip)}" for i, t in enumerate(tokens)))
    path = f"/api/v1/campaigns/{campaign_id}/offers/{offer_ids[0]}/grab"
    log(f"wrk：开抢 {len(tokens)} 个令牌")
    with tempfile.TemporaryDirectory() as done_dir:
        w_grab = run_wrk(
            base + path,
            seconds=max(120, len(tokens) // 100),
            connections=args.concurrency,
            script=WRK_GRAB,
            env={"WRK_TOKENS": f.name, "WRK_PATH": path, "WRK_THREADS": "2", "WRK_DONE_DIR": done_dir},
        )
    os.unlink(f.name)
    from django.db.models import Count

    tickets = Ticket.objects.filter(campaign_id=campaign_id)
    issued = tickets.count()
    duplicates = tickets.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    print("\n== wrk (C load generator, same server)")
    print(f"  health  {w_health['rps']:.0f} req/s  p99 {w_health['p99']}  non-2xx {w_health['non2xx']}")
    if "wall" in w_grab:
        print(
            f"  grab    {w_grab['rps']:.0f} req/s  ({w_grab['answered']} tokens answered in {w_grab['wall']:.1f} s)"
            f"  p99 {w_grab['p99']}"
        )
    else:
        print(f"  grab    {w_grab['rps']:.0f} req/s over wrk's window (the rush did not finish in it)")
    print(
        f"  ratio grab/health {w_grab['rps'] / w_health['rps']:.2f}; tickets {issued}, duplicates {duplicates}"
    )


def load_cluster_env(args) -> str:
    env_file = ROOT / "var" / "cluster" / "env"
    if not env_file.exists():
        raise SystemExit("本地集群未启动：先运行 make cluster")
    import shlex

    for line in env_file.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export ") :].partition("=")
            os.environ[key] = shlex.split(value)[0] if value else ""
    args.reuse_db = True
    return os.environ["CLUSTER_HAPROXY"]


def main() -> None:
    args = parse_args()
    if args.cluster:
        main_cluster(args)
        return
    os.environ.update(server_env(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not args.reuse_db:
        log(f"重建数据库 {args.db}")
        recreate_database(args)
    log("迁移")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=server_env(args), check=True
    )
    log(f"创建 {args.members} 名会员、令牌和 {args.coupons} 张券的活动")
    campaign_id, offer_ids, tokens = seed(args)
    flush_redis(args.redis)
    log(f"启动 {args.server}：{args.workers} 个进程 × {args.threads} 线程，端口 {args.port}")
    proc = start_server(args)
    try:
        base = f"http://127.0.0.1:{args.port}"
        health = f"{base}/api/v1/health"
        asyncio.run(fire(lambda i: health, "GET", lambda i: None, 500, 50))  # warm every worker
        log(f"天花板：/api/v1/health × {args.health_requests}，并发 {args.concurrency}")
        ceiling = asyncio.run(
            fire(lambda i: health, "GET", lambda i: None, args.health_requests, args.concurrency)
        )
        from django.db import connection
        from django.utils import timezone

        from gonghui.accounts.models import ApiToken

        # The phones signed in a few minutes ago and have been showing the countdown since.
        ApiToken.objects.update(last_used_at=timezone.now())
        from gonghui.campaigns.models import Campaign
        from gonghui.campaigns.services import campaign_prewarm

        if not args.cold_tokens:
            # What `manage.py campaigns_prewarm` does a few minutes before the opening.
            started = time.perf_counter()
            warmed = campaign_prewarm(campaign=Campaign.objects.get(pk=campaign_id))
            log(f"开抢前预热：{warmed} 个令牌，用时 {time.perf_counter() - started:.1f} 秒")
        connection.close()
        per_ip = args.members_per_ip

        def grab_headers(i):
            return {"Authorization": f"Bearer {tokens[i]}", "X-Forwarded-For": member_ip(i, per_ip)}

        log(f"开抢：{len(tokens)} 个请求，并发 {args.concurrency}")
        urls = [f"{base}/api/v1/campaigns/{campaign_id}/offers/{o}/grab" for o in offer_ids]
        grab = asyncio.run(
            fire(
                lambda i: urls[i % len(urls)],
                "POST",
                grab_headers,
                len(tokens),
                args.concurrency,
            )
        )
        if args.wrk:

            def reseed():
                campaign_id, offer_ids, tokens = seed(args)
                ApiToken.objects.update(last_used_at=timezone.now())
                flush_redis(args.redis)
                if not args.cold_tokens:
                    campaign_prewarm(campaign=Campaign.objects.get(pk=campaign_id))
                connection.close()
                return campaign_id, offer_ids, tokens

            # Figures of the Python client's run are printed below, after the server stops.
            wrk_rush(args, base, reseed)
    finally:
        stop_server(proc)

    from django.db.models import Count

    from gonghui.campaigns.models import Offer, Ticket

    # Per member across the whole campaign: with one offer the same as per (member, offer); with many
    # classes it also checks the one-seat-per-member limit.
    tickets = Ticket.objects.filter(campaign_id=campaign_id)
    issued = tickets.count()
    duplicates = tickets.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    remaining = sum(Offer.objects.filter(campaign_id=campaign_id).values_list("remaining", flat=True))
    show(f"ceiling: GET /api/v1/health ({args.health_requests} requests)", ceiling)
    where = f"offers/{offer_ids[0]}" if len(offer_ids) == 1 else f"{len(offer_ids)} offers"
    show(f"grab: POST /api/v1/campaigns/{campaign_id}/{where}/grab ({len(tokens)} members)", grab)
    ratio = grab["rps"] / ceiling["rps"]
    print("\n== result")
    print(
        f"  tickets issued {issued} (coupons {args.coupons}, remaining {remaining}), duplicates {duplicates}"
    )
    print(f"  ratio grab/health req/s {ratio:.2f}")
    checks = {
        f"exactly {args.coupons} tickets": issued == args.coupons and remaining == 0,
        "0 duplicates": duplicates == 0,
        "0 5xx / connection errors": grab["5xx"] == 0 and grab["conn_err"] == 0,
        "all answered within 60 s": grab["wall"] <= 60 and grab["2xx"] + grab["4xx"] == len(tokens),
        "ratio ≥ 0.5": ratio >= 0.5,
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISS'}] {name}")
    print(f"  machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")


def main_cluster(args) -> None:
    """The same rush through HAProxy and PgBouncer; the ceiling measured through the same path."""
    base = load_cluster_env(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    log(f"集群：{base}；创建/复用 {args.members} 名会员、令牌和 {args.coupons} 张券的活动")
    campaign_id, offer_ids, tokens = seed(args)
    from django.core.cache import cache
    from django.db import connection

    cache.clear()  # the cluster's own Redis (via Sentinel), never the system one
    health = f"{base}/api/v1/health"
    asyncio.run(fire(lambda i: health, "GET", lambda i: None, 500, 50))
    log(f"天花板（经 HAProxy）：/api/v1/health × {args.health_requests}，并发 {args.concurrency}")
    ceiling = asyncio.run(
        fire(lambda i: health, "GET", lambda i: None, args.health_requests, args.concurrency)
    )
    from gonghui.campaigns.models import Campaign, Offer, Ticket
    from gonghui.campaigns.services import campaign_prewarm

    if not args.cold_tokens:
        warmed = campaign_prewarm(campaign=Campaign.objects.get(pk=campaign_id))
        log(f"开抢前预热：{warmed} 个令牌")
    connection.close()
    per_ip = args.members_per_ip

    def xff(i):
        return member_ip(i, per_ip)

    url = f"{base}/api/v1/campaigns/{campaign_id}/offers/{offer_ids[0]}/grab"
    log(f"开抢（经 HAProxy）：{len(tokens)} 个请求，并发 {args.concurrency}")
    grab = asyncio.run(
        fire(
            lambda i: url,
            "POST",
            lambda i: {"Authorization": f"Bearer {tokens[i]}", "X-Forwarded-For": xff(i)},
            len(tokens),
            args.concurrency,
        )
    )
    from django.db.models import Count

    tickets = Ticket.objects.filter(campaign_id=campaign_id)
    issued = tickets.count()
    duplicates = tickets.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    remaining = sum(Offer.objects.filter(campaign_id=campaign_id).values_list("remaining", flat=True))
    show(f"ceiling through the cluster: GET /api/v1/health ({args.health_requests} requests)", ceiling)
    show(f"grab through the cluster ({len(tokens)} members)", grab)
    print("\n== result (cluster, Python client)")
    print(
        f"  tickets issued {issued} (coupons {args.coupons}, remaining {remaining}), duplicates {duplicates}"
    )
    print(f"  ratio grab/health req/s {grab['rps'] / ceiling['rps']:.2f}")
    if args.wrk:

        def reseed():
            campaign_id, offer_ids, tokens = seed(args)
            connection.close()
            cache.clear()
            if not args.cold_tokens:
                campaign_prewarm(campaign=Campaign.objects.get(pk=campaign_id))
                connection.close()
            return campaign_id, offer_ids, tokens

        wrk_rush(args, base, reseed)
    print(f"  machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
