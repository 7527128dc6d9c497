from django.urls import path

from ..views import bench

app_name = "aid_bench"
urlpatterns = [
    path("", bench.home, name="home"),
    path("programmes/new/", bench.programme_new, name="programme_new"),
    path("programmes/<int:programme_id>/", bench.programme, name="programme"),
    path("programmes/<int:programme_id>/apply/", bench.application_new, name="application_new"),
    path("applications/<int:application_id>/", bench.application, name="application"),
    path("documents/<int:document_id>/", bench.document, name="document"),
    path("batches/<int:batch_id>/", bench.batch, name="batch"),
    path("batches/<int:batch_id>/xlsx/", bench.batch_xlsx, name="batch_xlsx"),
    path("files/", bench.files, name="files"),
    path("files/new/", bench.file_new, name="file_new"),
    path("files/<int:file_id>/", bench.file, name="file"),
    path("donations/", bench.donation_list, name="donations"),
    path("dibao/", bench.dibao, name="dibao"),
    path("reports/", bench.reports, name="reports"),
]
