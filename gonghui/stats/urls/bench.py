from django.urls import path

from ..views import bench

app_name = "stats_bench"
urlpatterns = [
    path("", bench.overview, name="overview"),
    path("export.xlsx", bench.export, name="export"),
    path("targets/", bench.target_new, name="target_new"),
    path("targets/<int:target_id>/delete/", bench.target_delete, name="target_delete"),
    path("denominators/", bench.denominator_new, name="denominator_new"),
    path("public/", bench.board, name="board"),
]
