from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.my_cases, name="mine"),
    path("cases/new/", views.file_case, name="new"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/files/<int:attachment_id>/", views.worker_attachment, name="attachment"),
    path("workbench/cases/", views.bench_inbox, name="bench_inbox"),
    path("workbench/cases/new/", views.bench_new, name="bench_new"),
    path("workbench/cases/stats/", views.bench_stats, name="bench_stats"),
    path("workbench/cases/stats.json", views.bench_stats_json, name="bench_stats_json"),
    path("workbench/cases/<int:case_id>/", views.bench_detail, name="bench_detail"),
    path(
        "workbench/cases/<int:case_id>/files/<int:attachment_id>/",
        views.bench_attachment,
        name="bench_attachment",
    ),
]
