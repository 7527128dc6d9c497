from django.urls import path

from ..views import bench

app_name = "honours_bench"
urlpatterns = [
    path("", bench.register, name="register"),
    path("selections/<int:selection_id>/", bench.selection, name="selection"),
]
