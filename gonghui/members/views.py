from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import may_reveal_pii

from . import selectors, services
from .models import OCCUPATIONS, Member


@workbench_view
@require_http_methods(["GET", "POST"])
def member_list(request):
    filters = request.GET
    if request.method == "POST":
        # The search form is posted so a 身份证号 or phone number typed into it never lands in a URL
        # (access logs, browser history, Referer). Other searches go back to a shareable GET URL.
        filters = request.POST
        if not selectors.is_personal_number(filters.get("q", "")):
            params = {k: filters.get(k, "").strip() for k in ("q", "status", "occupation")}
            return redirect(f"{request.path}?{urlencode({k: v for k, v in params.items() if v})}")
    qs = selectors.member_search(
        actor=request.user,
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        occupation=filters.get("occupation", ""),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "members/list.html",
        {
            "page": page,
            "filters": filters,
            "occupations": OCCUPATIONS,
            "statuses": Member.Status.choices,
            "nav": "members",
        },
    )


@workbench_view
def member_detail(request, member_id):
    member = selectors.member_get(actor=request.user, member_id=member_id)
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "may_reveal": may_reveal_pii(request.user, member.org),
            "nav": "members",
        },
    )


@workbench_view
@require_POST
def member_reveal(request, member_id):
    """htmx: swaps the masked value for the full one, after recording who asked and why."""
    member = selectors.member_get(actor=request.user, member_id=member_id)
    field = request.POST.get("field", "")
    try:
        value = services.member_reveal(
            actor=request.user, member=member, field=field, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        return render(
            request, "members/_reveal.html", {"member": member, "field": field, "error": exc.message}
        )
    return render(request, "members/_reveal.html", {"member": member, "field": field, "value": value})
