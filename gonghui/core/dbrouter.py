"""Reads that tolerate lag go to the streaming replica; everything else — and everything a client reads
after its own write — goes to the primary.

- Only requests for a view named in settings.GONGHUI_LAG_TOLERANT_VIEWS ("namespace:name": dashboards,
  reports, exports, registry lists), or code inside `with lag_tolerant():`, may read from the replica.
  Nothing that decides (a sale, an approval, a payment) ever reads there: services run outside those views.
- "Read your own writes": a request that writes reads the primary from its first write on; a POST, PUT,
  PATCH or DELETE (or code that calls pin_to_primary()) also sets a short cookie, so the client's next
  requests — on any app server — read the primary until the replica has surely caught up
  (GONGHUI_REPLICA_PIN_SECONDS). Book-keeping writes of a GET (the session's expiry, a token's last use)
  pin only their own request.
- Inside a transaction on the primary every read stays there.
- Without a "replica" database (SQLite, the tests, a single server) every answer is "default".
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "gh_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_pinned: ContextVar[bool] = ContextVar("gonghui_db_pinned", default=False)
_lag_tolerant: ContextVar[bool] = ContextVar("gonghui_db_lag_tolerant", default=False)
_pin_next: ContextVar[bool] = ContextVar("gonghui_db_pin_next", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_to_primary() -> None:
    """From now until the end of this request (and, through the cookie, a few seconds after) read the
    primary."""
    _pinned.set(True)
    _pin_next.set(True)


def is_pinned() -> bool:
    return _pinned.get()


class lag_tolerant(ContextDecorator):
    """`with lag_tolerant():` / `@lag_tolerant()`: reads inside may come from the replica."""

    def __enter__(self):
        self._token = _lag_tolerant.set(True)
        return self

    def __exit__(self, *exc):
        _lag_tolerant.reset(self._token)
        return False


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured() or not _lag_tolerant.get() or _pinned.get():
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects read from either may point at each other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Migrations run once, on the primary; the replica receives them by streaming replication.
        return db != REPLICA


def lag_tolerant_view(resolver_match) -> bool:
    if resolver_match is None:
        return False
    names = getattr(settings, "GONGHUI_LAG_TOLERANT_VIEWS", ())
    return resolver_match.view_name in names


class ReplicaRoutingMiddleware:
    """Sets the two flags for the request and carries the pin to the client's next requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unsafe = request.method not in SAFE_METHODS
        pin_token = _pinned.set(unsafe or request.COOKIES.get(PIN_COOKIE) == "1")
        next_token = _pin_next.set(unsafe)
        lag_token = _lag_tolerant.set(False)
        try:
            response = self.get_response(request)
            pin_next = _pin_next.get()
        finally:
            _pinned.reset(pin_token)
            _pin_next.reset(next_token)
            _lag_tolerant.reset(lag_token)
        if pin_next and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=getattr(settings, "GONGHUI_REPLICA_PIN_SECONDS", 10),
                httponly=True,
                samesite="Lax",
                secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS and lag_tolerant_view(request.resolver_match):
            _lag_tolerant.set(True)
        return None
