from django.urls import path

from ..views import worker

app_name = "stations"
urlpatterns = [
    path("", worker.map_page, name="map"),
    path("list/", worker.nearby_list, name="nearby_list"),
    path("s/<str:code>/", worker.station_page, name="page"),
    path("s/<str:code>/occupation/", worker.station_occupation, name="occupation"),
    path("s/<str:code>/feedback/", worker.station_feedback, name="feedback"),
    path("scan/<str:code>/", worker.station_scan, name="scan"),
]
