from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse

from .scope import is_staff_member


def workbench_view(view):
    """Workbench pages: signed-in union staff only; workers are told where to go."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:staff_login')}?next={request.get_full_path()}")
        if not is_staff_member(request.user):
            return render(request, "core/not_staff.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
