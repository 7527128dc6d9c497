"""服务站点 workbench pages: list, create/edit, closures, feedback, posters, coverage, import/export."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.core.pagination import page_of
from gonghui.core.validators import display_phone
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope, scoped_orgs

from .. import selectors, services, transfer
from ..hours import format_hours
from ..models import AMENITIES, Station, StationClosure
from ..posters import poster_svg


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
        return redirect("stations_bench:detail", station.pk)
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
        return redirect("stations_bench:detail", station.pk)
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
    return redirect("stations_bench:detail", station.pk)


@workbench_view
@require_POST
def bench_closure_remove(request, station_id, closure_id):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    services.closure_remove(actor=request.user, station=station, closure_id=closure_id)
    return redirect("stations_bench:detail", station.pk)


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
    return redirect("stations_bench:detail", fb.station_id)


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


bench_import = transfer.bench_import
bench_export = transfer.bench_export
