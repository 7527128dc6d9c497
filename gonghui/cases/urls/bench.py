from django.urls import path

from ..views import bench

app_name = "cases_bench"
urlpatterns = [
    path("", bench.bench_inbox, name="inbox"),
    path("new/", bench.bench_new, name="new"),
    path("stats/", bench.bench_stats, name="stats"),
    path("stats.json", bench.bench_stats_json, name="stats_json"),
    path("<int:case_id>/", bench.bench_detail, name="detail"),
    path("<int:case_id>/files/<int:attachment_id>/", bench.bench_attachment, name="attachment"),
]
