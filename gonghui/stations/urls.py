from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("stations/", views.map_page, name="map"),
    path("stations/list/", views.nearby_list, name="nearby_list"),
    path("stations/s/<str:code>/", views.station_page, name="page"),
    path("stations/s/<str:code>/occupation/", views.station_occupation, name="occupation"),
    path("stations/s/<str:code>/feedback/", views.station_feedback, name="feedback"),
    path("stations/scan/<str:code>/", views.station_scan, name="scan"),
    path("workbench/stations/", views.bench_list, name="bench_list"),
    path("workbench/stations/new/", views.bench_new, name="bench_new"),
    path("workbench/stations/coverage/", views.bench_coverage, name="bench_coverage"),
    path("workbench/stations/import/", views.bench_import, name="bench_import"),
    path("workbench/stations/export.xlsx", views.bench_export, name="bench_export"),
    path(
        "workbench/stations/feedback/<int:feedback_id>/resolve/",
        views.bench_feedback_resolve,
        name="bench_feedback_resolve",
    ),
    path("workbench/stations/<int:station_id>/", views.bench_detail, name="bench_detail"),
    path("workbench/stations/<int:station_id>/edit/", views.bench_edit, name="bench_edit"),
    path(
        "workbench/stations/<int:station_id>/closures/",
        views.bench_closure_add,
        name="bench_closure_add",
    ),
    path(
        "workbench/stations/<int:station_id>/closures/<int:closure_id>/delete/",
        views.bench_closure_remove,
        name="bench_closure_remove",
    ),
    path("workbench/stations/<int:station_id>/poster/", views.bench_poster, name="bench_poster"),
    path("workbench/stations/<int:station_id>/qr.svg", views.bench_poster_svg, name="bench_poster_svg"),
]
