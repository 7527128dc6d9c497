from django.urls import path

from ..views import bench

app_name = "site_bench"
urlpatterns = [
    path("", bench.workbench_home, name="home"),
    path("inbox/", bench.workbench_inbox, name="inbox"),
    path("audit/", bench.audit_log, name="audit"),
    path("calendar/", bench.calendar, name="calendar"),
]
