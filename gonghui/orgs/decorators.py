from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core.errors import NotFound

from .scope import is_staff_member


def workbench_view(view):
    """Workbench pages: signed-in union staff only; workers are told where to go."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:staff_login')}?next={request.get_full_path()}")
        if not is_staff_member(request.user):
            return render(request, "core/not_staff.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            # Out of scope reads as "does not exist" on pages too: the 404 page, not a 500.
            raise Http404(exc.message) from exc

    return wrapper
