from django.urls import path

from ..views import bench

app_name = "accounts_bench"
urlpatterns = [
    path("staff-login/", bench.staff_login, name="staff_login"),
    path("password/", bench.password_change, name="password_change"),
    path("totp/", bench.totp_setup, name="totp_setup"),
]
