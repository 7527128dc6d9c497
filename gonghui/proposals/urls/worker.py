from django.urls import path

from ..views import worker

app_name = "proposals"
urlpatterns = [
    path("", worker.mine, name="mine"),
    path("new/", worker.capture, name="capture"),
    path("rewards/", worker.rewards, name="rewards"),
    path("library/", worker.library, name="library"),
    path("<int:proposal_id>/", worker.detail, name="detail"),
    path("<int:proposal_id>/photo/", worker.photo, name="photo"),
]
