"""Where an application goes: the employer's union, a holding pool for mobile workers, or the
territorial union of the workplace. Pure reads; the enrollment service records the outcome."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.db.models import Q
from phonenumbers import geocoder

from gonghui.core.errors import DomainError
from gonghui.orgs.models import Org

from .models import MOBILE_OCCUPATIONS, AssignmentRule, HoldingPool

MEMBER_HOLDING_KINDS = (
    Org.Kind.GRASSROOTS,
    Org.Kind.JOINT,
    Org.Kind.TOWNSHIP,
    Org.Kind.COUNTY,
    Org.Kind.INDUSTRY,
)


@dataclass
class Route:
    org: Org
    reason: str
    pool: Org | None = None  # the holding pool the application passed through, if any


@dataclass
class Applicant:
    employer_name: str
    occupation: str
    id_region: str
    phone: str
    work_region: str = ""
    residence_region: str = ""
    routes: str = ""


def employer_union(employer_name: str, region: str = "") -> Org | None:
    """The employer's (or platform's) own union, matched on its registered name."""
    name = (employer_name or "").strip()
    if len(name) < 2:
        return None
    kinds = [Org.Kind.GRASSROOTS, Org.Kind.JOINT]
    exact = Q(name=name + "工会") | Q(short_name=name + "工会") | Q(name=name)
    # Short fragments ("工地") would match too much; a registered name is at least four characters.
    match = exact | Q(name__contains=name) if len(name) >= 4 else exact
    candidates = list(Org.objects.filter(match, kind__in=kinds, is_active=True).order_by("path")[:5])
    if not candidates:
        return None
    if region:
        local = [o for o in candidates if o.region_code == region]
        if local:
            return local[0]
    return candidates[0]


def phone_place(phone: str) -> str:
    try:
        return geocoder.description_for_number(phonenumbers.parse(phone, "CN"), "zh")
    except phonenumbers.NumberParseException:
        return ""


def territorial_union(region: str) -> Org | None:
    """County union of the region, else the city's, else the province's."""
    if not region or len(region) != 6:
        return None
    for code, kinds in (
        (region, [Org.Kind.COUNTY, Org.Kind.TOWNSHIP]),
        (region[:4] + "00", [Org.Kind.CITY]),
        (region[:2] + "0000", [Org.Kind.PROVINCE]),
    ):
        org = (
            Org.objects.filter(region_code=code, kind__in=kinds, is_active=True)
            .order_by("depth", "path")
            .first()
        )
        if org:
            return org
    return None


def holding_pool(applicant: Applicant) -> HoldingPool | None:
    regions = [r for r in (applicant.work_region, applicant.residence_region, applicant.id_region) if r]
    pools = [
        p
        for p in HoldingPool.objects.filter(is_active=True, org__is_active=True).select_related("org")
        if applicant.occupation in p.occupations
    ]
    for pool in pools:
        if pool.region_prefix and any(r.startswith(pool.region_prefix) for r in regions):
            return pool
    return next((p for p in pools if not p.region_prefix), None)


def rule_matches(rule: AssignmentRule, applicant: Applicant) -> bool:
    if rule.basis == AssignmentRule.Basis.RESIDENCE:
        return bool(applicant.residence_region) and applicant.residence_region.startswith(rule.pattern)
    if rule.basis == AssignmentRule.Basis.ID_REGION:
        return applicant.id_region.startswith(rule.pattern)
    if rule.basis == AssignmentRule.Basis.PHONE:
        return rule.pattern in phone_place(applicant.phone)
    return bool(applicant.routes) and rule.pattern in applicant.routes


def pool_assign(pool: HoldingPool, applicant: Applicant) -> AssignmentRule | None:
    rules = pool.rules.filter(is_active=True, target__is_active=True).select_related("target")
    return next((rule for rule in rules if rule_matches(rule, applicant)), None)


def route(applicant: Applicant) -> Route:
    region = applicant.work_region or applicant.residence_region
    own = employer_union(applicant.employer_name, region)
    if own is not None:
        return Route(own, f"工作单位/平台「{applicant.employer_name}」已建工会")
    if applicant.occupation in MOBILE_OCCUPATIONS:
        pool = holding_pool(applicant)
        if pool is not None:
            rule = pool_assign(pool, applicant)
            if rule is not None:
                return Route(
                    rule.target,
                    f"经「{pool.org.display_name}」按{rule.get_basis_display()}「{rule.pattern}」分配",
                    pool=pool.org,
                )
            return Route(pool.org, "流动性较强的职业，先进入周转池，由工作人员分配", pool=pool.org)
    org = territorial_union(region or applicant.id_region)
    if org is not None:
        basis = (
            "工作地" if applicant.work_region else "居住地" if applicant.residence_region else "身份证归属地"
        )
        return Route(org, f"单位尚未建立工会，按{basis}转属地工会受理")
    raise DomainError("未找到可受理的工会，请填写工作地所在的县（区）", code="no_union", field="work_region")
