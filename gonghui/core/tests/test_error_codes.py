"""One ErrorOut, one enumerated list of codes: every DomainError raised in the code carries a code from
the list, every API operation declares its error statuses with ErrorOut, an anonymous write is a 401."""

import ast
import pathlib

import pytest

from gonghui.core.errors import ERROR_CODES, DomainError

ROOT = pathlib.Path(__file__).resolve().parents[2]
ERROR_CLASSES = {"DomainError", "NotFound", "Forbidden", "Unauthorized", "Conflict", "RateLimited"}


def _error_calls():
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ERROR_CLASSES:
                    yield path.relative_to(ROOT.parent), node, name


def test_every_domain_error_names_its_code():
    missing = [
        f"{path}:{node.lineno}"
        for path, node, name in _error_calls()
        if name == "DomainError" and not any(k.arg == "code" for k in node.keywords)
    ]
    assert not missing, f"DomainError without code=: {missing}"


def test_every_literal_code_is_enumerated():
    unknown = []
    for path, node, _name in _error_calls():
        for keyword in node.keywords:
            literal = keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
            if literal and keyword.value.value not in ERROR_CODES:
                unknown.append(f"{path}:{node.lineno} {keyword.value.value}")
    assert not unknown, f"codes missing from core.errors.ERROR_CODES: {unknown}"
    for cls in DomainError.__subclasses__():
        assert cls.code in ERROR_CODES, cls


def test_every_operation_declares_its_errors_with_error_out():
    from config.api import api

    schema = api.get_openapi_schema()
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in (400, 401, 403, 404, 409, 422, 429):
                response = operation["responses"].get(status) or operation["responses"].get(str(status))
                assert response, (method, path, status)
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, status)


@pytest.mark.django_db
def test_anonymous_write_is_401_not_403(personas):
    from django.test import Client

    # No session, no token, no CSRF token: "please sign in", not "forbidden".
    client = Client(enforce_csrf_checks=True)
    for path, body in (
        ("/api/v1/cases", "{}"),
        ("/api/v1/orgs", "{}"),
        ("/api/v1/auth/logout", "{}"),
        (f"/api/v1/stations/{1}/feedback/1/resolve", "{}"),
    ):
        response = client.post(path, body, content_type="application/json")
        assert response.status_code in (401, 404, 405), (path, response.status_code)
        if response.status_code != 404:
            assert response.status_code == 401, path
            assert response.json()["code"] == "unauthorized"


@pytest.mark.django_db
def test_signed_in_session_still_needs_csrf(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.worker)
    response = client.post("/api/v1/auth/logout", "{}", content_type="application/json")
    assert response.status_code == 403
