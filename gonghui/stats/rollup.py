"""Keeping the facts: the scheduled, idempotent roll-up (`manage.py stats_rollup`).

The unit of work is a month of one union's own node (OwnFact): the source rows of that month are counted
again, whole. Two roads must arrive at the same MonthFact rows (tests/test_rollup.py proves it):

- `rollup_days(d0, d1)` — the incremental path, run nightly for yesterday and today (and whenever asked):
  recomputes the OwnFacts of the months those days fall in, and moves each ancestor's MonthFact rows by the
  DIFFERENCE between the new and the stored own figures. Running it twice changes nothing the second time.
- `rebuild(d0, d1)` — recomputes the OwnFacts of every month in the range, then each union's MonthFact
  rows from scratch, level by level: one INSERT … SELECT grouping the own rows on the ancestor's path prefix.

Counting happens in the database: the month's pieces (facts.fact_pieces, one grouped query per metric) are
glued into one UNION ALL, summed per (union, metric, dim) and either inserted into OwnFact whole (rebuild:
INSERT … SELECT) or read back to diff against the stored own rows (nightly: only changed rows are written).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone

from gonghui.orgs.models import STEP, Org

from .facts import approval_facts, fact_pieces
from .models import MonthFact, OwnFact, RollupState

CHUNK = 2000
MKey = tuple[int, dt.date, str, str]  # (org_id, month, metric, dim)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def months_touching(d0: dt.date, d1: dt.date) -> list[dt.date]:
    out, m = [], month_of(d0)
    while m <= d1:
        out.append(m)
        m = next_month(m)
    return out


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _lock_state() -> RollupState:
    if connection.vendor == "postgresql":
        # The month's UNION ALL is costed high enough to trigger JIT compilation, which took ~7 s of each
        # ~8 s query on the benchmark (the execution itself: ~0.5 s). Off for this transaction only.
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
    RollupState.objects.get_or_create(key="facts")
    return RollupState.objects.select_for_update().get(key="facts")


def _paths(org_ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(set(org_ids))):
        out.update(Org.objects.filter(pk__in=chunk).values_list("pk", "path"))
    return out


def _ids_of_paths(paths: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(set(paths))):
        out.update(Org.objects.filter(path__in=chunk).values_list("path", "pk"))
    return out


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _finish(state: RollupState, d1: dt.date, started: float) -> None:
    state.last_day = max(filter(None, [state.last_day, d1]))
    state.last_run_at = timezone.now()
    state.last_seconds = round(time.monotonic() - started, 3)
    state.save()


def _own_select(month: dt.date) -> tuple[str, list]:
    """One SELECT of the month's own figures of every union, counted and summed in the database:
    columns org_id, path, metric, dim, value (zero sums left out)."""
    parts, params = [], []
    for metric, qs in fact_pieces(month, next_month(month) - dt.timedelta(days=1)):
        sub, sub_params = qs.query.sql_with_params()
        parts.append(
            f"SELECT q.k_org AS org_id, %s AS metric, q.k_dim AS dim, q.k_val AS value FROM ({sub}) q"
        )
        params += [metric, *sub_params]
    org = Org._meta.db_table
    return (
        f"""SELECT u.org_id AS org_id, o.path AS path, u.metric AS metric, u.dim AS dim, SUM(u.value) AS value
            FROM ({" UNION ALL ".join(parts)}) u JOIN {org} o ON o.id = u.org_id
            GROUP BY u.org_id, o.path, u.metric, u.dim
            HAVING SUM(u.value) <> 0""",
        params,
    )


def own_facts(month: dt.date) -> dict[MKey, int]:
    """The month's own-node figures of every union, counted from the source rows now."""
    sql, params = _own_select(month)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        out = {(o, month, m, dim): int(v) for o, _path, m, dim, v in cur.fetchall()}
    out.update(((o, month, m, dim), v) for (o, m, dim), v in approval_facts(*_month_days(month)).items() if v)
    return out


def _month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    return month, next_month(month) - dt.timedelta(days=1)


def _insert_own(month: dt.date) -> int:
    """Rebuild: the month's OwnFact rows replaced by one INSERT … SELECT (plus the approval rows)."""
    OwnFact.objects.filter(month=month).delete()
    sql, params = _own_select(month)
    with connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO {OwnFact._meta.db_table} (org_id, path, month, metric, dim, value)
                SELECT s.org_id, s.path, %s, s.metric, s.dim, s.value FROM ({sql}) s""",
            [connection.ops.adapt_datefield_value(month), *params],
        )
        n = max(cur.rowcount, 0)
    approvals = approval_facts(*_month_days(month))
    paths = _paths(k[0] for k in approvals)
    rows = [
        OwnFact(org_id=o, path=paths[o], month=month, metric=m, dim=dim, value=v)
        for (o, m, dim), v in approvals.items()
        if v and o in paths
    ]
    for chunk in _chunks(rows, 5000):
        OwnFact.objects.bulk_create(chunk)
    return n + len(rows)


def _write_own(month: dt.date, new: dict[MKey, int], changed_keys: set[MKey], paths: dict[int, str]) -> None:
    """Nightly: only the own rows whose value changed are written (upserted, or deleted when now zero)."""
    upserts = [
        OwnFact(org_id=k[0], path=paths[k[0]], month=month, metric=k[2], dim=k[3], value=new[k])
        for k in changed_keys
        if new.get(k) and k[0] in paths
    ]
    for chunk in _chunks(upserts, 5000):
        OwnFact.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=["month", "org", "metric", "dim"],
            update_fields=["value", "path"],
        )
    for k in changed_keys:
        if not new.get(k):
            OwnFact.objects.filter(month=month, org_id=k[0], metric=k[2], dim=k[3]).delete()


def rollup_days(d0: dt.date, d1: dt.date) -> dict:
    """The incremental path: the months of d0..d1 recomputed, the subtree totals moved by the difference."""
    started = time.monotonic()
    facts_n = changed_n = moved = 0
    with transaction.atomic():
        state = _lock_state()
        for month in months_touching(d0, d1):
            new = own_facts(month)
            old = {
                (o, month, m, dim): v
                for o, m, dim, v in OwnFact.objects.filter(month=month).values_list(
                    "org_id", "metric", "dim", "value"
                )
            }
            paths = _paths({k[0] for k in new} | {k[0] for k in old})
            delta: dict[tuple[str, str, str], int] = defaultdict(int)
            for facts, sign in ((new, 1), (old, -1)):
                for (org_id, _, m, dim), v in facts.items():
                    if org_id in paths:
                        delta[(paths[org_id], m, dim)] += sign * v
            changed = {k: v for k, v in delta.items() if v}
            changed_keys = {k for k in set(new) | set(old) if new.get(k, 0) != old.get(k, 0)}
            if changed_keys:
                _write_own(month, new, changed_keys, paths)
            # Every ancestor's subtree total moves by the own node's difference.
            up: dict[tuple[str, str, str], int] = defaultdict(int)
            for (path, m, dim), v in changed.items():
                for anc in _ancestor_paths(path):
                    up[(anc, m, dim)] += v
            ids = _ids_of_paths(k[0] for k in up)
            by_org = {(ids[a], month, m, dim): v for (a, m, dim), v in up.items() if v and a in ids}
            _apply_month_deltas(by_org)
            facts_n += len(new)
            changed_n += len(changed)
            moved += len(by_org)
        _finish(state, d1, started)
    return {
        "months": len(months_touching(d0, d1)),
        "facts": facts_n,
        "changed": changed_n,
        "month_rows": moved,
    }


def _apply_month_deltas(by_org: dict[MKey, int]) -> None:
    if not by_org:
        return
    months = sorted({k[1] for k in by_org})
    current: dict[MKey, int] = {}
    for chunk in _chunks(sorted({k[0] for k in by_org})):
        current.update(
            ((o, mo, m, dim), v)
            for o, mo, m, dim, v in MonthFact.objects.filter(org_id__in=chunk, month__in=months).values_list(
                "org_id", "month", "metric", "dim", "value"
            )
        )
    upserts, zeros = [], []
    for key, v in by_org.items():
        value = current.get(key, 0) + v
        if value:
            upserts.append(MonthFact(org_id=key[0], month=key[1], metric=key[2], dim=key[3], value=value))
        elif key in current:
            zeros.append(key)
    for chunk in _chunks(upserts, 5000):
        MonthFact.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=["org", "month", "metric", "dim"],
            update_fields=["value"],
        )
    for key in zeros:
        MonthFact.objects.filter(org_id=key[0], month=key[1], metric=key[2], dim=key[3]).delete()


def rebuild(d0: dt.date, d1: dt.date) -> dict:
    """Every month touching d0..d1 recomputed from the source rows, then its subtree totals from scratch."""
    started = time.monotonic()
    facts_n = written = 0
    with transaction.atomic():
        state = _lock_state()
        for month in months_touching(d0, d1):
            facts_n += _insert_own(month)
            written += subtree_from_own(month)
        _finish(state, d1, started)
    return {"months": len(months_touching(d0, d1)), "facts": facts_n, "month_rows": written}


def subtree_from_own(month: dt.date) -> int:
    """MonthFact of every union for the month = the sum of the own rows in its subtree, computed in the
    database: for each depth, the own rows grouped by their ancestor's path prefix at that depth."""
    MonthFact.objects.filter(month=month).delete()
    own = OwnFact.objects.filter(month=month)
    longest = own.annotate(plen=Length("path")).aggregate(m=Max("plen"))["m"] or 0
    mf, of, org = MonthFact._meta.db_table, OwnFact._meta.db_table, Org._meta.db_table
    written = 0
    with connection.cursor() as cur:
        for length in range(STEP, longest + 1, STEP):
            cur.execute(
                f"""INSERT INTO {mf} (org_id, month, metric, dim, value)
                    SELECT o.id, f.month, f.metric, f.dim, SUM(f.value)
                    FROM {of} f JOIN {org} o ON o.path = SUBSTR(f.path, 1, %s)
                    WHERE f.month = %s AND LENGTH(f.path) >= %s
                    GROUP BY o.id, f.month, f.metric, f.dim
                    HAVING SUM(f.value) <> 0""",
                [length, month, length],
            )
            written += max(cur.rowcount, 0)
    return written


def last_rolled_day() -> dt.date | None:
    return RollupState.objects.filter(key="facts").values_list("last_day", flat=True).first()
