"""Reads of 劳模工匠; staff reads start from the actor's scoped subtree (out of scope = 404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gonghui.core.errors import NotFound
from gonghui.members.models import Member
from gonghui.orgs.models import STEP
from gonghui.orgs.scope import path_q, scope_paths

from .models import (
    CERT_ORDER,
    Agreement,
    Contest,
    Honour,
    HonourService,
    Milestone,
    Nomination,
    Selection,
    Studio,
    StudioProject,
    TechProblem,
    TrainingRecord,
)


def honours_for_user(user) -> QuerySet[Honour]:
    """The worker's own honours (their phone page)."""
    member = Member.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    if member is None:
        return Honour.objects.none()
    return Honour.objects.filter(member=member).order_by("-year", "-id")


def honours_in_scope(
    user, *, q: str = "", level: str = "", year: int | None = None, holder: str = ""
) -> QuerySet[Honour]:
    """The register of the staffer's subtree. q: part of the title or awarding body, or a holder's exact
    name (person or collective); holder: "person" / "collective"."""
    paths = scope_paths(user)
    if not paths:
        return Honour.objects.none()
    qs = Honour.objects.filter(path_q(paths, "org_path")).select_related("member__org", "collective", "org")
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(awarding_body__icontains=q) | Q(member__name=q) | Q(collective__name=q)
        )
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(year=year)
    if holder == "person":
        qs = qs.filter(member__isnull=False)
    elif holder == "collective":
        qs = qs.filter(collective__isnull=False)
    return qs.order_by("-year", "-id")


def holders_in_subtree(*, org=None, path: str = "", levels=(), member=None) -> list[Member]:
    """Members holding an honour recorded in the subtree (of the given levels; empty = any). With member,
    [member] if they hold one, else []."""
    path = org.path if org is not None else path
    qs = Honour.objects.filter(org_path__startswith=path, member__isnull=False)
    if levels:
        qs = qs.filter(level__in=list(levels))
    if member is not None:
        return [member] if qs.filter(member=member).exists() else []
    ids = qs.values_list("member_id", flat=True).distinct()
    return list(Member.objects.filter(pk__in=ids).select_related("user").order_by("pk"))


def open_selections_for(member) -> QuerySet[Selection]:
    """Selections a worker may nominate themself to: open, self-nomination allowed, run by their union or
    one above it, within the nomination dates."""
    from django.utils import timezone

    if member is None:
        return Selection.objects.none()
    today = timezone.localdate()
    ancestors = [member.org_path[:i] for i in range(STEP, len(member.org_path) + 1, STEP)]
    return Selection.objects.filter(
        status=Selection.Status.OPEN,
        org_path__in=ancestors,
        nominators__in=[Selection.Nominators.SELF, Selection.Nominators.BOTH],
        opens_on__lte=today,
        closes_on__gte=today,
    ).select_related("org")


def my_nominations(member) -> QuerySet[Nomination]:
    if member is None:
        return Nomination.objects.none()
    return Nomination.objects.filter(member=member).select_related("selection").order_by("-id")


def selections_in_scope(user) -> QuerySet[Selection]:
    paths = scope_paths(user)
    if not paths:
        return Selection.objects.none()
    return Selection.objects.filter(path_q(paths, "org_path")).select_related("org")


def selection_get(user, selection_id) -> Selection:
    try:
        return selections_in_scope(user).get(pk=int(selection_id))
    except (Selection.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该评选") from None


def agreements_in_scope(user) -> QuerySet[Agreement]:
    paths = scope_paths(user)
    if not paths:
        return Agreement.objects.none()
    return Agreement.objects.filter(path_q(paths, "org_path")).select_related("master", "org")


def _get(qs, pk, message: str):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(message) from None


def agreement_get(user, agreement_id) -> Agreement:
    return _get(
        agreements_in_scope(user).prefetch_related("apprentices__member"), agreement_id, "未找到该协议"
    )


def milestone_get(user, milestone_id) -> Milestone:
    paths = scope_paths(user)
    qs = Milestone.objects.filter(path_q(paths, "agreement__org_path")) if paths else Milestone.objects.none()
    return _get(qs.select_related("agreement__org"), milestone_id, "未找到该节点")


def problem_get(user, problem_id) -> TechProblem:
    return _get(problems_in_scope(user).select_related("org", "solver"), problem_id, "未找到该难题")


def studios_in_scope(user) -> QuerySet[Studio]:
    paths = scope_paths(user)
    if not paths:
        return Studio.objects.none()
    return Studio.objects.filter(path_q(paths, "org_path")).select_related("org", "leader")


def studio_get(user, studio_id) -> Studio:
    return _get(studios_in_scope(user), studio_id, "未找到该工作室")


def studio_project_get(user, project_id) -> StudioProject:
    paths = scope_paths(user)
    qs = (
        StudioProject.objects.filter(path_q(paths, "studio__org_path"))
        if paths
        else StudioProject.objects.none()
    )
    return _get(qs.select_related("studio__org"), project_id, "未找到该项目")


def studio_totals(user) -> dict:
    """Counts like the seeds quote (儋州: 34 studios, 25 projects, 3,000万元 of benefit a year)."""
    from django.db.models import Sum

    studios = studios_in_scope(user)
    projects = StudioProject.objects.filter(studio__in=studios)
    return {
        "studios": studios.count(),
        "projects": projects.count(),
        "benefit": projects.aggregate(t=Sum("benefit"))["t"] or 0,
    }


def contests_in_scope(user) -> QuerySet[Contest]:
    paths = scope_paths(user)
    if not paths:
        return Contest.objects.none()
    return Contest.objects.filter(path_q(paths, "org_path")).select_related("org")


def contest_get(user, contest_id) -> Contest:
    return _get(contests_in_scope(user), contest_id, "未找到该竞赛")


def training_in_scope(user) -> QuerySet[TrainingRecord]:
    paths = scope_paths(user)
    if not paths:
        return TrainingRecord.objects.none()
    return TrainingRecord.objects.filter(path_q(paths, "org_path")).select_related("member", "contest")


def services_in_scope(user) -> QuerySet[HonourService]:
    paths = scope_paths(user)
    if not paths:
        return HonourService.objects.none()
    return HonourService.objects.filter(path_q(paths, "org_path")).select_related("org")


def certificate_level_of(member, *, among=None) -> TrainingRecord | None:
    """The member's highest 职业技能等级证书 on record (optionally only levels in `among`): what the funds
    app's training subsidy reads instead of a typed level."""
    if member is None:
        return None
    records = list(TrainingRecord.objects.filter(member=member))
    if among is not None:
        records = [r for r in records if r.level in among]
    if not records:
        return None
    return max(records, key=lambda r: (CERT_ORDER.index(r.level), r.issued_on))


def problems_in_scope(user) -> QuerySet[TechProblem]:
    paths = scope_paths(user)
    if not paths:
        return TechProblem.objects.none()
    return TechProblem.objects.filter(path_q(paths, "org_path"))


def problem_counts(user) -> dict[str, int]:
    """Solved problems by category, like the seeds quote (43 in one group: 电气设备, 设施, 焊接 ...)."""
    rows = (
        problems_in_scope(user)
        .filter(status=TechProblem.Status.SOLVED)
        .values("category")
        .annotate(n=Count("id"))
    )
    labels = dict(TechProblem.Category.choices)
    return {labels[r["category"]]: r["n"] for r in rows}


def member_ids_by_no(numbers) -> list[int]:
    """Members by 会员编号, in the order typed. An unknown number adds a 0, so the service refuses the list
    (the services check scope)."""
    numbers = [str(n).strip() for n in numbers if str(n).strip()][:200]
    found = dict(Member.objects.filter(member_no__in=numbers).values_list("member_no", "pk"))
    ids = list(dict.fromkeys(found[n] for n in numbers if n in found))
    return ids if len(found) == len(set(numbers)) else [*ids, 0]


def panel_candidates(user) -> list:
    """People who may sit on a panel: active staff positions in the staffer's subtree."""
    from gonghui.orgs.selectors import staff_in_scope

    seen, out = set(), []
    for staff in staff_in_scope(actor=user).order_by("org__path", "id")[:300]:
        if staff.user_id not in seen:
            seen.add(staff.user_id)
            out.append(staff.user)
    return out


def prize_schemes(user) -> list[tuple[int, str]]:
    from . import ports

    money = ports.money()
    return money.prize_schemes(actor=user) if money is not None else []


def training_for(member) -> QuerySet[TrainingRecord]:
    if member is None:
        return TrainingRecord.objects.none()
    return TrainingRecord.objects.filter(member=member).order_by("-issued_on")


def problems_taken_by(member) -> QuerySet[TechProblem]:
    if member is None:
        return TechProblem.objects.none()
    return TechProblem.objects.filter(solver=member).select_related("org").order_by("-id")
