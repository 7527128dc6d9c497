from django.urls import path

from ..views import worker

app_name = "drivers"
urlpatterns = [
    path("", worker.home, name="home"),
    path("photo/<int:photo_id>/", worker.photo, name="photo"),
    path("do/<slug:action>/", worker.act, name="act"),
]
