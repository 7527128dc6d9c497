from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.xlsx", views.member_export, name="export"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/action/", views.member_action, name="action"),
    path("<int:member_id>/reveal/", views.member_reveal, name="reveal"),
    path("enrollments/", views.enrollment_list, name="enrollments"),
    path("enrollments/batch/", views.enrollment_batch, name="enrollment_batch"),
    path("enrollments/<int:enrollment_id>/", views.enrollment_detail, name="enrollment"),
    path(
        "enrollments/<int:enrollment_id>/targets/", views.enrollment_reassign_targets, name="reassign_targets"
    ),
    path("transfers/", views.transfers, name="transfers"),
    path("dues/", views.dues, name="dues"),
    path("lapse/", views.lapse, name="lapse"),
    path("import/", views.member_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:batch_id>/errors.xlsx", views.import_errors, name="import_errors"),
]
