from django.urls import path

from ..views import worker

app_name = "honours"
urlpatterns = [path("", worker.mine, name="mine")]
