from django.urls import path

from ..views import bench

app_name = "mutual_aid_bench"
urlpatterns = [
    path("", bench.claims, name="claims"),
    path("claims/<int:claim_id>/", bench.claim_detail, name="claim"),
    path("claims/<int:claim_id>/photos/<int:photo_id>/", bench.claim_photo, name="photo"),
    path("enrol/", bench.enrol, name="enrol"),
    path("enrol/template.xlsx", bench.enrol_template, name="enrol_template"),
    path("products/", bench.products, name="products"),
    path("report/", bench.report, name="report"),
]
