"""Which union handles a claim: the territorial union of the workplace (属地管理), by level
(分级主办), never the employer's own union."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from gonghui.core.errors import DomainError
from gonghui.orgs.models import Org

TERRITORIAL_KINDS = (Org.Kind.TOWNSHIP, Org.Kind.COUNTY, Org.Kind.CITY, Org.Kind.PROVINCE)
EMPLOYER_UNION_KINDS = (Org.Kind.GRASSROOTS, Org.Kind.JOINT)


@dataclass(frozen=True)
class Route:
    org: Org
    supervising_org: Org | None
    reason: str


def employer_key(name: str) -> str:
    """Employer names compared without spaces and brackets' width: "某某（阳春）公司" = "某某(阳春)公司"."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def employer_union_ids(employer_name: str, *, filer=None) -> set[int]:
    """The employer's own union(s): a grassroots union named after the employer ("<单位名称>工会"), and
    the filer's own union when their membership record names the same employer."""
    key = employer_key(employer_name)
    ids: set[int] = set()
    if len(key) >= 4:
        for org in Org.objects.filter(kind__in=EMPLOYER_UNION_KINDS, name__startswith=key[:4]):
            if employer_key(org.name).startswith(key):
                ids.add(org.pk)
    member = getattr(filer, "member", None) if filer is not None else None
    if member is not None and key and employer_key(member.employer_name) == key:
        ids.add(member.org_id)
    return ids


def is_large(*, collective: bool, claimants: int, amount: Decimal) -> bool:
    return (
        collective
        or claimants >= settings.GONGHUI_CASES_COLLECTIVE_MIN_CLAIMANTS
        or amount >= Decimal(str(settings.GONGHUI_CASES_LARGE_AMOUNT))
    )


def _territorial_for(region: str) -> Org | None:
    """The county (district, county-level city) union for the region code, else the city, else province."""
    for kind, code in (
        (Org.Kind.COUNTY, region),
        (Org.Kind.CITY, region[:4] + "00"),
        (Org.Kind.PROVINCE, region[:2] + "0000"),
    ):
        org = Org.objects.filter(kind=kind, region_code=code, is_active=True).order_by("path").first()
        if org is not None:
            return org
    return None


def route_case(*, region: str, township: Org | None, large: bool, excluded: set[int]) -> Route:
    county = _territorial_for(region)
    if county is None:
        raise DomainError(
            "该工作地暂无工会受理网上诉求，请核对行政区划代码或拨打 12351 职工服务热线",
            code="no_territorial_union",
            field="workplace_region",
        )
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
