#!/usr/bin/env python
"""The five fault drills against the local cluster (`make cluster` first; docs/deploy.md).

    .venv/bin/python deploy/faults.py rush          # 1. 50,000 grabs for 5,000 coupons through HAProxy
    .venv/bin/python deploy/faults.py kill-app      # 2. SIGKILL one app server (master and workers) mid-rush
    .venv/bin/python deploy/faults.py kill-pg       # 3. stop the PostgreSQL primary mid-rush
    .venv/bin/python deploy/faults.py kill-redis    # 4. SIGKILL the Redis master mid-rush
    .venv/bin/python deploy/faults.py backup        # 5. pg_dump + field keys → a fresh PostgreSQL, verified
    .venv/bin/python deploy/faults.py all           # the five in a row
    ... --members 5000 --coupons 500                # a quick run

Every client behaves like the mini-program: one grab per member with an Idempotency-Key; on a 502/503/504, a
429 or a dropped connection it waits (Retry-After, else 1 s) and sends the same request again, up to
--max-attempts times. Each drill prints requests, failures, recovery time, tickets and duplicates and
exits non-zero when a check fails. Loopback only, bounded requests; the faulted component is started
again at the end so the next drill finds the whole cluster.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
PGBIN = "/usr/lib/postgresql/15/bin"
MONITOR_PORT = int(os.environ.get("MONITOR_PORT", "15430"))
RETRY_STATUSES = {429, 502, 503, 504}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {msg}", flush=True)


def load_cluster_env() -> None:
    env_file = CLUSTER_DIR / "env"
    if not env_file.exists():
        raise SystemExit(f"集群未启动（没有 {env_file}）：先运行 make cluster")
    for line in env_file.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export ") :].partition("=")
            os.environ[key] = shlex.split(value)[0] if value else ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def sh(cmd: str, check=True) -> str:
    return subprocess.run(cmd, shell=True, check=check, capture_output=True, text=True).stdout.strip()


def as_pg(cmd: str, check=True) -> str:
    xdg = CLUSTER_DIR / "pg" / "xdg"
    env = (
        f"PATH={PGBIN}:$PATH XDG_CONFIG_HOME={xdg}/config XDG_DATA_HOME={xdg}/data XDG_RUNTIME_DIR={xdg}/run"
    )
    return sh(f"runuser -u postgres -- env {env} {cmd}", check=check)


# --- the cluster's parts ---------------------------------------------------------------------


def pg_nodes() -> dict[str, tuple[int, str]]:
    """{node name: (port, reported state)} as the monitor sees them."""
    out = as_pg(
        f"psql -At -h 127.0.0.1 -p {MONITOR_PORT} -U autoctl_node pg_auto_failover "
        '-c "select nodename, nodeport, reportedstate from pgautofailover.node order by nodeid"',
        check=False,
    )
    nodes = {}
    for row in out.splitlines():
        name, port, state = row.split("|")
        nodes[name] = (int(port), state)
    return nodes


def pg_primary() -> str:
    for name, (_, state) in pg_nodes().items():
        if state in ("primary", "wait_primary", "single"):
            return name
    raise SystemExit("没有主库")


def redis_master_port() -> int:
    out = sh("redis-cli -p 26379 sentinel get-master-addr-by-name gonghui")
    return int(out.split()[-1])


def pid_of(path: Path) -> int:
    return int(path.read_text().strip())


def children(pid: int) -> list[int]:
    out = sh(f"ps -o pid= --ppid {pid}", check=False)
    return [int(p) for p in out.split()]


def haproxy_stats() -> dict[str, dict]:
    out = sh(f"echo 'show stat' | socat - UNIX-CONNECT:{CLUSTER_DIR}/haproxy/admin.sock", check=False)
    lines = out.splitlines()
    if not lines:
        return {}
    head = lines[0].lstrip("# ").split(",")
    rows = {}
    for line in lines[1:]:
        row = dict(zip(head, line.split(","), strict=False))
        if row.get("pxname") == "apps":
            rows[row["svname"]] = row
    return rows


# --- the rush ---------------------------------------------------------------------------------


def prepare(args):
    """Members (kept between drills), fresh tokens and a new 5,000-coupon campaign, pre-warmed."""
    import django

    django.setup()
    from benchmarks.grab_surge import seed
    from gonghui.campaigns.models import Campaign
    from gonghui.campaigns.services import campaign_prewarm

    seed_args = argparse.Namespace(members=args.members, coupons=args.coupons, offers=1, reuse_db=True)
    campaign_id, offer_ids, tokens = seed(seed_args)
    campaign_prewarm(campaign=Campaign.objects.get(pk=campaign_id))
    from django.db import connections

    connections.close_all()
    return campaign_id, offer_ids[0], tokens


async def rush(args, campaign_id: int, offer_id: int, tokens: list[str], fault=None) -> dict:
    """One grab per member with retries. `fault` (an async callable) runs half-way through the sale."""
    import aiohttp

    from benchmarks.grab_surge import member_ip

    base = os.environ["CLUSTER_HAPROXY"]
    url = f"{base}/api/v1/campaigns/{campaign_id}/offers/{offer_id}/grab"
    stats = {
        "attempts": 0,
        "failures": 0,
        "by_status": {},
        "errors": {},
        "acked": {},  # member index → ticket id acknowledged with 201
        "seen": {},  # member index → ticket id returned (201 or 200 "already")
        "first_error": None,
        "last_error": None,
        "gave_up": 0,
        "fault_at": None,
        "done": 0,
    }
    queue = list(range(len(tokens)))
    queue.reverse()
    # Half-way through the sale (members come in order, so the first ~coupons members buy): the fault
    # lands while tickets are still being sold, not after the sell-out when Redis answers alone.
    trigger = max(1, min(len(tokens), args.coupons) // 2)
    fault_task = None
    t0 = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def member(i: int):
            nonlocal fault_task
            key = secrets.token_hex(16)
            headers = {
                "Authorization": f"Bearer {tokens[i]}",
                "Idempotency-Key": key,
                "X-Forwarded-For": member_ip(i),
            }
            for _attempt in range(args.max_attempts):
                stats["attempts"] += 1
                wait = 1.0
                try:
                    async with session.post(url, headers=headers) as resp:
                        code = resp.status
                        raw = await resp.read()
                        try:
                            body = json.loads(raw)
                        except ValueError:
                            body = None
                            sample = raw[:80].decode(errors="replace")
                            stats["errors"][f"{code} {sample}"] = (
                                stats["errors"].get(f"{code} {sample}", 0) + 1
                            )
                        if "Retry-After" in resp.headers:
                            wait = float(resp.headers["Retry-After"])
                        if code == 429 and isinstance(body, dict):
                            wait = float(body.get("retry_after") or wait)
                except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
                    code = None
                    kind = type(exc).__name__
                    stats["errors"][kind] = stats["errors"].get(kind, 0) + 1
                now = time.perf_counter() - t0
                stats["by_status"][code or "conn_err"] = stats["by_status"].get(code or "conn_err", 0) + 1
                if code is None or code >= 500 or code in RETRY_STATUSES:
                    if code != 429:
                        stats["failures"] += 1
                        stats["first_error"] = (
                            stats["first_error"] if stats["first_error"] is not None else now
                        )
                        stats["last_error"] = now
                    await asyncio.sleep(wait)
                    continue
                ticket = (body or {}).get("ticket") if isinstance(body, dict) else None
                if ticket:
                    stats["seen"][i] = ticket["id"]
                    if code == 201:
                        stats["acked"][i] = ticket["id"]
                break
            else:
                stats["gave_up"] += 1
            stats["done"] += 1
            if fault is not None and fault_task is None and stats["done"] >= trigger:
                stats["fault_at"] = time.perf_counter() - t0
                fault_task = asyncio.ensure_future(fault())

        async def worker():
            while queue:
                await member(queue.pop())

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        if fault_task is not None:
            await fault_task
    stats["wall"] = time.perf_counter() - t0
    return stats


def verify(args, campaign_id: int, stats: dict) -> dict:
    from django.db import connections
    from django.db.models import Count

    from gonghui.campaigns.models import Offer, Ticket

    connections.close_all()
    for attempt in range(30):
        try:
            tickets = Ticket.objects.filter(campaign_id=campaign_id)
            issued = tickets.count()
            break
        except Exception:  # the database may still be switching over
            if attempt == 29:
                raise
            time.sleep(1)
            connections.close_all()
    ids = set(tickets.values_list("id", flat=True))
    duplicates = tickets.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    remaining = sum(Offer.objects.filter(campaign_id=campaign_id).values_list("remaining", flat=True))
    acked = set(stats["acked"].values())
    return {
        "issued": issued,
        "remaining": remaining,
        "duplicates": duplicates,
        "acked": len(acked),
        "acked_missing": len(acked - ids),
        "seen_distinct": len(set(stats["seen"].values())),
    }


def report(name: str, args, stats: dict, result: dict, extra_checks: dict | None = None) -> bool:
    fault_at = stats["fault_at"]
    recovery = None
    if stats["last_error"] is not None and fault_at is not None:
        recovery = max(0.0, stats["last_error"] - fault_at)
    status_500 = stats["by_status"].get(500, 0)
    print(f"\n== {name}")
    print(f"  members {args.members}  coupons {args.coupons}  concurrency {args.concurrency}")
    print(
        f"  requests {stats['attempts']} in {stats['wall']:.1f} s ({stats['attempts'] / stats['wall']:.0f}/s)"
    )
    print(f"  by status {dict(sorted(stats['by_status'].items(), key=lambda kv: str(kv[0])))}")
    print(
        f"  failures (5xx + connection errors, each retried) {stats['failures']}; gave up {stats['gave_up']}"
    )
    if stats["errors"]:
        print(f"  connection errors by kind {stats['errors']}")
    if fault_at is not None:
        print(
            f"  fault at {fault_at:.1f} s; errors from {fmt(stats['first_error'])} to {fmt(stats['last_error'])}"
        )
        print(f"  recovery time (fault → last failed request) {fmt(recovery)}")
    print(
        f"  tickets {result['issued']} (remaining {result['remaining']}), duplicates {result['duplicates']}, "
        f"acknowledged 201 {result['acked']}, acknowledged but missing {result['acked_missing']}"
    )
    checks = {
        f"exactly {args.coupons} tickets, 0 remaining": result["issued"] == args.coupons
        and result["remaining"] == 0,
        "no oversell (tickets + remaining = coupons)": result["issued"] + result["remaining"] == args.coupons,
        "0 duplicates": result["duplicates"] == 0,
        "every acknowledged ticket exists": result["acked_missing"] == 0,
        "0 answers 500": status_500 == 0,
        "every member answered": stats["gave_up"] == 0,
        **(extra_checks or {}),
    }
    for check, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISS'}] {check}")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return all(checks.values())


def fmt(seconds) -> str:
    return "—" if seconds is None else f"{seconds:.1f} s"


# --- the drills -------------------------------------------------------------------------------


def drill_rush(args) -> bool:
    campaign_id, offer_id, tokens = prepare(args)
    before = haproxy_stats()
    log(f"抢购：{len(tokens)} 人 → HAProxy")
    stats = asyncio.run(rush(args, campaign_id, offer_id, tokens))
    after = haproxy_stats()
    per_server = {s: int(after[s]["stot"]) - int(before.get(s, {}).get("stot", 0)) for s in after}
    print(f"\n  requests per app server (HAProxy) {per_server}")
    result = verify(args, campaign_id, stats)
    return report(
        "1. the rush across both app servers",
        args,
        stats,
        result,
        {
            "0 5xx": not any(isinstance(k, int) and k >= 500 for k in stats["by_status"]),
            "both app servers served": all(n > 0 for n in per_server.values()) and len(per_server) >= 2,
        },
    )


def drill_kill_app(args) -> bool:
    campaign_id, offer_id, tokens = prepare(args)
    pidfile = CLUSTER_DIR / "app" / "app0.pid"

    async def fault():
        master = pid_of(pidfile)
        victims = [master, *children(master)]
        log(f"SIGKILL app1（gunicorn 主进程 {master} 和 {len(victims) - 1} 个工作进程）")
        for pid in victims:
            os.kill(pid, signal.SIGKILL)

    log(f"抢购：{len(tokens)} 人，售出一半时杀掉 app1")
    stats = asyncio.run(rush(args, campaign_id, offer_id, tokens, fault))
    status = haproxy_stats().get("app1", {}).get("status")
    log(f"HAProxy 看到 app1：{status}；重新启动 app1")
    pidfile.unlink(missing_ok=True)
    sh(f"{ROOT}/deploy/cluster.sh restart-app 0")
    result = verify(args, campaign_id, stats)
    return report(
        "2. one app server killed mid-rush", args, stats, result, {"HAProxy drained app1": status == "DOWN"}
    )


def drill_kill_pg(args) -> bool:
    campaign_id, offer_id, tokens = prepare(args)
    victim = pg_primary()
    pgdata = CLUSTER_DIR / "pg" / victim
    promoted = {}

    async def fault():
        log(f"停止主库 {victim}（pg_autoctl stop --immediate）")
        t = time.perf_counter()
        await asyncio.to_thread(as_pg, f"pg_autoctl stop --immediate --pgdata {pgdata}", False)
        for _ in range(120):
            nodes = await asyncio.to_thread(pg_nodes)
            new = [n for n, (_, s) in nodes.items() if n != victim and s in ("primary", "wait_primary")]
            if new:
                promoted["node"], promoted["seconds"] = new[0], time.perf_counter() - t
                log(f"{new[0]} 已提升为主库（{promoted['seconds']:.1f} 秒）")
                return
            await asyncio.sleep(0.5)

    log(f"抢购：{len(tokens)} 人，售出一半时停止主库 {victim}")
    stats = asyncio.run(rush(args, campaign_id, offer_id, tokens, fault))
    result = verify(args, campaign_id, stats)
    log(f"重新启动 {victim}：它以备库身份重新加入")
    subprocess.Popen(
        shlex.split(
            f"runuser -u postgres -- env PATH={PGBIN}:{os.environ['PATH']} "
            f"XDG_CONFIG_HOME={CLUSTER_DIR}/pg/xdg/config XDG_DATA_HOME={CLUSTER_DIR}/pg/xdg/data "
            f"XDG_RUNTIME_DIR={CLUSTER_DIR}/pg/xdg/run setsid pg_autoctl run --pgdata {pgdata}"
        ),
        stdout=open(CLUSTER_DIR / "pg" / "log" / f"{victim}.log", "a"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    rejoined = None
    t = time.perf_counter()
    for _ in range(240):
        if pg_nodes().get(victim, (0, ""))[1] == "secondary":
            rejoined = time.perf_counter() - t
            break
        time.sleep(0.5)
    print(
        f"\n  promoted {promoted.get('node')} in {fmt(promoted.get('seconds'))}; {victim} rejoined as "
        f"secondary in {fmt(rejoined)}"
    )
    errors_5xx = {k: v for k, v in stats["by_status"].items() if isinstance(k, int) and k >= 500}
    return report(
        "3. PostgreSQL primary stopped mid-rush",
        args,
        stats,
        result,
        {
            "secondary promoted": "node" in promoted,
            "errors during the switch are 503 (no 500)": set(errors_5xx) <= {502, 503, 504}
            and 500 not in errors_5xx,
        },
    )


def drill_kill_redis(args) -> bool:
    campaign_id, offer_id, tokens = prepare(args)
    master = redis_master_port()
    index = 0 if master == 16379 else 1
    pidfile = CLUSTER_DIR / "redis" / f"redis{index}.pid"
    promoted = {}

    async def fault():
        log(f"SIGKILL Redis 主节点 :{master}")
        os.kill(pid_of(pidfile), signal.SIGKILL)
        t = time.perf_counter()
        for _ in range(120):
            try:
                port = await asyncio.to_thread(redis_master_port)
            except Exception:
                port = master
            if port != master:
                promoted["port"], promoted["seconds"] = port, time.perf_counter() - t
                log(f"Sentinel 已将 :{port} 提升为主节点（{promoted['seconds']:.1f} 秒）")
                return
            await asyncio.sleep(0.25)

    log(f"抢购：{len(tokens)} 人，售出一半时杀掉 Redis 主节点")
    stats = asyncio.run(rush(args, campaign_id, offer_id, tokens, fault))
    result = verify(args, campaign_id, stats)
    log(f"重新启动 :{master}：Sentinel 把它改为新主节点的从节点")
    d = CLUSTER_DIR / "redis"
    sh(
        f"redis-server --port {master} --bind 127.0.0.1 --dir {d}/r{index} --daemonize yes "
        f"--pidfile {pidfile} --logfile {d}/redis{index}.log --save '' --appendonly no"
    )
    print(f"\n  Sentinel promoted :{promoted.get('port')} in {fmt(promoted.get('seconds'))}")
    return report(
        "4. Redis master killed mid-rush",
        args,
        stats,
        result,
        {"Sentinel promoted the replica": "port" in promoted},
    )


def drill_backup(args) -> bool:
    """pg_dump of the primary + the field-encryption keys → a fresh PostgreSQL (initdb), then row counts
    and every encrypted field checked there."""
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.db import connections

    from gonghui.core.fields import EncryptedTextField

    work = CLUSTER_DIR / "drill"
    sh(f"rm -rf {work}")
    work.mkdir(parents=True)
    sh(f"chown postgres {work}")
    primary_port = pg_nodes()[pg_primary()][0]
    db = settings.DATABASES["default"]["NAME"]
    t0 = time.perf_counter()
    log(f"备份：pg_dump -Fc（主库 :{primary_port}）+ 字段加密密钥")
    as_pg(f"pg_dump -h 127.0.0.1 -p {primary_port} -U postgres -Fc -f {work}/gonghui.dump {db}")
    keys = settings.FIELD_ENCRYPTION_KEYS
    (work / "field_keys.json").write_text(json.dumps(keys))
    (work / "field_keys.json").chmod(0o600)
    backed_up = time.perf_counter() - t0
    size = (work / "gonghui.dump").stat().st_size
    t1 = time.perf_counter()
    port = int(os.environ.get("DRILL_PORT", "15440"))
    log(f"全新实例：initdb + pg_ctl start :{port} + pg_restore")
    as_pg(f"initdb -D {work}/pgdata -U postgres --auth trust -E UTF8 --locale C.UTF-8")
    as_pg(
        f"pg_ctl -D {work}/pgdata -o '-p {port} -k {work} -c listen_addresses=127.0.0.1' -w -l {work}/pg.log start"
    )
    try:
        as_pg(f"createdb -h 127.0.0.1 -p {port} -U postgres {db}")
        as_pg(f"pg_restore -h 127.0.0.1 -p {port} -U postgres -d {db} --no-owner -j 2 {work}/gonghui.dump")
        restored = time.perf_counter() - t1
        settings.DATABASES["restored"] = {
            **settings.DATABASES["default"],
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
        }
        connections.settings = connections.configure_settings(settings.DATABASES)
        mismatched = []
        tables = 0
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            tables += 1
            a = model.objects.using("default").count()
            b = model.objects.using("restored").count()
            if a != b:
                mismatched.append((model._meta.label, a, b))
        # Decrypt with the keys from the backup, not the running app's.
        restored_keys = json.loads((work / "field_keys.json").read_text())
        assert restored_keys == keys
        decrypted = failed = 0
        t2 = time.perf_counter()
        from gonghui.core import crypto

        settings.FIELD_ENCRYPTION_KEYS = restored_keys  # what a restore on a new machine would be given
        for model in apps.get_models():
            columns = [f.column for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not columns or model._meta.proxy:
                continue
            with connections["restored"].cursor() as cursor:
                cursor.execute(f'SELECT {", ".join(columns)} FROM "{model._meta.db_table}"')
                for row in cursor.fetchall():
                    for value in row:
                        if not value:
                            continue
                        try:
                            crypto.decrypt(value)
                            decrypted += 1
                        except Exception:
                            failed += 1
        decrypt_seconds = time.perf_counter() - t2
    finally:
        connections["restored"].close()
        as_pg(f"pg_ctl -D {work}/pgdata -m fast -w stop", check=False)
    total = time.perf_counter() - t0
    print("\n== 5. backup and restore drill")
    print(f"  dump {size / 1e6:.1f} MB in {backed_up:.1f} s; fresh instance + restore {restored:.1f} s")
    print(f"  tables compared {tables}, row counts differing {len(mismatched)} {mismatched[:5]}")
    print(f"  encrypted values decrypted {decrypted} ({decrypt_seconds:.1f} s), failed {failed}")
    print(f"  whole drill {total:.1f} s (backup → restored and verified)")
    sh(f"rm -rf {work}")
    checks = {
        "row counts match": not mismatched,
        "every encrypted field decrypts": failed == 0 and decrypted > 0,
    }
    for check, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISS'}] {check}")
    return all(checks.values())


DRILLS = {
    "rush": drill_rush,
    "kill-app": drill_kill_app,
    "kill-pg": drill_kill_pg,
    "kill-redis": drill_kill_redis,
    "backup": drill_backup,
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("drill", choices=[*DRILLS, "all"])
    p.add_argument("--members", type=int, default=50_000)
    p.add_argument("--coupons", type=int, default=5_000)
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--max-attempts", type=int, default=30)
    args = p.parse_args()
    load_cluster_env()
    names = list(DRILLS) if args.drill == "all" else [args.drill]
    results = {name: DRILLS[name](args) for name in names}
    print("\n== summary " + "  ".join(f"{n}: {'ok' if ok else 'FAILED'}" for n, ok in results.items()))
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
