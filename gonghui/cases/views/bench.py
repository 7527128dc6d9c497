"""诉求工单 workbench pages: the inbox, filing for a worker, a case's actions, attachments, statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.core.pagination import page_of
from gonghui.orgs.decorators import workbench_view

from .. import selectors, services
from ..models import Attachment, Case
from .worker import _case_input, _form_context, _send


def _staff_case(request, case_id) -> Case:
    return selectors.case_get_for_staff(actor=request.user, case_id=case_id)


@workbench_view
def bench_inbox(request):
    view = request.GET.get("view", "mine")
    if view not in selectors.INBOX_VIEWS:
        view = "mine"
    qs = selectors.inbox(
        actor=request.user, view=view, category=request.GET.get("category", ""), q=request.GET.get("q", "")
    )
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return render(
        request,
        "cases/bench_inbox.html",
        {
            "page": page,
            "view": view,
            "views": selectors.INBOX_VIEWS.items(),
            "filters": request.GET,
            "categories": Case.Category.choices,
            "nav": "cases",
        },
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def bench_new(request):
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        channel = request.POST.get("channel", "")
        try:
            if channel not in (Case.Channel.PHONE, Case.Channel.WALK_IN):
                raise DomainError("请选择来源：电话或来访", code="channel", field="channel")
            case = services.case_file(
                actor=request.user,
                data=_case_input(request.POST),
                files=request.FILES.getlist("attachments"),
                channel=channel,
            )
        except DomainError as exc:
            errors, status = FormErrors.from_exc(exc), FORM_ERROR_STATUS
        else:
            try:
                selectors.case_get_for_staff(actor=request.user, case_id=case.pk)
            except DomainError:
                return render(request, "cases/bench_routed_away.html", {"case": case, "nav": "cases"})
            messages.success(request, f"已登记，工单号 {case.number}")
            return redirect("cases_bench:detail", case.pk)
    return render(
        request,
        "cases/bench_new.html",
        {
            **_form_context(),
            "form_errors": errors,
            "values": values,
            "nav": "cases",
        },
        status=status,
    )


ACTIONS = {
    "accept": lambda a, c, p, f: services.case_accept(
        actor=a, case=c, difficulty=p.get("difficulty") or None, message=p.get("body", "")
    ),
    "difficulty": lambda a, c, p, f: services.case_set_difficulty(
        actor=a, case=c, difficulty=p.get("difficulty", ""), reason=p.get("reason", "")
    ),
    "assign": lambda a, c, p, f: services.case_assign(
        actor=a, case=c, handler_id=_int(p.get("handler"), "handler")
    ),
    "transfer": lambda a, c, p, f: services.case_transfer(
        actor=a, case=c, org_id=_int(p.get("org"), "org"), reason=p.get("reason", "")
    ),
    "message": lambda a, c, p, f: services.case_message(
        actor=a, case=c, body=p.get("body", ""), internal=False, files=f
    ),
    "note": lambda a, c, p, f: services.case_message(
        actor=a, case=c, body=p.get("body", ""), internal=True, files=f
    ),
    "joint": lambda a, c, p, f: services.case_joint_step(
        actor=a,
        case=c,
        department=p.get("department", ""),
        body=p.get("body", ""),
        files=f,
        visible=p.get("internal") != "on",
    ),
    "pause": lambda a, c, p, f: services.case_pause(actor=a, case=c, request_text=p.get("body", "")),
    "resume": lambda a, c, p, f: services.case_resume(actor=a, case=c),
    "payment": lambda a, c, p, f: services.case_record_payment(
        actor=a,
        case=c,
        claimant_id=_int(p.get("claimant"), "claimant"),
        amount_paid=p.get("amount_paid"),
        paid_on=_date(p.get("paid_on")),
        note=p.get("note", ""),
    ),
    "resolve": lambda a, c, p, f: services.case_resolve(
        actor=a,
        case=c,
        outcome=p.get("outcome", ""),
        summary=p.get("summary", ""),
        amount_recovered=p.get("amount_recovered"),
    ),
    "archive": lambda a, c, p, f: services.case_archive(actor=a, case=c),
    "lawyer": lambda a, c, p, f: services.case_assign_lawyer(
        actor=a, case=c, lawyer_id=_int(p.get("lawyer"), "lawyer")
    ),
}


# What each action says when it worked (受理, 答复, 办结 …): the page confirms every success.
ACTION_DONE = {
    "accept": "已受理，诉求人已收到通知",
    "difficulty": "已调整难度",
    "assign": "已指派经办人",
    "transfer": "已转办",
    "message": "已答复诉求人",
    "note": "已添加内部备注",
    "joint": "已记录联合处置",
    "pause": "已请诉求人补充材料，时限暂停",
    "resume": "已恢复办理",
    "payment": "已登记支付",
    "resolve": "已办结，诉求人可以评价",
    "archive": "已归档",
    "lawyer": "已指派律师",
    "merge": "已合并工单",
}


def _int(value, field: str) -> int:
    if not (value or "").isdigit():
        raise DomainError("请选择", code="required", field=field)
    return int(value)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise DomainError("日期格式应为 YYYY-MM-DD", code="date", field="paid_on") from exc


@workbench_view
@require_http_methods(["GET", "POST"])
def bench_detail(request, case_id):
    case = _staff_case(request, case_id)
    errors, action, status = {}, "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "merge":
                duplicate = _staff_case(request, _int(request.POST.get("duplicate"), "duplicate"))
                services.case_merge(actor=request.user, case=case, duplicate=duplicate)
            elif action in ACTIONS:
                ACTIONS[action](request.user, case, request.POST, request.FILES.getlist("attachments"))
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = FormErrors.from_exc(exc), FORM_ERROR_STATUS
        else:
            messages.success(request, ACTION_DONE.get(action, "已保存"))
            return redirect("cases_bench:detail", case.pk)
        case = _staff_case(request, case_id)
    services.case_pii_read(actor=request.user, case=case, where="workbench")
    return render(
        request,
        "cases/bench_detail.html",
        {
            "case": case,
            "workplace_label": selectors.region_label(case.workplace_region),
            "steps": selectors.staff_timeline(case),
            "claimants": list(case.claimants.all()),
            "may_act": selectors.may_act(request.user, case),
            "handlers": selectors.handler_choices(case),
            "lawyers": selectors.lawyer_choices(case),
            "targets": selectors.transfer_targets(actor=request.user, case=case),
            "duplicates": selectors.merge_candidates(actor=request.user, case=case)[:20],
            "departments": services.DEPARTMENTS,
            "difficulties": Case.Difficulty.choices,
            "outcomes": Case.Outcome.choices,
            "form_errors": errors,
            "action": action,
            "values": request.POST,
            "nav": "cases",
        },
        status=status,
    )


@workbench_view
def bench_attachment(request, case_id, attachment_id):
    case = _staff_case(request, case_id)
    return _send(Attachment.objects.filter(pk=attachment_id, case=case).first())


@workbench_view
def bench_stats(request):
    stats = selectors.case_stats(
        actor=request.user,
        date_from=_param_date(request.GET.get("from")),
        date_to=_param_date(request.GET.get("to")),
    )
    return render(request, "cases/bench_stats.html", {"stats": stats, "filters": request.GET, "nav": "cases"})


@workbench_view
def bench_stats_json(request):
    stats = selectors.case_stats(
        actor=request.user,
        date_from=_param_date(request.GET.get("from")),
        date_to=_param_date(request.GET.get("to")),
    )
    return JsonResponse(stats)


def _param_date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
