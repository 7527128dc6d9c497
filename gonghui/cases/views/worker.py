"""诉求工单 worker pages (phone): my cases, filing, following and answering one, attachments."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.orgs.models import Org

from .. import selectors, services
from ..models import Attachment, Case


def _worker_case(request, case_id) -> Case:
    return selectors.case_get_for_worker(actor=request.user, case_id=case_id)


_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_claimant_lines(text: str) -> list[services.ClaimantInput]:
    """One worker per line: "姓名 手机号 金额" (phone optional), the way unions paste from a spreadsheet."""
    rows = []
    for line in (text or "").splitlines():
        parts = [p for p in _SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        name, phone, amount = parts[0], "", "0"
        for part in parts[1:]:
            digits = part.replace("+86", "")
            if len(digits) == 11 and digits.isdigit() and digits.startswith("1"):
                phone = part
            else:
                amount = part.replace("元", "")
        rows.append(services.ClaimantInput(name=name, phone=phone, amount=amount))
    return rows


def _case_input(post) -> services.CaseInput:
    township = post.get("workplace_township", "")
    return services.CaseInput(
        category=post.get("category", ""),
        description=post.get("description", ""),
        workplace_region=post.get("workplace_region", ""),
        employer_name=post.get("employer_name", ""),
        employer_credit_code=post.get("employer_credit_code", ""),
        workplace_township_id=int(township) if township.isdigit() else None,
        workplace_address=post.get("workplace_address", ""),
        amount_claimed=post.get("amount_claimed") or None,
        title=post.get("title", ""),
        confidential=post.get("confidential") == "on",
        claimant_name=post.get("claimant_name", ""),
        claimant_phone=post.get("claimant_phone", ""),
        claimants=parse_claimant_lines(post.get("claimants", "")),
    )


def _form_context() -> dict:
    counties = list(
        Org.objects.filter(kind=Org.Kind.COUNTY, is_active=True).select_related("parent").order_by("path")
    )
    townships = list(
        Org.objects.filter(kind=Org.Kind.TOWNSHIP, is_active=True).select_related("parent").order_by("path")
    )
    return {"categories": Case.Category.choices, "counties": counties, "townships": townships}


@login_required
def my_cases(request):
    cases = selectors.worker_cases(actor=request.user)[:100]
    return render(request, "cases/my_cases.html", {"cases": cases, "tab": "services"})


@login_required
@require_http_methods(["GET", "POST"])
def file_case(request):
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            case = services.case_file(
                actor=request.user, data=_case_input(request.POST), files=request.FILES.getlist("attachments")
            )
        except DomainError as exc:
            errors, status = FormErrors.from_exc(exc), FORM_ERROR_STATUS
        else:
            messages.success(request, f"诉求已提交，工单号 {case.number}，由{case.org.name}承办")
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/file.html",
        {
            **_form_context(),
            "form_errors": errors,
            "values": values,
            "tab": "services",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, case_id):
    case = _worker_case(request, case_id)
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "info":
                services.case_add_info(
                    actor=request.user,
                    case=case,
                    body=request.POST.get("body", ""),
                    files=request.FILES.getlist("attachments"),
                )
            elif action == "rate":
                services.case_rate(
                    actor=request.user,
                    case=case,
                    rating=request.POST.get("rating", ""),
                    comment=request.POST.get("comment", ""),
                    reopen=request.POST.get("reopen") == "on",
                )
            elif action == "reopen":
                services.case_reopen(actor=request.user, case=case, reason=request.POST.get("reason", ""))
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = FormErrors.from_exc(exc), FORM_ERROR_STATUS
        else:
            messages.success(request, WORKER_DONE.get(action, "已提交"))
            return redirect("cases:detail", case.pk)
        case = _worker_case(request, case_id)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "steps": selectors.worker_timeline(case),
            "form_errors": errors,
            "values": request.POST,
            "can_reopen": case.status in (Case.Status.RESOLVED, Case.Status.RATED)
            and services.reopen_window_open(case),
            "tab": "services",
        },
        status=status,
    )


@login_required
def worker_attachment(request, case_id, attachment_id):
    case = _worker_case(request, case_id)
    ids = [case.pk] + ([case.merged_into_id] if case.merged_into_id else [])
    attachment = Attachment.objects.filter(pk=attachment_id, case_id__in=ids, visible_to_worker=True).first()
    return _send(attachment)


def _send(attachment: Attachment | None):
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


WORKER_DONE = {"info": "已提交补充说明", "rate": "感谢您的评价", "reopen": "已申请重新办理"}
