"""Coordinates in China: GCJ-02 (高德/腾讯), WGS-84 (GPS) and BD-09 (百度), plus distances.

GCJ-02 is WGS-84 shifted by the published Krasovsky-ellipsoid formula; its inverse has no closed
form, so WGS-84 ← GCJ-02 iterates the forward transform until it agrees to better than 1e-7°
(about 1 cm). Outside mainland China the offset is not applied, exactly as the map apps do.
"""

from __future__ import annotations

import math

from .errors import DomainError

# Krasovsky 1940, the ellipsoid the GCJ-02 formula was published with.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG): the right one for haversine

# The box the published implementations use: the offset is applied inside it and nowhere else, so
# conversions agree with 高德/腾讯 data everywhere. Chinese latitudes never exceed 56 and longitudes
# never fall below 72, which is what lets a swapped pair be recognised.
CHINA_LAT = (0.8293, 55.8271)
CHINA_LNG = (72.004, 137.8347)

COORD_SYSTEMS = {"gcj02": "GCJ-02（高德/腾讯）", "wgs84": "WGS-84（GPS）", "bd09": "BD-09（百度）"}


def in_china(lat: float, lng: float) -> bool:
    """Inside the area where GCJ-02 applies."""
    return CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1]


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lat: float, lng: float) -> tuple[float, float]:
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if not in_china(lat, lng):
        return lat, lng
    dlat, dlng = _offset(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float, *, tolerance: float = 1e-7) -> tuple[float, float]:
    """Fixed-point iteration: converges in 2–4 steps because the offset varies slowly (~1e-5 per degree)."""
    if not in_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        dlat, dlng = glat - lat, glng - lng
        wlat, wlng = wlat - dlat, wlng - dlng
        if abs(dlat) < tolerance and abs(dlng) < tolerance:
            break
    return wlat, wlng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_gcj02(lat: float, lng: float, coord: str) -> tuple[float, float]:
    if coord == "gcj02":
        return lat, lng
    if coord == "wgs84":
        return wgs84_to_gcj02(lat, lng)
    if coord == "bd09":
        return bd09_to_gcj02(lat, lng)
    raise DomainError("坐标系只能是 gcj02、wgs84 或 bd09", code="bad_coord", field="coord")


def from_gcj02(lat: float, lng: float, coord: str) -> tuple[float, float]:
    if coord == "gcj02":
        return lat, lng
    if coord == "wgs84":
        return gcj02_to_wgs84(lat, lng)
    if coord == "bd09":
        return gcj02_to_bd09(lat, lng)
    raise DomainError("坐标系只能是 gcj02、wgs84 或 bd09", code="bad_coord", field="coord")


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def check_china_point(lat, lng, *, lat_field: str = "lat", lng_field: str = "lng") -> tuple[float, float]:
    """Parse and check a point someone typed or picked: a number, in range, not swapped, in China.

    Swapped coordinates are the commonest mistake (高德 shows "lng,lat", 百度 "lat,lng"); since every
    Chinese latitude is below 54 and every longitude above 73, a swap is recognisable and named."""
    lat = _number(lat, lat_field, "纬度")
    lng = _number(lng, lng_field, "经度")
    if not -90 <= lat <= 90:
        if in_china(lng, lat):
            raise DomainError(
                f"纬度 {lat} 像是经度：纬度和经度可能填反了，请对调后再提交",
                code="coords_swapped",
                field=lat_field,
            )
        raise DomainError("纬度应在 -90 到 90 之间", code="bad_lat", field=lat_field)
    if not -180 <= lng <= 180:
        raise DomainError("经度应在 -180 到 180 之间", code="bad_lng", field=lng_field)
    if not in_china(lat, lng):
        if in_china(lng, lat):
            raise DomainError(
                f"纬度 {lat}、经度 {lng} 可能填反了：中国境内纬度约 1–56，经度约 72–138，请对调后再提交",
                code="coords_swapped",
                field=lat_field,
            )
        field, label = (lat_field, "纬度") if not CHINA_LAT[0] <= lat <= CHINA_LAT[1] else (lng_field, "经度")
        raise DomainError(
            f"坐标（纬度 {lat}，经度 {lng}）不在中国大陆范围内，请检查{label}",
            code="outside_china",
            field=field,
        )
    return lat, lng


def _number(value, field: str, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为数字，例如 33.3479", code="bad_number", field=field) from None
    if math.isnan(number) or math.isinf(number):
        raise DomainError(f"{label}应为数字，例如 33.3479", code="bad_number", field=field)
    return number


# --- nearest search: one for every model with a point (stations, reading rooms, …) ----------------


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lng_min, lng_max) holding every point within radius_m of (lat, lng).

    Longitude degrees shrink towards the poles: the box is sized at its most polar edge, so it is
    never too narrow. The box is the cheap first cut (an index range); the exact test follows."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 1e-6)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def nearest(points, lat: float, lng: float, *, radius_m: float, limit: int) -> list[tuple[float, object]]:
    """[(distance_m, id)] of the points (id, lat, lng) within radius_m, nearest first (ties by id)."""
    hits = []
    for pid, plat, plng in points:
        d = haversine_m(lat, lng, plat, plng)
        if d <= radius_m:
            hits.append((d, pid))
    hits.sort()
    return hits[:limit]


def nearest_in(
    queryset, *, lat: float, lng: float, radius_m: float, limit: int, lat_field="gcj_lat", lng_field="gcj_lng"
) -> list[tuple[float, object]]:
    """The database search: the bounding box on the (lat, lng) index, then the exact distance."""
    lat_min, lat_max, lng_min, lng_max = bounding_box(lat, lng, radius_m)
    rows = queryset.filter(
        **{
            f"{lat_field}__gte": lat_min,
            f"{lat_field}__lte": lat_max,
            f"{lng_field}__gte": lng_min,
            f"{lng_field}__lte": lng_max,
        }
    ).values_list("pk", lat_field, lng_field)
    return nearest(rows, lat, lng, radius_m=radius_m, limit=limit)
