"""The public 公示 board: no sign-in needed to read a notice or to object to it."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import notices
from .errors import DomainError


def notice_list(request):
    items = list(notices.public_notices()[:50])
    for item in items:
        item.is_open = notices.notice_is_open(item)
        item.source_label = notices.source_label(item.source)
    return render(request, "core/notices/list.html", {"items": items, "tab": "services"})


@require_http_methods(["GET", "POST"])
def notice_detail(request, notice_id):
    notice = notices.public_notice_get(notice_id)
    errors, status = {}, 200
    values = {"name": getattr(request.user, "name", "") or "", "entry": request.GET.get("entry", "")}
    if request.method == "POST":
        values = request.POST
        entry = request.POST.get("entry", "")
        try:
            notices.notice_object(
                actor=request.user,
                notice=notice,
                entry_id=int(entry) if entry.isdigit() else None,
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            return redirect(f"{request.path}?objected=1")
    return render(
        request,
        "core/notices/detail.html",
        {
            "notice": notice,
            "entries": list(notice.entries.all()),
            "is_open": notices.notice_is_open(notice),
            "source_label": notices.source_label(notice.source),
            "errors": errors,
            "values": values,
            "objected": request.GET.get("objected") == "1",
            "tab": "services",
        },
        status=status,
    )
