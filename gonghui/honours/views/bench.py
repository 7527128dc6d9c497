"""劳模工匠 on the workbench: the honours register and the selections (公示, 表彰)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.models import PublicNotice

from .. import selectors, services


@login_required
def register(request):
    q = (request.GET.get("q") or "").strip()[:40]
    honours = selectors.honours_in_scope(request.user, q=q)[:500]
    selections = selectors.selections_in_scope(request.user).order_by("-id")[:50]
    return render(
        request,
        "honours/bench_register.html",
        {"honours": honours, "selections": selections, "q": q, "nav": "honours"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def selection(request, selection_id: int):
    sel = selectors.selection_get(request.user, selection_id)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.selection_publish(actor=request.user, selection=sel)
            elif request.POST.get("action") == "award":
                services.selection_award(actor=request.user, selection=sel)
            return redirect("honours_bench:selection", selection_id=sel.pk)
        except DomainError as exc:
            error = exc.message
    notice = PublicNotice.objects.filter(pk=sel.notice_id).first() if sel.notice_id else None
    return render(
        request,
        "honours/bench_selection.html",
        {"sel": sel, "ranking": services.ranking(sel), "notice": notice, "error": error, "nav": "honours"},
        status=400 if error else 200,
    )
