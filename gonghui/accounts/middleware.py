from django.shortcuts import redirect
from django.urls import reverse

from .services import password_expired

EXEMPT_PREFIXES = ("/static/", "/api/", "/accounts/", "/admin/logout/")


class PasswordExpiryMiddleware:
    """With the 等保 switch on, a password older than the limit must be changed before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and password_expired(user)
        ):
            return redirect(reverse("accounts_bench:password_change") + "?expired=1")
        return self.get_response(request)
