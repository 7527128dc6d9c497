"""Workbench pages under /workbench/funds/: schemes and quotes, applications and review, batches, ledger,
reports (ECharts) and 工会经费. Every read goes through the selectors (scope), every write through services."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core.errors import DomainError
from gonghui.core.pagination import page_of
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Org
from gonghui.orgs.scope import in_scope, scoped_orgs
from gonghui.orgs.selectors import org_get

from .. import formula as formulas
from .. import selectors, services
from ..models import Category, FundApplication, PaymentBatch, Scheme, SchemeVersion

NAV = {"nav": "funds"}


def _ctx(**extra) -> dict:
    return {**NAV, **extra}


def _fund_orgs(user):
    """The unions the user keeps money for (admin/handler), nearest the top first."""
    return scoped_orgs(user, services.FUND_ROLES).order_by("path")


def _inputs_from(data) -> dict:
    return {k: data.get(k) for k in formulas.INPUT_LABELS if data.get(k) not in (None, "")}


@workbench_view
def home(request):
    schemes = list(
        selectors.schemes_visible(actor=request.user).filter(is_active=True).order_by("org_path", "code")
    )
    apps = selectors.application_list(actor=request.user)
    payer_orgs = [o for o in _fund_orgs(request.user) if o.kind != Org.Kind.GRASSROOTS][:1]
    return render(
        request,
        "funds/bench_home.html",
        _ctx(
            schemes=schemes,
            pending=apps.filter(status=FundApplication.Status.SUBMITTED).count(),
            approved=apps.filter(status=FundApplication.Status.APPROVED).count(),
            recent=list(apps[:8]),
            budgets=list(selectors.budgets_in_scope(actor=request.user)[:12]),
            report_org=payer_orgs[0] if payer_orgs else None,
        ),
    )


@workbench_view
def scheme_detail(request, scheme_id):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    version = scheme.current
    is_payer = in_scope(request.user, scheme.org, services.FUND_ROLES)
    applicant_orgs = [
        o
        for o in _fund_orgs(request.user)
        if o.path.startswith(scheme.org_path)
        and (not version.eligible_kinds or o.kind in version.eligible_kinds)
    ][:200]
    quote = sources = quote_error = None
    chosen = request.GET.get("org") or (str(applicant_orgs[-1].pk) if applicant_orgs and not is_payer else "")
    if "quote" in request.GET:
        try:
            quote, sources = selectors.scheme_quote(
                actor=request.user, scheme=scheme, inputs=_inputs_from(request.GET), org_id=chosen or None
            )
        except DomainError as exc:
            quote_error = exc
    auto = {"members"} | ({"persons"} if formulas.person_source(version.formula) else set())
    fields = [
        {
            "name": name,
            "label": formulas.INPUT_LABELS[name],
            "value": request.GET.get(name, ""),
            "auto": name in auto,
        }
        for name in version.inputs_needed
    ]
    kinds = dict(Org.Kind.choices)
    return render(
        request,
        "funds/bench_scheme.html",
        _ctx(
            scheme=scheme,
            version=version,
            versions=list(scheme.versions.all()),
            is_payer=is_payer,
            applicant_orgs=applicant_orgs,
            chosen=chosen,
            quote=quote,
            sources=sources,
            quote_error=quote_error,
            fields=fields,
            auto_fields=[f["label"] for f in fields if f["auto"]],
            eligible_labels=[kinds.get(k, k) for k in version.eligible_kinds],
            budgets=list(scheme.budgets.order_by("-year")) if is_payer else [],
        ),
    )


@workbench_view
@require_POST
def scheme_apply(request, scheme_id):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    version = scheme.current
    documents = [
        {"name": d, "ref": request.POST.get(f"doc_{i}", "")}
        for i, d in enumerate(version.documents)
        if request.POST.get(f"has_{i}")
    ]
    try:
        org = org_get(actor=request.user, org_id=request.POST.get("org"))
        app = services.application_submit(
            actor=request.user,
            scheme=scheme,
            org=org,
            inputs=_inputs_from(request.POST),
            documents=documents,
            note=request.POST.get("note", ""),
            payee=request.POST.get("payee", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("funds_bench:scheme", scheme_id=scheme.pk)
    messages.success(
        request, f"已提交申请 {app.number}，可申请金额 {app.maximum} 元，等待{scheme.org.display_name}审核"
    )
    return redirect("funds_bench:application", application_id=app.pk)


@workbench_view
@require_POST
def budget_set(request, scheme_id):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    try:
        year = int(request.POST.get("year") or 0)
        budget = services.budget_set(
            actor=request.user, scheme=scheme, year=year, amount=request.POST.get("amount")
        )
        messages.success(request, f"{budget.year} 年预算已设为 {budget.amount} 元")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "年度应为数字"))
    return redirect("funds_bench:scheme", scheme_id=scheme.pk)


def _version_fields(data) -> dict:
    def day(name):
        try:
            return dt.date.fromisoformat(data.get(name) or "")
        except ValueError:
            return None

    raw = data.get("formula") or ""
    try:
        formula = json.loads(raw)
    except json.JSONDecodeError:
        raise DomainError(
            "计算公式不是有效的 JSON，请对照说明修改", code="formula_invalid", field="formula"
        ) from None
    return {
        "period_start": day("period_start"),
        "period_end": day("period_end"),
        "reference_date": day("reference_date"),
        "eligible_kinds": data.getlist("eligible_kinds"),
        "documents": [line.strip() for line in (data.get("documents") or "").splitlines() if line.strip()],
        "once_per": data.get("once_per") or "year",
        "formula": formula,
        "note": data.get("note", ""),
    }


@workbench_view
def scheme_new(request):
    orgs = [o for o in _fund_orgs(request.user) if o.kind != Org.Kind.GRASSROOTS]
    error, values = None, request.POST
    if request.method == "POST":
        try:
            org = org_get(actor=request.user, org_id=request.POST.get("org"))
            scheme = services.scheme_create(
                actor=request.user,
                org=org,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                category=request.POST.get("category", ""),
                applicant=request.POST.get("applicant", "org"),
                **_version_fields(request.POST),
            )
            messages.success(request, f"已新建补贴项目「{scheme.name}」")
            return redirect("funds_bench:scheme", scheme_id=scheme.pk)
        except DomainError as exc:
            error = exc
    return render(
        request,
        "funds/bench_scheme_form.html",
        _ctx(
            orgs=orgs,
            error=error,
            values=values,
            categories=Category.choices,
            kinds=Org.Kind.choices,
            chosen_kinds=request.POST.getlist("eligible_kinds"),
            periods=SchemeVersion.Period.choices,
            applicants=Scheme.Applicant.choices,
            formula_types=formulas.TYPES,
        ),
    )


@workbench_view
def scheme_revise(request, scheme_id):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    current = scheme.current
    error = None
    if request.method == "POST":
        try:
            version = services.scheme_revise(
                actor=request.user,
                scheme=scheme,
                change_reason=request.POST.get("change_reason", ""),
                **_version_fields(request.POST),
            )
            messages.success(request, f"已生成第 {version.number} 版；此前的申请仍按原版本审核")
            return redirect("funds_bench:scheme", scheme_id=scheme.pk)
        except DomainError as exc:
            error = exc
        values = request.POST
    else:
        values = {
            "period_start": current.period_start.isoformat(),
            "period_end": current.period_end.isoformat(),
            "reference_date": current.reference_date.isoformat() if current.reference_date else "",
            "documents": "\n".join(current.documents),
            "once_per": current.once_per,
            "formula": json.dumps(current.formula, ensure_ascii=False, indent=2),
            "note": current.note,
        }
    return render(
        request,
        "funds/bench_scheme_form.html",
        _ctx(
            scheme=scheme,
            error=error,
            values=values,
            kinds=Org.Kind.choices,
            chosen_kinds=request.POST.getlist("eligible_kinds")
            if request.method == "POST"
            else current.eligible_kinds,
            periods=SchemeVersion.Period.choices,
            formula_types=formulas.TYPES,
        ),
    )


@workbench_view
def application_list(request):
    role, status = request.GET.get("role", ""), request.GET.get("status", "")
    qs = selectors.application_list(actor=request.user, status=status, role=role)
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return render(
        request,
        "funds/bench_applications.html",
        _ctx(page=page, filters={"role": role, "status": status}, statuses=FundApplication.Status.choices),
    )


@workbench_view
def application_detail(request, application_id):
    app = selectors.application_get(actor=request.user, application_id=application_id)
    may_review = app.status == FundApplication.Status.SUBMITTED and in_scope(
        request.user, app.payer, services.FUND_ROLES
    )
    budget = app.scheme.budgets.filter(year=app.year).first() if may_review else None
    return render(
        request,
        "funds/bench_application.html",
        _ctx(app=app, may_review=may_review, budget=budget, input_labels=formulas.INPUT_LABELS),
    )


@workbench_view
@require_POST
def application_review(request, application_id):
    selectors.application_get(actor=request.user, application_id=application_id)  # out of scope: 404
    try:
        if request.POST.get("decision") == "reject":
            services.application_reject(
                actor=request.user, application_id=application_id, reason=request.POST.get("reason", "")
            )
            messages.success(request, "已作出不予批准的决定，并通知申请方")
        else:
            app = services.application_approve(
                actor=request.user,
                application_id=application_id,
                amount=request.POST.get("amount", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, f"已批准，核定 {app.approved_amount} 元，已占用预算")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funds_bench:application", application_id=application_id)


@workbench_view
def batch_list(request):
    payer_orgs = [o for o in _fund_orgs(request.user) if o.kind != Org.Kind.GRASSROOTS]
    waiting = {
        o.pk: FundApplication.objects.filter(
            payer=o, status=FundApplication.Status.APPROVED, batch__isnull=True
        ).count()
        for o in payer_orgs[:20]
    }
    if request.method == "POST":
        try:
            org = org_get(actor=request.user, org_id=request.POST.get("org"))
            batch = services.batch_create(actor=request.user, org=org)
            messages.success(
                request, f"已生成支付批次 {batch.number}：{batch.count} 笔，合计 {batch.total} 元"
            )
            return redirect("funds_bench:batch", batch_id=batch.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "funds/bench_batches.html",
        _ctx(
            batches=list(selectors.batches_in_scope(actor=request.user)[:100]),
            payer_orgs=[(o, waiting.get(o.pk, 0)) for o in payer_orgs[:20]],
        ),
    )


@workbench_view
def batch_detail(request, batch_id):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    if request.method == "POST":
        try:
            services.batch_confirm_paid(
                actor=request.user, batch=batch, control_total=request.POST.get("control_total")
            )
            messages.success(request, f"批次 {batch.number} 已确认支付")
            return redirect("funds_bench:batch", batch_id=batch.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "funds/bench_batch.html",
        _ctx(
            batch=batch,
            rows=list(selectors.batch_rows(batch=batch)),
            is_open=batch.status == PaymentBatch.Status.OPEN,
        ),
    )


@workbench_view
def batch_export(request, batch_id):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    content = services.batch_export(actor=request.user, batch=batch)
    return xlsx_response(content, f"支付批次-{batch.number}.xlsx")


def _year(request) -> int | None:
    try:
        return int(request.GET.get("year") or 0) or None
    except ValueError:
        return None


@workbench_view
def ledger(request):
    year = _year(request)
    entries = selectors.ledger_in_scope(actor=request.user, year=year)
    return render(
        request,
        "funds/bench_ledger.html",
        _ctx(
            year=year,
            budgets=list(selectors.budgets_in_scope(actor=request.user, year=year)[:200]),
            page=page_of(entries, request.GET.get("page"), per_page=50),
        ),
    )


@workbench_view
def report(request):
    orgs = [o for o in scoped_orgs(request.user).order_by("path") if o.kind != Org.Kind.GRASSROOTS][:50]
    org = org_get(actor=request.user, org_id=request.GET.get("org")) if request.GET.get("org") else None
    org = org or (orgs[0] if orgs else None)
    data = selectors.report(actor=request.user, org=org, year=_year(request)) if org else None
    return render(
        request,
        "funds/bench_report.html",
        _ctx(
            orgs=orgs,
            org=org,
            data=data,
            chart=selectors.chart_data(data) if data else {},
            year=_year(request),
        ),
    )


@workbench_view
def contributions(request):
    orgs = list(_fund_orgs(request.user)[:300])
    if request.method == "POST":
        try:
            month = dt.date.fromisoformat((request.POST.get("month") or "") + "-01")
        except ValueError:
            messages.error(request, "所属月份格式应为 YYYY-MM")
            return redirect("funds_bench:contributions")
        try:
            paid_on = dt.date.fromisoformat(request.POST["paid_on"]) if request.POST.get("paid_on") else None
        except ValueError:
            paid_on = None
        try:
            org = org_get(actor=request.user, org_id=request.POST.get("org"))
            record = services.contribution_record(
                actor=request.user,
                org=org,
                month=month,
                payroll=request.POST.get("payroll"),
                paid=request.POST.get("paid"),
                paid_on=paid_on,
            )
            messages.success(
                request,
                f"{org.display_name} {record.month:%Y-%m}：应缴 {record.due} 元，留成 {record.kept} 元，上解 {record.sent_up} 元",
            )
            return redirect("funds_bench:contributions")
        except DomainError as exc:
            messages.error(request, exc.message)
    qs = selectors.contributions_in_scope(actor=request.user)
    arrears = selectors.contribution_arrears(actor=request.user)
    return render(
        request,
        "funds/bench_contributions.html",
        _ctx(
            orgs=orgs,
            page=page_of(qs, request.GET.get("page"), per_page=50),
            totals=selectors.contribution_totals(qs),
            arrears=list(arrears[:100]),
            arrears_totals=selectors.contribution_totals(arrears),
        ),
    )
