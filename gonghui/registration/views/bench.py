"""工会法人登记 in the workbench: filings (file, approve, 退回补正), the certificate download, the register
and the deadline lists."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.pagination import page_of
from gonghui.core.xlsx import XlsxWriter, export_audit, xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import scope_paths, scoped_orgs

from .. import selectors, services
from ..models import Filing

TEXT_FIELDS = ("union_name", "credit_code", "legal_rep", "address", "reason")
DATE_FIELDS = ("term_start", "term_end", "change_date")


def _form_data(post) -> dict:
    data = {k: post.get(k, "").strip() for k in TEXT_FIELDS}
    for k in DATE_FIELDS:
        value = post.get(k, "").strip()
        try:
            data[k] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise DomainError("日期格式应为 YYYY-MM-DD", code="date_format", field=k) from None
    data["documents"] = post.getlist("documents")
    return data


def _filer_orgs(user):
    ids = Staff.objects.filter(
        user=user, role__in=services.FILER_ROLES, is_active=True, org__kind=Org.Kind.GRASSROOTS
    ).values_list("org_id", flat=True)
    return list(Org.objects.filter(pk__in=ids))


@workbench_view
def filing_list(request):
    view = request.GET.get("view", "open")
    page = page_of(
        selectors.filings(actor=request.user, view=view if view != "all" else ""),
        request.GET.get("page"),
        per_page=30,
    )
    return render(
        request,
        "registration/bench_list.html",
        {
            "nav": "registration",
            "page": page,
            "view": view,
            "filer_orgs": _filer_orgs(request.user),
            "today": services.today(),
        },
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def filing_new(request):
    orgs = _filer_orgs(request.user)
    if not orgs:
        raise NotFound()
    org = next((o for o in orgs if str(o.pk) == request.GET.get("org", request.POST.get("org", ""))), orgs[0])
    kind = request.GET.get("kind", request.POST.get("kind", Filing.Kind.APPLY))
    kind = kind if kind in Filing.Kind.values else Filing.Kind.APPLY
    current = services.valid_certificate(org)
    errors, values = {}, {}
    if request.method == "POST":
        try:
            data = _form_data(request.POST)
            values = data
            filing = services.filing_submit(actor=request.user, org=org, kind=kind, **data)
            return redirect("registration_bench:detail", filing.pk)
        except DomainError as exc:
            errors[exc.field or "general"] = exc.message
    else:
        values = {
            "union_name": current.union_name if current else org.name,
            "credit_code": current.credit_code if current else (org.credit_code or ""),
            "legal_rep": current.legal_rep if current else org.chair_name,
            "address": current.address if current else org.address,
        }
    return render(
        request,
        "registration/bench_new.html",
        {
            "nav": "registration",
            "org": org,
            "orgs": orgs,
            "kind": kind,
            "kinds": Filing.Kind.choices,
            "current": current,
            "authority": services.authority_for(org),
            "documents": services.REQUIRED_DOCUMENTS[kind],
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def filing_detail(request, filing_id: int):
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.filing_approve(actor=request.user, filing=filing)
            elif action == "return":
                items = request.POST.get("items", "").splitlines()
                services.filing_return(actor=request.user, filing=filing, items=items)
            elif action == "resubmit":
                services.filing_resubmit(actor=request.user, filing=filing, **_form_data(request.POST))
            return redirect("registration_bench:detail", filing.pk)
        except DomainError as exc:
            errors[exc.field or "general"] = exc.message
            errors.setdefault("general", exc.message)
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    cert = getattr(filing, "certificate", None) if filing.status == Filing.Status.APPROVED else None
    can_approve = Staff.objects.filter(
        user=request.user, org=filing.authority, role__in=services.APPROVER_ROLES, is_active=True
    ).exists()
    return render(
        request,
        "registration/bench_detail.html",
        {
            "nav": "registration",
            "filing": filing,
            "cert": cert,
            "can_approve": can_approve and filing.status == Filing.Status.SUBMITTED,
            "overdue": filing.status == Filing.Status.SUBMITTED and filing.due_date < services.today(),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@workbench_view
def certificate_pdf(request, number: str):
    cert = selectors.certificate_get(actor=request.user, number=number)
    response = HttpResponse(bytes(cert.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response


@workbench_view
def register(request):
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:40]
    page = page_of(
        selectors.register(actor=request.user, state=state, q=q), request.GET.get("page"), per_page=50
    )
    certs = {
        c.org_id: c
        for c in selectors.certificates(actor=request.user).filter(
            status="valid", org_id__in=[o.pk for o in page]
        )
    }
    for org in page:
        org.cert = certs.get(org.pk)
    return render(
        request,
        "registration/bench_register.html",
        {
            "nav": "registration",
            "page": page,
            "state": state,
            "q": q,
            "counts": selectors.register_counts(actor=request.user),
            "lists": selectors.deadline_lists(actor=request.user),
            "today": services.today(),
            "scoped": scoped_orgs(request.user).exists(),
        },
    )


REGISTER_HEADER = [
    "基层工会",
    "上级工会",
    "登记状态",
    "统一社会信用代码",
    "证书编号",
    "法定代表人",
    "住所",
    "有效期至",
    "登记机关",
]


def register_xlsx(orgs, certs) -> bytes:
    """The register (docs/registration.md): one row per grassroots union in scope. No personal data."""
    book = XlsxWriter()
    sheet = book.sheet("法人登记名册", header=REGISTER_HEADER)
    for org in orgs:
        c = certs.get(org.pk)
        sheet.append(
            [org.name, org.parent.name if org.parent else "", "已登记" if c else "未登记"]
            + (
                [c.credit_code, c.number, c.legal_rep, c.address, c.valid_until.isoformat(), c.authority.name]
                if c
                else [""] * 6
            )
        )
    return book.to_bytes()


@workbench_view
def register_export(request):
    orgs = list(
        selectors.register(actor=request.user, state=request.GET.get("state", "")).select_related("parent")
    )
    certs = {c.org_id: c for c in selectors.certificates(actor=request.user).filter(status="valid")}
    export_audit(
        actor=request.user,
        action="registration.register_export",
        orgs=list(Org.objects.filter(path__in=scope_paths(request.user))),
        detail={"rows": len(orgs)},
    )
    return xlsx_response(register_xlsx(orgs, certs), "工会法人登记名册.xlsx")
