"""Reads: the scoped registry for staff, and the public nearest-station search for workers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.geo import bounding_box, check_china_point, from_gcj02, to_gcj02
from gonghui.core.glossary import OCCUPATIONS
from gonghui.orgs.scope import path_q, scope_paths

from . import index
from .hours import Schedule
from .models import AMENITY_BITS, AMENITY_LABELS, Station, StationClosure, StationFeedback, StationVisit

MAX_RADIUS_M = 50_000
MAX_LIMIT = 50


def walk_speed() -> float:
    return float(getattr(settings, "STATIONS_WALK_SPEED_MPS", 1.2))


def walk_detour() -> float:
    # Streets are not straight lines: 1.3 is the usual urban ratio of walked to straight distance.
    return float(getattr(settings, "STATIONS_WALK_DETOUR", 1.3))


def walk_minutes(distance_m: float) -> int:
    return max(1, math.ceil(distance_m * walk_detour() / walk_speed() / 60))


def walk_radius_m(minutes: float) -> float:
    return minutes * 60 * walk_speed() / walk_detour()


# --- staff side: always from the scoped queryset -----------------------------------------------


def stations_scoped(*, actor) -> QuerySet[Station]:
    return Station.objects.filter(path_q(scope_paths(actor), "org_path"))


def station_list(*, actor, q: str = "", status: str = "", district: str = "", amenity: str = "") -> QuerySet:
    qs = stations_scoped(actor=actor).select_related("org")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(district=district)
    qs = qs.annotate(open_issues=Count("feedback", filter=Q(feedback__status=StationFeedback.Status.OPEN)))
    rows = qs.order_by("code")
    if amenity:
        # JSON containment differs between SQLite and PostgreSQL; the registry pages are small enough
        # to filter the ids in Python without loading whole rows.
        ids = [pk for pk, ams in qs.values_list("pk", "amenities") if amenity in (ams or [])]
        rows = rows.filter(pk__in=ids)
    return rows


def station_get(*, actor, station_id) -> Station:
    try:
        return stations_scoped(actor=actor).select_related("org").get(pk=int(station_id))
    except (Station.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def station_public(*, code: str) -> Station:
    """The worker-facing page behind the QR code: any station that has not been withdrawn."""
    station = (
        Station.objects.filter(code=code).exclude(status=Station.Status.CLOSED).select_related("org").first()
    )
    if station is None:
        raise NotFound("未找到该驿站，可能已撤销")
    return station


def schedule_for(station: Station) -> Schedule:
    closures = station.closures.filter(end_date__gte=timezone.localdate()).values_list(
        "start_date", "end_date"
    )
    return Schedule.compile(station.hours, station.is_24h, list(closures))


def tile_layer() -> dict:
    """The map tile server the pages draw on (settings GONGHUI_TILE_URL / _ATTRIBUTION / _SUBDOMAINS)."""
    return {
        "url": settings.TILE_URL,
        "attribution": settings.TILE_ATTRIBUTION,
        "subdomains": settings.TILE_SUBDOMAINS if "{s}" in settings.TILE_URL else "",
    }


def station_status(station: Station, now=None) -> dict:
    """What a worker reads about a station now. A suspended station (status 暂停服务) says so —
    its weekly hours do not apply, so it never promises "明天 08:30 开门"."""
    if station.status == Station.Status.PAUSED:
        return {"open": False, "paused": True, "label": "暂停服务", "next": None}
    return schedule_for(station).status(now or timezone.localtime())


def open_issue_count(station: Station) -> int:
    return station.feedback.filter(status=StationFeedback.Status.OPEN).count()


def visit_stats(*, station: Station, days: int = 30) -> dict:
    """Counts by day and the occupation mix: about the station's use, never about any person."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    visits = StationVisit.objects.filter(station=station, visited_on__gte=since)
    by_day = dict(visits.values_list("visited_on").annotate(n=Count("id")).values_list("visited_on", "n"))
    series = [
        (since + dt.timedelta(days=i), by_day.get(since + dt.timedelta(days=i), 0)) for i in range(days)
    ]
    labels = dict(OCCUPATIONS)
    mix = [
        (labels.get(occ, "未填写") if occ else "未填写", n)
        for occ, n in visits.values_list("occupation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("occupation", "n")
    ]
    total = sum(n for _, n in series)
    return {
        "series": series,
        "mix": mix,
        "total": total,
        "days": days,
        "max": max([n for _, n in series] or [0]),
    }


def feedback_for(*, station: Station, status: str = "") -> QuerySet[StationFeedback]:
    qs = station.feedback.select_related("observer", "resolved_by")
    return qs.filter(status=status) if status else qs


def feedback_get(*, actor, feedback_id) -> StationFeedback:
    try:
        return StationFeedback.objects.select_related("station__org").get(
            path_q(scope_paths(actor), "station__org_path"), pk=int(feedback_id)
        )
    except (StationFeedback.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rating_summary(station: Station) -> list[tuple[str, float, int]]:
    sums: dict[str, list[int]] = {}
    for ratings in station.feedback.values_list("ratings", flat=True):
        for code, score in (ratings or {}).items():
            sums.setdefault(code, []).append(int(score))
    return [(AMENITY_LABELS.get(c, c), round(sum(v) / len(v), 1), len(v)) for c, v in sums.items()]


def districts() -> list[dict]:
    """The districts that have stations, with their centre, for the worker's "choose a district"."""
    rows = cache.get("stations:districts")
    if rows is None:
        rows = list(
            Station.objects.filter(status=Station.Status.ACTIVE)
            .exclude(district="")
            .values("district")
            .annotate(lat=Avg("gcj_lat"), lng=Avg("gcj_lng"), n=Count("id"))
            .order_by("district")
        )
        cache.set("stations:districts", rows, 300)
    return rows


# --- worker side: nearest stations ------------------------------------------------------------


@dataclass
class NearbyQuery:
    lat: float  # GCJ-02
    lng: float
    radius_m: float = 1000
    limit: int = 10
    mask: int = 0
    amenities: tuple[str, ...] = ()
    open_now: bool = False
    only_24h: bool = False
    coord: str = "gcj02"
    now: dt.datetime | None = None


def nearby_query(
    *,
    lat,
    lng,
    radius_m=1000,
    limit=10,
    amenity: str = "",
    open_now=False,
    only_24h=False,
    coord: str = "gcj02",
    now=None,
) -> NearbyQuery:
    """Validates the search parameters once, for the API and the page alike."""
    if coord not in ("gcj02", "wgs84", "bd09"):
        raise DomainError("坐标系 coord 只能是 gcj02、wgs84 或 bd09", code="bad_coord", field="coord")
    lat_f, lng_f = check_china_point(lat, lng)
    glat, glng = to_gcj02(lat_f, lng_f, coord)
    try:
        radius = float(radius_m)
    except (TypeError, ValueError):
        raise DomainError("搜索半径 radius_m 应为数字（米）", code="bad_radius", field="radius_m") from None
    if not 1 <= radius <= MAX_RADIUS_M:
        raise DomainError(
            f"搜索半径 radius_m 应在 1–{MAX_RADIUS_M} 米之间", code="bad_radius", field="radius_m"
        )
    try:
        limit_i = int(limit)
    except (TypeError, ValueError):
        raise DomainError("返回条数 limit 应为整数", code="bad_limit", field="limit") from None
    if not 1 <= limit_i <= MAX_LIMIT:
        raise DomainError(f"返回条数 limit 应在 1–{MAX_LIMIT} 之间", code="bad_limit", field="limit")
    codes = tuple(a for a in (amenity or "").split(",") if a)
    for code in codes:
        if code not in AMENITY_BITS:
            raise DomainError(
                f"服务设施 amenity 只能是 {'、'.join(AMENITY_BITS)}", code="bad_amenity", field="amenity"
            )
    mask = 0
    for code in codes:
        mask |= AMENITY_BITS[code]
    return NearbyQuery(
        glat,
        glng,
        radius,
        limit_i,
        mask,
        codes,
        bool(open_now),
        bool(only_24h),
        coord,
        now or timezone.localtime(),
    )


def nearby_ids(query: NearbyQuery, *, use_index: bool | None = None) -> list[tuple[float, int]]:
    """[(distance_m, station_id)] nearest first; the in-process index, or the database when it is off."""
    if use_index is None:
        use_index = getattr(settings, "STATIONS_USE_INDEX", True)
    if use_index:
        return index.current_index().nearest(
            query.lat,
            query.lng,
            radius_m=query.radius_m,
            limit=query.limit,
            mask=query.mask,
            open_now=query.open_now,
            only_24h=query.only_24h,
            now=query.now,
        )
    return nearby_ids_db(query)


def nearby_ids_db(query: NearbyQuery) -> list[tuple[float, int]]:
    """The fallback: a bounding box on the (gcj_lat, gcj_lng) index, then the same exact test in Python."""
    lat_min, lat_max, lng_min, lng_max = bounding_box(query.lat, query.lng, query.radius_m)
    rows = Station.objects.filter(
        status=Station.Status.ACTIVE,
        gcj_lat__gte=lat_min,
        gcj_lat__lte=lat_max,
        gcj_lng__gte=lng_min,
        gcj_lng__lte=lng_max,
    ).values_list("id", "gcj_lat", "gcj_lng", "amenities", "is_24h", "hours")
    rows = list(rows)
    closures: dict[int, list] = {}
    if query.open_now and rows:
        for sid, start, end in StationClosure.objects.filter(
            station_id__in=[r[0] for r in rows], end_date__gte=query.now.date()
        ).values_list("station_id", "start_date", "end_date"):
            closures.setdefault(sid, []).append((start, end))
    lat1r, lng1r = math.radians(query.lat), math.radians(query.lng)
    cos1 = math.cos(lat1r)
    hits = []
    for sid, lat, lng, amenities, is_24h, hours in rows:
        d = index.haversine_rad(lat1r, lng1r, cos1, lat, lng)
        if d > query.radius_m:
            continue
        mask = 0
        for code in amenities or ():
            mask |= AMENITY_BITS.get(code, 0)
        entry = index.Entry(
            sid, lat, lng, mask, is_24h, Schedule.compile(hours, is_24h, closures.get(sid, ()))
        )
        if index.matches(entry, query.mask, query.open_now, query.only_24h, query.now):
            hits.append((d, sid))
    hits.sort()
    return hits[: query.limit]


def nearby(query: NearbyQuery, *, use_index: bool | None = None) -> list[dict]:
    """The result rows a worker sees: distance, walking minutes, open now or when it opens, navigation links."""
    hits = nearby_ids(query, use_index=use_index)
    if not hits:
        return []
    # Only what a worker sees: no keeper data, so nothing personal is even decrypted on this hot path.
    stations = Station.objects.only(
        "code",
        "name",
        "kind",
        "address",
        "district",
        "gcj_lat",
        "gcj_lng",
        "service_phone",
        "is_24h",
        "hours",
        "amenities",
    ).in_bulk([sid for _, sid in hits])
    closures: dict[int, list] = {}
    for sid, start, end in StationClosure.objects.filter(
        station_id__in=list(stations), end_date__gte=query.now.date()
    ).values_list("station_id", "start_date", "end_date"):
        closures.setdefault(sid, []).append((start, end))
    rows = []
    for distance, sid in hits:
        s = stations.get(sid)
        if s is None:  # withdrawn since the index was built
            continue
        status = Schedule.compile(s.hours, s.is_24h, closures.get(sid, ())).status(query.now)
        lat, lng = from_gcj02(s.gcj_lat, s.gcj_lng, query.coord)
        rows.append(
            {
                "id": s.pk,
                "code": s.code,
                "name": s.name,
                "kind": s.get_kind_display(),
                "address": s.address,
                "district": s.district,
                "lat": round(lat, 7),
                "lng": round(lng, 7),
                "gcj_lat": s.gcj_lat,
                "gcj_lng": s.gcj_lng,
                "distance_m": round(distance, 1),
                "walk_minutes": walk_minutes(distance),
                "open_now": status["open"],
                "status_label": status["label"],
                "opens_at": status["next"].isoformat() if status["next"] else None,
                "is_24h": s.is_24h,
                "amenities": list(s.amenities),
                "amenity_labels": s.amenity_labels,
                "service_phone": s.service_phone,
                "amap_url": amap_url(s),
                "baidu_url": baidu_url(s),
            }
        )
    return rows


def brute_force_ids(entries, lat: float, lng: float, radius_m: float, limit: int, **filters) -> list:
    """The reference answer the index is tested and benchmarked against: every station, exact distance."""
    lat1r, lng1r = math.radians(lat), math.radians(lng)
    cos1 = math.cos(lat1r)
    hits = []
    for e in entries:
        d = index.haversine_rad(lat1r, lng1r, cos1, e.lat, e.lng)
        if d <= radius_m and index.matches(
            e,
            filters.get("mask", 0),
            filters.get("open_now", False),
            filters.get("only_24h", False),
            filters.get("now"),
        ):
            hits.append((d, e.id))
    hits.sort()
    return hits[:limit]


def amap_url(s: Station) -> str:
    from urllib.parse import quote

    return (
        f"https://uri.amap.com/navigation?to={s.gcj_lng:.6f},{s.gcj_lat:.6f},{quote(s.name)}"
        "&mode=walk&coordinate=gaode&callnative=1&src=gonghui"
    )


def baidu_url(s: Station) -> str:
    from urllib.parse import quote

    return (
        f"https://api.map.baidu.com/marker?location={s.gcj_lat:.6f},{s.gcj_lng:.6f}&title={quote(s.name)}"
        f"&content={quote(s.address)}&coord_type=gcj02&output=html&src=gonghui"
    )
