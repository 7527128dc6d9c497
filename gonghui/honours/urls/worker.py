from django.urls import path

from ..views import worker

app_name = "honours"
urlpatterns = [
    path("", worker.mine, name="mine"),
    path("selections/<int:selection_id>/nominate/", worker.nominate_self, name="nominate"),
    path("problems/", worker.problems, name="problems"),
]
