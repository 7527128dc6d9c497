from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from gonghui.core.errors import DomainError

from . import services
from .otp import confirmed_device, staff_otp_ok
from .staff import is_staff_member
from .totp import totp_begin, totp_confirm


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
    context["error"] = services.IP_THROTTLE_MESSAGE
    return render(request, template, context, status=429)


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
        context["error"] = "手机号或验证码不正确" if mode == "code" else "手机号或密码不正确"
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
            return redirect("accounts:totp_setup")
        elif not staff_otp_ok(user, request.POST.get("otp")):
            context["error"] = "动态口令不正确，请查看身份验证器中的6位数字"
        else:
            login(request, user)
            device = confirmed_device(user)
            if device is not None:
                otp_login(request, device)  # marks the session verified for the workbench
            return redirect(context["next"])
    return render(request, "accounts/staff_login.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    context = {}
    if request.method == "POST":
        if totp_confirm(user=request.user, token=request.POST.get("otp", "")):
            otp_login(request, confirmed_device(request.user))
            return redirect("site:workbench")
        context["error"] = "动态口令不正确，请重新输入"
    context.update(totp_begin(user=request.user))
    return render(request, "accounts/totp_setup.html", context)


@require_POST
def logout_view(request):
    was_staff = request.user.is_authenticated and is_staff_member(request.user)
    logout(request)
    return redirect("accounts:staff_login" if was_staff else "site:home")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    context = {"expired": request.GET.get("expired")}
    if request.method == "POST":
        current = request.POST.get("current", "")
        if request.user.has_usable_password() and not request.user.check_password(current):
            context["error"] = "当前密码不正确"
        elif request.POST.get("password") != request.POST.get("password2"):
            context["error"] = "两次输入的新密码不一致"
        else:
            try:
                services.user_set_password(user=request.user, password=request.POST.get("password", ""))
            except DomainError as exc:
                context["error"] = exc.message
            else:
                update_session_auth_hash(request, request.user)
                return redirect("site:workbench" if is_staff_member(request.user) else "site:me")
    return render(request, "accounts/password_change.html", context)
