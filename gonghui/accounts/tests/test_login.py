import datetime as dt

import pytest
from django.utils import timezone

from gonghui.accounts.models import ApiToken, LoginCode, User
from gonghui.accounts.services import login_code_consume
from gonghui.core.models import AuditEvent
from gonghui.testing.factories import PASSWORD, make_user

PHONE = "13912345678"


def ask_code(api, phone=PHONE):
    response = api().post("auth/code", {"phone": phone})
    assert response.status_code == 200, response.content
    return response.json()["demo_code"]


# --- one-time codes ------------------------------------------------------------------------


def test_api_code_login_creates_the_worker_account_and_returns_a_token(db, api):
    code = ask_code(api)
    assert len(code) == 6 and code.isdigit()
    response = api().post("auth/login", {"phone": PHONE, "code": code})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 12 * 3600
    me = api().client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"}).json()
    assert me["phone_masked"] == "139****5678"
    assert me["is_union_staff"] is False
    assert User.objects.get_by_phone(PHONE).pk == me["id"]
    assert list(
        AuditEvent.objects.filter(actor_id=me["id"]).values_list("action", flat=True).order_by("id")
    ) == [
        "user.register",
        "auth.token_issue",
    ]


def test_a_code_works_only_once(db, api):
    code = ask_code(api)
    assert api().post("auth/login", {"phone": PHONE, "code": code}).status_code == 200
    again = api().post("auth/login", {"phone": PHONE, "code": code})
    assert again.status_code == 401
    assert again.json()["message"] == "手机号或密码/验证码不正确"


def test_an_expired_code_is_refused(db, api):
    code = ask_code(api)
    LoginCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api().post("auth/login", {"phone": PHONE, "code": code}).status_code == 401


def test_a_code_for_another_phone_is_refused(db, api):
    code = ask_code(api)
    assert api().post("auth/login", {"phone": "13712345678", "code": code}).status_code == 401


def test_five_wrong_guesses_burn_the_code(db, api):
    code = ask_code(api)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert not login_code_consume(phone=PHONE, code=wrong)
    assert not login_code_consume(phone=PHONE, code=code)


def test_resend_is_throttled_for_a_minute(db, api):
    ask_code(api)
    response = api().post("auth/code", {"phone": PHONE})
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": "验证码已发送，请 60 秒后再试",
        "field": "phone",
    }
    LoginCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    assert api().post("auth/code", {"phone": PHONE}).status_code == 200


def test_outside_the_demo_the_code_goes_by_sms_after_commit(
    db, api, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.GONGHUI_SHOW_LOGIN_CODE = False
    with django_capture_on_commit_callbacks(execute=True):
        response = api().post("auth/code", {"phone": PHONE})
    assert response.json() == {"sent": True, "demo_code": None}
    [(phone, text)] = sms_outbox
    assert phone == "+86" + PHONE
    assert "登录验证码" in text
    code = text.split("验证码是 ")[1][:6]
    assert api().post("auth/login", {"phone": PHONE, "code": code}).status_code == 200


def test_only_a_hash_of_the_code_is_stored(db, api):
    code = ask_code(api)
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash
    assert PHONE not in stored.phone_index


def test_page_code_login(db, client):
    hint = client.post("/accounts/login/code/", {"phone": PHONE})
    assert "演示环境不发短信" in hint.content.decode()
    code = LoginCode.objects.get()
    raw = hint.content.decode().split('class="demo-code">')[1][:6]
    assert code.code_hash
    response = client.post("/accounts/login/", {"mode": "code", "phone": PHONE, "code": raw, "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


def test_page_resend_throttle_shows_the_message(db, client):
    client.post("/accounts/login/code/", {"phone": PHONE})
    again = client.post("/accounts/login/code/", {"phone": PHONE})
    assert "验证码已发送，请 60 秒后再试" in again.content.decode()


def test_page_bad_phone_for_code(db, client):
    page = client.post("/accounts/login/code/", {"phone": "12345"})
    assert "手机号应为11位数字" in page.content.decode()


def test_page_wrong_code_says_so(db, client):
    client.post("/accounts/login/code/", {"phone": PHONE})
    page = client.post("/accounts/login/", {"mode": "code", "phone": PHONE, "code": "000000x"})
    assert page.status_code == 200
    assert "手机号或验证码不正确" in page.content.decode()


def test_login_never_redirects_off_site(db, client):
    make_user(phone=PHONE)
    response = client.post(
        "/accounts/login/",
        {"mode": "password", "phone": PHONE, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


# --- passwords ------------------------------------------------------------------------------


def test_password_login_page_and_api(db, client, api):
    make_user(phone=PHONE)
    assert (
        client.post(
            "/accounts/login/", {"mode": "password", "phone": PHONE, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert api().post("auth/login", {"phone": PHONE, "password": PASSWORD}).status_code == 200


def test_wrong_password(db, client, api):
    make_user(phone=PHONE)
    page = client.post("/accounts/login/", {"mode": "password", "phone": PHONE, "password": "nope"})
    assert "手机号或密码不正确" in page.content.decode()
    response = api().post("auth/login", {"phone": PHONE, "password": "nope"})
    assert response.status_code == 401 and response.json()["field"] == "password"


def test_login_needs_a_password_or_code(db, api):
    response = api().post("auth/login", {"phone": PHONE})
    assert response.status_code == 400
    assert response.json()["message"] == "请填写密码或验证码"


def test_disabled_account_cannot_sign_in(db, api):
    user = make_user(phone=PHONE)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api().post("auth/login", {"phone": PHONE, "password": PASSWORD}).status_code == 401


# --- lockout (django-axes) -----------------------------------------------------------------


def test_api_locks_the_phone_after_five_failures(db, api):
    make_user(phone=PHONE)
    for _ in range(4):
        assert api().post("auth/login", {"phone": PHONE, "password": "wrong"}).status_code == 401
    assert api().post("auth/login", {"phone": PHONE, "password": "wrong"}).status_code == 429
    # Locked: even the right password is refused now.
    locked = api().post("auth/login", {"phone": PHONE, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "locked_out",
        "message": "登录失败次数过多，账号已临时锁定，请30分钟后再试；本人可用验证码立即解锁。",
        "field": "phone",
    }


def test_lockout_is_per_phone_not_per_address(db, api):
    make_user(phone=PHONE)
    make_user(phone="13712345678")
    for _ in range(5):
        api().post("auth/login", {"phone": PHONE, "password": "wrong"})
    assert api().post("auth/login", {"phone": "13712345678", "password": PASSWORD}).status_code == 200


def test_page_shows_the_lockout_page(db, client):
    make_user(phone=PHONE)
    for _ in range(5):
        client.post("/accounts/login/", {"mode": "password", "phone": PHONE, "password": "wrong"})
    page = client.post("/accounts/login/", {"mode": "password", "phone": PHONE, "password": PASSWORD})
    assert page.status_code == 429
    assert "账号已临时锁定" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_axes_stores_no_phone_number(db, api):
    from axes.models import AccessAttempt

    make_user(phone=PHONE)
    api().post("auth/login", {"phone": PHONE, "password": "wrong"})
    attempt = AccessAttempt.objects.get()
    assert PHONE not in repr(attempt.__dict__)


# --- tokens ----------------------------------------------------------------------------------


def test_bearer_token_works_until_logout(db, api):
    make_user(phone=PHONE)
    token = api().post("auth/login", {"phone": PHONE, "password": PASSWORD}).json()["token"]
    client = api()
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("auth/me").status_code == 200
    assert client.post("auth/logout").json() == {"ok": True}
    assert client.get("auth/me").status_code == 401
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused(db, api):
    user = make_user()
    client = api(user)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("auth/me").status_code == 401


def test_only_a_hash_of_the_token_is_stored(db, api):
    make_user(phone=PHONE)
    token = api().post("auth/login", {"phone": PHONE, "password": PASSWORD}).json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()


# --- idle sessions ----------------------------------------------------------------------------


def test_sessions_expire_after_thirty_idle_minutes(db, client, settings):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(make_user())
    assert client.get("/me/").status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_request_renews_the_idle_timer(db, client):
    from django.contrib.sessions.models import Session

    client.force_login(make_user())
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get("/me/")
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(minutes=29)


@pytest.mark.parametrize("path", ["/me/", "/inbox/", "/workbench/"])
def test_signed_out_visitors_are_sent_to_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] and "login" in response["Location"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_sign_in_twice_at_once_makes_one_account():
    import threading

    from django.db import connection

    from gonghui.accounts.services import user_get_or_create_by_phone

    barrier = threading.Barrier(4)
    users, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            users.append(user_get_or_create_by_phone(phone=PHONE).pk)
        except Exception as exc:  # an IntegrityError here would be a 500 for the worker
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(set(users)) == 1 and User.objects.count() == 1
