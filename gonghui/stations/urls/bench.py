from django.urls import path

from ..views import bench, coverage

app_name = "stations_bench"
urlpatterns = [
    path("", bench.bench_list, name="list"),
    path("new/", bench.bench_new, name="new"),
    path("coverage/", coverage.bench_coverage, name="coverage"),
    path("import/", bench.bench_import, name="import"),
    path("export.xlsx", bench.bench_export, name="export"),
    path("feedback/<int:feedback_id>/resolve/", bench.bench_feedback_resolve, name="feedback_resolve"),
    path("<int:station_id>/", bench.bench_detail, name="detail"),
    path("<int:station_id>/edit/", bench.bench_edit, name="edit"),
    path("<int:station_id>/closures/", bench.bench_closure_add, name="closure_add"),
    path(
        "<int:station_id>/closures/<int:closure_id>/delete/",
        bench.bench_closure_remove,
        name="closure_remove",
    ),
    path("<int:station_id>/poster/", bench.bench_poster, name="poster"),
    path("<int:station_id>/qr.svg", bench.bench_poster_svg, name="poster_svg"),
]
