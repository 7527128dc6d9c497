"""The Bearer token → user lookup is cached; revocation and deactivation take effect at once."""

import datetime as dt
import pickle

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gonghui.accounts.models import ApiToken
from gonghui.accounts.services import TOKEN_TOUCH_EVERY, api_token_issue, api_token_user, token_cache_key
from gonghui.testing.factories import make_user

PHONE = "13912345678"


def _bearer(api, user):
    raw = api_token_issue(user=user)
    client = api()
    client.headers["Authorization"] = f"Bearer {raw}"
    return client, raw


def test_a_cached_token_costs_no_query(db, api):
    client, raw = _bearer(api, make_user(phone=PHONE, name="李师傅"))
    assert client.get("auth/me").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert api_token_user(raw) is not None
    assert len(queries) == 0


def test_the_cache_holds_no_phone_number_or_password_hash(db, api):
    user = make_user(phone=PHONE, name="李师傅")
    client, raw = _bearer(api, user)
    assert client.get("auth/me").status_code == 200
    key = token_cache_key(ApiToken.objects.get().key_hash)
    blob = pickle.dumps(cache.get(key))
    assert PHONE.encode() not in blob and b"+86" not in blob
    assert user.password.encode() not in blob
    # The audit label still shows the masked number without reading the row again.
    cached_user = api_token_user(raw)
    with CaptureQueriesContext(connection) as queries:
        assert cached_user.phone_masked == user.phone_masked
    assert len(queries) == 0


def test_logout_ends_a_cached_token_at_once(db, api):
    client, _ = _bearer(api, make_user(phone=PHONE))
    assert client.get("auth/me").status_code == 200  # now cached
    assert client.post("auth/logout").json() == {"ok": True}
    assert client.get("auth/me").status_code == 401


def test_deactivating_the_user_ends_a_cached_token_at_once(db, api):
    user = make_user(phone=PHONE)
    client, _ = _bearer(api, user)
    assert client.get("auth/me").status_code == 200  # now cached
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("auth/me").status_code == 401


def test_deleting_the_token_row_ends_a_cached_token(db, api):
    client, _ = _bearer(api, make_user(phone=PHONE))
    assert client.get("auth/me").status_code == 200
    ApiToken.objects.get().delete()  # e.g. from the admin
    assert client.get("auth/me").status_code == 401


def test_a_cached_token_still_expires(db, api):
    client, _ = _bearer(api, make_user(phone=PHONE))
    assert client.get("auth/me").status_code == 200
    key = token_cache_key(ApiToken.objects.get().key_hash)
    token_id, _, last_used_at, user = cache.get(key)
    cache.set(key, (token_id, timezone.now() - dt.timedelta(seconds=1), last_used_at, user), 60)
    assert client.get("auth/me").status_code == 401


def test_last_used_is_written_at_most_every_few_minutes(db, api):
    client, raw = _bearer(api, make_user(phone=PHONE))
    assert client.get("auth/me").status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        api_token_user(raw)
    assert not any("UPDATE" in q["sql"] for q in queries)
    assert ApiToken.objects.get().last_used_at == first
    # Once the touch is older than the interval, the next call writes it again (and re-caches).
    key = token_cache_key(ApiToken.objects.get().key_hash)
    token_id, expires_at, _, user = cache.get(key)
    stale = timezone.now() - TOKEN_TOUCH_EVERY - dt.timedelta(seconds=1)
    cache.set(key, (token_id, expires_at, stale, user), 60)
    api_token_user(raw)
    assert ApiToken.objects.get().last_used_at > first


def test_warming_in_bulk_skips_expired_tokens_and_inactive_users(db):
    from gonghui.accounts.services import api_tokens_warm

    live = api_token_issue(user=make_user(phone=PHONE))
    other = make_user(phone="13912345679")
    gone = api_token_issue(user=other)
    ApiToken.objects.filter(user=other).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    ApiToken.objects.update(last_used_at=timezone.now())  # recently used, so no touch is due
    api_tokens_warm(ApiToken.objects.all())
    with CaptureQueriesContext(connection) as queries:
        assert api_token_user(live) is not None
    assert len(queries) == 0
    assert api_token_user(gone) is None


def test_a_token_is_in_the_cache_from_sign_in(db, django_capture_on_commit_callbacks):
    user = make_user(phone=PHONE, name="李师傅")
    with django_capture_on_commit_callbacks(execute=True):
        raw = api_token_issue(user=user)
    # The very first call after signing in (the grab, in a rush) asks nothing of the database.
    with CaptureQueriesContext(connection) as queries:
        assert api_token_user(raw) == user
    assert len(queries) == 0
    # Caching a copy left the caller's user whole.
    assert "phone" in user.__dict__ and user.phone == "+86" + PHONE
