"""Keeping the facts: the scheduled, idempotent roll-up (`manage.py stats_rollup`).

Two paths that must agree (tests/test_rollup.py proves rebuild == incremental):

- `rollup_days(d0, d1)` — the incremental path, run nightly for yesterday and today (and whenever asked):
  recomputes the own-node DailyFacts of those days from the source rows, and applies the DIFFERENCE to
  the MonthFact rows of each union's chain of ancestors. Running it twice changes nothing the second time.
- `rebuild(d0, d1)` — recomputes the DailyFacts of the range in one pass, then every MonthFact row of the
  months touched, by grouping the daily rows on each level's path prefix (a different road to the same
  figures).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from gonghui.orgs.models import STEP, Org

from .facts import Key, facts_between
from .models import DailyFact, MonthFact, RollupState

CHUNK = 2000


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _lock_state() -> RollupState:
    RollupState.objects.get_or_create(key="facts")
    return RollupState.objects.select_for_update().get(key="facts")


def _paths(org_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(org_ids))
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        out.update(Org.objects.filter(pk__in=chunk).values_list("pk", "path"))
    return out


def _ids_of_paths(paths: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(paths))
    out: dict[str, int] = {}
    for chunk in _chunks(wanted):
        out.update(Org.objects.filter(path__in=chunk).values_list("path", "pk"))
    return out


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _finish(state: RollupState, d1: dt.date, started: float) -> None:
    state.last_day = max(filter(None, [state.last_day, d1]))
    state.last_run_at = timezone.now()
    state.last_seconds = round(time.monotonic() - started, 3)
    state.save()


def _write_daily(d0: dt.date, d1: dt.date, facts: dict[Key, int], paths: dict[int, str]) -> None:
    DailyFact.objects.filter(day__gte=d0, day__lte=d1).delete()
    rows = [
        DailyFact(
            org_id=org_id, path=paths[org_id], day=day, month=month_of(day), metric=m, dim=dim, value=v
        )
        for (org_id, day, m, dim), v in facts.items()
        if org_id in paths
    ]
    for chunk in _chunks(rows, 5000):
        DailyFact.objects.bulk_create(chunk)


def rollup_days(d0: dt.date, d1: dt.date) -> dict:
    """The incremental path: days d0..d1 recomputed, the month totals moved by the difference."""
    started = time.monotonic()
    with transaction.atomic():
        state = _lock_state()
        new = facts_between(d0, d1)
        old = {
            (o, day, m, dim): v
            for o, day, m, dim, v in DailyFact.objects.filter(day__gte=d0, day__lte=d1).values_list(
                "org_id", "day", "metric", "dim", "value"
            )
        }
        paths = _paths({k[0] for k in new} | {k[0] for k in old})
        delta: dict[tuple[str, dt.date, str, str], int] = defaultdict(int)
        for facts, sign in ((new, 1), (old, -1)):
            for (org_id, day, m, dim), v in facts.items():
                if org_id in paths:
                    delta[(paths[org_id], month_of(day), m, dim)] += sign * v
        changed = {k: v for k, v in delta.items() if v}
        _write_daily(d0, d1, new, paths)

        # Every ancestor's subtree total moves by the own node's difference.
        up: dict[tuple[str, dt.date, str, str], int] = defaultdict(int)
        for (path, month, m, dim), v in changed.items():
            for anc in _ancestor_paths(path):
                up[(anc, month, m, dim)] += v
        ids = _ids_of_paths(k[0] for k in up)
        by_org: dict[tuple[int, dt.date, str, str], int] = defaultdict(int)
        for (anc, month, m, dim), v in up.items():
            if anc in ids and v:
                by_org[(ids[anc], month, m, dim)] += v
        _apply_month_deltas(by_org)
        _finish(state, d1, started)
    return {"days": (d1 - d0).days + 1, "facts": len(new), "changed": len(changed), "month_rows": len(by_org)}


def _apply_month_deltas(by_org: dict[tuple[int, dt.date, str, str], int]) -> None:
    if not by_org:
        return
    months = sorted({k[1] for k in by_org})
    org_ids = sorted({k[0] for k in by_org})
    current: dict[tuple[int, dt.date, str, str], int] = {}
    for chunk in _chunks(org_ids):
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
    """Recompute the days d0..d1 from the source rows, a month at a time, then every subtree total of the
    months they fall in from the daily rows (level by level: group by the ancestor's path prefix)."""
    started = time.monotonic()
    facts_n = written = 0
    with transaction.atomic():
        state = _lock_state()
        month = month_of(d0)
        while month <= d1:
            nxt = (month + dt.timedelta(days=32)).replace(day=1)
            a, b = max(d0, month), min(d1, nxt - dt.timedelta(days=1))
            facts = facts_between(a, b)
            facts_n += len(facts)
            _write_daily(a, b, facts, _paths(k[0] for k in facts))
            written += _month_from_daily(month)
            month = nxt
        _finish(state, d1, started)
    return {"days": (d1 - d0).days + 1, "facts": facts_n, "month_rows": written}


def _month_from_daily(month: dt.date) -> int:
    MonthFact.objects.filter(month=month).delete()
    daily = DailyFact.objects.filter(month=month).annotate(plen=Length("path"))
    longest = daily.aggregate(m=Max("plen"))["m"] or 0
    written = 0
    for length in range(STEP, longest + 1, STEP):
        rows = list(
            daily.filter(plen__gte=length)
            .annotate(anc=Substr("path", 1, length))
            .values_list("anc", "metric", "dim")
            .annotate(v=Sum("value"))
            .order_by()
        )
        ids = _ids_of_paths(r[0] for r in rows)
        objs = [
            MonthFact(org_id=ids[a], month=month, metric=m, dim=dim, value=v)
            for a, m, dim, v in rows
            if v and a in ids
        ]
        for chunk in _chunks(objs, 5000):
            MonthFact.objects.bulk_create(chunk)
        written += len(objs)
    return written


def last_rolled_day() -> dt.date | None:
    return RollupState.objects.filter(key="facts").values_list("last_day", flat=True).first()
