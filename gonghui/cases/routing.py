"""Which union handles a claim: the territorial union of the workplace (属地管理), by level
(分级主办), never the employer's own union."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from gonghui.core.errors import DomainError
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org

TERRITORIAL_KINDS = org_selectors.TERRITORIAL_KINDS
EMPLOYER_UNION_KINDS = org_selectors.EMPLOYER_UNION_KINDS


@dataclass(frozen=True)
class Route:
    org: Org
    supervising_org: Org | None
    reason: str


def employer_key(name: str) -> str:
    """Employer names compared without spaces, brackets' width or 有限公司/公司/分公司 suffixes."""
    return org_selectors.employer_key(name)


def employer_union_ids(employer_name: str, *, filer=None) -> set[int]:
    """The employer's own union(s), by the one rule of orgs.selectors (docs/routing.md)."""
    return org_selectors.employer_union_ids(employer_name, filer=filer)


def is_large(*, collective: bool, claimants: int, amount: Decimal) -> bool:
    return (
        collective
        or claimants >= settings.GONGHUI_CASES_COLLECTIVE_MIN_CLAIMANTS
        or amount >= Decimal(str(settings.GONGHUI_CASES_LARGE_AMOUNT))
    )


def route_case(*, region: str, township: Org | None, large: bool, excluded: set[int]) -> Route:
    county = org_selectors.worker_union(purpose="claim", work_region=region).org
    if township is not None and (
        township.kind != Org.Kind.TOWNSHIP or not county.is_ancestor_of(township) or not township.is_active
    ):
        raise DomainError(
            "所选乡镇(街道)不在该工作地范围内，请重新选择", code="bad_township", field="workplace_township"
        )
    if large:
        org = county
        supervisor = org.parent if org.parent and org.parent.kind in TERRITORIAL_KINDS else None
        reason = "集体或大额诉求，按分级主办由县级工会承办，上级工会督办"
    elif township is not None:
        org, supervisor, reason = township, None, "按属地管理由工作地乡镇(街道)工会承办"
    else:
        org, supervisor, reason = county, None, "按属地管理由工作地县(区)级工会承办"
    # Never the employer's own union, nor a union inside it: climb until clear of them.
    while org.pk in excluded:
        if org.parent is None:
            raise DomainError("找不到可承办的工会", code="no_route", field="workplace_region")
        org = org.parent
        reason += "（避开用人单位本单位工会）"
    return Route(org=org, supervising_org=supervisor, reason=reason)
