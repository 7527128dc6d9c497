"""The current request's client IP, so services can audit without every caller passing it."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the audit log records.

    X-Forwarded-For is written by the client as much as by the proxy, so only the hops our own
    proxies appended (GONGHUI_PROXY_COUNT, counted from the right) are trusted; without a proxy the
    header is ignored. Anything that is not an IP address is dropped rather than stored."""
    proxies = getattr(settings, "GONGHUI_PROXY_COUNT", 0)
    if proxies:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return _valid_ip(hops[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
