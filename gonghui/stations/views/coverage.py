"""Workbench page: the 15-minute circle for a district, its gaps and where to build next."""

import re
import time

from django.conf import settings
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils import timezone

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import FormErrors
from gonghui.core.geo import check_china_point
from gonghui.orgs.decorators import workbench_view

from .. import selectors
from ..coverage import MAX_POINTS, coverage, grid_points
from ..hours import Schedule
from ..models import Station, StationClosure

MAX_UNCOVERED_ON_MAP = 4000


def parse_points(text: str) -> list[tuple[float, float, float]]:
    """Imported demand points, one per line: 'lat,lng' or 'lat,lng,weight' (GCJ-02)."""
    points = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[,，\s]+", line) if p]
        if len(parts) not in (2, 3):
            raise DomainError(f"第 {n} 行应为“纬度,经度”或“纬度,经度,权重”", code="bad_point", field="points")
        try:
            lat, lng = check_china_point(parts[0], parts[1], lat_field="points", lng_field="points")
            weight = float(parts[2]) if len(parts) == 3 else 1.0
        except DomainError as exc:
            raise DomainError(f"第 {n} 行：{exc.message}", code=exc.code, field="points") from None
        except ValueError:
            raise DomainError(f"第 {n} 行：权重应为数字", code="bad_weight", field="points") from None
        if weight <= 0:
            raise DomainError(f"第 {n} 行：权重应大于 0", code="bad_weight", field="points")
        points.append((lat, lng, weight))
        if len(points) > MAX_POINTS:
            raise DomainError(f"需求点不能超过 {MAX_POINTS} 个", code="too_many_points", field="points")
    return points


def _stations_near(south, west, north, east, pad_deg, at):
    qs = Station.objects.filter(
        status=Station.Status.ACTIVE,
        gcj_lat__gte=south - pad_deg,
        gcj_lat__lte=north + pad_deg,
        gcj_lng__gte=west - pad_deg * 1.3,
        gcj_lng__lte=east + pad_deg * 1.3,
    )
    rows = list(qs.values_list("id", "gcj_lat", "gcj_lng", "hours", "is_24h"))
    if at is None:
        return [(lat, lng) for _, lat, lng, _, _ in rows]
    closures: dict[int, list] = {}
    for sid, s, e in StationClosure.objects.filter(
        station_id__in=[r[0] for r in rows], end_date__gte=at.date()
    ).values_list("station_id", "start_date", "end_date"):
        closures.setdefault(sid, []).append((s, e))
    return [
        (lat, lng)
        for sid, lat, lng, hours, is_24h in rows
        if Schedule.compile(hours, is_24h, closures.get(sid, ())).is_open(at)
    ]


@workbench_view
def bench_coverage(request):
    scoped = selectors.stations_scoped(actor=request.user).filter(status=Station.Status.ACTIVE)
    district_names = list(
        scoped.exclude(district="").values_list("district", flat=True).distinct().order_by("district")
    )
    params = request.GET
    ctx = {
        "nav": "stations",
        "districts": district_names,
        "filters": params,
        "result": None,
        "error": None,
        "walk_speed": selectors.walk_speed(),
        "detour": selectors.walk_detour(),
    }
    district = params.get("district", "")
    if not district:
        return render(request, "stations/coverage.html", ctx)
    try:
        if district not in district_names:
            raise NotFound("未找到该区县的站点，或不在您的管辖范围内", field="district")
        minutes = _num(params.get("minutes") or settings.STATIONS_CIRCLE_MINUTES, "minutes", 1, 60)
        spacing = _num(params.get("spacing_m") or 200, "spacing_m", 50, 5000)
        k = int(_num(params.get("suggest") or 5, "suggest", 0, 50))
        at = None
        if params.get("at"):
            try:
                hh, mm = params["at"].split(":")
                at = timezone.localtime().replace(hour=int(hh), minute=int(mm), second=0, microsecond=0)
            except ValueError:
                raise DomainError("时刻格式应为 HH:MM", field="at", code="bad_time") from None
        radius = selectors.walk_radius_m(minutes)
        box = scoped.filter(district=district).aggregate(
            s=Min("gcj_lat"), n=Max("gcj_lat"), w=Min("gcj_lng"), e=Max("gcj_lng")
        )
        pad = radius / 111_195
        south, north, west, east = box["s"] - pad, box["n"] + pad, box["w"] - pad * 1.2, box["e"] + pad * 1.2
        started = time.perf_counter()
        points = (
            parse_points(params.get("points", ""))
            if params.get("points", "").strip()
            else grid_points(south, west, north, east, spacing)
        )
        if params.get("points", "").strip():
            south = min(p[0] for p in points)
            north = max(p[0] for p in points)
            west = min(p[1] for p in points)
            east = max(p[1] for p in points)
        stations = _stations_near(south, west, north, east, pad * 2, at)
        result = coverage(stations, points, radius, suggest=k)
        elapsed = time.perf_counter() - started
    except DomainError as exc:
        ctx["error"] = exc
        ctx["form_errors"] = FormErrors.from_exc(exc)
        return render(request, "stations/coverage.html", ctx, status=exc.status)
    ctx.update(
        result=result,
        radius=round(radius),
        minutes=minutes,
        elapsed_ms=round(elapsed * 1000),
        map_data={
            "bbox": [south, west, north, east],
            "radius": radius,
            "stations": [[round(a, 6), round(b, 6)] for a, b in stations],
            "uncovered": [[round(a, 6), round(b, 6)] for a, b, _ in result.uncovered[:MAX_UNCOVERED_ON_MAP]],
            "suggestions": [[s["lat"], s["lng"], s["rank"]] for s in result.suggestions],
        },
        tiles=selectors.tile_layer(),
    )
    return render(request, "stations/coverage.html", ctx)


def _num(value, field: str, lo: float, hi: float) -> float:
    labels = {"minutes": "步行分钟数", "spacing_m": "网格间距（米）", "suggest": "建议新站数"}
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(f"{labels[field]}应为数字", field=field, code="not_a_number") from None
    if not lo <= number <= hi:
        raise DomainError(f"{labels[field]}应在 {lo:g}–{hi:g} 之间", field=field, code="out_of_range")
    return number
