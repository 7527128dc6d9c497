import contextlib
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.core.glossary import OCCUPATIONS
from gonghui.core.pagination import page_of
from gonghui.core.validators import display_phone
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope, scoped_orgs

from . import coverage_views, selectors, services, transfer
from .hours import format_hours
from .models import AMENITIES, Station, StationClosure
from .posters import poster_svg

# --- worker face ---------------------------------------------------------------------------


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
    return f"{reverse('membership:join')}?{urlencode({'channel': 'station_qr', 'station': station.code})}"


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
        visit = services.visit_record(station=station, user=request.user)
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


# --- workbench -----------------------------------------------------------------------------


@workbench_view
def bench_list(request):
    qs = selectors.station_list(
        actor=request.user,
        q=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        district=request.GET.get("district", ""),
        amenity=request.GET.get("amenity", ""),
    )
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return render(
        request,
        "stations/bench_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": Station.Status.choices,
            "amenities": AMENITIES,
            "nav": "stations",
            "total": qs.count(),
        },
    )


def _form_context(request, station=None, data=None, error=None) -> dict:
    orgs = scoped_orgs(request.user, services.EDIT_ROLES).order_by("path")[:500]
    if data is None and station is not None:
        data = {
            "org": station.org_id,
            "name": station.name,
            "code": station.code,
            "kind": station.kind,
            "district": station.district,
            "address": station.address,
            "lat": station.gcj_lat,
            "lng": station.gcj_lng,
            "coord": "gcj02",
            "service_phone": station.service_phone,
            "keeper_name": station.keeper_name,
            "keeper_phone": display_phone(station.keeper_phone),
            "hours_text": "" if station.is_24h else format_hours(station.hours, False),
            "is_24h": station.is_24h,
            "description": station.description,
            "status": station.status,
        }
        chosen = station.amenities
    else:
        chosen = data.getlist("amenities") if hasattr(data, "getlist") else (data or {}).get("amenities", [])
    return {
        "station": station,
        "data": data or {},
        "form_errors": FormErrors.from_exc(error) if error else None,
        "orgs": orgs,
        "kinds": Station.Kind.choices,
        "statuses": Station.Status.choices,
        "amenities": AMENITIES,
        "chosen": chosen,
        "nav": "stations",
    }


def _form_data(request) -> dict:
    data = {k: request.POST.get(k, "") for k in services.STATION_FIELDS}
    data["amenities"] = request.POST.getlist("amenities")
    data["is_24h"] = request.POST.get("is_24h") == "on"
    return data


@workbench_view
@require_http_methods(["GET", "POST"])
def bench_new(request):
    if request.method == "POST":
        try:
            org = services.org_for_write(actor=request.user, org_id=request.POST.get("org"))
            station = services.station_create(actor=request.user, org=org, data=_form_data(request))
        except DomainError as exc:
            return render(
                request,
                "stations/bench_form.html",
                _form_context(request, data=request.POST, error=exc),
                status=FORM_ERROR_STATUS,
            )
        messages.success(request, f"已新建站点 {station.name}")
        return redirect("stations:bench_detail", station.pk)
    return render(request, "stations/bench_form.html", _form_context(request, data={}))


@workbench_view
@require_http_methods(["GET", "POST"])
def bench_edit(request, station_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    if request.method == "POST":
        try:
            org = services.org_for_write(actor=request.user, org_id=request.POST.get("org"))
            services.station_update(actor=request.user, station=station, data=_form_data(request), org=org)
        except DomainError as exc:
            return render(
                request,
                "stations/bench_form.html",
                _form_context(request, station, data=request.POST, error=exc),
                status=FORM_ERROR_STATUS,
            )
        messages.success(request, "已保存")
        return redirect("stations:bench_detail", station.pk)
    return render(request, "stations/bench_form.html", _form_context(request, station))


@workbench_view
def bench_detail(request, station_id, closure_error=None, status=200):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    return render(
        request,
        "stations/bench_detail.html",
        {
            "station": station,
            "status": selectors.station_status(station),
            "hours_text": format_hours(station.hours, station.is_24h),
            "closures": station.closures.filter(end_date__gte=timezone.localdate() - dt.timedelta(days=30)),
            "closure_kinds": StationClosure.Kind.choices,
            "form_errors": FormErrors.from_exc(closure_error) if closure_error else None,
            "stats": selectors.visit_stats(station=station),
            "feedback": selectors.feedback_for(station=station)[:50],
            "open_issues": selectors.open_issue_count(station),
            "ratings": selectors.rating_summary(station),
            "may_edit": in_scope(request.user, station.org, services.EDIT_ROLES),
            "nav": "stations",
        },
        status=status,
    )


@workbench_view
@require_POST
def bench_closure_add(request, station_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    try:
        services.closure_add(
            actor=request.user,
            station=station,
            start=request.POST.get("start_date", ""),
            end=request.POST.get("end_date", ""),
            kind=request.POST.get("kind", "temporary"),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return bench_detail.__wrapped__(request, station_id, closure_error=exc, status=FORM_ERROR_STATUS)
    messages.success(request, "已登记闭站安排")
    return redirect("stations:bench_detail", station.pk)


@workbench_view
@require_POST
def bench_closure_remove(request, station_id, closure_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    services.closure_remove(actor=request.user, station=station, closure_id=closure_id)
    return redirect("stations:bench_detail", station.pk)


@workbench_view
@require_POST
def bench_feedback_resolve(request, feedback_id):
    fb = selectors.feedback_get(actor=request.user, feedback_id=feedback_id)
    try:
        services.feedback_resolve(
            actor=request.user, feedback=fb, resolution=request.POST.get("resolution", "")
        )
    except DomainError as exc:
        return bench_detail.__wrapped__(request, fb.station_id, closure_error=exc, status=FORM_ERROR_STATUS)
    messages.success(request, "已记录处理结果")
    return redirect("stations:bench_detail", fb.station_id)


@workbench_view
def bench_poster(request, station_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    scan_url = request.build_absolute_uri(reverse("stations:scan", args=[station.code]))
    return render(
        request,
        "stations/poster.html",
        {
            "station": station,
            "qr_svg": poster_svg(scan_url),
            "scan_url": scan_url,
            "paused": station.status == Station.Status.PAUSED,
            "hours_text": format_hours(station.hours, station.is_24h),
            "nav": "stations",
        },
    )


@workbench_view
def bench_poster_svg(request, station_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    scan_url = request.build_absolute_uri(reverse("stations:scan", args=[station.code]))
    response = HttpResponse(poster_svg(scan_url, standalone=True), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="station-{station.code}-qr.svg"'
    return response


bench_coverage = coverage_views.bench_coverage
bench_import = transfer.bench_import
bench_export = transfer.bench_export
