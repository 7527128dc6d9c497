"""The 15-minute circle: which demand points have an open station within a walk, and where the next
stations would cover the most.

Walking distance is straight-line distance × a detour factor, so a 15-minute walk at 1.2 m/s with
detour 1.3 reaches 831 m in a straight line. Demand points are a regular grid over an area or points
imported by staff (member workplaces, delivery hot spots), optionally weighted.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from gonghui.core.errors import DomainError
from gonghui.core.geo import EARTH_RADIUS_M

from .hours import Schedule
from .index import Entry, GridIndex

_M_PER_DEG = math.pi * EARTH_RADIUS_M / 180.0
MAX_POINTS = 50_000


@dataclass
class CoverageResult:
    radius_m: float
    total_weight: float
    covered_weight: float
    points: int
    covered_points: int
    uncovered: list[tuple[float, float, float]]  # (lat, lng, weight)
    suggestions: list[dict] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight else 0.0

    @property
    def share_pct(self) -> float:
        return self.share * 100


def grid_points(south: float, west: float, north: float, east: float, spacing_m: float):
    """A regular grid (metres apart) over a bounding box, one point at the centre of each cell."""
    if north <= south or east <= west:
        raise DomainError("范围无效：北边界应大于南边界，东边界应大于西边界", code="bad_bbox", field="bbox")
    if not 50 <= spacing_m <= 5000:
        raise DomainError("网格间距应在 50–5000 米之间", code="bad_spacing", field="spacing_m")
    dlat = spacing_m / _M_PER_DEG
    dlng = dlat / math.cos(math.radians((north + south) / 2))
    rows = max(1, round((north - south) / dlat))
    cols = max(1, round((east - west) / dlng))
    if rows * cols > MAX_POINTS:
        raise DomainError(
            f"网格点过多（{rows * cols} 个），请加大间距或缩小范围（上限 {MAX_POINTS}）",
            code="too_many_points",
            field="spacing_m",
        )
    return [
        (south + (r + 0.5) * dlat, west + (c + 0.5) * dlng, 1.0) for r in range(rows) for c in range(cols)
    ]


def _point_index(points) -> GridIndex:
    always = Schedule(True, ())
    return GridIndex([Entry(i, lat, lng, 0, True, always) for i, (lat, lng, _) in enumerate(points)])


def coverage(
    stations: list[tuple[float, float]],
    points: list[tuple[float, float, float]],
    radius_m: float,
    *,
    suggest: int = 0,
) -> CoverageResult:
    """Share of demand (by weight) within radius_m of a station; optionally the next `suggest` sites."""
    always = Schedule(True, ())
    station_index = GridIndex([Entry(i, lat, lng, 0, True, always) for i, (lat, lng) in enumerate(stations)])
    total = covered = 0.0
    covered_n = 0
    uncovered = []
    for lat, lng, w in points:
        total += w
        if station_index.any_within(lat, lng, radius_m):
            covered += w
            covered_n += 1
        else:
            uncovered.append((lat, lng, w))
    result = CoverageResult(radius_m, total, covered, len(points), covered_n, uncovered)
    if suggest:
        result.suggestions = greedy_sites(uncovered, radius_m, suggest, covered_before=covered, total=total)
    return result


def _lattice(uncovered, pidx: GridIndex, radius_m: float, limit: int = 20_000) -> list[tuple[float, float]]:
    """Sites on a lattice of half the walking radius wherever some uncovered point is in reach: lets a
    site sit between demand points, e.g. in the middle of a cluster wider than one radius."""
    south = min(p[0] for p in uncovered)
    north = max(p[0] for p in uncovered)
    west = min(p[1] for p in uncovered)
    east = max(p[1] for p in uncovered)
    dlat = radius_m / 2 / _M_PER_DEG
    dlng = dlat / max(math.cos(math.radians((south + north) / 2)), 1e-6)
    rows, cols = int((north - south) / dlat) + 1, int((east - west) / dlng) + 1
    if rows * cols > limit:
        return []
    # Half a step in from the edge, so no node sits exactly one radius from the outermost points.
    south, west = south + dlat / 2, west + dlng / 2
    return [
        (south + r * dlat, west + c * dlng)
        for r in range(rows)
        for c in range(cols)
        if pidx.any_within(south + r * dlat, west + c * dlng, radius_m)
    ]


def greedy_sites(
    uncovered, radius_m: float, k: int, *, covered_before: float = 0.0, total: float = 0.0, candidates=None
) -> list[dict]:
    """Greedy maximum coverage with lazy re-evaluation (CELF): each pick is the site adding the most
    still-uncovered demand. Greedy is within 1 − 1/e of the best possible k sites, and the lazy heap
    makes it near-linear in practice. Candidate sites default to the uncovered points themselves, so a
    suggestion lands where the gap is, not on an anchor list."""
    if not uncovered or k <= 0:
        return []
    pidx = _point_index(uncovered)
    weights = [w for _, _, w in uncovered]
    if candidates is None:
        # Each uncovered point, and the weighted centre of the uncovered points around it: the centre
        # often reaches a whole cluster that no single demand point does.
        candidates = []
        for lat, lng, _ in uncovered:
            candidates.append((lat, lng))
            near = [e.id for _, e in pidx.within(lat, lng, radius_m)]
            if len(near) > 1:
                wsum = sum(weights[i] for i in near)
                candidates.append(
                    (
                        sum(uncovered[i][0] * weights[i] for i in near) / wsum,
                        sum(uncovered[i][1] * weights[i] for i in near) / wsum,
                    )
                )
        candidates.extend(_lattice(uncovered, pidx, radius_m))
    cover_sets = [[e.id for _, e in pidx.within(lat, lng, radius_m)] for lat, lng in candidates]
    heap = [(-sum(weights[i] for i in cs), c, 0) for c, cs in enumerate(cover_sets)]
    heapq.heapify(heap)
    taken = [False] * len(uncovered)
    picks: list[dict] = []
    covered = covered_before
    round_no = 0
    while heap and len(picks) < k:
        neg_gain, c, stamp = heapq.heappop(heap)
        if stamp != round_no:
            gain = sum(weights[i] for i in cover_sets[c] if not taken[i])
            if gain > 0:
                heapq.heappush(heap, (-gain, c, round_no))
            continue
        gain = -neg_gain
        if gain <= 0:
            break
        for i in cover_sets[c]:
            taken[i] = True
        covered += gain
        round_no += 1
        lat, lng = candidates[c]
        picks.append(
            {
                "rank": len(picks) + 1,
                "lat": lat,
                "lng": lng,
                "gain": gain,
                "share_after": covered / total if total else 0.0,
            }
        )
    return picks
