"""医疗互助, the member's phone pages: my cover and certificate, file a claim with photos, follow it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError

from .. import selectors, services
from ..models import MutualAidClaim


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def claim_input(post) -> services.ClaimInput:
    return services.ClaimInput(
        kind=post.get("kind", MutualAidClaim.Kind.ILLNESS),
        hospital=post.get("hospital", ""),
        diagnosis=post.get("diagnosis", ""),
        admitted_on=parse_date(post.get("admitted_on")),
        discharged_on=parse_date(post.get("discharged_on")),
        total_cost=post.get("total_cost", ""),
        insured_part=post.get("insured_part", ""),
        self_paid=post.get("self_paid") or None,
    )


@login_required
def home(request):
    return render(
        request,
        "mutual_aid/home.html",
        {
            "enrolments": selectors.my_enrolments(actor=request.user),
            "claims": selectors.my_claims(actor=request.user)[:50],
            "tab": "services",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request):
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            claim = services.claim_file(
                actor=request.user, data=claim_input(request.POST), files=request.FILES.getlist("photos")
            )
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            return redirect("mutual_aid:claim", claim.pk)
    return render(
        request,
        "mutual_aid/claim_new.html",
        {
            "errors": errors,
            "values": values,
            "kinds": MutualAidClaim.Kind.choices,
            "enrolments": selectors.my_enrolments(actor=request.user),
            "tab": "services",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, claim_id):
    claim = selectors.claim_get_for_worker(actor=request.user, claim_id=claim_id)
    errors, status = {}, 200
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            services.claim_withdraw(actor=request.user, claim=claim, reason="职工本人撤回")
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            return redirect("mutual_aid:claim", claim.pk)
    return render(
        request,
        "mutual_aid/claim_detail.html",
        {"claim": claim, "photos": claim.photos.all(), "errors": errors, "tab": "services"},
        status=status,
    )


@login_required
def claim_photo(request, claim_id, photo_id):
    claim = selectors.claim_get_for_worker(actor=request.user, claim_id=claim_id)
    return send_photo(claim.photos.filter(pk=photo_id).first())


def send_photo(photo):
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def quote(request):
    """试算: what a next stay would pay, against the member's year so far (the same calculation as a claim)."""
    enrolments = [e for e in selectors.my_enrolments(actor=request.user) if e.status == e.Status.ACTIVE]
    enrolment = next(
        (e for e in enrolments if str(e.pk) == request.GET.get("cover")),
        enrolments[0] if enrolments else None,
    )
    result, errors = None, {}
    if enrolment is not None and request.GET.get("self_paid"):
        days = request.GET.get("days", "")
        try:
            if not days.isdigit():
                raise DomainError("住院天数应为 0–366 的整数", code="days", field="days")
            result = services.quote(
                product=enrolment.product,
                self_paid=request.GET["self_paid"],
                days=int(days),
                before=services.year_so_far(enrolment),
            )
        except DomainError as exc:
            errors = {exc.field or "general": exc.message}
    return render(
        request,
        "mutual_aid/quote.html",
        {
            "enrolments": enrolments,
            "enrolment": enrolment,
            "claim": {"breakdown": result.as_dict()} if result else None,
            "values": request.GET,
            "errors": errors,
            "tab": "services",
        },
        status=400 if errors else 200,
    )
