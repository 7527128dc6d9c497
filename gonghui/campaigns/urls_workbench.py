from django.urls import path

from . import views

app_name = "campaign_bench"
urlpatterns = [
    path("", views.bench_list, name="list"),
    path("new/", views.bench_new, name="new"),
    path("redeem/", views.redeem_page, name="redeem"),
    path("<int:campaign_id>/", views.bench_detail, name="detail"),
    path("<int:campaign_id>/edit/", views.bench_edit, name="edit"),
    path("<int:campaign_id>/report.xlsx", views.bench_export, name="export"),
]
