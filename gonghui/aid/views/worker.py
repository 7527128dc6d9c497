"""帮扶 worker pages (phone): the self-test (no sign-in), applying with documents, following the status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core import notices
from gonghui.core.errors import DomainError

from .. import selectors
from ..models import AidApplication, AidDocument
from ..services import applications, hardship, payments
from ..services.common import document_bytes
from . import forms


def home(request):
    mine = list(selectors.worker_applications(actor=request.user)[:20])
    for app in mine:
        app.status_text = selectors.worker_status_text(app)
    return render(
        request,
        "aid/home.html",
        {
            "programmes": list(selectors.programmes_open()[:20]),
            "mine": mine,
            "notices": list(notices.public_notices().filter(source="aid")[:5]),
            "tab": "services",
        },
    )


@require_http_methods(["GET", "POST"])
def self_test(request):
    """Nothing is stored and nothing is logged: the figures live only in this request."""
    errors, values, result, status = {}, {"household_size": "3"}, None, 200
    if request.method == "POST":
        values = request.POST
        try:
            result = hardship.self_test(forms.figures(request.POST))
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
    return render(
        request,
        "aid/self_test.html",
        {
            "errors": errors,
            "values": values,
            "result": result,
            "counties": forms.counties(),
            "tab": "services",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, programme_id):
    programme = selectors.programme_open_get(programme_id)
    errors, values, status = {}, {"applicant_name": request.user.name}, 200
    if request.method == "POST":
        values = request.POST
        try:
            app = applications.application_submit(
                actor=request.user,
                programme=programme,
                data=forms.application_data(request.POST),
                files=forms.files_by_kind(request.FILES),
            )
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            return redirect("aid:application", app.pk)
    return render(
        request,
        "aid/apply.html",
        {
            "programme": programme,
            "errors": errors,
            "values": values,
            "levels": AidApplication.Level.choices,
            "documents": _required(programme),
            "tab": "services",
        },
        status=status,
    )


def _required(programme):
    labels = dict(AidDocument.Kind.choices)
    return [(k, labels[k]) for k in programme.documents_required]


@login_required
@require_http_methods(["GET", "POST"])
def application(request, application_id):
    app = selectors.worker_application_get(actor=request.user, application_id=application_id)
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "documents":
                applications.application_add_documents(
                    actor=request.user, application=app, files=forms.files_by_kind(request.FILES)
                )
            elif action == "withdraw":
                applications.application_withdraw(actor=request.user, application=app)
            elif action == "sign":
                payments.payment_sign(actor=request.user, payment=app.payment)
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            return redirect("aid:application", app.pk)
        app = selectors.worker_application_get(actor=request.user, application_id=application_id)
    payment = getattr(app, "payment", None) if app.status in ("batched", "paid") else None
    return render(
        request,
        "aid/application.html",
        {
            "app": app,
            "status_text": selectors.worker_status_text(app),
            "documents": list(app.documents.all()),
            "missing": applications.missing_documents(app),
            "required": _required(app.programme),
            "payment": payment,
            "errors": errors,
            "tab": "services",
        },
        status=status,
    )


@login_required
def document(request, application_id, document_id):
    doc = selectors.worker_document_get(actor=request.user, document_id=document_id)
    if doc.application_id != int(application_id):
        return HttpResponse(status=404)
    response = HttpResponse(document_bytes(doc), content_type=doc.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


def donation(request, token):
    """A donor's link: where the money went, by category — never a recipient's name."""
    report = selectors.donation_report(selectors.donation_by_token(token))
    return render(request, "aid/donation.html", {"r": report, "tab": "services"})
