"""Reads of the union tree, always through the actor's scope."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from gonghui.core import regions
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.geo import haversine_m

from .models import STEP, Org, Staff
from .scope import path_q, scope_paths, scoped_orgs, subtree_q


def org_get(*, actor, org_id, roles=None) -> Org:
    try:
        return scoped_orgs(actor, roles).get(pk=int(org_id))
    except (Org.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def org_roots(*, actor) -> QuerySet[Org]:
    return Org.objects.filter(path__in=scope_paths(actor)).order_by("path")


def org_children(*, actor, org: Org) -> QuerySet[Org]:
    return scoped_orgs(actor).filter(parent=org).order_by("path")


def org_list(*, actor, parent_id=None, q: str = "", kind: str = "") -> QuerySet[Org]:
    qs = scoped_orgs(actor)
    if parent_id:
        qs = qs.filter(parent_id=org_get(actor=actor, org_id=parent_id).pk)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def org_ancestors(org: Org) -> list[Org]:
    step = len(org.path) // org.depth if org.depth else len(org.path)
    paths = [org.path[:i] for i in range(step, len(org.path), step)]
    return list(Org.objects.filter(path__in=paths).order_by("path"))


def visible_ancestors(*, actor, org: Org) -> list[Org]:
    """Breadcrumbs stop at the top of the actor's scope: parents above it stay invisible."""
    roots = scope_paths(actor)
    return [a for a in org_ancestors(org) if any(a.path.startswith(r) for r in roots)]


def _common_prefix(paths: list[str]) -> str:
    # The common prefix of the smallest and largest string is that of all of them.
    low, high = min(paths), max(paths)
    n = 0
    while n < len(low) and low[n] == high[n]:
        n += 1
    return low[:n]


# What feature apps count in a subtree (key, queryset factory, path field): members adds its active members
# from its AppConfig.ready, so the tree pages show them without orgs importing a floor above it.
SUBTREE_COUNTERS: dict[str, tuple[Callable[[], QuerySet], str]] = {}


def subtree_counter_register(key: str, queryset: Callable[[], QuerySet], field: str) -> None:
    SUBTREE_COUNTERS[key] = (queryset, field)


def subtree_counts(orgs: list[Org]) -> dict[int, dict[str, int]]:
    """Sub-org counts and each registered count (members, …) for each node's whole subtree.

    One grouped query per count per distinct depth (a tree level is one depth), not one per node: the
    children of a county with 200 unions are two queries, not 400."""
    counters = [("orgs", Org.objects.all(), "path")]
    counters += [(key, queryset(), field) for key, (queryset, field) in SUBTREE_COUNTERS.items()]
    result = {o.pk: dict.fromkeys((key for key, _, _ in counters), 0) for o in orgs}
    by_length: dict[int, dict[str, int]] = defaultdict(dict)
    for org in orgs:
        by_length[len(org.path)][org.path] = org.pk
    for length, pks in by_length.items():
        common = _common_prefix(list(pks))
        for key, queryset, field in counters:
            rows = (
                queryset.filter(subtree_q(common, field))
                .annotate(root=Substr(field, 1, length))
                .filter(root__in=list(pks))
                .values("root")
                .annotate(n=Count("pk"))
                .values_list("root", "n")
            )
            for root, n in rows:
                # A node's own row is in its subtree range; it is not its own sub-org.
                result[pks[root]][key] = n - 1 if key == "orgs" else n
    return result


def staff_for_org(*, actor, org: Org) -> QuerySet[Staff]:
    return Staff.objects.filter(org=org, is_active=True).select_related("user").order_by("role", "id")


def staff_is_last_admin(*, staff: Staff) -> bool:
    """True when this post is the only active admin of its union (it may not be revoked)."""
    return (
        staff.role == Staff.Role.ADMIN
        and not Staff.objects.filter(org_id=staff.org_id, role=Staff.Role.ADMIN, is_active=True)
        .exclude(pk=staff.pk)
        .exists()
    )


def staff_in_scope(*, actor) -> QuerySet[Staff]:
    return Staff.objects.filter(path_q(scope_paths(actor), "org__path"), is_active=True).select_related(
        "user", "org"
    )


# --- which staff hold which roles: the one query every app asks -------------------------------------------


def staff_holding(
    *, roles: Iterable[str], org: Org | None = None, org_ids: Iterable[int] = (), reach: str = "here"
) -> QuerySet[Staff]:
    """Active positions of active people holding one of `roles`.

    reach="here"     on `org` (or on any of `org_ids`) itself;
    reach="chain"    on `org` or any union above it (who may act on a case handled by `org`);
    reach="nearest"  on `org`, or else on the nearest union above it that has any (so nothing lands unread)."""
    if reach not in {"here", "chain", "nearest"}:
        raise ValueError(f"unknown reach {reach!r}")
    qs = Staff.objects.filter(role__in=list(roles), is_active=True, user__is_active=True).select_related(
        "user", "org"
    )
    if reach == "here":
        ids = [org.pk] if org is not None else list(org_ids)
        return qs.filter(org_id__in=ids)
    chain = [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]
    qs = qs.filter(org__path__in=chain)
    if reach == "nearest":
        nearest = qs.order_by("-org__path").values_list("org__path", flat=True).first()
        qs = qs.filter(org__path=nearest) if nearest else qs.none()
    return qs


def staff_users(**kwargs) -> list:
    """The people behind staff_holding(**kwargs), each once, in a stable order."""
    users = {}
    for position in staff_holding(**kwargs).order_by("org__path", "id"):
        users.setdefault(position.user_id, position.user)
    return list(users.values())


# --- which union handles a worker: the one rule (docs/routing.md) ---------------------------------

TERRITORIAL_KINDS = (Org.Kind.TOWNSHIP, Org.Kind.COUNTY, Org.Kind.CITY, Org.Kind.PROVINCE)
EMPLOYER_UNION_KINDS = (Org.Kind.GRASSROOTS, Org.Kind.JOINT)
# Unions that may hold members directly (where an application can be approved or passed on to).
MEMBER_HOLDING_KINDS = (
    Org.Kind.GRASSROOTS,
    Org.Kind.JOINT,
    Org.Kind.TOWNSHIP,
    Org.Kind.COUNTY,
    Org.Kind.INDUSTRY,
)
# Longest first: "股份有限公司" must go before "有限公司", "分公司" before "公司".
EMPLOYER_SUFFIXES = (
    "工会委员会",
    "联合工会",
    "工会",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "公司",
    "集团",
)
MATCH_SCORE = 70  # at or above: the employer's own union; below: only a "您是不是指…" suggestion


def employer_key(name: str) -> str:
    """The name two spellings of one employer share: no spaces, half-width brackets, without the
    legal-form suffixes ("某某运输有限责任公司工会" = "某某运输公司" = "某某运输")."""
    key = "".join((name or "").split()).replace("（", "(").replace("）", ")")
    changed = True
    while changed and key:
        changed = False
        for suffix in EMPLOYER_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
                break
    return key


@dataclass(frozen=True)
class EmployerMatch:
    org: Org
    score: int  # 100 same name, 80 the union's name holds the typed one, 70 the reverse, <70 similar


def _score(typed: str, org: Org) -> int:
    keys = {employer_key(org.name), employer_key(org.short_name)} - {""}
    if typed in keys:
        return 100
    if len(typed) >= 4 and any(typed in k for k in keys):
        return 80
    if any(len(k) >= 4 and k in typed for k in keys):
        return 70
    # Similar: the share of the typed characters found in order in the union's name.
    shared = max(sum(b.size for b in SequenceMatcher(None, typed, k).get_matching_blocks()) for k in keys)
    return int(shared / len(typed) * 60) if keys else 0


def employer_matches(employer_name: str, *, region: str = "", limit: int = 5) -> list[EmployerMatch]:
    """Employer (platform) unions for a typed name, best first: the same name whatever its 有限公司/
    公司/分公司 suffix, then names that hold it, then similar ones (for "您是不是指…")."""
    typed = employer_key(employer_name)
    if len(typed) < 2:
        return []
    active = Org.objects.filter(kind__in=EMPLOYER_UNION_KINDS, is_active=True).order_by("path")
    strong = Q(name__contains=typed) | Q(short_name__contains=typed)
    if len(typed) < 4:
        # "美团", "滴滴": only a union named exactly so is theirs.
        strong = Q(name__in=[typed, typed + "工会"]) | Q(short_name__in=[typed, typed + "工会"])
    candidates = {org.pk: org for org in active.filter(strong)[:50]}
    # Two-character pieces find "柳林预石物流" → "山西吕梁柳林县预石运输…"; the score sorts them out.
    pieces = {typed} if len(typed) < 4 else {typed[i : i + 2] for i in range(min(len(typed), 24) - 1)}
    fuzzy = Q()
    for piece in pieces:
        fuzzy |= Q(name__contains=piece) | Q(short_name__contains=piece)
    for org in active.filter(fuzzy)[:150]:
        candidates.setdefault(org.pk, org)
    candidates = list(candidates.values())
    scored = [EmployerMatch(org, _score(typed, org)) for org in candidates]
    scored = [m for m in scored if m.score >= 30]
    # Same score: the union of the worker's own place first, then the tree order.
    scored.sort(key=lambda m: (-m.score, m.org.region_code != region if region else False, m.org.path))
    return scored[:limit]


def employer_union(employer_name: str, *, region: str = "") -> Org | None:
    """The employer's (or platform's) own union, or None when no union is clearly theirs."""
    best = employer_matches(employer_name, region=region, limit=1)
    return best[0].org if best and best[0].score >= MATCH_SCORE else None


def employer_union_ids(employer_name: str, *, filer=None) -> set[int]:
    """Every union that is the employer's own (a claim must never go to one): the matched employer
    unions, and the filer's own union when their membership names the same employer."""
    typed = employer_key(employer_name)
    ids = {m.org.pk for m in employer_matches(employer_name, limit=20) if m.score >= MATCH_SCORE}
    member = getattr(filer, "member", None) if filer is not None else None
    if member is not None and typed and employer_key(member.employer_name) == typed:
        ids.add(member.org_id)
    return ids


def territorial_union(region: str) -> Org | None:
    """The territorial union of a place: the county (district, county-level city) union with its code,
    else its city's union, else its province's. A township union is never found by code: it is chosen
    by name (cases) or assigned by staff."""
    if not region or len(region) != 6 or not region.isdigit():
        return None
    for kind, code in (
        (Org.Kind.COUNTY, region),
        (Org.Kind.CITY, region[:4] + "00"),
        (Org.Kind.PROVINCE, region[:2] + "0000"),
    ):
        org = Org.objects.filter(kind=kind, region_code=code, is_active=True).order_by("path").first()
        if org is not None:
            return org
    return None


@dataclass(frozen=True)
class UnionRoute:
    org: Org
    reason: str
    basis: str  # "employer", "pool", "territorial"
    place: str = ""  # the region code that decided, for territorial routes
    pool: Org | None = None  # the holding pool an application passed through, if any
    excluded: frozenset = frozenset()  # claims: the employer's own unions


PLACE_BASIS = (("work_region", "工作地"), ("residence_region", "居住地"), ("id_region", "身份证归属地"))


def worker_union(
    *,
    purpose: str,
    employer_name: str = "",
    work_region: str = "",
    residence_region: str = "",
    id_region: str = "",
    filer=None,
    pool: Callable[[], UnionRoute | None] | None = None,
) -> UnionRoute:
    """Which union handles this worker — the one rule for membership and claims (docs/routing.md).

    1. The place: the one the worker picked (工作地), else where they live, else (joining only) the
       region of their 身份证号.
    2. Joining (purpose="join"): the employer's or platform's own union when there is one (matched
       whatever its 有限公司/公司/分公司 suffix); else the holding pool for mobile occupations (`pool`,
       supplied by the members app); else the territorial union of the place.
    3. A claim (purpose="claim"): the territorial union of the workplace, never the employer's own
       union (`excluded` lists them so the caller can climb clear of them).
    """
    if purpose == "claim":
        places = [("work_region", "工作地", work_region)]
    else:
        values = {"work_region": work_region, "residence_region": residence_region, "id_region": id_region}
        places = [(field, label, values[field]) for field, label in PLACE_BASIS]
    _field, label, place = next(((f, lbl, v) for f, lbl, v in places if v), ("work_region", "工作地", ""))
    if purpose == "claim":
        org = territorial_union(place)
        if org is None:
            raise DomainError(
                "该工作地暂无工会受理网上诉求，请重新选择工作地所在的省、市、县，或拨打 12351 职工服务热线",
                code="no_territorial_union",
                field="workplace_region",
            )
        return UnionRoute(
            org,
            "按属地管理由工作地工会承办",
            "territorial",
            place=place,
            excluded=frozenset(employer_union_ids(employer_name, filer=filer)),
        )
    own = employer_union(employer_name, region=place)
    if own is not None:
        return UnionRoute(own, f"工作单位/平台「{employer_name.strip()}」已建工会", "employer")
    if pool is not None:
        pooled = pool()
        if pooled is not None:
            return pooled
    org = territorial_union(place)
    if org is not None:
        return UnionRoute(org, f"单位尚未建立工会，按{label}转属地工会受理", "territorial", place=place)
    raise DomainError(
        "您选择的地方暂时没有可受理的工会，请在「工作地」选择您常在的省、市、县（区）",
        code="no_union",
        field="work_region",
    )


# --- the 省/市/县 picker and "use my location" -------------------------------------------------------


def _union_place_names() -> dict[str, str]:
    """Names of the places that have a territorial union, from the unions themselves (柳林县总工会 → 柳林县)."""
    names = {}
    for code, name in Org.objects.filter(
        kind__in=(Org.Kind.CITY, Org.Kind.COUNTY), is_active=True
    ).values_list("region_code", "name"):
        if code and len(code) == 6:
            names.setdefault(code, name.removesuffix("总工会").removesuffix("工会"))
    return names


def region_choices(*, province: str = "", city: str = "") -> dict:
    """The options of the three selects: provinces always, the cities of the chosen province, the
    counties of the chosen city; each a list of (code, name)."""
    names = {**_union_place_names(), **regions.PLACES}
    provinces = [(code + "0000", name) for code, name in regions.PROVINCES.items()]
    cities, counties = [], []
    if province and len(province) == 6:
        cities = sorted(
            (c, n) for c, n in names.items() if c[:2] == province[:2] and regions.region_level(c) == "city"
        )
    if city and len(city) == 6 and city[:2] == (province or city)[:2]:
        counties = sorted(
            (c, n) for c, n in names.items() if c[:4] == city[:4] and regions.region_level(c) == "county"
        )
    return {"provinces": provinces, "cities": cities, "counties": counties}


def region_pick(*, province: str = "", city: str = "", county: str = "") -> str:
    """The most precise code the worker picked, each level checked against the one above it."""
    code = ""
    if re.fullmatch(r"\d{2}0000", province or "") and province[:2] in regions.PROVINCES:
        code = province
        if re.fullmatch(r"\d{4}00", city or "") and city[:2] == province[:2]:
            code = city
            if re.fullmatch(r"\d{6}", county or "") and county[:4] == city[:4]:
                code = county
    return code


def region_split(code: str) -> dict[str, str]:
    """The picker's three values for a code (141125 → 140000, 141100, 141125)."""
    if not code or len(code) != 6:
        return {"province": "", "city": "", "county": ""}
    level = regions.region_level(code)
    return {
        "province": code[:2] + "0000",
        "city": code[:4] + "00" if level != "province" else "",
        "county": code if level == "county" else "",
    }


def region_near(*, lat: float, lng: float, max_km: float = 80) -> str:
    """ "Use my location": the region of the nearest county or city union with a known position
    (GCJ-02), within max_km; "" when none is near."""
    best, best_m = "", max_km * 1000
    for code, olat, olng in Org.objects.filter(
        kind__in=(Org.Kind.COUNTY, Org.Kind.CITY), is_active=True, lat__isnull=False, lng__isnull=False
    ).values_list("region_code", "lat", "lng"):
        metres = haversine_m(lat, lng, olat, olng)
        if code and metres < best_m:
            best, best_m = code, metres
    return best


def reassign_targets(*, q: str = "", near_region: str = "", exclude_id=None, limit: int = 15) -> list[Org]:
    """Where staff can pass an application on (转派): unions that hold members, searched by name and
    sorted by relevance — the applicant's own county first, then its city, its province, then the rest."""
    qs = Org.objects.filter(kind__in=MEMBER_HOLDING_KINDS, is_active=True)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(region_code=q))
    elif near_region:
        qs = qs.filter(region_code__startswith=near_region[:2])
    else:
        return []
    rows = list(qs.order_by("path")[:200])

    def rank(org: Org) -> tuple:
        code = org.region_code or ""
        closeness = (
            0
            if near_region and code == near_region
            else 1
            if near_region and code[:4] == near_region[:4]
            else 2
            if near_region and code[:2] == near_region[:2]
            else 3
        )
        named = 0 if q and (org.name.startswith(q) or org.short_name.startswith(q)) else 1
        return (named, closeness, org.depth, org.path)

    return sorted(rows, key=rank)[:limit]


# Staff titles of part-time union chairs (兼职主席/副主席): what chair subsidies count.
PART_TIME_CHAIR_TITLES = ("兼职主席", "兼职副主席")


def part_time_chairs(*, org: Org) -> int:
    """Active part-time chairs and vice-chairs on the union's staff positions (one per person)."""
    return (
        Staff.objects.filter(org=org, is_active=True, title__in=PART_TIME_CHAIR_TITLES)
        .values("user_id")
        .distinct()
        .count()
    )
