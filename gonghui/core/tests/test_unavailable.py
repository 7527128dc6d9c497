"""A database or cache switching over is a 503 with Retry-After, never a 500."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from gonghui.core.errors import is_unavailable
from gonghui.core.middleware import DomainErrorMiddleware


class BrokenCursor:
    def __enter__(self):
        raise OperationalError("server closed the connection unexpectedly")

    def __exit__(self, *exc):
        return False


@pytest.mark.django_db
def test_api_answers_503_with_retry_after_while_the_database_switches(client, monkeypatch):
    from gonghui.core import api as core_api

    monkeypatch.setattr(core_api.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {
        "code": "unavailable",
        "message": "系统正在切换，请稍后重试（约 2 秒）",
        "field": None,
    }


def test_pages_answer_503_with_retry_after():
    middleware = DomainErrorMiddleware(lambda r: None)
    response = middleware.process_exception(RequestFactory().get("/workbench/"), OperationalError("gone"))
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert "系统正在切换" in response.content.decode()


def test_only_lost_connections_count_as_unavailable():
    from django.db import IntegrityError, InternalError, ProgrammingError
    from redis.exceptions import ConnectionError as RedisConnectionError

    class ReadOnly(Exception):
        sqlstate = "25006"

    read_only = InternalError("cannot execute INSERT in a read-only transaction")
    read_only.__cause__ = ReadOnly()
    assert is_unavailable(OperationalError()) and is_unavailable(read_only)
    assert is_unavailable(RedisConnectionError())
    assert not is_unavailable(IntegrityError()) and not is_unavailable(ProgrammingError())
    assert not is_unavailable(InternalError("other"))


@pytest.mark.django_db
def test_a_database_lost_inside_a_middleware_is_a_503_page_too(client, monkeypatch, settings):
    # The user is loaded by a middleware, before any view: Django's 500 handler sees the exception.
    settings.DEBUG = False
    from django.contrib.auth import middleware as auth_middleware

    def lost(request):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(auth_middleware, "get_user", lost)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert "系统正在切换" in response.content.decode()
