"""Reads for 职工医疗互助保障, always from the actor's scope (out of scope = not found)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gonghui.core.errors import NotFound
from gonghui.core.money import to_fen
from gonghui.members.selectors import members_in_scope
from gonghui.orgs.models import STEP
from gonghui.orgs.scope import path_q, scope_paths

from .models import Enrolment, FollowUp, MutualAidClaim, MutualAidProduct

ZERO = Decimal("0.00")


def _ancestor_paths(paths: list[str]) -> set[str]:
    return {p[:i] for p in paths for i in range(STEP, len(p) + 1, STEP)}


def products_for(*, actor) -> QuerySet[MutualAidProduct]:
    """Products run in the actor's subtree or by a union above it (a provincial product covers its grassroots)."""
    paths = scope_paths(actor)
    return MutualAidProduct.objects.filter(
        path_q(paths, "org_path") | Q(org_path__in=_ancestor_paths(paths))
    ).select_related("org")


def products_for_member(member) -> QuerySet[MutualAidProduct]:
    return MutualAidProduct.objects.filter(org_path__in=_ancestor_paths([member.org_path])).select_related(
        "org"
    )


def product_get(*, actor, product_id) -> MutualAidProduct:
    try:
        return products_for(actor=actor).get(pk=int(product_id))
    except (MutualAidProduct.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def product_get_public(product_id) -> MutualAidProduct:
    """Rules are public (the quote is a calculator anyone may try)."""
    try:
        return MutualAidProduct.objects.select_related("org").get(pk=int(product_id))
    except (MutualAidProduct.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def enrolments_in_scope(*, actor) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(path_q(scope_paths(actor), "org_path")).select_related(
        "product", "member", "org"
    )


def enrolment_list(*, actor, product_id=None) -> QuerySet[Enrolment]:
    qs = enrolments_in_scope(actor=actor)
    if product_id:
        qs = qs.filter(product_id=product_id)
    return qs.order_by("-created_at", "-id")


def claims_in_scope(*, actor) -> QuerySet[MutualAidClaim]:
    return MutualAidClaim.objects.filter(path_q(scope_paths(actor), "org_path")).select_related(
        "enrolment__product", "enrolment__member", "org"
    )


def claim_list(*, actor, status: str = "", q: str = "") -> QuerySet[MutualAidClaim]:
    qs = claims_in_scope(actor=actor)
    if status in MutualAidClaim.Status.values:
        qs = qs.filter(status=status)
    if q.strip():
        q = q.strip()
        qs = qs.filter(
            Q(number__icontains=q) | Q(enrolment__member__name__startswith=q) | Q(enrolment__certificate_no=q)
        )
    return qs.order_by("-created_at", "-id")


def claim_get_for_staff(*, actor, claim_id) -> MutualAidClaim:
    try:
        return claims_in_scope(actor=actor).get(pk=int(claim_id))
    except (MutualAidClaim.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def my_enrolments(*, actor) -> QuerySet[Enrolment]:
    member = getattr(actor, "member", None) if actor.is_authenticated else None
    if member is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(member=member).select_related("product", "org").order_by("-product__year")


def my_claims(*, actor) -> QuerySet[MutualAidClaim]:
    member = getattr(actor, "member", None) if actor.is_authenticated else None
    if member is None:
        return MutualAidClaim.objects.none()
    return (
        MutualAidClaim.objects.filter(enrolment__member=member)
        .select_related("enrolment__product")
        .order_by("-admitted_on", "-id")
    )


def claim_get_for_worker(*, actor, claim_id) -> MutualAidClaim:
    try:
        return my_claims(actor=actor).get(pk=int(claim_id))
    except (MutualAidClaim.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def year_of(claim: MutualAidClaim) -> list[MutualAidClaim]:
    """All stays of the claim's member and product year, in date order (withdrawn ones included)."""
    return list(claim.enrolment.claims.order_by("admitted_on", "discharged_on", "id"))


def follow_ups(claim: MutualAidClaim) -> list[FollowUp]:
    return list(claim.follow_ups.all())


def report(*, actor, year: int | None = None) -> dict:
    """Payout rate (members paid / enrolled), totals per band, per union and per product year."""
    enrolments = enrolments_in_scope(actor=actor)
    claims = claims_in_scope(actor=actor).filter(status=MutualAidClaim.Status.PAID)
    if year:
        enrolments = enrolments.filter(product__year=year)
        claims = claims.filter(enrolment__product__year=year)
    enrolments = enrolments.filter(status=Enrolment.Status.ACTIVE)

    per_year = []
    enrolled = dict(
        enrolments.values_list("product__year").annotate(n=Count("id")).values_list("product__year", "n")
    )
    donated = dict(
        enrolments.filter(paid_by=Enrolment.PaidBy.DONATED)
        .values_list("product__year")
        .annotate(n=Count("id"))
        .values_list("product__year", "n")
    )
    paid_rows = (
        claims.values("enrolment__product__year")
        .annotate(members=Count("enrolment", distinct=True), claims=Count("id"), total=Sum("paid_amount"))
        .order_by("-enrolment__product__year")
    )
    paid_by_year = {r["enrolment__product__year"]: r for r in paid_rows}
    for y in sorted(set(enrolled) | set(paid_by_year), reverse=True):
        row = paid_by_year.get(y, {})
        n = enrolled.get(y, 0)
        members_paid = row.get("members", 0)
        per_year.append(
            {
                "year": y,
                "enrolled": n,
                "donated": donated.get(y, 0),
                "members_paid": members_paid,
                "claims_paid": row.get("claims", 0),
                "total": to_fen(row.get("total") or ZERO),
                "payout_rate": round(100 * members_paid / n, 2) if n else 0.0,
            }
        )

    bands: dict[tuple, dict] = {}
    allowance = ZERO
    minimum_top_up = ZERO
    for breakdown in claims.values_list("breakdown", flat=True):
        if breakdown.get("method") == "allowance" or breakdown.get("allowance_floor_applied"):
            allowance += Decimal(breakdown.get("allowance", "0"))
            continue
        for b in breakdown.get("bands", []):
            key = (Decimal(b["lower"]), b["upper"] and Decimal(b["upper"]), Decimal(b["rate"]))
            entry = bands.setdefault(
                key, {"lower": key[0], "upper": key[1], "rate": key[2], "amount": ZERO, "share": ZERO}
            )
            entry["amount"] += Decimal(b["amount"])
            entry["share"] += Decimal(b["share"])
        if breakdown.get("minimum_applied"):
            minimum_top_up += Decimal(breakdown["before_cap"]) - Decimal(breakdown["banded_total"])

    per_org = defaultdict(lambda: {"claims": 0, "total": ZERO})
    for org_id, org_name, total in claims.values_list("org_id", "org__name", "paid_amount"):
        per_org[(org_id, org_name)]["claims"] += 1
        per_org[(org_id, org_name)]["total"] += total or ZERO

    coverage = []
    enrolled_by_org = dict(
        enrolments.values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n")
    )
    if enrolled_by_org:
        members = dict(
            members_in_scope(actor=actor)
            .filter(org_id__in=list(enrolled_by_org), status="active")
            .values_list("org_id")
            .annotate(n=Count("id"))
            .values_list("org_id", "n")
        )
        names = dict(enrolments.values_list("org_id", "org__name").distinct())
        for org_id, n in sorted(enrolled_by_org.items(), key=lambda kv: names.get(kv[0], "")):
            total = members.get(org_id, 0)
            coverage.append(
                {
                    "org": names.get(org_id, ""),
                    "enrolled": n,
                    "members": total,
                    "rate": round(100 * n / total, 1) if total else 0.0,
                }
            )

    return {
        "per_year": per_year,
        "bands": sorted(bands.values(), key=lambda b: b["lower"]),
        "allowance_total": allowance,
        "minimum_top_up": minimum_top_up,
        "per_org": sorted(
            ({"org": k[1], **v} for k, v in per_org.items()), key=lambda r: r["total"], reverse=True
        ),
        "coverage": coverage,
    }
