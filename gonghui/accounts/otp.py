"""Staff second factor: TOTP through django-otp. The demo may switch the requirement off."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def staff_otp_ok(user, token: str | None) -> bool:
    device = confirmed_device(user)
    if device is None:
        return not settings.GONGHUI_STAFF_TOTP_REQUIRED
    return bool(token) and device.verify_token(token.strip())


def session_second_factor_ok(user) -> bool:
    """A browser session may act as staff only once its TOTP was verified (when required).

    A staffer who has not bound an authenticator yet is signed in just far enough to bind one;
    without this check that half-way session would open the whole workbench."""
    if not settings.GONGHUI_STAFF_TOTP_REQUIRED:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
