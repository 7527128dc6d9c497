"""The worker face of membership: join, follow the application, the e-card, one's own data;
and the public card verification page a guard or merchant opens by scanning."""

from django.urls import path

from . import views

app_name = "membership"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/regions/", views.join_regions, name="join_regions"),
    path("join/employers/", views.join_employers, name="join_employers"),
    path("join/<int:enrollment_id>/", views.enrollment_status, name="enrollment"),
    path("me/realname/", views.realname, name="realname"),
    path("card/", views.my_card, name="card"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("cards/verify/<str:signed>/", views.card_verify_page, name="verify"),
]
