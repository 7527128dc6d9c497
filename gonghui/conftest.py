import os

import pytest

# Browser fixtures (browser, phone_page, desk_page): see gonghui/testing/browser.py.
from gonghui.testing.browser import browser, desk_page, phone_page  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told this thread is not actually serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Personas create a handful of accounts per test; PBKDF2 would make that the slowest part."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    from gonghui.core.sms import MemorySmsBackend

    settings.GONGHUI_SMS_BACKEND = "gonghui.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 at production strength costs ~0.3 s per user; personas alone create seven.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox


@pytest.fixture
def personas(db):
    from gonghui.testing.personas import build_personas

    return build_personas()


@pytest.fixture
def tree(personas):
    return personas.tree


@pytest.fixture
def api():
    """api(user) → an ApiClient authenticated as that user (or anonymous with no user)."""
    from gonghui.testing.api_client import ApiClient

    return ApiClient


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    from django.db import connection

    # Browser tests last (stable sort, after pytest-django's own ordering): the session-wide
    # Playwright loop then never shares the main thread with tests that call async_to_sync.
    items.sort(key=lambda item: "browser" in item.keywords)

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="需要 PostgreSQL：设置 DATABASE_URL=postgresql://… 后运行（make test 在 CI 中会设置）"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
