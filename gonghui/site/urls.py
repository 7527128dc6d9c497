from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services_page, name="services"),
    path("me/", views.me, name="me"),
    path("inbox/", views.inbox, name="inbox"),
    path("workbench/", views.workbench_home, name="workbench"),
    path("workbench/inbox/", views.workbench_inbox, name="workbench_inbox"),
    path("workbench/audit/", views.audit_log, name="audit"),
    path("workbench/calendar/", views.calendar, name="calendar"),
]
