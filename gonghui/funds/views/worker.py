"""Worker pages under /funds/: the person schemes above the member's union (技能培训补贴) — quote and apply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gonghui.core.errors import DomainError
from gonghui.members.selectors import member_of_user

from .. import formula as formulas
from .. import selectors, services


@login_required
def scheme_list(request):
    member = member_of_user(request.user)
    return render(
        request,
        "funds/list.html",
        {
            "member": member,
            "schemes": list(selectors.schemes_for_member(member=member)),
            "apps": list(selectors.applications_of_worker(actor=request.user)[:20]),
            "tab": "services",
        },
    )


@login_required
def scheme_detail(request, scheme_id):
    member = member_of_user(request.user)
    scheme = selectors.scheme_public_get(member=member, scheme_id=scheme_id)
    version = scheme.current
    quote = error = None
    data = request.POST if request.method == "POST" else request.GET
    inputs = {k: data.get(k) for k in formulas.INPUT_LABELS if data.get(k)}
    if request.method == "POST":
        documents = [
            {"name": d, "ref": request.POST.get(f"doc_{i}", "")}
            for i, d in enumerate(version.documents)
            if request.POST.get(f"has_{i}")
        ]
        try:
            app = services.application_submit(
                actor=request.user,
                scheme=scheme,
                inputs=inputs,
                documents=documents,
                payee=request.POST.get("payee", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"已提交申请 {app.number}，等待{scheme.org.display_name}审核")
            return redirect("funds:list")
        except DomainError as exc:
            error = exc
    elif inputs:
        try:
            quote, _ = selectors.quote_for(version=version, inputs=inputs, org=None, on=None)
        except DomainError as exc:
            error = exc
    return render(
        request,
        "funds/scheme.html",
        {
            "scheme": scheme,
            "version": version,
            "quote": quote,
            "error": error,
            "values": data,
            "tab": "services",
        },
    )
