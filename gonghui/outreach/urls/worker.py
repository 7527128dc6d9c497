from django.urls import path

from ..views import worker

app_name = "outreach"
urlpatterns = [path("", worker.mine, name="mine")]
