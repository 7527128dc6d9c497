"""帮扶 workbench pages (desktop): programmes, applications, 公示 and objections, payment batches,
hardship files, donations, 低保 standards and reports. Thin: parse, call a service, render."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gonghui.core import notices
from gonghui.core.errors import DomainError
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope, scope_paths
from gonghui.orgs.selectors import org_get, org_roots

from .. import selectors
from ..models import AidApplication, AidProgramme, Donation, HardshipFile
from ..services import applications, donations, hardship, payments, programmes
from ..services.common import ACT_ROLES, document_bytes
from . import forms
from .worker import _required


def _errors(exc: DomainError) -> dict:
    return {exc.field or "general": exc.message}


def _acting_orgs(actor):
    return [o for o in org_roots(actor=actor) if in_scope(actor, o, ACT_ROLES)]


def _org_from(request, field="org"):
    value = request.POST.get(field, "")
    if not value:
        raise DomainError("请选择工会", code="org_required", field=field)
    return org_get(actor=request.user, org_id=value)


def _ctx(request, **kw):
    return {"nav": "aid", **kw}


# --- home and programmes ---------------------------------------------------------------------


@workbench_view
def home(request):
    year = _year(request)
    progs = list(selectors.programmes_for_staff(actor=request.user, year=year))
    todo = selectors.applications_for_staff(actor=request.user)
    counts = {
        s: todo.filter(status=s).count()
        for s in (
            AidApplication.Status.SUBMITTED,
            AidApplication.Status.DOCS_OK,
            AidApplication.Status.VISITED,
        )
    }
    objections = selectors.objections_for_staff(actor=request.user).filter(status="pending").count()
    return render(
        request,
        "aid/bench_home.html",
        _ctx(request, programmes=progs, counts=counts, objections=objections, year=year),
    )


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@workbench_view
@require_http_methods(["GET", "POST"])
def programme_new(request):
    errors, values, status = (
        {},
        {"year": timezone.localdate().year, "notice_workdays": notices.default_workdays()},
        200,
    )
    if request.method == "POST":
        values = request.POST
        try:
            programme = programmes.programme_create(
                actor=request.user,
                org=_org_from(request),
                kind=request.POST.get("kind", ""),
                occasion=request.POST.get("occasion", ""),
                name=request.POST.get("name", ""),
                year=request.POST.get("year", ""),
                budget=request.POST.get("budget", ""),
                fund_source=request.POST.get("fund_source", ""),
                notice_workdays=request.POST.get("notice_workdays", ""),
                description=request.POST.get("description", ""),
                apply_until=request.POST.get("apply_until") or None,
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:programme", programme.pk)
    return render(
        request,
        "aid/bench_programme_new.html",
        _ctx(
            request,
            errors=errors,
            values=values,
            orgs=_acting_orgs(request.user),
            kinds=AidProgramme.Kind.choices,
            occasions=AidProgramme.Occasion.choices,
        ),
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def programme(request, programme_id):
    prog = selectors.programme_get(actor=request.user, programme_id=programme_id)
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "notice":
                notice = applications.programme_publish_notice(
                    actor=request.user, programme=prog, workdays=_int_or_none(request.POST.get("workdays"))
                )
                messages.success(request, f"已发布公示，公示期至 {notice.ends_on:%Y-%m-%d}")
            elif action == "batch":
                batch = payments.batch_create(actor=request.user, programme=prog)
                return redirect("aid_bench:batch", batch.pk)
            elif action == "close":
                programmes.programme_close(actor=request.user, programme=prog)
            elif action == "objection":
                objection = selectors.objection_get(
                    actor=request.user, objection_id=request.POST.get("objection")
                )
                applications.objection_decide(
                    actor=request.user,
                    objection=objection,
                    upheld=request.POST.get("upheld") == "1",
                    decision=request.POST.get("decision", ""),
                )
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:programme", prog.pk)
        prog.refresh_from_db()
    status_filter = request.GET.get("status", "")
    apps = selectors.applications_for_staff(actor=request.user, programme_id=prog.pk, status=status_filter)
    page = Paginator(apps, 50).get_page(request.GET.get("page"))
    notice_rows = list(selectors.notices_for_programme(prog))
    for n in notice_rows:
        n.is_open = notices.notice_is_open(n)
    return render(
        request,
        "aid/bench_programme.html",
        _ctx(
            request,
            prog=prog,
            page=page,
            status_filter=status_filter,
            statuses=AidApplication.Status.choices,
            approved=prog.applications.filter(status="approved").count(),
            payable=len(payments.payable_applications(prog)),
            notices=notice_rows,
            objections=list(selectors.objections_for_staff(actor=request.user, programme=prog)),
            batches=list(selectors.batches_for_staff(actor=request.user, programme=prog)),
            donations=list(prog.donations.all()),
            may_act=in_scope(request.user, prog.org, ACT_ROLES),
            errors=errors,
        ),
        status=status,
    )


def _int_or_none(value):
    return int(value) if (value or "").isdigit() else None


# --- applications ------------------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def application(request, application_id):
    app = selectors.application_get(actor=request.user, application_id=application_id, audit_read=False)
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        post = request.POST
        try:
            if action == "docs_ok":
                applications.application_check_documents(actor=request.user, application=app, complete=True)
            elif action == "docs_more":
                applications.application_check_documents(
                    actor=request.user, application=app, complete=False, note=post.get("note", "")
                )
            elif action == "visit":
                applications.application_visit(
                    actor=request.user,
                    application=app,
                    visited_on=post.get("visited_on", ""),
                    visitors=post.get("visitors", ""),
                    findings=post.get("findings", ""),
                    photos=request.FILES.getlist("photos"),
                )
            elif action == "approve":
                applications.application_approve(
                    actor=request.user,
                    application=app,
                    reason=post.get("reason", ""),
                    amount=post.get("amount") or None,
                )
            elif action == "reject":
                applications.application_reject(
                    actor=request.user, application=app, reason=post.get("reason", "")
                )
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:application", app.pk)
    # The page shows personal data: this read is audited (a POST's re-render included).
    app = selectors.application_get(actor=request.user, application_id=application_id)
    return render(
        request,
        "aid/bench_application.html",
        _ctx(
            request,
            app=app,
            documents=list(app.documents.all()),
            missing=applications.missing_documents(app),
            visits=list(app.visits.all()),
            may_act=in_scope(request.user, app.org, ACT_ROLES),
            today=timezone.localdate(),
            errors=errors,
        ),
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def application_new(request, programme_id):
    """Staff enter an application on a worker's behalf (a worker without a smartphone, a visit)."""
    prog = selectors.programme_get(actor=request.user, programme_id=programme_id)
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            app = applications.application_submit(
                actor=request.user,
                programme=prog,
                data=forms.application_data(request.POST),
                files=forms.files_by_kind(request.FILES),
                on_behalf=True,
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:application", app.pk)
    return render(
        request,
        "aid/bench_application_new.html",
        _ctx(
            request,
            prog=prog,
            programme=prog,
            errors=errors,
            values=values,
            levels=AidApplication.Level.choices,
            documents=_required(prog),
        ),
        status=status,
    )


@workbench_view
def document(request, document_id):
    doc = selectors.document_get(actor=request.user, document_id=document_id)
    response = HttpResponse(document_bytes(doc), content_type=doc.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


# --- payment batches --------------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def batch(request, batch_id):
    b = selectors.batch_get(actor=request.user, batch_id=batch_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            payments.batch_mark_paid(actor=request.user, batch=b, paid_on=request.POST.get("paid_on") or None)
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            messages.success(request, "已标记发放，已通知受助职工")
            return redirect("aid_bench:batch", b.pk)
    return render(
        request,
        "aid/bench_batch.html",
        _ctx(request, b=b, rows=list(selectors.batch_payments(b)), today=timezone.localdate(), errors=errors),
        status=status,
    )


@workbench_view
def batch_xlsx(request, batch_id):
    b = selectors.batch_get(actor=request.user, batch_id=batch_id)
    data = payments.batch_export(actor=request.user, batch=b)
    return xlsx_response(data, f"帮扶发放-{b.number}.xlsx")


# --- hardship files ------------------------------------------------------------------------------


@workbench_view
def files(request):
    status = request.GET.get("status", "active")
    category = request.GET.get("category", "")
    qs = selectors.files_for_staff(actor=request.user, status=status, category=category)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "aid/bench_files.html",
        _ctx(
            request,
            page=page,
            status=status,
            category=category,
            categories=HardshipFile.Category.choices,
            due_soon=qs.filter(recheck_due__lte=timezone.localdate() + dt.timedelta(days=30)).count(),
        ),
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def file_new(request):
    errors, values, status = {}, {"household_size": "3"}, 200
    if request.method == "POST":
        values = request.POST
        try:
            f = hardship.hardship_file_create(
                actor=request.user,
                org=_org_from(request),
                data=forms.hardship_data(request.POST),
                files=forms.files_by_kind(request.FILES),
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:file", f.pk)
    return render(
        request,
        "aid/bench_file_new.html",
        _ctx(
            request, errors=errors, values=values, orgs=_acting_orgs(request.user), counties=forms.counties()
        ),
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def file(request, file_id):
    f = selectors.file_get(actor=request.user, file_id=file_id)
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "visit":
                hardship.visit_record(
                    actor=request.user,
                    org=f.org,
                    visited_on=request.POST.get("visited_on", ""),
                    visitors=request.POST.get("visitors", ""),
                    findings=request.POST.get("findings", ""),
                    photos=request.FILES.getlist("photos"),
                    hardship_file=f,
                )
            elif action == "recheck":
                hardship.hardship_file_recheck(
                    actor=request.user, file=f, data=forms.hardship_data(request.POST)
                )
            elif action == "leave":
                hardship.hardship_file_leave(
                    actor=request.user,
                    file=f,
                    reason=request.POST.get("reason", ""),
                    left_on=request.POST.get("left_on"),
                )
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:file", f.pk)
    figures = hardship.figures_of(f)
    assessment = hardship.assess(figures, on=f.assessed_on) if f.status == "active" else None
    values = request.POST if errors else {**vars(figures), "dibao_monthly": ""}
    return render(
        request,
        "aid/bench_file.html",
        _ctx(
            request,
            f=f,
            assessment=assessment,
            household=_household(f),
            values=values,
            counties=forms.counties(),
            visits=list(f.visits.prefetch_related("photos")),
            documents=list(f.documents.all()),
            may_act=in_scope(request.user, f.org, ACT_ROLES),
            today=timezone.localdate(),
            errors=errors,
        ),
        status=status,
    )


def _household(f: HardshipFile) -> list[dict]:
    try:
        return json.loads(f.household or "[]")
    except ValueError:
        return []


# --- donations, 低保, reports ------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def donation_list(request):
    errors, values, status = {}, {"received_on": timezone.localdate().isoformat()}, 200
    if request.method == "POST":
        values = request.POST
        try:
            programme = None
            if request.POST.get("programme"):
                programme = selectors.programme_get(
                    actor=request.user, programme_id=request.POST["programme"]
                )
            donations.donation_record(
                actor=request.user,
                org=_org_from(request),
                donor_kind=request.POST.get("donor_kind", ""),
                donor_name=request.POST.get("donor_name", ""),
                amount=request.POST.get("amount", ""),
                received_on=request.POST.get("received_on", ""),
                programme=programme,
                campaign=request.POST.get("campaign", ""),
                donors_count=request.POST.get("donors_count") or 1,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:donations")
    rows = selectors.donations_for_staff(actor=request.user)
    return render(
        request,
        "aid/bench_donations.html",
        _ctx(
            request,
            page=Paginator(rows, 50).get_page(request.GET.get("page")),
            errors=errors,
            values=values,
            orgs=_acting_orgs(request.user),
            programmes=list(selectors.programmes_for_staff(actor=request.user)[:100]),
            kinds=Donation.DonorKind.choices,
        ),
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def dibao(request):
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            hardship.dibao_set(
                actor=request.user,
                org=_org_from(request),
                region_code=request.POST.get("region_code", ""),
                region_name=request.POST.get("region_name", ""),
                monthly=request.POST.get("monthly", ""),
                effective_from=request.POST.get("effective_from", ""),
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            return redirect("aid_bench:dibao")
    return render(
        request,
        "aid/bench_dibao.html",
        _ctx(
            request,
            rows=list(selectors.dibao_list()[:300]),
            errors=errors,
            values=values,
            orgs=_acting_orgs(request.user),
        ),
        status=status,
    )


@workbench_view
def reports(request):
    year = _year(request)
    return render(
        request,
        "aid/bench_reports.html",
        _ctx(
            request,
            r=selectors.report(actor=request.user, year=year),
            year=year,
            years=list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            statuses=dict(AidApplication.Status.choices),
            categories=HardshipFile.Category.choices,
            has_scope=bool(scope_paths(request.user)),
        ),
    )
