"""服务站点 worker pages (phone): the map and nearby list, a station's page, scan, occupation, feedback."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.core.glossary import OCCUPATIONS
from gonghui.orgs.scope import in_scope

from .. import selectors, services
from ..hours import format_hours
from ..models import AMENITIES, Station


def _nearby_context(request) -> dict:
    params = request.GET
    ctx: dict = {"searched": False, "results": [], "error": None}
    lat, lng, coord = params.get("lat", ""), params.get("lng", ""), params.get("coord", "gcj02")
    district = params.get("district", "")
    if district and not (lat and lng):
        match = next((d for d in selectors.districts() if d["district"] == district), None)
        if match is None:
            ctx["error"] = DomainError("请选择列表中的区县", field="district", code="invalid_choice")
            return ctx
        lat, lng, coord = match["lat"], match["lng"], "gcj02"
    if not (lat and lng):
        return ctx
    amenity = ",".join(a for a in params.getlist("amenity") if a)
    try:
        query = selectors.nearby_query(
            lat=lat,
            lng=lng,
            radius_m=params.get("radius_m") or 3000,
            limit=params.get("limit") or 20,
            amenity=amenity,
            open_now=params.get("open_now") == "1",
            only_24h=params.get("is_24h") == "1",
            coord=coord,
        )
    except DomainError as exc:
        ctx["error"] = exc
        return ctx
    ctx.update(
        searched=True,
        results=selectors.nearby(query),
        center=(query.lat, query.lng),
        radius_m=int(query.radius_m),
    )
    return ctx


def map_page(request):
    ctx = _nearby_context(request)
    ctx.update(
        tab="stations",
        districts=selectors.districts(),
        filters=request.GET,
        amenity_filter=request.GET.getlist("amenity"),
        tiles=selectors.tile_layer(),
    )
    return render(request, "stations/map.html", ctx)


def nearby_list(request):
    """htmx partial: the result list, re-rendered when the filters or the location change."""
    return render(request, "stations/_nearby_list.html", _nearby_context(request))


def join_url(station: Station) -> str:
    """先服务后入会: the join form remembers the station (members records channel and station)."""
    return f"{reverse('members:join')}?{urlencode({'channel': 'station_qr', 'station': station.code})}"


def station_page(request, code):
    station = selectors.station_public(code=code)
    visit_id = request.session.get("station_visits", {}).get(station.code)
    return render(
        request,
        "stations/station.html",
        {
            "station": station,
            "status": selectors.station_status(station),
            "hours_text": format_hours(station.hours, station.is_24h),
            "tab": "stations",
            "welcome": request.GET.get("welcome") == "1",
            "join_url": join_url(station),
            "ask_occupation": bool(visit_id) and request.GET.get("welcome") == "1",
            "occupations": OCCUPATIONS,
            "amap_url": selectors.amap_url(station),
            "baidu_url": selectors.baidu_url(station),
            "open_issues": selectors.open_issue_count(station),
            "may_feedback": request.user.is_authenticated
            and in_scope(request.user, station.org, services.OBSERVER_ROLES),
        },
    )


def station_scan(request, code):
    """The QR poster's target: count the visit once per browser and day, then welcome the visitor."""
    station = selectors.station_public(code=code)
    today = timezone.localdate().isoformat()
    seen = request.session.get("station_visits", {})
    if request.session.get("station_visits_day") != today:
        seen = {}
    if station.code not in seen:
        visit = services.visit_record(station=station, actor=request.user)
        seen[station.code] = visit.pk
        request.session["station_visits"] = seen
        request.session["station_visits_day"] = today
    return redirect(f"{reverse('stations:page', args=[station.code])}?welcome=1")


@require_POST
def station_occupation(request, code):
    station = selectors.station_public(code=code)
    visit_id = request.session.get("station_visits", {}).get(station.code)
    if visit_id:
        # An optional question: an empty answer is simply not recorded.
        with contextlib.suppress(DomainError):
            services.visit_set_occupation(
                visit_id=visit_id, station=station, occupation=request.POST.get("occupation", "")
            )
    return redirect(reverse("stations:page", args=[station.code]))


@login_required
@require_http_methods(["GET", "POST"])
def station_feedback(request, code):
    station = selectors.station_public(code=code)
    if not in_scope(request.user, station.org, services.OBSERVER_ROLES):
        raise NotFound()
    error, data = None, {}
    if request.method == "POST":
        data = request.POST
        ratings = {c: request.POST.get(f"rating_{c}") for c in station.amenities}
        try:
            services.feedback_submit(
                actor=request.user,
                station=station,
                ratings=ratings,
                problem=request.POST.get("problem", ""),
                photo=request.FILES.get("photo"),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "反馈已提交，谢谢")
            return render(request, "stations/feedback_done.html", {"station": station, "tab": "stations"})
    amenity_labels = dict(AMENITIES)
    return render(
        request,
        "stations/feedback.html",
        {
            "station": station,
            "form_errors": FormErrors.from_exc(error) if error else None,
            "data": data,
            "tab": "stations",
            "rate_items": [(c, amenity_labels[c], data.get(f"rating_{c}", "")) for c in station.amenities],
        },
        status=FORM_ERROR_STATUS if error else 200,
    )
