"""会员 workbench pages: the registry, enrollments, transfers, dues, lapse, imports, reveal. Thin: parse, call a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError, ErrorCollector, NotFound
from gonghui.core.forms import FormErrors, form_failed
from gonghui.core.pagination import page_of
from gonghui.core.regions import region_label
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, may_reveal_pii, scope_paths, scoped_orgs
from gonghui.orgs.selectors import org_get

from .. import imports, selectors, services
from ..models import OCCUPATIONS, DuesSetting, Enrollment, Member, Transfer
from .worker import CappedPaginator, _date


def _registry_filters(request, params=None):
    params = request.GET if params is None else params
    org_id = params.get("org", "")
    # An org outside the staffer's subtree, unknown or malformed is a 404, as everywhere else.
    org_path = org_get(actor=request.user, org_id=org_id).path if org_id else ""
    return dict(
        q=params.get("q", ""),
        org_path=org_path,
        status=params.get("status", ""),
        occupation=params.get("occupation", ""),
        employment_form=params.get("employment_form", ""),
        joined_from=_date(params.get("from")),
        joined_to=_date(params.get("to")),
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def member_list(request):
    filters = request.GET
    if request.method == "POST":
        # The search form is posted so a 身份证号 or phone number typed into it never lands in a URL
        # (access logs, browser history, Referer). Other searches go back to a shareable GET URL.
        filters = request.POST
        if not selectors.is_personal_number(filters.get("q", "")):
            params = {k: v.strip() for k, v in filters.items() if k != "csrfmiddlewaretoken" and v.strip()}
            return redirect(f"{request.path}?{urlencode(params)}")
    return _registry_page(request, filters)


def _registry_page(request, filters, *, export_error=None, status=200):
    qs = selectors.member_search(actor=request.user, **_registry_filters(request, filters))
    page = page_of(qs, request.GET.get("page"), per_page=30, paginator_class=CappedPaginator)
    return render(
        request,
        "members/list.html",
        {
            "page": page,
            "capped": page.paginator.count > selectors.COUNT_CAP,
            "filters": filters,
            "occupations": OCCUPATIONS,
            "statuses": Member.Status.choices,
            "forms": Member.EmploymentForm.choices,
            "orgs": scoped_orgs(request.user).order_by("path")[:300],
            "may_reveal_any": Staff.objects.filter(
                user=request.user, is_active=True, can_reveal_pii=True
            ).exists(),
            "export_error": export_error,
            "nav": "members",
        },
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def member_export(request):
    # POST keeps a searched 身份证号 or phone number out of the URL, as on the list.
    params = request.POST if request.method == "POST" else request.GET
    filters = _registry_filters(request, params)
    qs = selectors.member_search(actor=request.user, **filters)
    org = scoped_orgs(request.user).filter(path=filters["org_path"]).first() if filters["org_path"] else None
    try:
        data = imports.members_export(
            actor=request.user,
            queryset=qs,
            reveal=params.get("reveal") == "1",
            reason=params.get("reason", ""),
            org=org,
        )
    except DomainError as exc:
        # The registry again, with the filters as they were and the error under the export form
        # (no redirect: a posted 身份证号 search must not land in a URL).
        return _registry_page(request, params, export_error=exc, status=exc.status)
    return xlsx_response(data, f"members-{timezone.localdate():%Y%m%d}.xlsx")


@workbench_view
def member_detail(request, member_id):
    member = selectors.member_get(actor=request.user, member_id=member_id)
    return render(request, "members/detail.html", _member_context(request, member))


def _member_context(request, member: Member) -> dict:
    return {
        "member": member,
        "may_reveal": may_reveal_pii(request.user, member.org),
        "nav": "members",
        "card": selectors.card_current(member=member),
        "statuses": sorted(services.STATUS_CHANGE_TARGETS),
        "status_labels": Member.Status.choices,
        "history": member.status_changes.all()[:20],
        "transfers": member.transfers.select_related("from_org", "to_org")[:20],
        "payments": member.dues_payments.all()[:12],
        "target_orgs": Org.objects.filter(kind__in=org_selectors.MEMBER_HOLDING_KINDS, is_active=True)
        .exclude(pk=member.org_id)
        .order_by("path")[:500],
        "this_month": f"{timezone.localdate():%Y-%m}",
        "may_certify": in_scope(
            request.user, member.org, (*services.REGISTRY_ROLES, Staff.Role.STATION_KEEPER)
        ),
    }


@workbench_view
@require_POST
def member_action(request, member_id):
    member = selectors.member_get(actor=request.user, member_id=member_id)
    action = request.POST.get("action")
    try:
        if action == "status":
            services.member_status_change(
                actor=request.user,
                member=member,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "会籍状态已变更")
        elif action == "handover":
            card = selectors.card_current(member=member)
            if card is None:
                raise DomainError("该会员没有有效的会员卡", code="no_card")
            services.card_handover(actor=request.user, card=card)
            messages.success(request, "已登记领取实体会员证")
        elif action == "issue_card":
            services.card_issue(actor=request.user, member=member)
            messages.success(request, "已签发电子会员卡")
        elif action == "transfer":
            to_org = Org.objects.filter(pk=request.POST.get("to_org") or 0).first()
            if to_org is None:
                raise DomainError("请选择转入工会", code="org_required", field="to_org_id")
            services.transfer_start(
                actor=request.user, member=member, to_org=to_org, reason=request.POST.get("reason", "")
            )
            messages.success(request, "已发起会籍转接，等待转入工会接收")
        elif action == "dues":
            services.dues_payment_record(
                actor=request.user,
                member=member,
                period=request.POST.get("period", ""),
                wage_base=request.POST.get("wage_base", ""),
                amount=request.POST.get("amount", ""),
            )
            messages.success(request, "会费已登记")
        elif action == "certify":
            services.member_certify(
                actor=request.user, member=member, method=request.POST.get("method", "staff")
            )
            messages.success(request, "已核验身份证，该会员已完成实名认证")
        else:
            raise DomainError("未知操作", code="action_invalid")
    except DomainError as exc:
        context = {**_member_context(request, member), "action": action, "posted": request.POST}
        return form_failed(request, "members/detail.html", context, exc)
    return redirect("members_bench:detail", member.pk)


@workbench_view
def enrollment_list(request):
    status = request.GET.get("status", "open")
    qs = selectors.enrollment_list(actor=request.user, status=status, q=request.GET.get("q", ""))
    page = page_of(qs, request.GET.get("page"), per_page=30)
    limit = services.overdue_limit()
    today = timezone.localdate()
    rows = list(zip(page, services.enrollment_ages(page, today), strict=True))
    return render(
        request,
        "members/enrollments.html",
        {
            "page": page,
            "rows": rows,
            "limit": limit,
            "status": status,
            "filters": request.GET,
            "statuses": Enrollment.Status.choices,
            "nav": "enrollments",
        },
    )


@workbench_view
@require_POST
def enrollment_batch(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    enrollments = list(selectors.enrollments_in_scope(actor=request.user).filter(pk__in=ids))
    approved, errors = services.enrollments_batch_approve(actor=request.user, enrollments=enrollments)
    if approved:
        messages.success(request, f"已批准 {approved} 份入会申请")
    for error in errors[:10]:
        messages.error(request, error)
    if not ids:
        messages.error(request, "请先勾选要批准的申请")
    return redirect("members_bench:enrollments")


def _scoped_enrollment(request, enrollment_id):
    enrollment = selectors.enrollment_get(actor=request.user, enrollment_id=enrollment_id)
    if not selectors.enrollments_in_scope(actor=request.user).filter(pk=enrollment.pk).exists():
        raise NotFound()
    return enrollment


def _reassign_near(enrollment: Enrollment) -> str:
    return enrollment.work_region or enrollment.residence_region or enrollment.id_number[:6]


@workbench_view
def enrollment_reassign_targets(request, enrollment_id):
    """htmx: the 转派 choices, searched by name and sorted by relevance to the applicant's place."""
    enrollment = _scoped_enrollment(request, enrollment_id)
    targets = org_selectors.reassign_targets(
        q=request.GET.get("org_q", "")[:40],
        near_region=_reassign_near(enrollment),
        exclude_id=enrollment.org_id,
    )
    return render(request, "members/_reassign_targets.html", {"target_orgs": targets, "e": enrollment})


@workbench_view
@require_http_methods(["GET", "POST"])
def enrollment_detail(request, enrollment_id):
    enrollment = _scoped_enrollment(request, enrollment_id)
    context = {
        "e": enrollment,
        "steps": enrollment.steps.all(),
        "nav": "enrollments",
        "age": services.enrollment_age(enrollment),
        "limit": services.overdue_limit(),
        "may_reveal": may_reveal_pii(request.user, enrollment.org),
        "may_act": in_scope(request.user, enrollment.org, services.APPROVER_ROLES),
        "work_place": region_label(enrollment.work_region),
        "residence_place": region_label(enrollment.residence_region),
        "target_orgs": org_selectors.reassign_targets(
            q=request.POST.get("org_q", "")[:40],
            near_region=_reassign_near(enrollment),
            exclude_id=enrollment.org_id,
        ),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                member = services.enrollment_approve(
                    actor=request.user, enrollment=enrollment, note=request.POST.get("note", "")
                )
                messages.success(request, f"已批准入会，会员编号 {member.member_no}；申请人已完成实名认证")
            elif action == "reject":
                services.enrollment_reject(
                    actor=request.user, enrollment=enrollment, reason=request.POST.get("reason", "")
                )
                messages.success(request, "已退回申请并通知申请人")
            elif action == "info":
                services.enrollment_request_info(
                    actor=request.user, enrollment=enrollment, message=request.POST.get("message", "")
                )
                messages.success(request, "已请申请人补充材料")
            elif action == "reassign":
                errors = ErrorCollector()
                org = (
                    Org.objects.filter(pk=request.POST.get("org_id") or 0).first()
                    if (request.POST.get("org_id", "").isdigit())
                    else None
                )
                if org is None:
                    errors.errors.append(
                        DomainError("请选择要转派的工会", code="org_required", field="org_id")
                    )
                if len(request.POST.get("reason", "").strip()) < 2:
                    errors.errors.append(
                        DomainError("请填写转派原因（至少2个字）", code="reason_required", field="reason")
                    )
                errors.raise_if_any()
                services.enrollment_reassign(
                    actor=request.user, enrollment=enrollment, org=org, reason=request.POST.get("reason", "")
                )
                messages.success(request, f"已转派至{org.name}")
            else:
                raise DomainError("未知操作", code="action_invalid")
            return redirect("members_bench:enrollment", enrollment.pk)
        except DomainError as exc:
            context.update(action=action, posted=request.POST)
            return form_failed(request, "members/enrollment_detail.html", context, exc)
    return render(request, "members/enrollment_detail.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def transfers(request):
    if request.method == "POST":
        transfer = selectors.transfer_get(actor=request.user, transfer_id=request.POST.get("id") or 0)
        action = request.POST.get("action")
        try:
            if action == "confirm_out":
                services.transfer_confirm_out(actor=request.user, transfer=transfer)
            elif action == "accept_in":
                services.transfer_accept_in(actor=request.user, transfer=transfer)
            elif action == "reject":
                services.transfer_reject(
                    actor=request.user, transfer=transfer, reason=request.POST.get("reason", "")
                )
            else:
                raise DomainError("未知操作", code="action_invalid")
            messages.success(request, "已办理")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("members_bench:transfers")
    paths = scope_paths(request.user)
    qs = selectors.transfers_in_scope(actor=request.user)
    rows = []
    for t in qs[:200]:
        out_side = any(t.from_path.startswith(p) for p in paths)
        in_side = any(t.to_path.startswith(p) for p in paths)
        rows.append(
            (
                t,
                out_side and t.status == Transfer.Status.AWAIT_OUT,
                in_side and t.status == Transfer.Status.AWAIT_IN,
            )
        )
    return render(request, "members/transfers.html", {"rows": rows, "nav": "transfers"})


@workbench_view
@require_http_methods(["GET", "POST"])
def dues(request):
    orgs = scoped_orgs(request.user).order_by("path")[:300]
    org_id = request.POST.get("org") or request.GET.get("org") or ""
    org = org_get(actor=request.user, org_id=org_id) if org_id else None
    context = {"orgs": orgs, "org": org, "modes": DuesSetting.Mode.choices, "nav": "dues"}
    if org is not None:
        context["setting"] = services.dues_setting_for(org)
    if request.method == "POST" and org is not None:
        try:
            services.dues_setting_set(
                actor=request.user,
                org=org,
                mode=request.POST.get("mode", ""),
                rate=request.POST.get("rate"),
                fixed_amount=request.POST.get("fixed_amount"),
            )
            messages.success(request, "会费标准已保存")
            return redirect(f"{reverse('members_bench:dues')}?org={org.pk}")
        except DomainError as exc:
            context.update(form_errors=FormErrors.from_exc(exc), posted=request.POST)
    arrears = selectors.dues_arrears(actor=request.user, org_path=org.path if org else "")
    page = page_of(arrears, request.GET.get("page"), per_page=30)
    context.update(page=page, rows=[(m, selectors.months_owed(m)) for m in page], filters=request.GET)
    if context.get("form_errors"):
        return form_failed(request, "members/dues.html", context, context["form_errors"])
    return render(request, "members/dues.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def lapse(request):
    """视为自动退会候选: staff confirm, in batches, what the six-month rule proposes."""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        if not ids:
            messages.error(request, "请先勾选要确认的会员")
        else:
            lapsed, errors = services.members_lapse(actor=request.user, member_ids=ids)
            if lapsed:
                messages.success(request, f"已确认 {lapsed} 名会员视为自动退会，会员卡已失效，并已通知本人")
            for error in errors[:10]:
                messages.error(request, error)
        return redirect(request.get_full_path())
    orgs = scoped_orgs(request.user).order_by("path")[:300]
    org_id = request.GET.get("org") or ""
    org = org_get(actor=request.user, org_id=org_id) if org_id else None
    candidates = selectors.lapse_candidates(actor=request.user, org_path=org.path if org else "")
    page = page_of(candidates, request.GET.get("page"), per_page=30)
    context = {
        "orgs": orgs,
        "org": org,
        "page": page,
        "rows": page,
        "months": settings.GONGHUI_LAPSE_MONTHS,
        "cutoff": selectors.lapse_cutoff(),
        "nav": "dues",
        "filters": request.GET,
    }
    return render(request, "members/lapse.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def member_import(request):
    orgs = (
        scoped_orgs(request.user).filter(kind__in=org_selectors.MEMBER_HOLDING_KINDS).order_by("path")[:300]
    )
    context = {"orgs": orgs, "nav": "import", "max_rows": imports.MAX_ROWS}
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError("请选择要上传的 xlsx 文件", code="file_required", field="file")
            if not upload.name.lower().endswith(".xlsx"):
                raise DomainError("只支持 .xlsx 文件，请用模板填写后上传", code="file_type", field="file")
            org = org_get(actor=request.user, org_id=request.POST.get("org") or 0)
            result = imports.member_import(
                actor=request.user, org=org, file_name=upload.name, data=upload.read()
            )
            context["result"] = result
            messages.success(request, f"导入完成：成功 {result.batch.imported} 行")
        except DomainError as exc:
            context["posted"] = request.POST
            return form_failed(request, "members/import.html", context, exc)
    return render(request, "members/import.html", context)


@workbench_view
def import_template(request):
    return xlsx_response(imports.template_xlsx(), "member-import-template.xlsx")


@workbench_view
def import_errors(request, batch_id):
    batch = imports.import_batch_get(actor=request.user, batch_id=batch_id)
    try:
        content = imports.import_error_file(
            actor=request.user,
            batch=batch,
            reveal=request.GET.get("reveal") == "1",
            reason=request.GET.get("reason", ""),
        )
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("members_bench:import"))
    return xlsx_response(content, f"import-errors-{batch.pk}.xlsx")


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
