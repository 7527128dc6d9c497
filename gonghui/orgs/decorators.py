from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.accounts.otp import confirmed_device, session_second_factor_ok

from .scope import is_staff_member


def workbench_view(view):
    """Workbench pages: signed-in union staff only; workers are told where to go."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Encoded, so a filtered list (?q=…&status=…) comes back whole after signing in.
        login_url = f"{reverse('accounts_bench:staff_login')}?{urlencode({'next': request.get_full_path()})}"
        if not request.user.is_authenticated:
            return redirect(login_url)
        if not is_staff_member(request.user):
            return render(request, "core/not_staff.html", status=403)
        if not session_second_factor_ok(request.user):
            if confirmed_device(request.user) is None:
                return redirect("accounts_bench:totp_setup")
            return redirect(login_url)
        return view(request, *args, **kwargs)

    return wrapper
