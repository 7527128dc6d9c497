from django.urls import path

from ..views import bench

app_name = "drivers_bench"
urlpatterns = [path("", bench.overview, name="overview")]
