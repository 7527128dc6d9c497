"""The replica route: only lag-tolerant GETs read the replica; a client reads its own writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch, reverse

from gonghui.core import dbrouter
from gonghui.core.dbrouter import PIN_COOKIE, PrimaryReplicaRouter, ReplicaRoutingMiddleware
from gonghui.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]
router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(settings, monkeypatch):
    # As if settings.DATABASES had a "replica" (the router only asks whether it is configured).
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    # Outside a request a model write pins the rest of the thread to the primary; start each test clean.
    token = dbrouter._pinned.set(False)
    yield
    dbrouter._pinned.reset(token)
    settings.GONGHUI_LAG_TOLERANT_VIEWS = frozenset({"members_bench:list"})
    settings.GONGHUI_REPLICA_PIN_SECONDS = 10


def serve(request, view_name="members_bench:list", *, write=False):
    """Run one request through the middleware; the view reports where a read would go."""
    seen = {}

    def view(req):
        if write:
            router.db_for_write(AuditEvent)
        seen["db"] = router.db_for_read(AuditEvent)
        return HttpResponse("ok")

    middleware = ReplicaRoutingMiddleware(lambda req: view(req))
    request.resolver_match = ResolverMatch(
        view,
        (),
        {},
        url_name=view_name.split(":")[1],
        app_names=[view_name.split(":")[0]],
        namespaces=[view_name.split(":")[0]],
    )

    def get_response(req):
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware.get_response = get_response
    response = middleware(request)
    return seen["db"], response


def test_without_a_replica_every_read_goes_to_the_primary(settings):
    settings.GONGHUI_LAG_TOLERANT_VIEWS = frozenset({"members_bench:list"})
    db, response = serve(RequestFactory().get("/workbench/members/"))
    assert db == "default"
    assert PIN_COOKIE not in response.cookies


def test_a_lag_tolerant_list_reads_the_replica(with_replica):
    db, response = serve(RequestFactory().get("/workbench/members/"))
    assert db == "replica"
    assert PIN_COOKIE not in response.cookies


def test_a_view_not_listed_reads_the_primary(with_replica):
    db, _ = serve(RequestFactory().get("/x/"), "members_bench:detail")
    assert db == "default"


def test_a_post_reads_the_primary_and_pins_the_client_for_a_few_seconds(with_replica):
    db, response = serve(RequestFactory().post("/workbench/members/"), write=True)
    assert db == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 10 and cookie["httponly"]


def test_the_pinned_client_reads_its_own_write_on_the_next_request(with_replica):
    request = RequestFactory().get("/workbench/members/")
    request.COOKIES[PIN_COOKIE] = "1"
    db, response = serve(request)
    assert db == "default"
    assert PIN_COOKIE not in response.cookies  # the pin runs out on its own; a GET does not extend it


def test_a_write_during_a_get_pins_the_rest_of_that_request_only(with_replica):
    db, response = serve(RequestFactory().get("/workbench/members/"), write=True)
    assert db == "default"
    assert PIN_COOKIE not in response.cookies


def test_flags_do_not_leak_into_the_next_request_on_the_same_thread(with_replica):
    serve(RequestFactory().post("/workbench/members/"), write=True)
    db, _ = serve(RequestFactory().get("/workbench/members/"))
    assert db == "replica"
    assert not dbrouter.is_pinned()


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica):
    with dbrouter.lag_tolerant():
        assert router.db_for_read(AuditEvent) == "replica"
        with transaction.atomic():
            assert router.db_for_read(AuditEvent) == "default"


def test_code_outside_a_request_reads_the_primary_unless_it_asks(with_replica):
    assert router.db_for_read(AuditEvent) == "default"
    with dbrouter.lag_tolerant():
        assert router.db_for_read(AuditEvent) == "replica"
    assert router.db_for_read(AuditEvent) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "core") is True
    assert router.allow_migrate("replica", "core") is False


def test_every_lag_tolerant_view_name_exists():
    # A misspelt name would silently send that page to the primary forever.
    from django.urls import get_resolver

    names = set()

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                walk(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif p.name:
                names.add(prefix + p.name)

    walk(get_resolver())
    missing = set(django_settings.GONGHUI_LAG_TOLERANT_VIEWS) - names
    assert not missing, missing
    reverse("members_bench:list")


def settings_in_fresh_process(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DATABASE", "REDIS"))}
    clean.update(env, GONGHUI_VAR_DIR=env.get("GONGHUI_VAR_DIR", "/tmp/gonghui-settings-test"))
    code = (
        "import json; from config import settings as s; "
        "print(json.dumps({'db': s.DATABASES, 'caches': s.CACHES, 'session': s.SESSION_ENGINE, "
        "'media': str(s.MEDIA_ROOT), 'factory': getattr(s, 'DJANGO_REDIS_CONNECTION_FACTORY', None)}, default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cluster_settings_multi_host_pgbouncer_replica_and_sentinel(tmp_path):
    s = settings_in_fresh_process(
        DATABASE_URL="postgresql://app@10.0.0.1:6432,10.0.0.2:6433/gonghui?target_session_attrs=read-write",
        DATABASE_REPLICA_URL="postgresql://app@10.0.0.3:6432/gonghui_ro?target_session_attrs=prefer-standby",
        GONGHUI_PGBOUNCER="1",
        REDIS_URL="redis://gonghui/0",
        REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379",
        GONGHUI_SESSION_ENGINE="cache",
        GONGHUI_MEDIA_ROOT=str(tmp_path / "shared"),
        GONGHUI_VAR_DIR=str(tmp_path),
    )
    default, replica = s["db"]["default"], s["db"]["replica"]
    assert (default["HOST"], default["PORT"], default["NAME"]) == (
        "10.0.0.1,10.0.0.2",
        "6432,6433",
        "gonghui",
    )
    assert default["OPTIONS"]["target_session_attrs"] == "read-write"
    # Transaction pooling: no server-side cursors, no prepared statements.
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["OPTIONS"]["prepare_threshold"] is None
    assert replica["OPTIONS"]["target_session_attrs"] == "prefer-standby"
    assert replica["TEST"] == {"MIRROR": "default"}
    cache = s["caches"]["default"]
    assert cache["OPTIONS"]["CLIENT_CLASS"] == "django_redis.client.SentinelClient"
    assert cache["OPTIONS"]["SENTINELS"] == [["10.0.0.1", 26379], ["10.0.0.2", 26379], ["10.0.0.3", 26379]]
    assert s["factory"] == "django_redis.pool.SentinelConnectionFactory"
    assert s["session"] == "django.contrib.sessions.backends.cache"
    assert s["media"] == str(tmp_path / "shared")


def test_single_server_settings_are_unchanged(tmp_path):
    s = settings_in_fresh_process(
        DATABASE_URL="postgresql://app@db:5432/gonghui", GONGHUI_VAR_DIR=str(tmp_path)
    )
    default = s["db"]["default"]
    assert (default["HOST"], default["PORT"]) == ("db", 5432)
    assert "DISABLE_SERVER_SIDE_CURSORS" not in default or default["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert "replica" not in s["db"]
    assert s["session"] == "django.contrib.sessions.backends.db"
