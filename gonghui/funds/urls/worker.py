from django.urls import path

from ..views import worker

app_name = "funds"

urlpatterns = [
    path("", worker.scheme_list, name="list"),
    path("schemes/<int:scheme_id>/", worker.scheme_detail, name="scheme"),
]
