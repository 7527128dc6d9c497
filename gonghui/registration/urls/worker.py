from django.urls import path

from ..views import worker

app_name = "registration"
urlpatterns = [
    path("verify/", worker.verify_form, name="verify_form"),
    path("verify/<str:number>/", worker.verify, name="verify"),
]
