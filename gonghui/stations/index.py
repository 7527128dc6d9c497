"""The in-process nearest-station index: a grid of 0.01° cells → station rows.

Why a grid and not the database: a worker's "附近驿站" is the hottest read on the platform (about a
million searches a day nationally) and the answer depends on distance, amenities and opening hours
at this minute; a dict of cells answers nearest-10-within-1-km by looking at 4–9 cells.

Freshness: every station write bumps a token in the shared cache (immediately and again after
commit); each process compares its index's token with the cache's on every query and rebuilds when
they differ, so all app servers converge on the committed data. Results are sorted by (distance, id)
so they are exactly the brute-force answer.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import threading
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from gonghui.core.geo import EARTH_RADIUS_M, bounding_box

from .hours import Schedule

CELL_DEG = 0.01
TOKEN_KEY = "stations:index:token"


@dataclass(slots=True)
class Entry:
    id: int
    lat: float
    lng: float
    mask: int
    is_24h: bool
    schedule: Schedule


def haversine_rad(lat1r: float, lng1r: float, cos1: float, lat2: float, lng2: float) -> float:
    lat2r = math.radians(lat2)
    dp = lat2r - lat1r
    dl = math.radians(lng2) - lng1r
    h = math.sin(dp * 0.5) ** 2 + cos1 * math.cos(lat2r) * math.sin(dl * 0.5) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def matches(e: Entry, mask: int, open_now: bool, only_24h: bool, now: dt.datetime | None) -> bool:
    if mask and (e.mask & mask) != mask:
        return False
    if only_24h and not e.is_24h:
        return False
    return not (open_now and not e.schedule.is_open(now))


class GridIndex:
    def __init__(self, entries: list[Entry], token: str | None = None):
        self.token = token
        self.entries = entries
        self.cells: dict[tuple[int, int], list[Entry]] = {}
        for e in entries:
            self.cells.setdefault((math.floor(e.lat / CELL_DEG), math.floor(e.lng / CELL_DEG)), []).append(e)

    def __len__(self):
        return len(self.entries)

    def within(self, lat: float, lng: float, radius_m: float):
        """Yields (distance, entry) for every entry within radius_m (unsorted)."""
        lat_min, lat_max, lng_min, lng_max = bounding_box(lat, lng, radius_m)
        i0, i1 = math.floor(lat_min / CELL_DEG), math.floor(lat_max / CELL_DEG)
        j0, j1 = math.floor(lng_min / CELL_DEG), math.floor(lng_max / CELL_DEG)
        lat1r, lng1r = math.radians(lat), math.radians(lng)
        cos1 = math.cos(lat1r)
        cells = self.cells
        if (i1 - i0 + 1) * (j1 - j0 + 1) > 4 * len(cells) + 64:
            # A huge radius: walking the occupied cells is cheaper than walking the empty box.
            buckets = (b for (i, j), b in cells.items() if i0 <= i <= i1 and j0 <= j <= j1)
        else:
            buckets = (cells.get((i, j)) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))
        for bucket in buckets:
            if not bucket:
                continue
            for e in bucket:
                d = haversine_rad(lat1r, lng1r, cos1, e.lat, e.lng)
                if d <= radius_m:
                    yield d, e

    def nearest(
        self,
        lat: float,
        lng: float,
        *,
        radius_m: float,
        limit: int,
        mask: int = 0,
        open_now: bool = False,
        only_24h: bool = False,
        now: dt.datetime | None = None,
    ):
        hits = [
            (d, e.id) for d, e in self.within(lat, lng, radius_m) if matches(e, mask, open_now, only_24h, now)
        ]
        hits.sort()
        return hits[:limit]

    def any_within(self, lat: float, lng: float, radius_m: float) -> bool:
        return next(self.within(lat, lng, radius_m), None) is not None


# --- the process-wide index of active stations ---------------------------------------------

_lock = threading.Lock()
_current: GridIndex | None = None


def _token() -> str:
    token = cache.get(TOKEN_KEY)
    if token is None:
        # Cache was cleared or evicted: start a new generation so every process rebuilds once.
        cache.add(TOKEN_KEY, uuid.uuid4().hex, None)
        token = cache.get(TOKEN_KEY)
    return token


def bump() -> None:
    """Mark every process's index stale; called by services on every station write."""
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)
    # Again after commit, so a process that rebuilt between the write and the commit rebuilds again.
    transaction.on_commit(lambda: cache.set(TOKEN_KEY, uuid.uuid4().hex, None))


def load_entries(today: dt.date | None = None) -> list[Entry]:
    from django.utils import timezone

    from .models import AMENITY_BITS, Station, StationClosure

    today = today or timezone.localdate()
    closures: dict[int, list] = {}
    for sid, start, end in StationClosure.objects.filter(
        end_date__gte=today - dt.timedelta(days=1)
    ).values_list("station_id", "start_date", "end_date"):
        closures.setdefault(sid, []).append((start, end))
    entries = []
    rows = Station.objects.filter(status=Station.Status.ACTIVE).values_list(
        "id", "gcj_lat", "gcj_lng", "amenities", "is_24h", "hours"
    )
    for sid, lat, lng, amenities, is_24h, hours in rows.iterator(chunk_size=5000):
        mask = 0
        for code in amenities or ():
            mask |= AMENITY_BITS.get(code, 0)
        entries.append(
            Entry(sid, lat, lng, mask, is_24h, Schedule.compile(hours, is_24h, closures.get(sid, ())))
        )
    return entries


def current_index() -> GridIndex:
    global _current
    token = _token()
    index = _current
    if index is not None and index.token == token:
        return index
    with _lock:
        if _current is None or _current.token != token:
            _current = GridIndex(load_entries(), token)
            freeze()
        return _current


def freeze() -> None:
    """Move the index's (acyclic, long-lived) objects out of the cyclic GC's reach: a full collection
    over 200,000 stations' objects otherwise stalls a query for 10+ ms. Refcounting still frees them."""
    gc.collect()
    gc.freeze()
