from django.urls import path

from ..views import bench

app_name = "funds_bench"

urlpatterns = [
    path("", bench.home, name="home"),
    path("schemes/new/", bench.scheme_new, name="scheme_new"),
    path("schemes/<int:scheme_id>/", bench.scheme_detail, name="scheme"),
    path("schemes/<int:scheme_id>/apply/", bench.scheme_apply, name="apply"),
    path("schemes/<int:scheme_id>/budget/", bench.budget_set, name="budget"),
    path("schemes/<int:scheme_id>/revise/", bench.scheme_revise, name="revise"),
    path("applications/", bench.application_list, name="applications"),
    path("applications/<int:application_id>/", bench.application_detail, name="application"),
    path("applications/<int:application_id>/review/", bench.application_review, name="review"),
    path("batches/", bench.batch_list, name="batches"),
    path("batches/<int:batch_id>/", bench.batch_detail, name="batch"),
    path("batches/<int:batch_id>/export/", bench.batch_export, name="batch_export"),
    path("ledger/", bench.ledger, name="ledger"),
    path("report/", bench.report, name="report"),
    path("contributions/", bench.contributions, name="contributions"),
]
