"""Reads: schemes, quotes, applications, budgets, the ledger, reports and 工会经费 — always through the scope.

A payer's staff see what their union pays (its subtree's schemes, budgets, batches); an applicant union's staff
see what it applied for and received. Anything else is simply not found (404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr

from gonghui.core.errors import NotFound
from gonghui.core.money import to_fen
from gonghui.members.selectors import member_count_on, member_counts_by_branch, member_of_user
from gonghui.orgs.models import STEP, Org
from gonghui.orgs.scope import path_q, scope_paths
from gonghui.orgs.selectors import org_get, part_time_chairs

from . import formula as formulas
from .models import (
    Budget,
    Category,
    Contribution,
    FundApplication,
    LedgerEntry,
    PaymentBatch,
    Scheme,
    SchemeVersion,
)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _ancestor_paths(roots: list[str]) -> list[str]:
    return sorted({root[:i] for root in roots for i in range(STEP, len(root), STEP)})


# --- schemes ------------------------------------------------------------------------------------


def schemes_visible(*, actor) -> QuerySet[Scheme]:
    """Schemes the actor's unions pay (their subtree) or may apply to (paid by a union above them)."""
    roots = scope_paths(actor)
    return Scheme.objects.filter(
        path_q(roots, "org_path") | Q(org_path__in=_ancestor_paths(roots))
    ).select_related("org")


def scheme_get(*, actor, scheme_id) -> Scheme:
    scheme = schemes_visible(actor=actor).filter(pk=_int(scheme_id)).first()
    if scheme is None:
        raise NotFound()
    return scheme


def schemes_for_member(*, member) -> QuerySet[Scheme]:
    """Person schemes (training subsidies) a member may apply to: paid by their union or a union above it."""
    if member is None:
        return Scheme.objects.none()
    path = member.org_path
    ancestors = [path[:i] for i in range(STEP, len(path) + 1, STEP)]
    return Scheme.objects.filter(
        org_path__in=ancestors, applicant=Scheme.Applicant.PERSON, is_active=True
    ).select_related("org")


def scheme_public_get(*, member, scheme_id) -> Scheme:
    scheme = schemes_for_member(member=member).filter(pk=_int(scheme_id)).first()
    if scheme is None:
        raise NotFound()
    return scheme


def scheme_for_applicant(*, actor, scheme_id) -> Scheme:
    """Staff find the schemes of their unions' payers; a worker the person schemes above their union."""
    scheme = schemes_visible(actor=actor).filter(pk=_int(scheme_id)).first()
    if scheme is None:
        scheme = schemes_for_member(member=member_of_user(actor)).filter(pk=_int(scheme_id)).first()
    if scheme is None:
        raise NotFound()
    return scheme


def certificate_level(*, version: SchemeVersion, member) -> tuple[str, str] | None:
    """For a training scheme paid by band (淮安 HA-PX), the band the member's own 职业技能等级证书 earns, read
    from the honours app's training records: (band key, the working line). None when no record matches."""
    from gonghui.honours.selectors import certificate_level_of

    spec = version.formula
    if member is None or version.scheme.category != Category.TRAINING or spec.get("type") != "banded":
        return None
    keys = {b["key"] for b in spec["bands"]}
    record = certificate_level_of(member, among=keys)
    if record is None:
        return None
    line = (
        f"证书等级取自培训取证记录：{record.get_level_display()}（证书 {record.certificate_no}，"
        f"{record.issued_on:%Y-%m-%d}）"
    )
    return record.level, line


def quote_for(*, version: SchemeVersion, inputs: dict, org: Org | None, on: dt.date, member=None):
    """The quote for an applicant: what the system knows replaces what was typed; the working says where from.
    For a person's training subsidy the certificate level comes from their training record when there is one."""
    spec = version.formula
    needs = formulas.required_inputs(spec)
    inputs = {k: v for k, v in (inputs or {}).items() if k in needs}
    sources: dict[str, str] = {}
    lines: list[str] = []
    known = certificate_level(version=version, member=member) if "level" in needs else None
    if known is not None:
        inputs["level"] = known[0]
        sources["level"] = "培训取证记录"
        lines.append(known[1])
    if org is not None and "members" in needs:
        day = version.reference_date or on
        inputs["members"] = member_count_on(org=org, on=day, occupations=version.occupations or None)
        sources["members"] = f"会员名册 {day:%Y-%m-%d} 在籍人数"
        lines.append(f"会员人数取自会员名册（{day:%Y-%m-%d} 在籍）：{inputs['members']} 人")
    if org is not None and formulas.person_source(spec) == "part_time_chairs":
        inputs["persons"] = part_time_chairs(org=org)
        sources["persons"] = formulas.PERSON_SOURCES["part_time_chairs"]
        lines.append(f"兼职主席、副主席取自工会干部岗位：{inputs['persons']} 人")
    for name in needs:
        sources.setdefault(name, "申请人填写")
    quote = formulas.evaluate(spec, inputs)
    quote.lines = lines + quote.lines
    return quote, sources


def scheme_quote(*, actor, scheme: Scheme, inputs: dict, org_id=None, on: dt.date | None = None):
    """What the union may get before applying: with org_id, the registry's figures for that union."""
    from django.utils import timezone

    org = org_get(actor=actor, org_id=org_id) if org_id else None
    return quote_for(version=scheme.current, inputs=inputs, org=org, on=on or timezone.localdate())


# --- applications -------------------------------------------------------------------------------


def applications_in_scope(*, actor) -> QuerySet[FundApplication]:
    roots = scope_paths(actor)
    q = path_q(roots, "payer_path") | path_q(roots, "org_path")
    if getattr(actor, "pk", None):
        q |= Q(applicant_user_id=actor.pk)
    return FundApplication.objects.filter(q).select_related("scheme", "version", "payer", "org", "batch")


def application_list(*, actor, status: str = "", scheme_id=None, role: str = "") -> QuerySet[FundApplication]:
    qs = applications_in_scope(actor=actor)
    roots = scope_paths(actor)
    if role == "payer":
        qs = qs.filter(path_q(roots, "payer_path"))
    elif role == "applicant":
        qs = qs.filter(path_q(roots, "org_path"))
    if status:
        qs = qs.filter(status=status)
    if scheme_id:
        qs = qs.filter(scheme_id=_int(scheme_id))
    return qs.order_by("-submitted_at", "-id")


def application_get(*, actor, application_id) -> FundApplication:
    app = applications_in_scope(actor=actor).filter(pk=_int(application_id)).first()
    if app is None:
        raise NotFound()
    return app


def applications_of_worker(*, actor) -> QuerySet[FundApplication]:
    return FundApplication.objects.filter(applicant_user_id=actor.pk).select_related("scheme").order_by("-id")


# --- budgets, batches, ledger -------------------------------------------------------------------


def budgets_in_scope(*, actor, year: int | None = None) -> QuerySet[Budget]:
    qs = Budget.objects.filter(path_q(scope_paths(actor), "org_path")).select_related("scheme", "org")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "org_path", "scheme__code")


def batches_in_scope(*, actor) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(path_q(scope_paths(actor), "org_path")).select_related("org")


def batch_get(*, actor, batch_id) -> PaymentBatch:
    batch = batches_in_scope(actor=actor).filter(pk=_int(batch_id)).first()
    if batch is None:
        raise NotFound()
    return batch


def batch_rows(*, batch: PaymentBatch) -> QuerySet[FundApplication]:
    return batch.applications.select_related("scheme", "org", "version").order_by("id")


def ledger_in_scope(*, actor, year: int | None = None) -> QuerySet[LedgerEntry]:
    """Entries the actor's unions paid, or received: the payer and the recipient see the same rows."""
    roots = scope_paths(actor)
    qs = LedgerEntry.objects.filter(path_q(roots, "payer_path") | path_q(roots, "recipient_path"))
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("application__scheme", "recipient", "batch")


# --- reports ------------------------------------------------------------------------------------


def _sum(qs, field: str = "amount") -> Decimal:
    return to_fen(qs.aggregate(s=Sum(field))["s"] or 0)


def report(*, actor, org: Org, year: int | None = None) -> dict:
    """Budget against spending for a payer union and everything below it: by year, scheme, district, category."""
    budgets = Budget.objects.filter(path_q([org.path], "org_path"))
    entries = LedgerEntry.objects.filter(path_q([org.path], "payer_path"))
    by_year = [
        {
            "name": str(row["year"]),
            "budget": row["b"] or Decimal("0"),
            "committed": row["c"] or Decimal("0"),
            "paid": row["p"] or Decimal("0"),
        }
        for row in budgets.values("year")
        .annotate(b=Sum("amount"), c=Sum("committed"), p=Sum("paid"))
        .order_by("year")
    ]
    if year:
        budgets, entries = budgets.filter(year=year), entries.filter(year=year)
    by_scheme = [
        {
            "name": row["scheme__name"],
            "budget": row["b"] or Decimal("0"),
            "committed": row["c"] or Decimal("0"),
            "paid": row["p"] or Decimal("0"),
        }
        for row in budgets.values("scheme__name")
        .annotate(b=Sum("amount"), c=Sum("committed"), p=Sum("paid"))
        .order_by("scheme__name")
    ]
    length = len(org.path) + STEP
    approved = defaultdict(Decimal)
    paid = defaultdict(Decimal)
    rows = (
        entries.annotate(branch=Substr("recipient_path", 1, length))
        .values("branch", "kind")
        .annotate(s=Sum("amount"))
    )
    for row in rows:
        target = approved if row["kind"] == LedgerEntry.Kind.COMMIT else paid
        target[row["branch"]] += row["s"] or Decimal("0")
    children = list(Org.objects.filter(parent=org).order_by("path"))
    new_form = member_counts_by_branch(org=org, employment_form="new")
    by_district = []
    for child in children:
        members = new_form.get(child.path, 0)
        spent = approved.get(child.path, Decimal("0"))
        by_district.append(
            {
                "name": child.display_name,
                "approved": to_fen(spent),
                "paid": to_fen(paid.get(child.path, 0)),
                "new_form_members": members,
                "per_new_form_member": (spent / members).quantize(Decimal("0.01")) if members else None,
            }
        )
    labels = dict(Category.choices)
    by_category = [
        {"name": labels.get(row["category"], row["category"]), "value": to_fen(row["s"] or 0)}
        for row in entries.filter(kind=LedgerEntry.Kind.COMMIT)
        .values("category")
        .annotate(s=Sum("amount"))
        .order_by("-s")
    ]
    totals = {
        "budget": _sum(budgets),
        "committed": _sum(budgets, "committed"),
        "paid": _sum(budgets, "paid"),
    }
    totals["remaining"] = totals["budget"] - totals["committed"] - totals["paid"]
    return {
        "org": org,
        "year": year,
        "totals": totals,
        "by_year": by_year,
        "by_scheme": by_scheme,
        "by_district": by_district,
        "by_category": by_category,
    }


def chart_data(data: dict) -> dict:
    """The report as plain numbers for the ECharts script (a JSON island on the page)."""

    def num(value):
        return float(value) if value is not None else None

    return {
        "by_year": [{k: (v if k == "name" else num(v)) for k, v in r.items()} for r in data["by_year"]],
        "by_scheme": [{k: (v if k == "name" else num(v)) for k, v in r.items()} for r in data["by_scheme"]],
        "by_district": [
            {
                "name": r["name"],
                "approved": num(r["approved"]),
                "paid": num(r["paid"]),
                "per_new_form_member": num(r["per_new_form_member"]),
            }
            for r in data["by_district"]
        ],
        "by_category": [{"name": r["name"], "value": num(r["value"])} for r in data["by_category"]],
    }


# --- 工会经费 -------------------------------------------------------------------------------------


def contributions_in_scope(*, actor, month: dt.date | None = None) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(path_q(scope_paths(actor), "org_path")).select_related("org")
    if month:
        qs = qs.filter(month=month.replace(day=1))
    return qs.order_by("-month", "org_path")


def contribution_arrears(*, actor) -> QuerySet[Contribution]:
    from django.db.models import F

    return contributions_in_scope(actor=actor).filter(paid__lt=F("due"))


def contribution_totals(qs: QuerySet[Contribution]) -> dict:
    agg = qs.aggregate(due=Sum("due"), paid=Sum("paid"), kept=Sum("kept"), sent_up=Sum("sent_up"))
    totals = {k: to_fen(v or 0) for k, v in agg.items()}
    totals["arrears"] = totals["due"] - totals["paid"]
    return totals
