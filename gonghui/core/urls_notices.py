from django.urls import path

from . import views_notices

app_name = "notices"
urlpatterns = [
    path("", views_notices.notice_list, name="list"),
    path("<int:notice_id>/", views_notices.notice_detail, name="detail"),
]
