"""Sign-in pages for staff: password + TOTP, TOTP setup, password change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors, form_failed

from .. import services
from ..otp import confirmed_device, staff_otp_ok
from ..staff import is_staff_member
from ..totp import totp_begin, totp_confirm
from .worker import _ip_throttled, _next_url, locked_out


@require_http_methods(["GET", "POST"])
def staff_login(request):
    """Union staff: phone + password + TOTP (the demo can switch TOTP off)."""
    context = {
        "phone": request.POST.get("phone", ""),
        "next": _next_url(request, "/workbench/"),
        "totp_required": settings.GONGHUI_STAFF_TOTP_REQUIRED,
    }
    if request.method == "POST":
        if (throttled := _ip_throttled(request, "accounts/staff_login.html", context)) is not None:
            return throttled
        user = authenticate(
            request, phone=request.POST.get("phone", ""), password=request.POST.get("password", "")
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            services.login_ip_failed(request)
            context["error"] = "手机号或密码不正确"
        elif not is_staff_member(user):
            context["error"] = "该账号不是工会干部账号，请从职工端登录"
        elif confirmed_device(user) is None and settings.GONGHUI_STAFF_TOTP_REQUIRED:
            # First sign-in: bind an authenticator app before entering the workbench.
            login(request, user)
            return redirect("accounts_bench:totp_setup")
        elif not staff_otp_ok(user, request.POST.get("otp")):
            context["error"] = "动态口令不正确，请查看身份验证器中的6位数字"
        else:
            login(request, user)
            device = confirmed_device(user)
            if device is not None:
                otp_login(request, device)  # marks the session verified for the workbench
            return redirect(context["next"])
        return form_failed(
            request, "accounts/staff_login.html", context, FormErrors().add(context.pop("error"))
        )
    return render(request, "accounts/staff_login.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    context = {}
    if request.method == "POST":
        if totp_confirm(user=request.user, token=request.POST.get("otp", "")):
            otp_login(request, confirmed_device(request.user))
            return redirect("site_bench:home")
        context["form_errors"] = FormErrors().add("动态口令不正确，请重新输入", "otp")
    context.update(totp_begin(user=request.user))
    status = FORM_ERROR_STATUS if context.get("form_errors") else 200
    return render(request, "accounts/totp_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    context = {"expired": request.GET.get("expired")}
    if request.method == "POST":
        errors = FormErrors()
        current = request.POST.get("current", "")
        if request.user.has_usable_password() and not request.user.check_password(current):
            errors.add("当前密码不正确", "current")
        if request.POST.get("password") != request.POST.get("password2"):
            errors.add("两次输入的新密码不一致", "password2")
        if not errors:
            try:
                services.user_set_password(user=request.user, password=request.POST.get("password", ""))
            except DomainError as exc:
                errors.add_exc(exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改，下次可以用新密码登录")
                return redirect("site_bench:home" if is_staff_member(request.user) else "site:me")
        return form_failed(request, "accounts/password_change.html", context, errors)
    return render(request, "accounts/password_change.html", context)
