"""Sign-in pages for workers: phone + code, unlock, sign-out; the django-axes lockout page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError
from gonghui.core.forms import FormErrors, form_failed

from .. import services
from ..staff import is_staff_member


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a phone number has failed too often. The owner gets back in with a
    one-time code sent to that phone (unlock); anyone else waits 30 minutes."""
    message = "登录失败次数过多，账号已临时锁定，请30分钟后再试；本人可用验证码立即解锁。"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "field": "phone"}, status=429)
    phone = request.POST.get("phone", "")
    return render(request, "accounts/locked.html", {"message": message, "phone": phone}, status=429)


def _ip_throttled(request, template: str, context: dict):
    if services.login_ip_allowed(request):
        return None
    # locked.html shows `error`; the sign-in pages show the one form-error partial.
    context["error"] = services.IP_THROTTLE_MESSAGE
    return form_failed(request, template, context, FormErrors().add(services.IP_THROTTLE_MESSAGE), status=429)


@require_http_methods(["GET", "POST"])
def unlock(request):
    """A locked account's owner: phone + one-time code lifts the lock (and signs a worker in)."""
    context = {"phone": request.POST.get("phone", ""), "message": ""}
    if request.method == "POST":
        if (throttled := _ip_throttled(request, "accounts/locked.html", context)) is not None:
            return throttled
        user = services.account_unlock(
            request=request, phone=request.POST.get("phone", ""), code=request.POST.get("code", "")
        )
        if user is None:
            context["error"] = "手机号或验证码不正确"
            return render(request, "accounts/locked.html", context, status=400)
        if is_staff_member(user):
            return render(request, "accounts/locked.html", {"unlocked": True, "staff": True})
        login(request, user, backend="gonghui.accounts.backends.PhoneCodeBackend")
        return redirect("/")
    return render(request, "accounts/locked.html", context)


@require_http_methods(["GET", "POST"])
def worker_login(request):
    """Workers: phone + one-time code (default) or phone + password."""
    mode = request.POST.get("mode") or request.GET.get("mode") or "code"
    context = {"mode": mode, "phone": request.POST.get("phone", ""), "next": _next_url(request, "/")}
    if request.method == "POST":
        if (throttled := _ip_throttled(request, "accounts/login.html", context)) is not None:
            return throttled
        credentials = {"phone": request.POST.get("phone", "")}
        if mode == "password":
            credentials["password"] = request.POST.get("password", "")
        else:
            credentials["code"] = request.POST.get("code", "")
        user = authenticate(request, **credentials)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is not None:
            login(request, user)
            return redirect(context["next"])
        services.login_ip_failed(request)
        message = "手机号或验证码不正确" if mode == "code" else "手机号或密码不正确"
        return form_failed(request, "accounts/login.html", context, FormErrors().add(message))
    return render(request, "accounts/login.html", context)


@require_POST
def send_code(request):
    """htmx: sends the code and swaps in a hint (in demo mode the hint shows the code)."""
    try:
        code = services.login_code_issue(phone=request.POST.get("phone", ""))
    except DomainError as exc:
        return render(request, "accounts/_code_hint.html", {"error": exc.message})
    return render(
        request, "accounts/_code_hint.html", {"demo_code": code if settings.GONGHUI_SHOW_LOGIN_CODE else None}
    )


@require_POST
def logout_view(request):
    was_staff = request.user.is_authenticated and is_staff_member(request.user)
    logout(request)
    return redirect("accounts_bench:staff_login" if was_staff else "site:home")
