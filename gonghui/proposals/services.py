"""Writes of 全员改善: capture → complete → submit → review (采纳 / 不采纳 / 退回完善) → follow-through
(owner, due date, implementation, verified benefit) → rewards (quarter, 标兵, 名人堂) and handover.

Every function: keyword-only, one transaction, validates, audits. Scarce things are decided in the
database: a reward is unique per (proposal, member), a review round per (proposal, round)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.money import parse_amount, yuan
from gonghui.core.notifications import notify
from gonghui.core.uploads import check_uploads
from gonghui.core.validators import normalize_mobile
from gonghui.core.workdays import add_working_days
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope
from gonghui.orgs.selectors import org_ancestors

from .models import (
    DEFAULT_CRITERIA,
    Event,
    Programme,
    Proposal,
    Review,
    Reviewer,
    Reward,
    TeamMember,
    Tier,
    Trainer,
    TrainingSession,
)

S = Proposal.Status
DEFAULT_TIERS = [("攻关项目", 1, 10), ("改善课题", 2, 7), ("改善提案", 3, 5)]
# Who may run the programme, grant rewards and verify benefits (on the programme's union or above).
MANAGER_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER, Staff.Role.HANDLER)
MAX_TEAM = 20


# --- small helpers -----------------------------------------------------------------------------


def _text(value, field: str, label: str, max_len: int, required: bool = False) -> str:
    value = re.sub(r"[ \t]+", " ", str(value or "")).strip()
    if required and not value:
        raise DomainError(f"请填写{label}", code="required", field=field)
    if len(value) > max_len:
        raise DomainError(f"{label}不能超过{max_len}个字，请精简后再提交", code="too_long", field=field)
    return value


def _amount(value, field: str, *, required: bool = True) -> Decimal | None:
    """An amount in 元 typed by a person; None when optional and left empty."""
    if not required and (value is None or str(value).strip() == ""):
        return None
    return parse_amount(value, field, required=required)


def actor_label(user) -> str:
    return (user.name or "工会干部") if user is not None else "系统"


def _event(proposal: Proposal, title: str, body: str = "", actor=None) -> None:
    Event.objects.create(proposal=proposal, title=title, body=body[:300], actor_label=actor_label(actor))


def _worker_link(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _bench_link(proposal: Proposal) -> str:
    return reverse("proposals_bench:detail", args=[proposal.pk])


def _managers(org: Org) -> list[User]:
    """Managers of the org, or of the nearest ancestor that has any, so nothing lands unread."""
    for node in [org, *reversed(org_ancestors(org))]:
        users = {
            s.user_id: s.user
            for s in Staff.objects.filter(org=node, role__in=MANAGER_ROLES, is_active=True).select_related(
                "user"
            )
        }
        if users:
            return list(users.values())
    return []


def _notify_managers(org: Org, *, title: str, body: str, link: str) -> None:
    for user in _managers(org):
        notify(user=user, title=title, body=body, link=link, kind="proposal")


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("programme__org", "org", "tier")
        .get(pk=proposal.pk)
    )


def require_manager(actor, programme: Programme) -> None:
    require_scope(actor, programme.org, MANAGER_ROLES)


def programme_for_org(org: Org) -> Programme | None:
    """The programme of the nearest union at or above the org: a workshop belongs to its company's."""
    paths = [org.path[:i] for i in range(5, len(org.path) + 1, 5)]
    return (
        Programme.objects.filter(org__path__in=paths, is_active=True)
        .select_related("org")
        .order_by("-org__path")
        .first()
    )


def worker_org(actor) -> Org:
    member = getattr(actor, "member", None) if actor is not None and actor.is_authenticated else None
    if member is None:
        raise DomainError("请先加入工会，成为会员后即可提报改善提案", code="not_member", field="general")
    return member.org


# --- programme ---------------------------------------------------------------------------------


def programme_create(*, actor, org: Org, name: str = "全员改善", tiers=None, criteria=None) -> Programme:
    require_scope(actor, org, MANAGER_ROLES)
    name = _text(name, "name", "活动名称", 80, required=True)
    with transaction.atomic():
        if Programme.objects.filter(org=org).exists():
            raise Conflict(f"{org.name}已开展全员改善活动", code="programme_exists", field="org")
        programme = Programme.objects.create(org=org, name=name, criteria=criteria or DEFAULT_CRITERIA)
        for tier_name, rank, days in tiers or DEFAULT_TIERS:
            Tier.objects.create(programme=programme, name=tier_name, rank=rank, review_days=days)
        audit_record(actor=actor, action="proposal.programme_create", obj=programme, org=org)
    return programme


def programme_update_rules(*, actor, programme: Programme, **amounts) -> Programme:
    """Reward ranges: quarter_min/quarter_max, exemplar_amount, hall_min/hall_max (元)."""
    require_manager(actor, programme)
    labels = {
        "quarter_min": "季度优秀提案奖下限",
        "quarter_max": "季度优秀提案奖上限",
        "exemplar_amount": "改善标兵奖",
        "hall_min": "名人堂奖下限",
        "hall_max": "名人堂奖上限",
    }
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        for key, value in amounts.items():
            if key not in labels:
                raise DomainError("未知的奖励规则", code="invalid", field=key)
            setattr(programme, key, _amount(value, key))
        for low, high in (("quarter_min", "quarter_max"), ("hall_min", "hall_max")):
            if getattr(programme, low) > getattr(programme, high):
                raise DomainError(f"{labels[low]}不能高于{labels[high]}", code="range_order", field=low)
        programme.save()
        audit_record(actor=actor, action="proposal.programme_rules", obj=programme, org=programme.org)
    return programme


def reviewer_add(
    *, actor, programme: Programme, tier: Tier, org: Org, user: User, level: int = 1
) -> Reviewer:
    require_manager(actor, programme)
    require_scope(actor, org)
    if not org.path.startswith(programme.org.path):
        raise DomainError("负责单位应在本活动的工会范围内", code="org_outside", field="org")
    if tier.programme_id != programme.pk:
        raise DomainError("层级不属于本活动", code="invalid", field="tier")
    if level not in (1, 2, 3):
        raise DomainError("评审级别应为 1、2 或 3", code="invalid", field="level")
    with transaction.atomic():
        reviewer, _ = Reviewer.objects.update_or_create(
            programme=programme, tier=tier, org=org, user=user, level=level, defaults={"is_active": True}
        )
        audit_record(actor=actor, action="proposal.reviewer_add", obj=reviewer, org=org)
    return reviewer


def tier_save(
    *, actor, programme: Programme, tier: Tier | None = None, name: str = "", rank=None, review_days=None
) -> Tier:
    """Add a tier or change one: its name, its place from hard (1) to easy, its review limit in working days."""
    require_manager(actor, programme)
    if tier is not None and tier.programme_id != programme.pk:
        raise NotFound()
    name = _text(name or (tier.name if tier else ""), "name", "层级名称", 20, required=True)
    days = _int(
        review_days if review_days not in (None, "") else (tier.review_days if tier else 5), "review_days"
    )
    if not 1 <= days <= 60:
        raise DomainError("评审时限应为 1 至 60 个工作日", code="invalid", field="review_days")
    default_rank = tier.rank if tier else (programme.tiers.count() + 1)
    rank = _int(rank if rank not in (None, "") else default_rank, "rank")
    try:
        with transaction.atomic():
            tier = tier or Tier(programme=programme)
            tier.name, tier.rank, tier.review_days = name, rank, days
            tier.save()
            audit_record(
                actor=actor, action="proposal.tier_save", obj=tier, org=programme.org, detail={"days": days}
            )
    except IntegrityError:
        raise Conflict(f"已有名为「{name}」的层级", code="tier_exists", field="name") from None
    return tier


def reviewer_remove(*, actor, reviewer: Reviewer) -> None:
    require_manager(actor, reviewer.programme)
    with transaction.atomic():
        Reviewer.objects.filter(pk=reviewer.pk).update(is_active=False)
        audit_record(actor=actor, action="proposal.reviewer_remove", obj=reviewer, org=reviewer.org)


# --- worker: capture, complete, submit -----------------------------------------------------------


@dataclass
class TeamInput:
    name: str
    phone: str = ""


@dataclass
class ProposalInput:
    title: str | None = None
    note: str | None = None
    place: str | None = None
    tier_id: int | None = None
    category: str | None = None
    problem: str | None = None
    solution: str | None = None
    expected_benefit: str | None = None
    estimated_savings: str | None = None
    show_name: bool | None = None
    team: list[TeamInput] | None = field(default=None)


def _photo(files, field_name: str):
    checked = check_uploads([f for f in files if f], field=field_name)
    if not checked:
        return None
    content, name, content_type, _size = checked[0]
    if not content_type.startswith("image/"):
        raise DomainError(
            f"「{name}」不是图片，请拍照或选择 JPG/PNG 图片", code="file_type", field=field_name
        )
    return content


def proposal_capture(*, actor, title: str, note: str = "", place: str = "", photo=None) -> Proposal:
    """The 30-second capture on the shop floor: a title, a line or a photo, the place. Saved as a draft."""
    org = worker_org(actor)
    programme = programme_for_org(org)
    if programme is None:
        raise DomainError("您所在工会尚未开展全员改善活动，请联系工会", code="no_programme", field="general")
    title = _text(title, "title", "标题", 80, required=True)
    note = _text(note, "note", "随手记", 500)
    place = _text(place, "place", "地点", 80)
    content = _photo([photo] if photo else [], "photo")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            programme=programme,
            org=org,
            org_path=org.path,
            author=actor,
            author_name=actor.name or actor.member.name,
            number=f"T{uuid.uuid4().hex[:16]}",
            title=title,
            note=note,
            place=place,
        )
        if content is not None:
            proposal.photo.save(content.name, content, save=False)
        proposal.number = f"GS{timezone.localtime():%Y%m%d}{proposal.pk:06d}"
        proposal.save(update_fields=["number", "photo"])
        _event(proposal, "随手拍·草稿", place, actor)
        audit_record(actor=actor, action="proposal.capture", obj=proposal, org=org)
    return proposal


def _clean_team(rows: list[TeamInput], author: User) -> list[TeamMember]:
    if len(rows) > MAX_TEAM:
        raise DomainError(f"团队成员最多{MAX_TEAM}人", code="team_too_large", field="team")
    members, seen = [], set()
    for i, row in enumerate(rows, 1):
        name = _text(row.name, "team", f"第{i}位团队成员的姓名", 40, required=True)
        index, user = "", None
        if (row.phone or "").strip():
            try:
                phone = normalize_mobile(row.phone)
            except Exception:
                raise DomainError(
                    f"第{i}位团队成员「{name}」的手机号不正确，应为11位手机号",
                    code="phone_format",
                    field="team",
                ) from None
            index = phone_index(phone)
            if index in seen:
                raise DomainError(f"团队成员「{name}」重复填写", code="team_duplicate", field="team")
            seen.add(index)
            user = User.objects.filter(phone_index=index).first()
            if user is not None and user.pk == author.pk:
                raise DomainError("提报人本人无需填入团队成员", code="team_author", field="team")
        members.append(TeamMember(name=name, phone_index=index, user=user))
    return members


def proposal_update(*, actor, proposal: Proposal, data: ProposalInput, photo=None) -> Proposal:
    """Finish the draft later (on a break): problem, proposal, benefit, savings, team. Only the author,
    only while it is a draft or sent back for completion."""
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.author_id != actor.pk:
            raise NotFound()
        if proposal.status not in (S.DRAFT, S.RETURNED):
            raise Conflict("提案已提交评审，不能再修改", code="not_editable")
        if data.title is not None:
            proposal.title = _text(data.title, "title", "标题", 80, required=True)
        for name, label, size in (
            ("note", "随手记", 500),
            ("place", "地点", 80),
            ("problem", "存在问题", 2000),
            ("solution", "改善措施", 2000),
            ("expected_benefit", "预期效益", 1000),
        ):
            value = getattr(data, name)
            if value is not None:
                setattr(proposal, name, _text(value, name, label, size))
        if data.tier_id not in (None, ""):
            tier = Tier.objects.filter(programme=proposal.programme, pk=_int(data.tier_id, "tier")).first()
            if tier is None:
                raise DomainError("请选择本活动的改善层级", code="invalid_choice", field="tier")
            proposal.tier = tier
        if data.category not in (None, ""):
            if data.category not in Proposal.Category.values:
                raise DomainError(
                    "请选择类别：QC活动、六源、五小或合理化建议", code="invalid_choice", field="category"
                )
            proposal.category = data.category
        if data.estimated_savings is not None:
            proposal.estimated_savings = _amount(data.estimated_savings, "estimated_savings", required=False)
        if data.show_name is not None:
            proposal.show_name = bool(data.show_name)
        content = _photo([photo] if photo else [], "photo")
        if content is not None:
            proposal.photo.save(content.name, content, save=False)
        proposal.save()
        if data.team is not None:
            team = _clean_team(data.team, actor)
            proposal.team.all().delete()
            for member in team:
                member.proposal = proposal
            TeamMember.objects.bulk_create(team)
        audit_record(actor=actor, action="proposal.update", obj=proposal, org=proposal.org)
    return proposal


def _int(value, field_name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("取值无效", code="invalid", field=field_name) from None


def _conflicted(proposal: Proposal, user: User) -> bool:
    """A reviewer who wrote the proposal or is on its team would be judging their own work."""
    if user.pk == proposal.author_id:
        return True
    team = proposal.team.all()
    return team.filter(Q(user=user) | Q(phone_index=user.phone_index)).exists()


def _pick_reviewer(proposal: Proposal) -> User | None:
    """The level-1 reviewer of the tier for the nearest unit at or above the proposal's, not on its team."""
    candidates = (
        Reviewer.objects.filter(tier=proposal.tier, is_active=True)
        .select_related("user", "org")
        .order_by("level", "-org__path", "id")
    )
    for reviewer in candidates:
        if proposal.org_path.startswith(reviewer.org.path) and not _conflicted(proposal, reviewer.user):
            return reviewer.user
    return None


def _open_review(proposal: Proposal, reviewer: User, actor) -> Review:
    last = proposal.reviews.order_by("-round").first()
    days = proposal.tier.review_days if proposal.tier else 5
    review = Review.objects.create(
        proposal=proposal,
        round=(last.round + 1) if last else 1,
        reviewer=reviewer,
        due_date=add_working_days(timezone.now(), days),
    )
    notify(
        user=reviewer,
        title=f"改善提案待评审：{proposal.title}",
        body=f"{proposal.number}，请于 {review.due_date:%Y-%m-%d} 前完成评审",
        link=_bench_link(proposal),
        kind="proposal",
    )
    _event(proposal, "分配评审", f"评审期限 {review.due_date:%Y-%m-%d}", actor)
    return review


def proposal_submit(*, actor, proposal: Proposal) -> Proposal:
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.author_id != actor.pk:
            raise NotFound()
        if proposal.status not in (S.DRAFT, S.RETURNED):
            raise Conflict("提案已提交，请勿重复提交", code="already_submitted")
        for name, label in (
            ("tier", "改善层级"),
            ("category", "类别"),
            ("problem", "存在问题"),
            ("solution", "改善措施"),
        ):
            if not getattr(proposal, name):
                raise DomainError(f"提交前请填写{label}", code="required", field=name)
        resubmit = proposal.status == S.RETURNED
        proposal.status, proposal.submitted_at = S.SUBMITTED, timezone.now()
        proposal.save(update_fields=["status", "submitted_at", "updated_at"])
        _event(proposal, "重新提交" if resubmit else "提交评审", "", actor)
        reviewer = _pick_reviewer(proposal)
        if reviewer is not None:
            _open_review(proposal, reviewer, None)
        else:
            _notify_managers(
                proposal.org,
                title=f"改善提案待分配评审人：{proposal.title}",
                body=f"{proposal.org.name} · {proposal.tier.name}，未配置可回避的评审人",
                link=_bench_link(proposal),
            )
        audit_record(actor=actor, action="proposal.submit", obj=proposal, org=proposal.org)
    return proposal


# --- review ------------------------------------------------------------------------------------


def review_assign(*, actor, proposal: Proposal, reviewer: User) -> Review:
    """Staff (re)assign the open review. A reviewer on the team is refused: conflicts of interest."""
    require_scope(actor, proposal.org, MANAGER_ROLES)
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status != S.SUBMITTED:
            raise Conflict("只有评审中的提案可以分配评审人", code="not_under_review")
        if _conflicted(proposal, reviewer):
            raise DomainError(
                f"{reviewer.name or '该评审人'}是本提案的提报人或团队成员，应当回避，请另选评审人",
                code="reviewer_conflict",
                field="reviewer",
            )
        review = proposal.reviews.filter(decided_at__isnull=True).first()
        if review is None:
            review = _open_review(proposal, reviewer, actor)
        else:
            review.reviewer = reviewer
            review.save(update_fields=["reviewer"])
            _event(proposal, "更换评审人", "", actor)
            notify(
                user=reviewer,
                title=f"改善提案待评审：{proposal.title}",
                body=f"{proposal.number}，请于 {review.due_date:%Y-%m-%d} 前完成评审",
                link=_bench_link(proposal),
                kind="proposal",
            )
        audit_record(actor=actor, action="proposal.review_assign", obj=proposal, org=proposal.org)
    return review


def _scores(programme: Programme, raw: dict | None) -> tuple[dict, int]:
    criteria = programme.criteria or DEFAULT_CRITERIA
    raw = raw or {}
    scores, total = {}, 0
    for item in criteria:
        value = raw.get(item["key"])
        if value in (None, ""):
            raise DomainError(
                f"请为「{item['label']}」打分（0–{item['max']}）", code="required", field=item["key"]
            )
        try:
            points = int(value)
        except (TypeError, ValueError):
            points = -1
        if not 0 <= points <= item["max"]:
            raise DomainError(
                f"「{item['label']}」应为 0 至 {item['max']} 的整数", code="score_range", field=item["key"]
            )
        scores[item["key"]], total = points, total + points
    return scores, total


def review_decide(
    *, actor, proposal: Proposal, decision: str, scores: dict | None = None, reason: str = ""
) -> Review:
    with transaction.atomic():
        proposal = _lock(proposal)
        review = proposal.reviews.select_for_update().filter(decided_at__isnull=True).first()
        if review is None or review.reviewer_id != actor.pk:
            # Someone else's review (or none): the same answer as a proposal that does not exist.
            require_scope(actor, proposal.org)
            raise Forbidden("您不是本提案当前的评审人", code="not_reviewer")
        if proposal.status != S.SUBMITTED:
            raise Conflict("提案不在评审中", code="not_under_review")
        if decision not in Review.Decision.values:
            raise DomainError(
                "请选择评审结论：采纳、不采纳或退回完善", code="invalid_choice", field="decision"
            )
        if _conflicted(proposal, actor):
            raise DomainError(
                "您是本提案的提报人或团队成员，应当回避", code="reviewer_conflict", field="reviewer"
            )
        reason = _text(reason, "reason", "评审意见", 1000)
        if decision in (Review.Decision.REJECT, Review.Decision.RETURN) and not reason:
            what = "不采纳的理由" if decision == Review.Decision.REJECT else "需要完善的内容"
            raise DomainError(f"请填写{what}", code="reason_required", field="reason")
        # Adoption is scored against the criteria; a rejection may carry scores, a return does not.
        scored = decision == Review.Decision.ADOPT or (
            decision == Review.Decision.REJECT and any(scores or {})
        )
        points, total = _scores(proposal.programme, scores) if scored else ({}, None)
        now = timezone.now()
        review.scores, review.total, review.decision, review.reason, review.decided_at = (
            points,
            total,
            decision,
            reason,
            now,
        )
        review.save()
        label = Review.Decision(decision).label
        if decision == Review.Decision.ADOPT:
            proposal.status, proposal.decided_at = S.ADOPTED, now
            proposal.due_date = add_working_days(now, proposal.programme.follow_through_days)
        elif decision == Review.Decision.REJECT:
            proposal.status, proposal.decided_at = S.REJECTED, now
        else:
            proposal.status = S.RETURNED
        proposal.save()
        body = f"得分 {total}" if total is not None else ""
        _event(proposal, f"评审结论：{label}", "；".join(x for x in (body, reason) if x), actor)
        notify(
            user=proposal.author,
            title=f"您的改善提案「{proposal.title}」：{label}",
            body=reason,
            link=_worker_link(proposal),
            kind="proposal",
        )
        audit_record(
            actor=actor,
            action="proposal.review",
            obj=proposal,
            org=proposal.org,
            detail={"decision": decision, "total": total},
        )
    return review


# --- follow-through (有效监督) ------------------------------------------------------------------


def proposal_set_owner(
    *, actor, proposal: Proposal, owner: User, due_date: dt.date | None = None
) -> Proposal:
    require_scope(actor, proposal.org, MANAGER_ROLES)
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status != S.ADOPTED:
            raise Conflict("只有已采纳、尚未实施的提案可以指定实施负责人", code="not_adopted")
        if due_date is not None:
            if due_date < timezone.localdate():
                raise DomainError("实施期限不能早于今天", code="date_past", field="due_date")
            proposal.due_date = due_date
        proposal.owner, proposal.lapsed = owner, False
        proposal.save(update_fields=["owner", "due_date", "lapsed", "updated_at"])
        _event(proposal, "落实实施", f"负责人 {owner.name or '—'}，期限 {proposal.due_date:%Y-%m-%d}", actor)
        notify(
            user=owner,
            title=f"请落实改善提案：{proposal.title}",
            body=f"实施期限 {proposal.due_date:%Y-%m-%d}",
            link=_bench_link(proposal),
            kind="proposal",
        )
        audit_record(actor=actor, action="proposal.set_owner", obj=proposal, org=proposal.org)
    return proposal


def proposal_record_implementation(*, actor, proposal: Proposal, evidence: str, photo=None) -> Proposal:
    """The owner (or a manager) records what was done, with a photo as evidence."""
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.owner_id != actor.pk:
            require_scope(actor, proposal.org, MANAGER_ROLES)
        if proposal.status != S.ADOPTED:
            raise Conflict("只有已采纳、尚未实施的提案可以登记实施", code="not_adopted")
        proposal.evidence = _text(evidence, "evidence", "实施情况", 2000, required=True)
        content = _photo([photo] if photo else [], "evidence_photo")
        if content is not None:
            proposal.evidence_photo.save(content.name, content, save=False)
        proposal.status, proposal.implemented_at, proposal.lapsed = S.IMPLEMENTED, timezone.now(), False
        proposal.save()
        _event(proposal, "已实施", proposal.evidence[:100], actor)
        notify(
            user=proposal.author,
            title=f"您的改善提案已实施：{proposal.title}",
            link=_worker_link(proposal),
            kind="proposal",
        )
        audit_record(actor=actor, action="proposal.implement", obj=proposal, org=proposal.org)
    return proposal


def proposal_verify_benefit(*, actor, proposal: Proposal, benefit) -> Proposal:
    require_scope(actor, proposal.org, MANAGER_ROLES)
    amount = _amount(benefit, "verified_benefit")
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status != S.IMPLEMENTED:
            raise Conflict("只有已实施的提案可以验证效益", code="not_implemented")
        proposal.verified_benefit, proposal.verified_at, proposal.verified_by = amount, timezone.now(), actor
        proposal.status = S.VERIFIED
        proposal.save()
        _event(proposal, "效益已验证", f"{yuan(amount)} 元", actor)
        audit_record(
            actor=actor,
            action="proposal.verify",
            obj=proposal,
            org=proposal.org,
            detail={"benefit": str(amount)},
        )
    return proposal


def proposals_flag_overdue(*, today: dt.date | None = None) -> tuple[int, int]:
    """Reviews past their working-day limit are flagged once and escalated to the union above (like
    enrollments); adopted proposals past their implementation date surface to the programme's union.
    Returns (reviews flagged, proposals lapsed). Safe to run as often as you like."""
    today = today or timezone.localdate()
    flagged = lapsed = 0
    late = Review.objects.filter(
        decided_at__isnull=True, overdue_notified_at__isnull=True, due_date__lt=today
    )
    for review in late.select_related("proposal__org__parent", "reviewer"):
        proposal = review.proposal
        with transaction.atomic():
            if not Review.objects.filter(pk=review.pk, overdue_notified_at__isnull=True).update(
                overdue=True, overdue_notified_at=timezone.now()
            ):
                continue  # a concurrent run got there first
            above = proposal.org.parent or proposal.org
            _event(proposal, "评审超时", f"评审期限 {review.due_date:%Y-%m-%d} 已过，已报{above.name}督办")
            _notify_managers(
                above,
                title="下级单位改善提案评审超时",
                body=f"{proposal.org.name}：「{proposal.title}」评审期限 {review.due_date:%Y-%m-%d}",
                link=_bench_link(proposal),
            )
            notify(
                user=review.reviewer,
                title=f"改善提案评审已超时：{proposal.title}",
                link=_bench_link(proposal),
                kind="proposal",
            )
            audit_record(actor=None, action="proposal.review_overdue", obj=proposal, org=proposal.org)
        flagged += 1
    stale = Proposal.objects.filter(status=S.ADOPTED, lapsed=False, due_date__lt=today)
    for proposal in stale.select_related("programme__org"):
        with transaction.atomic():
            if not Proposal.objects.filter(pk=proposal.pk, lapsed=False, status=S.ADOPTED).update(
                lapsed=True
            ):
                continue
            _event(proposal, "逾期未实施", f"实施期限 {proposal.due_date:%Y-%m-%d} 已过，已报工会督办")
            _notify_managers(
                proposal.programme.org,
                title="已采纳的改善提案逾期未实施",
                body=f"{proposal.number}「{proposal.title}」实施期限 {proposal.due_date:%Y-%m-%d}",
                link=_bench_link(proposal),
            )
            audit_record(actor=None, action="proposal.lapsed", obj=proposal, org=proposal.org)
        lapsed += 1
    return flagged, lapsed


# --- coaching (内训师) --------------------------------------------------------------------------


def trainer_appoint(
    *, actor, org: Org, user: User, level: int = 3, speciality: str = "", on: dt.date | None = None
) -> Trainer:
    require_scope(actor, org, MANAGER_ROLES)
    if level not in Trainer.Level.values:
        raise DomainError("内训师级别应为三级、二级或一级", code="invalid_choice", field="level")
    speciality = _text(speciality, "speciality", "专长", 80)
    with transaction.atomic():
        trainer = Trainer.objects.filter(user=user).select_for_update().first()
        if trainer is None:
            trainer = Trainer(user=user)
        else:
            require_scope(actor, trainer.org, MANAGER_ROLES)
        trainer.org, trainer.org_path, trainer.level = org, org.path, level
        trainer.name = user.name or trainer.name or "内训师"
        trainer.speciality = speciality or trainer.speciality
        trainer.appointed_on, trainer.appointed_by, trainer.is_active = (
            on or timezone.localdate(),
            actor,
            True,
        )
        trainer.save()
        audit_record(
            actor=actor, action="proposal.trainer_appoint", obj=trainer, org=org, detail={"level": level}
        )
    return trainer


def training_record(
    *, actor, trainer: Trainer, title: str, held_on: dt.date, attendees=()
) -> TrainingSession:
    require_scope(actor, trainer.org, MANAGER_ROLES)
    title = _text(title, "title", "培训主题", 80, required=True)
    with transaction.atomic():
        session = TrainingSession.objects.create(trainer=trainer, title=title, held_on=held_on)
        session.attendees.set(list(attendees))
        audit_record(actor=actor, action="proposal.training", obj=trainer, org=trainer.org)
    return session


def proposal_request_coach(*, actor, proposal: Proposal, trainer: Trainer) -> Proposal:
    """The author (or staff) asks a 内训师 of the programme's union to coach the proposal."""
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.author_id != actor.pk:
            require_scope(actor, proposal.org)
        if not trainer.is_active or not trainer.org_path.startswith(proposal.programme.org.path):
            raise DomainError("请选择本单位在聘的内训师", code="invalid_choice", field="trainer")
        proposal.coach = trainer
        proposal.save(update_fields=["coach", "updated_at"])
        _event(proposal, "邀请内训师辅导", trainer.name, actor)
        notify(
            user=trainer.user,
            title=f"请辅导改善提案：{proposal.title}",
            body=f"{proposal.author_name} 邀请您辅导",
            link=_bench_link(proposal),
            kind="proposal",
        )
        audit_record(actor=actor, action="proposal.coach", obj=proposal, org=proposal.org)
    return proposal


# --- rewards -----------------------------------------------------------------------------------


def _period(kind: str, year, quarter) -> tuple[int, int | None]:
    year = _int(year, "year")
    if not 2000 <= year <= 2100:
        raise DomainError("年度应为四位年份，如 2026", code="invalid", field="year")
    if kind == Reward.Kind.HALL:
        return year, None
    if quarter in (None, ""):
        raise DomainError("请选择季度（1–4）", code="required", field="quarter")
    quarter = _int(quarter, "quarter")
    if not 1 <= quarter <= 4:
        raise DomainError("季度应为 1 至 4", code="invalid", field="quarter")
    return year, quarter


def reward_grant(
    *,
    actor,
    programme: Programme,
    kind: str,
    year,
    quarter=None,
    amount=None,
    proposal: Proposal | None = None,
    recipient: User | None = None,
) -> Reward:
    """Record an award: 季度优秀提案 (amount within the range, for an adopted proposal), 改善标兵 (the
    programme's fixed amount, for a member) or 名人堂 (yearly range, for an adopted proposal). The
    database refuses a second payment to the same member for the same proposal."""
    require_manager(actor, programme)
    programme = Programme.objects.select_related("org").get(pk=programme.pk)  # the rules as they stand now
    if kind not in Reward.Kind.values:
        raise DomainError(
            "请选择奖项：季度优秀提案、改善标兵或年度名人堂", code="invalid_choice", field="kind"
        )
    year, quarter = _period(kind, year, quarter)
    if kind == Reward.Kind.EXEMPLAR:
        low = high = programme.exemplar_amount
        amount = programme.exemplar_amount if amount in (None, "") else amount
    elif kind == Reward.Kind.QUARTER:
        low, high = programme.quarter_min, programme.quarter_max
    else:
        low, high = programme.hall_min, programme.hall_max
    value = _amount(amount, "amount")
    if not low <= value <= high:
        label = Reward.Kind(kind).label
        span = f"{yuan(low)} 元" if low == high else f"{yuan(low)} 至 {yuan(high)} 元"
        raise DomainError(
            f"{label}的金额应为 {span}，本次填写 {yuan(value)} 元", code="amount_range", field="amount"
        )
    if kind in (Reward.Kind.QUARTER, Reward.Kind.HALL):
        if proposal is None or proposal.programme_id != programme.pk:
            raise DomainError("请选择本活动的提案", code="required", field="proposal")
        if not proposal.is_adopted:
            raise DomainError("只有已采纳的提案可以评奖", code="not_adopted", field="proposal")
        recipient = recipient or proposal.author
        if recipient.pk != proposal.author_id and not proposal.team.filter(user=recipient).exists():
            raise DomainError("获奖人应为提案的提报人或团队成员", code="not_on_team", field="recipient")
    elif recipient is None:
        raise DomainError("请选择改善标兵", code="required", field="recipient")
    try:
        with transaction.atomic():
            reward = Reward.objects.create(
                programme=programme,
                org_path=proposal.org_path if proposal else programme.org.path,
                kind=kind,
                proposal=proposal,
                recipient=recipient,
                recipient_name=recipient.name or "职工",
                year=year,
                quarter=quarter,
                amount=value,
                approved_by=actor,
            )
            if proposal is not None:
                _event(
                    proposal,
                    f"获{reward.get_kind_display()}",
                    f"{reward.period_label} {yuan(value)} 元",
                    actor,
                )
            notify(
                user=recipient,
                title=f"恭喜获得{reward.period_label}{reward.get_kind_display()}奖励 {yuan(value)} 元",
                body=proposal.title if proposal else "",
                link=reverse("proposals:rewards"),
                kind="proposal",
                sms=True,
            )
            audit_record(
                actor=actor,
                action="proposal.reward",
                obj=reward,
                org=programme.org,
                detail={"kind": kind, "amount": str(value), "period": reward.period_label},
            )
    except IntegrityError:
        if kind == Reward.Kind.EXEMPLAR:
            raise Conflict(
                f"{recipient.name or '该职工'}已是{year}年第{quarter}季度改善标兵",
                code="already_rewarded",
                field="recipient",
            ) from None
        raise Conflict(
            f"{recipient.name or '该职工'}已因本提案获得过奖励，同一提案不重复奖励",
            code="already_rewarded",
            field="proposal",
        ) from None
    return reward


def reward_handover(*, actor, reward: Reward, note: str = "", photo=None) -> Reward:
    """送奖到岗位: the award handed over at the workplace, with a photo."""
    require_manager(actor, reward.programme)
    note = _text(note, "handover_note", "送奖说明", 200)
    content = _photo([photo] if photo else [], "handover_photo")
    with transaction.atomic():
        reward = Reward.objects.select_for_update().select_related("programme__org").get(pk=reward.pk)
        if reward.handed_over_at:
            raise Conflict("该奖励已登记送奖到岗位", code="already_handed_over")
        reward.handed_over_at, reward.handover_note = timezone.now(), note
        if content is not None:
            reward.handover_photo.save(content.name, content, save=False)
        reward.save()
        audit_record(actor=actor, action="proposal.reward_handover", obj=reward, org=reward.programme.org)
    return reward
