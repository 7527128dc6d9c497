from django.urls import path

from ..views import worker

app_name = "aid"
urlpatterns = [
    path("", worker.home, name="home"),
    path("self-test/", worker.self_test, name="self_test"),
    path("programmes/<int:programme_id>/apply/", worker.apply, name="apply"),
    path("applications/<int:application_id>/", worker.application, name="application"),
    path("applications/<int:application_id>/documents/<int:document_id>/", worker.document, name="document"),
    path("donations/<str:token>/", worker.donation, name="donation"),
]
