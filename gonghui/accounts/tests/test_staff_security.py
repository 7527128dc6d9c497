import datetime as dt

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.models import User
from gonghui.accounts.passwords import ComplexityValidator
from gonghui.accounts.services import user_set_password
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEvent
from gonghui.testing.factories import PASSWORD

STRICT_VALIDATORS = [
    {"NAME": "gonghui.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gonghui.accounts.passwords.ComplexityValidator"},
]


def token_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps):06d}"


@pytest.fixture
def totp_required(settings):
    settings.GONGHUI_STAFF_TOTP_REQUIRED = True
    return settings


@pytest.fixture
def device(personas):
    return TOTPDevice.objects.create(user=personas.county_staffer, name="工作台动态口令", confirmed=True)


def phone_of(user):
    return user.phone[3:]


def staff_login(client, user, otp=""):
    return client.post(
        "/accounts/staff-login/",
        {"phone": phone_of(user), "password": PASSWORD, "otp": otp, "next": "/workbench/orgs/"},
    )


# --- TOTP on the workbench -------------------------------------------------------------------


def test_staff_sign_in_with_password_and_totp(totp_required, personas, device, client):
    response = staff_login(client, personas.county_staffer, token_for(device))
    assert response.status_code == 302 and response["Location"] == "/workbench/orgs/"
    assert client.get("/workbench/orgs/").status_code == 200


def test_wrong_totp_is_refused(totp_required, personas, device, client):
    page = staff_login(
        client, personas.county_staffer, "000000" if token_for(device) != "000000" else "111111"
    )
    assert "动态口令不正确" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_missing_totp_is_refused(totp_required, personas, device, client):
    page = staff_login(client, personas.county_staffer)
    assert "动态口令不正确" in page.content.decode()


def test_first_sign_in_binds_an_authenticator_before_the_workbench(totp_required, personas, client):
    response = staff_login(client, personas.county_staffer)
    assert response["Location"] == "/accounts/totp/"
    # Half-way signed in: the workbench stays shut until the authenticator is bound.
    assert client.get("/workbench/orgs/")["Location"] == "/accounts/totp/"
    assert client.get(f"/workbench/orgs/{personas.tree.county.pk}/")["Location"] == "/accounts/totp/"
    setup = client.get("/accounts/totp/")
    assert "<svg" in setup.content.decode()
    pending = TOTPDevice.objects.get(user=personas.county_staffer, confirmed=False)
    done = client.post("/accounts/totp/", {"otp": token_for(pending)})
    assert done["Location"] == "/workbench/"
    assert client.get("/workbench/orgs/").status_code == 200
    event = AuditEvent.objects.get(action="auth.totp_bind")
    assert (event.actor, event.ip) == (personas.county_staffer, "127.0.0.1")


def test_binding_needs_a_correct_token(totp_required, personas, client):
    staff_login(client, personas.county_staffer)
    client.get("/accounts/totp/")
    wrong = client.post("/accounts/totp/", {"otp": "12345x"})
    assert "动态口令不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.county_staffer, confirmed=True).exists()


def test_half_signed_in_session_cannot_use_the_api(totp_required, personas, client):
    staff_login(client, personas.county_staffer)
    response = client.get("/api/v1/orgs")
    assert response.status_code == 401


def test_api_login_needs_the_totp_for_staff(totp_required, personas, device, api):
    phone = phone_of(personas.county_staffer)
    missing = api().post("auth/login", {"phone": phone, "password": PASSWORD})
    assert missing.status_code == 401
    assert missing.json() == {
        "code": "otp_required",
        "message": "请输入正确的动态口令（6位数字）",
        "field": "otp",
    }
    ok = api().post("auth/login", {"phone": phone, "password": PASSWORD, "otp": token_for(device)})
    assert ok.status_code == 200


def test_staff_without_authenticator_get_no_api_token_when_required(totp_required, personas, api):
    response = api().post("auth/login", {"phone": phone_of(personas.county_staffer), "password": PASSWORD})
    assert response.status_code == 401


def test_workers_need_no_totp(totp_required, personas, api):
    response = api().post("auth/login", {"phone": phone_of(personas.worker), "password": PASSWORD})
    assert response.status_code == 200


def test_demo_may_switch_totp_off(personas, client, settings):
    settings.GONGHUI_STAFF_TOTP_REQUIRED = False
    assert staff_login(client, personas.county_staffer).status_code == 302
    assert client.get("/workbench/").status_code == 200


def test_a_worker_is_told_to_use_the_worker_sign_in(personas, client):
    page = staff_login(client, personas.worker)
    assert "该账号不是工会干部账号" in page.content.decode()


def test_staff_lockout_page(personas, client):
    for _ in range(5):
        client.post("/accounts/staff-login/", {"phone": phone_of(personas.county_staffer), "password": "x"})
    page = staff_login(client, personas.county_staffer)
    assert page.status_code == 429
    assert "账号已临时锁定" in page.content.decode()


# --- password rules --------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["alllowercase1", "ALLUPPER123", "NoDigitsHere"])
def test_complexity_needs_three_kinds(password):
    with pytest.raises(Exception, match="至少三类"):
        ComplexityValidator().validate(password)


@pytest.mark.parametrize("password", ["Lvliang2026x", "lvliang#2026", "LVLIANG#2026"])
def test_complexity_accepts_three_kinds(password):
    ComplexityValidator().validate(password)


def test_strict_switch_rejects_a_weak_password_in_chinese(personas, settings):
    settings.AUTH_PASSWORD_VALIDATORS = STRICT_VALIDATORS
    with pytest.raises(DomainError) as info:
        user_set_password(user=personas.worker, password="lvliang2026")
    assert info.value.field == "password"
    assert "至少三类" in info.value.message
    personas.worker.refresh_from_db()
    assert personas.worker.check_password(PASSWORD)


def test_too_short_password_message_is_chinese(personas, settings):
    settings.AUTH_PASSWORD_VALIDATORS = STRICT_VALIDATORS
    with pytest.raises(DomainError) as info:
        user_set_password(user=personas.worker, password="Ab#1")
    assert info.value.message == "密码长度太短，至少需要 10 个字符"


def test_password_change_page_shows_the_rule(personas, client, settings):
    settings.AUTH_PASSWORD_VALIDATORS = STRICT_VALIDATORS
    client.force_login(personas.worker)
    page = client.post(
        "/accounts/password/", {"current": PASSWORD, "password": "lvliang2026", "password2": "lvliang2026"}
    )
    assert "至少三类" in page.content.decode()


@pytest.fixture
def expiry(settings):
    settings.GONGHUI_PASSWORD_MAX_AGE_DAYS = 90
    return settings


def test_expired_password_must_be_changed_first(expiry, personas, client):
    User.objects.filter(pk=personas.county_staffer.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91)
    )
    client.force_login(personas.county_staffer)
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/?expired=1"
    assert "密码已过期" in client.get(response["Location"]).content.decode()
    done = client.post(
        "/accounts/password/", {"current": PASSWORD, "password": "Lvliang#2027", "password2": "Lvliang#2027"}
    )
    assert done["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_recent_password_is_not_expired(expiry, personas, client):
    client.force_login(personas.county_staffer)
    assert client.get("/workbench/").status_code == 200


def test_expiry_is_off_without_the_switch(personas, client, settings):
    settings.GONGHUI_PASSWORD_MAX_AGE_DAYS = 0
    User.objects.filter(pk=personas.county_staffer.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=900)
    )
    client.force_login(personas.county_staffer)
    assert client.get("/workbench/").status_code == 200


def test_password_change_page_checks_the_current_password(personas, client):
    client.force_login(personas.worker)
    page = client.post(
        "/accounts/password/", {"current": "wrong", "password": "Lvliang#2027", "password2": "Lvliang#2027"}
    )
    assert "当前密码不正确" in page.content.decode()
    mismatch = client.post(
        "/accounts/password/", {"current": PASSWORD, "password": "Lvliang#2027", "password2": "Lvliang#2028"}
    )
    assert "两次输入的新密码不一致" in mismatch.content.decode()


def test_worker_sign_in_is_no_back_door_to_the_workbench(totp_required, personas, device, client):
    phone = phone_of(personas.county_staffer)
    hint = client.post("/accounts/login/code/", {"phone": phone}).content.decode()
    code = hint.split('class="demo-code">')[1][:6]
    assert client.post("/accounts/login/", {"mode": "code", "phone": phone, "code": code}).status_code == 302
    response = client.get("/workbench/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/staff-login/")
    assert client.get("/api/v1/members").status_code == 401
