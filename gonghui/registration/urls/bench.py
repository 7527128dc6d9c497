from django.urls import path

from ..views import bench

app_name = "registration_bench"
urlpatterns = [
    path("", bench.filing_list, name="list"),
    path("new/", bench.filing_new, name="new"),
    path("register/", bench.register, name="register"),
    path("register/export.xlsx", bench.register_export, name="register_export"),
    path("<int:filing_id>/", bench.filing_detail, name="detail"),
    path("certificates/<str:number>.pdf", bench.certificate_pdf, name="pdf"),
]
