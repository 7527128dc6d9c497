from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.worker_login, name="login"),
    path("login/code/", views.send_code, name="send_code"),
    path("staff-login/", views.staff_login, name="staff_login"),
    path("logout/", views.logout_view, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
    path("password/", views.password_change, name="password_change"),
    path("totp/", views.totp_setup, name="totp_setup"),
]
