from django.urls import path

from ..views import worker

app_name = "mutual_aid"
urlpatterns = [
    path("", worker.home, name="home"),
    path("quote/", worker.quote, name="quote"),
    path("claims/new/", worker.claim_new, name="claim_new"),
    path("claims/<int:claim_id>/", worker.claim_detail, name="claim"),
    path("claims/<int:claim_id>/photos/<int:photo_id>/", worker.claim_photo, name="photo"),
]
