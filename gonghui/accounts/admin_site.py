"""Django admin behind the same second factor as the workbench.

With GONGHUI_STAFF_TOTP_REQUIRED the admin sign-in asks for the TOTP too and an unverified
session is sent back to it; without the switch (the demo) it is Django's plain admin."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class GonghuiAdminSite(OTPAdminSite):
    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.GONGHUI_STAFF_TOTP_REQUIRED else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.GONGHUI_STAFF_TOTP_REQUIRED else None

    def has_permission(self, request):
        if settings.GONGHUI_STAFF_TOTP_REQUIRED:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
