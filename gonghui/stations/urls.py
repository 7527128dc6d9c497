import functools

from django.http import Http404
from django.urls import path

from gonghui.core.errors import NotFound

from . import views


def _page(view):
    """Pages answer an out-of-scope or missing record with the site's 404 page, like the API does."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


app_name = "stations"
urlpatterns = [
    path("stations/", _page(views.map_page), name="map"),
    path("stations/list/", _page(views.nearby_list), name="nearby_list"),
    path("stations/s/<str:code>/", _page(views.station_page), name="page"),
    path("stations/s/<str:code>/occupation/", _page(views.station_occupation), name="occupation"),
    path("stations/s/<str:code>/feedback/", _page(views.station_feedback), name="feedback"),
    path("stations/scan/<str:code>/", _page(views.station_scan), name="scan"),
    path("workbench/stations/", _page(views.bench_list), name="bench_list"),
    path("workbench/stations/new/", _page(views.bench_new), name="bench_new"),
    path("workbench/stations/coverage/", _page(views.bench_coverage), name="bench_coverage"),
    path("workbench/stations/import/", _page(views.bench_import), name="bench_import"),
    path("workbench/stations/export.xlsx", _page(views.bench_export), name="bench_export"),
    path(
        "workbench/stations/feedback/<int:feedback_id>/resolve/",
        _page(views.bench_feedback_resolve),
        name="bench_feedback_resolve",
    ),
    path("workbench/stations/<int:station_id>/", _page(views.bench_detail), name="bench_detail"),
    path("workbench/stations/<int:station_id>/edit/", _page(views.bench_edit), name="bench_edit"),
    path(
        "workbench/stations/<int:station_id>/closures/",
        _page(views.bench_closure_add),
        name="bench_closure_add",
    ),
    path(
        "workbench/stations/<int:station_id>/closures/<int:closure_id>/delete/",
        _page(views.bench_closure_remove),
        name="bench_closure_remove",
    ),
    path("workbench/stations/<int:station_id>/poster/", _page(views.bench_poster), name="bench_poster"),
    path(
        "workbench/stations/<int:station_id>/qr.svg", _page(views.bench_poster_svg), name="bench_poster_svg"
    ),
]
