from django.urls import path

from ..views import bench

app_name = "campaigns_bench"
urlpatterns = [
    path("", bench.bench_list, name="list"),
    path("new/", bench.bench_new, name="new"),
    path("redeem/", bench.redeem_page, name="redeem"),
    path("<int:campaign_id>/", bench.bench_detail, name="detail"),
    path("<int:campaign_id>/edit/", bench.bench_edit, name="edit"),
    path("<int:campaign_id>/report.xlsx", bench.bench_export, name="export"),
]
