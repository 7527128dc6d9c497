"""Bulk import of offline registration forms: a 100,000-row xlsx, timed end to end (read with calamine,
validate every row, de-duplicate by blind index, encrypt, insert, build the error file).

    # SQLite (a scratch database under /tmp)
    GONGHUI_VAR_DIR=/tmp/gh_import python benchmarks/members_import.py
    # PostgreSQL (a scratch database you created: createdb gonghui_bench_import)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gonghui_bench_import python benchmarks/members_import.py

Prints: rows, seconds, rows/s for the first upload, then the same file again (must import 0, no duplicates).
Target: ≤ 60 s per 100,000 rows on the CI machine.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from gonghui.core.validators import make_id_number  # noqa: E402
from gonghui.members.imports import HEADERS, member_import  # noqa: E402
from gonghui.members.models import Member  # noqa: E402
from gonghui.orgs.models import Org, Staff  # noqa: E402
from gonghui.testing.factories import make_org, make_staff  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
BAD_EVERY = 500  # one row in 500 has a wrong check digit, as real paper forms do


def build_file(rows: int) -> bytes:
    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员登记表")
    ws.append(HEADERS)
    base = dt.date(1970, 1, 1)
    for i in range(rows):
        birth = base + dt.timedelta(days=(i // 1000) % 12000)
        id_number = make_id_number("141125", birth, i % 1000)
        if i % BAD_EVERY == 0:
            id_number = id_number[:17] + ("0" if id_number[17] != "0" else "1")
        ws.append(
            [
                rng.choice("王李张刘陈杨黄赵") + rng.choice(["建辉", "海涛", "志刚", "春燕"]),
                id_number,
                f"138{i:08d}",
                "货车司机",
                "柳林县预石运输有限责任公司",
                "新就业形态",
                "2026-01-15",
                "6500",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    call_command("migrate", verbosity=0)
    Member.objects.filter(source="import").delete()
    org = Org.objects.filter(name="导入基准工会").first()
    if org is None:
        root = make_org(None, Org.Kind.COUNTY, "导入基准县总工会", region_code="141125")
        org = make_org(root, Org.Kind.GRASSROOTS, "导入基准工会", region_code="141125")
        actor = make_staff(org, Staff.Role.ADMIN, name="导入员")
    else:
        actor = Staff.objects.filter(org=org).first().user
    started = time.perf_counter()
    cached = Path(os.environ.get("BENCH_FILE", f"/tmp/gonghui-bench-import-{ROWS}.xlsx"))
    if not cached.exists():
        cached.write_bytes(build_file(ROWS))
    data = cached.read_bytes()
    print(
        f"database: {connection.vendor}; {ROWS:,}-row xlsx ({len(data) / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for attempt in ("first upload", "same file again"):
        started = time.perf_counter()
        result = member_import(actor=actor, org=org, file_name="bench.xlsx", data=data)
        seconds = time.perf_counter() - started
        b = result.batch
        print(
            f"{attempt}: {b.total:,} rows in {seconds:.1f} s = {b.total / seconds:,.0f} rows/s; "
            f"imported {b.imported:,}, already there {b.duplicates:,}, returned with errors {b.failed:,}"
        )
    print(f"members in the union now: {Member.objects.filter(org=org).count():,}")


if __name__ == "__main__":
    main()
