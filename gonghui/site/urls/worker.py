from django.urls import path

from ..views import worker

app_name = "site"
urlpatterns = [
    path("", worker.home, name="home"),
    path("services/", worker.services_page, name="services"),
    path("me/", worker.me, name="me"),
    path("inbox/", worker.inbox, name="inbox"),
]
