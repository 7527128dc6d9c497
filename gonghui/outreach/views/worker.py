"""走访与协商 on the phone: the opinions I raised, what became of them, and a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.forms import form_failed

from .. import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    user = request.user
    context = {
        "opinions": selectors.opinions_of_worker(user=user)[:50],
        "member": getattr(user, "member", None),
        "values": {},
        "tab": "services",
    }
    if request.method == "POST":
        context["values"] = request.POST
        try:
            services.opinion_submit(actor=user, text=request.POST.get("text", ""))
        except DomainError as exc:
            return form_failed(request, "outreach/mine.html", context, exc)
        messages.success(request, "已收到您的意见，工会将梳理后给您答复")
        return redirect("outreach:mine")
    return render(request, "outreach/mine.html", context)
