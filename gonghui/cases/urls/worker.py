from django.urls import path

from ..views import worker

app_name = "cases"
urlpatterns = [
    path("", worker.my_cases, name="mine"),
    path("new/", worker.file_case, name="new"),
    path("<int:case_id>/", worker.case_detail, name="detail"),
    path("<int:case_id>/files/<int:attachment_id>/", worker.worker_attachment, name="attachment"),
]
