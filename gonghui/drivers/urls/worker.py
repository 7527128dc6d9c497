from django.urls import path

from ..views import worker

app_name = "drivers"
urlpatterns = [
    path("", worker.home, name="home"),
    path("do/<slug:action>/", worker.act, name="act"),
]
