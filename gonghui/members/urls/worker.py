"""The worker face of membership: join, follow the application, the e-card, one's own data;
and the public card verification page a guard or merchant opens by scanning."""

from django.urls import path

from ..views import worker

app_name = "members"
urlpatterns = [
    path("join/", worker.join, name="join"),
    path("join/regions/", worker.join_regions, name="join_regions"),
    path("join/employers/", worker.join_employers, name="join_employers"),
    path("join/<int:enrollment_id>/", worker.enrollment_status, name="enrollment"),
    path("me/realname/", worker.realname, name="realname"),
    path("card/", worker.my_card, name="card"),
    path("me/data/", worker.my_data, name="my_data"),
    path("me/data/download/", worker.my_data_download, name="my_data_download"),
    path("cards/verify/<str:signed>/", worker.card_verify_page, name="verify"),
]
