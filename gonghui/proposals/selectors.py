"""Reads of 全员改善. Staff reads start from the actor's scoped queryset (out of scope = not found);
workers read their own proposals and rewards, and the library of their programme's union."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter

from gonghui.core.errors import NotFound
from gonghui.orgs.models import Org
from gonghui.orgs.scope import path_q, scope_paths, subtree_q

from .models import Programme, Proposal, Review, Reward, Trainer

S = Proposal.Status
LIBRARY_STATES = Proposal.ADOPTED_STATES


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


# --- staff -------------------------------------------------------------------------------------


def proposals_in_scope(*, actor) -> QuerySet[Proposal]:
    return Proposal.objects.filter(path_q(scope_paths(actor), "org_path"))


def proposal_list(
    *, actor, status: str = "", tier_id=None, category: str = "", q: str = "", view: str = ""
) -> QuerySet:
    qs = proposals_in_scope(actor=actor).exclude(status=S.DRAFT)
    if view == "mine":
        qs = qs.filter(reviews__reviewer=actor, reviews__decided_at__isnull=True)
    elif view == "overdue":
        qs = qs.filter(reviews__overdue=True, reviews__decided_at__isnull=True)
    elif view == "lapsed":
        qs = qs.filter(lapsed=True, status=S.ADOPTED)
    elif view == "follow":
        qs = qs.filter(status=S.ADOPTED)
    if status in S.values:
        qs = qs.filter(status=status)
    if tier_id:
        qs = qs.filter(tier_id=tier_id)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number=q.strip()))
    return qs.select_related("org", "tier").distinct().order_by("-submitted_at", "-id")


def proposal_get_for_staff(*, actor, proposal_id) -> Proposal:
    """Scope first; a reviewer, owner or coach outside the subtree still reaches their own proposal."""
    pk = _pk(proposal_id)
    qs = Proposal.objects.select_related("org", "tier", "programme__org", "owner", "coach")
    proposal = qs.filter(pk=pk).filter(path_q(scope_paths(actor), "org_path")).exclude(status=S.DRAFT).first()
    if proposal is None:
        proposal = (
            qs.filter(pk=pk)
            .exclude(status=S.DRAFT)
            .filter(Q(reviews__reviewer=actor) | Q(owner=actor) | Q(coach__user=actor))
            .distinct()
            .first()
        )
    if proposal is None:
        raise NotFound()
    return proposal


def programmes_in_scope(*, actor) -> QuerySet[Programme]:
    return Programme.objects.filter(path_q(scope_paths(actor), "org__path")).select_related("org")


def programme_get(*, actor, programme_id) -> Programme:
    programme = programmes_in_scope(actor=actor).filter(pk=_pk(programme_id)).first()
    if programme is None:
        raise NotFound()
    return programme


def open_review(proposal: Proposal) -> Review | None:
    return proposal.reviews.filter(decided_at__isnull=True).select_related("reviewer").first()


def rewards_in_scope(*, actor) -> QuerySet[Reward]:
    return Reward.objects.filter(path_q(scope_paths(actor), "org_path"))


def reward_get(*, actor, reward_id) -> Reward:
    reward = rewards_in_scope(actor=actor).select_related("programme__org").filter(pk=_pk(reward_id)).first()
    if reward is None:
        raise NotFound()
    return reward


def reward_ledger(*, actor, year: int, quarter: int | None = None) -> QuerySet[Reward]:
    """The quarter's (or year's) awards, for finance: who, what for, how much, approved by, handed over."""
    qs = rewards_in_scope(actor=actor).filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs.select_related("proposal__org", "approved_by", "programme__org").order_by(
        "quarter", "kind", "id"
    )


def exemplar_candidates(*, actor, year: int) -> list[dict]:
    """Authors with proposals adopted this year, with how many and their verified benefit: the shortlist
    for 改善标兵 (a shortlist for a title, not a ranking of people)."""
    rows = (
        proposals_in_scope(actor=actor)
        .filter(status__in=LIBRARY_STATES, decided_at__year=year)
        .values("author_id", "author_name", "org__short_name", "org__name")
        .annotate(adopted=Count("id"), benefit=Sum("verified_benefit"))
        .order_by("author_name")
    )
    return list(rows[:300])


def trainers_in_scope(*, actor) -> QuerySet[Trainer]:
    return Trainer.objects.filter(path_q(scope_paths(actor), "org_path")).select_related("org")


def trainer_get(*, actor, trainer_id) -> Trainer:
    trainer = trainers_in_scope(actor=actor).filter(pk=_pk(trainer_id)).first()
    if trainer is None:
        raise NotFound()
    return trainer


# --- worker ------------------------------------------------------------------------------------


def worker_proposals(*, actor) -> QuerySet[Proposal]:
    return Proposal.objects.filter(author=actor).select_related("tier").order_by("-created_at", "-id")


def proposal_get_for_worker(*, actor, proposal_id) -> Proposal:
    proposal = (
        worker_proposals(actor=actor)
        .select_related("programme__org", "org", "coach")
        .filter(pk=_pk(proposal_id))
        .first()
    )
    if proposal is None:
        raise NotFound()
    return proposal


def worker_rewards(*, actor) -> QuerySet[Reward]:
    return (
        Reward.objects.filter(recipient=actor).select_related("proposal").order_by("-year", "-quarter", "-id")
    )


def worker_counts(*, actor) -> dict:
    row = Proposal.objects.filter(author=actor).aggregate(
        total=Count("id", filter=~Q(status=S.DRAFT)),
        adopted=Count("id", filter=Q(status__in=LIBRARY_STATES)),
        drafts=Count("id", filter=Q(status=S.DRAFT)),
    )
    row["rewards"] = Reward.objects.filter(recipient=actor).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return row


def library(
    *, root: Org, q: str = "", tier_id=None, category: str = "", order: str = ""
) -> QuerySet[Proposal]:
    """Adopted proposals across a union's subtree, to learn from (借鉴共享). Ranked by verified benefit
    on request — proposals, never people."""
    qs = Proposal.objects.filter(subtree_q(root.path, "org_path"), status__in=LIBRARY_STATES)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(problem__icontains=q) | Q(solution__icontains=q))
    if tier_id:
        qs = qs.filter(tier_id=tier_id)
    if category in Proposal.Category.values:
        qs = qs.filter(category=category)
    if order == "benefit":
        qs = qs.order_by("-verified_benefit", "-decided_at", "-id")
    else:
        qs = qs.order_by("-decided_at", "-id")
    return qs.select_related("org", "tier")


def library_get(*, root: Org, proposal_id) -> Proposal:
    proposal = library(root=root).filter(pk=_pk(proposal_id)).first()
    if proposal is None:
        raise NotFound()
    return proposal


# --- reports -----------------------------------------------------------------------------------

REPORT_GROUPS = {"unit": "按单位", "tier": "按层级", "category": "按类别", "quarter": "按季度"}


def report(*, actor, year: int, by: str = "unit", org: Org | None = None) -> list[dict]:
    """Submitted, adopted, implemented, verified savings and rewards paid, grouped by unit (the direct
    children of the chosen node), tier, category or quarter of submission. Two grouped queries."""
    by = by if by in REPORT_GROUPS else "unit"
    base = proposals_in_scope(actor=actor).filter(submitted_at__year=year)
    rewards = rewards_in_scope(actor=actor).filter(year=year)
    if org is not None:
        base = base.filter(subtree_q(org.path, "org_path"))
        rewards = rewards.filter(subtree_q(org.path, "org_path"))
    labels: dict = {}
    nodes: dict = {}
    if by == "unit":
        if org is None:
            raise NotFound()
        children = list(Org.objects.filter(parent=org).order_by("path"))
        nodes = {org.path: org, **{c.path: c for c in children}}
        labels = {path: node.display_name for path, node in nodes.items()}

        def key_of(path: str) -> str:
            return path[: len(org.path) + 5] if len(path) > len(org.path) else org.path

        p_key, r_key = "org_path", "org_path"
    elif by == "tier":
        p_key, r_key = "tier__name", "proposal__tier__name"
        key_of = None
    elif by == "category":
        labels = dict(Proposal.Category.choices)
        p_key, r_key = "category", "proposal__category"
        key_of = None
    else:
        base = base.annotate(q=ExtractQuarter("submitted_at"))
        labels = {n: f"第{n}季度" for n in range(1, 5)}
        p_key, r_key = "q", "quarter"
        key_of = None
    rows: dict = defaultdict(
        lambda: {
            "submitted": 0,
            "adopted": 0,
            "implemented": 0,
            "savings": Decimal("0"),
            "rewards": Decimal("0"),
        }
    )
    counted = base.values(p_key).annotate(
        submitted=Count("id"),
        adopted=Count("id", filter=Q(status__in=LIBRARY_STATES)),
        implemented=Count("id", filter=Q(status__in=[S.IMPLEMENTED, S.VERIFIED])),
        savings=Sum("verified_benefit"),
    )
    for row in counted:
        key = key_of(row[p_key]) if key_of else row[p_key]
        target = rows[key]
        for name in ("submitted", "adopted", "implemented"):
            target[name] += row[name]
        target["savings"] += row["savings"] or 0
    for row in rewards.values(r_key).annotate(paid=Sum("amount")):
        key = key_of(row[r_key]) if key_of else row[r_key]
        rows[key]["rewards"] += row["paid"] or 0
    result = []
    order = list(labels) if labels else sorted(rows, key=lambda k: (k is None, str(k)))
    for key in order:
        if key in rows:
            node = nodes.get(key)
            result.append(
                {
                    "key": key,
                    "label": labels.get(key, key or "未分层"),
                    "org_id": node.pk if node else None,
                    **rows[key],
                }
            )
    return result


def user_in_scope(*, actor, user_id):
    """A colleague the actor may name (reviewer, owner, trainer, recipient): staff or a member in scope."""
    from gonghui.accounts.models import User
    from gonghui.members.selectors import members_in_scope
    from gonghui.orgs.selectors import staff_in_scope

    pk = _pk(user_id)
    if (
        staff_in_scope(actor=actor).filter(user_id=pk).exists()
        or members_in_scope(actor=actor).filter(user_id=pk).exists()
    ):
        return User.objects.get(pk=pk)
    raise NotFound()
