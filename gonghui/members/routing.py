"""Where an application goes: the employer's union, a holding pool for mobile workers, or the
territorial union of the workplace. Pure reads; the enrollment service records the outcome."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder

from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org

from .models import MOBILE_OCCUPATIONS, AssignmentRule, HoldingPool

MEMBER_HOLDING_KINDS = org_selectors.MEMBER_HOLDING_KINDS


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
    station_org: Org | None = None  # 先服务后入会: the union keeping the station whose QR was scanned
    station_name: str = ""


def employer_union(employer_name: str, region: str = "") -> Org | None:
    return org_selectors.employer_union(employer_name, region=region)


def phone_place(phone: str) -> str:
    try:
        return geocoder.description_for_number(phonenumbers.parse(phone, "CN"), "zh")
    except phonenumbers.NumberParseException:
        return ""


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
    """The one rule of orgs.selectors.worker_union, with this app's holding pools as its pool step."""

    def pool_step() -> org_selectors.UnionRoute | None:
        station_org = applicant.station_org
        if station_org is not None and station_org.is_active and station_org.kind in MEMBER_HOLDING_KINDS:
            reason = f"在「{applicant.station_name}」扫码入会（先服务后入会），由驿站所属工会受理"
            return org_selectors.UnionRoute(station_org, reason, "station")
        if applicant.occupation not in MOBILE_OCCUPATIONS:
            return None
        pool = holding_pool(applicant)
        if pool is None:
            return None
        rule = pool_assign(pool, applicant)
        if rule is not None:
            reason = f"经「{pool.org.display_name}」按{rule.get_basis_display()}「{rule.pattern}」分配"
            return org_selectors.UnionRoute(rule.target, reason, "pool", pool=pool.org)
        reason = "流动性较强的职业，先进入周转池，由工作人员分配"
        return org_selectors.UnionRoute(pool.org, reason, "pool", pool=pool.org)

    found = org_selectors.worker_union(
        purpose="join",
        employer_name=applicant.employer_name,
        work_region=applicant.work_region,
        residence_region=applicant.residence_region,
        id_region=applicant.id_region,
        pool=pool_step,
    )
    return Route(found.org, found.reason, pool=found.pool)
