from django.urls import path

from ..views import worker

app_name = "accounts"
urlpatterns = [
    path("login/", worker.worker_login, name="login"),
    path("login/code/", worker.send_code, name="send_code"),
    path("logout/", worker.logout_view, name="logout"),
    path("unlock/", worker.unlock, name="unlock"),
]
