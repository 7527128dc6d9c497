from django.urls import path

from ..views import bench

app_name = "members_bench"
urlpatterns = [
    path("", bench.member_list, name="list"),
    path("export.xlsx", bench.member_export, name="export"),
    path("<int:member_id>/", bench.member_detail, name="detail"),
    path("<int:member_id>/action/", bench.member_action, name="action"),
    path("<int:member_id>/reveal/", bench.member_reveal, name="reveal"),
    path("enrollments/", bench.enrollment_list, name="enrollments"),
    path("enrollments/batch/", bench.enrollment_batch, name="enrollment_batch"),
    path("enrollments/<int:enrollment_id>/", bench.enrollment_detail, name="enrollment"),
    path(
        "enrollments/<int:enrollment_id>/targets/", bench.enrollment_reassign_targets, name="reassign_targets"
    ),
    path("transfers/", bench.transfers, name="transfers"),
    path("dues/", bench.dues, name="dues"),
    path("lapse/", bench.lapse, name="lapse"),
    path("import/", bench.member_import, name="import"),
    path("import/template.xlsx", bench.import_template, name="import_template"),
    path("import/<int:batch_id>/errors.xlsx", bench.import_errors, name="import_errors"),
]
