from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core.errors import Forbidden, NotFound

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
            # Out of scope looks exactly like absent: the same 404 page, never a 500 or a 403.
            return render(
                request, "core/error.html", {"title": "页面不存在", "message": exc.message}, status=404
            )
        except Forbidden as exc:
            return render(
                request, "core/error.html", {"title": "没有权限", "message": exc.message}, status=403
            )

    return wrapper
