"""Authentication backends: phone + password, phone + one-time code.

django-axes stands in front of both (AUTHENTICATION_BACKENDS), counting failures per phone
number; it sees only the phone's blind index, so its tables hold no phone numbers."""

from axes.handlers.database import AxesDatabaseHandler
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import QueryDict

from gonghui.core.validators import normalize_mobile

from .models import User, phone_index


def axes_username(request, credentials) -> str | None:
    raw = (credentials or {}).get("phone") or (credentials or {}).get("username")
    if not raw:
        return None
    try:
        return phone_index(normalize_mobile(raw))[:32]
    except ValidationError:
        return "invalid-phone"


def _user_for_phone(phone) -> User | None:
    try:
        return User.objects.filter(phone_index=phone_index(normalize_mobile(phone))).first()
    except ValidationError:
        return None


class PhonePasswordBackend(ModelBackend):
    def authenticate(self, request, phone=None, password=None, username=None, **kwargs):
        phone = phone or username  # Django admin's login form posts "username"
        if not phone or not password:
            return None
        user = _user_for_phone(phone)
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class PhoneCodeBackend(ModelBackend):
    def authenticate(self, request, phone=None, code=None, **kwargs):
        if not phone or not code:
            return None
        from .services import login_code_consume, user_get_or_create_by_phone

        if not login_code_consume(phone=phone, code=code):
            return None
        user = user_get_or_create_by_phone(phone=phone)
        return user if self.user_can_authenticate(user) else None


class AxesHandler(AxesDatabaseHandler):
    """django-axes' database handler, minus the request bodies and query strings it would copy into
    axes_accessattempt.get_data/post_data: those carry phone numbers and codes. What stays is the
    phone's blind index (axes_username), the IP, the user agent, the path and the counts."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        kept = request.GET, request.POST
        request.GET = request.POST = QueryDict()
        try:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        finally:
            request.GET, request.POST = kept
