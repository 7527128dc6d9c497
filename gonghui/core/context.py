"""The current request's client IP, so services can audit without every caller passing it."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request) -> str | None:
    # Behind the reverse proxy (docs/deploy.md) the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()[:45]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
