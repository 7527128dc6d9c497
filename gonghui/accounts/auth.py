"""API authentication: `Authorization: Bearer <token>`, or the browser's session for pages."""

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from .otp import session_second_factor_ok
from .services import api_token_user
from .staff import is_staff_member


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class StaffVerifiedSession(SessionAuth):
    """Session auth that refuses a staffer's session still waiting for its TOTP.

    A request without a signed-in session is simply not authenticated (401), whatever its CSRF token:
    the CSRF check (403) is for a real session only, where it protects against a forged request."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and is_staff_member(user) and not session_second_factor_ok(user):
            return None
        return user


api_auth = [BearerToken(), StaffVerifiedSession()]
