from django.urls import path

from ..views import bench

app_name = "proposals_bench"
urlpatterns = [
    path("", bench.proposal_list, name="list"),
    path("rewards/", bench.ledger, name="ledger"),
    path("rewards/export.xlsx", bench.ledger_export, name="ledger_export"),
    path("report/", bench.report, name="report"),
    path("trainers/", bench.trainers, name="trainers"),
    path("settings/", bench.settings_page, name="settings"),
    path("<int:proposal_id>/", bench.detail, name="detail"),
    path("<int:proposal_id>/<str:which>/", bench.photo, name="photo"),
]
