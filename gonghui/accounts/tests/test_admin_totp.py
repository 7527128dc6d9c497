import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.testing.factories import PASSWORD, make_user


@pytest.fixture
def superuser(db):
    return make_user(phone="13612345678", name="系统管理员", is_staff=True, is_superuser=True)


def token_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_admin_needs_the_totp_when_required(superuser, client, settings):
    settings.GONGHUI_STAFF_TOTP_REQUIRED = True
    device = TOTPDevice.objects.create(user=superuser, name="动态口令", confirmed=True)
    refused = client.post("/admin/login/?next=/admin/", {"username": "13612345678", "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    ok = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "13612345678",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": token_for(device),
        },
    )
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_cannot_open_the_admin(superuser, client, settings):
    settings.GONGHUI_STAFF_TOTP_REQUIRED = True
    client.force_login(superuser)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_demo_admin_is_plain_django(superuser, client, settings):
    settings.GONGHUI_STAFF_TOTP_REQUIRED = False
    ok = client.post("/admin/login/?next=/admin/", {"username": "13612345678", "password": PASSWORD})
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200
