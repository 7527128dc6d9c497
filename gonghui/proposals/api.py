"""全员改善 API at /api/v1/proposals: the worker's drafts, submissions, timeline, rewards and the library;
the staff's review, follow-through, rewards ledger, reports, programmes and 内训师."""

from __future__ import annotations

from ninja import Router

from gonghui.core.cleaners import clean_year
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.pagination import window
from gonghui.orgs.models import Org
from gonghui.orgs.scope import scope_paths
from gonghui.orgs.selectors import org_get

from . import selectors, services
from .models import Proposal, Tier, Trainer
from .schemas import (
    CaptureIn,
    CoachIn,
    HandoverIn,
    ImplementationIn,
    LibraryOut,
    OwnerIn,
    ProposalAssignIn,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    ProposalProgrammeIn,
    ProposalProgrammeOut,
    ReportRow,
    ReviewerIn,
    ReviewIn,
    ReviewOut,
    RewardIn,
    RewardOut,
    RulesIn,
    SessionIn,
    TierIn,
    TierOut,
    TrainerIn,
    TrainerOut,
    VerifyIn,
)

router = Router(tags=["全员改善"])


def _detail(proposal: Proposal) -> Proposal:
    proposal.events_list = list(proposal.events.all())  # type: ignore[attr-defined]
    return proposal


# --- worker ------------------------------------------------------------------------------------


@router.post("/drafts", response={201: ProposalOut}, summary="随手拍：30 秒记下一个改善点（保存为草稿）")
def draft_create(request, payload: CaptureIn):
    return 201, services.proposal_capture(actor=request.user, **payload.dict())


@router.get("/mine", response=list[ProposalOut], summary="我的改善提案")
def mine(request, limit: int = 50, offset: int = 0):
    return window(
        selectors.worker_proposals(actor=request.user).select_related("org"),
        limit=limit,
        offset=offset,
        maximum=200,
    )


@router.get("/mine/{int:proposal_id}", response=ProposalDetailOut, summary="我的提案详情与进度")
def mine_detail(request, proposal_id: int):
    return _detail(selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id))


@router.patch(
    "/mine/{int:proposal_id}",
    response=ProposalDetailOut,
    summary="完善草稿（问题、措施、效益、预计节约、团队）",
)
def mine_update(request, proposal_id: int, payload: ProposalIn):
    proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    data = payload.dict(exclude_unset=True)
    team = data.pop("team", None)
    inp = services.ProposalInput(**data)
    if team is not None:
        inp.team = [services.TeamInput(**row) for row in team]
    return _detail(services.proposal_update(actor=request.user, proposal=proposal, data=inp))


@router.post("/mine/{int:proposal_id}/submit", response=ProposalDetailOut, summary="提交评审")
def mine_submit(request, proposal_id: int):
    proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    return _detail(services.proposal_submit(actor=request.user, proposal=proposal))


@router.post("/mine/{int:proposal_id}/coach", response=ProposalDetailOut, summary="邀请内训师辅导")
def mine_coach(request, proposal_id: int, payload: CoachIn):
    proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    trainer = Trainer.objects.filter(pk=payload.trainer_id).first()
    if trainer is None:
        raise DomainError("请选择本单位在聘的内训师", code="invalid_choice", field="trainer")
    return _detail(services.proposal_request_coach(actor=request.user, proposal=proposal, trainer=trainer))


@router.get("/rewards/mine", response=list[RewardOut], summary="我的改善奖励")
def my_rewards(request):
    return list(selectors.worker_rewards(actor=request.user)[:200])


def _library_root(request, org_id: int | None):
    if org_id:
        return org_get(actor=request.user, org_id=org_id)
    member = getattr(request.user, "member", None)
    programme = services.programme_for_org(member.org) if member else None
    if programme is None:
        raise NotFound("您所在工会尚未开展全员改善活动")
    return programme.org


@router.get(
    "/library",
    response=list[LibraryOut],
    summary="成果库：已采纳的改善提案（可检索；order=benefit 按验证效益排序）",
)
def library(
    request,
    q: str = "",
    tier_id: int | None = None,
    category: str = "",
    order: str = "",
    org_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
):
    root = _library_root(request, org_id)
    qs = selectors.library(root=root, q=q.strip()[:40], tier_id=tier_id, category=category, order=order)
    return window(qs, limit=limit, offset=offset, maximum=100)


# --- staff: review and follow-through --------------------------------------------------------------


@router.get(
    "",
    response=list[ProposalOut],
    summary="提案列表（view=mine 待我评审 / overdue 评审超时 / follow 待实施 / lapsed 逾期未实施）",
)
def proposal_list(
    request,
    view: str = "",
    status: str = "",
    category: str = "",
    q: str = "",
    limit: int = 50,
    offset: int = 0,
):
    qs = selectors.proposal_list(
        actor=request.user, view=view, status=status, category=category, q=q.strip()[:40]
    )
    return window(qs, limit=limit, offset=offset, maximum=200)


def _staff(request, proposal_id: int) -> Proposal:
    return selectors.proposal_get_for_staff(actor=request.user, proposal_id=proposal_id)


@router.get("/{int:proposal_id}", response=ProposalDetailOut, summary="提案详情")
def proposal_detail(request, proposal_id: int):
    return _detail(_staff(request, proposal_id))


@router.get("/{int:proposal_id}/reviews", response=list[ReviewOut], summary="评审记录")
def proposal_reviews(request, proposal_id: int):
    return list(_staff(request, proposal_id).reviews.all())


@router.post("/{int:proposal_id}/assign", response=ReviewOut, summary="分配/更换评审人（团队成员须回避）")
def assign(request, proposal_id: int, payload: ProposalAssignIn):
    proposal = _staff(request, proposal_id)
    reviewer = selectors.user_in_scope(actor=request.user, user_id=payload.reviewer_id)
    return services.review_assign(actor=request.user, proposal=proposal, reviewer=reviewer)


@router.post(
    "/{int:proposal_id}/review",
    response=ReviewOut,
    summary="评审：adopt 采纳 / reject 不采纳（须写理由）/ return 退回完善",
)
def review(request, proposal_id: int, payload: ReviewIn):
    proposal = _staff(request, proposal_id)
    return services.review_decide(
        actor=request.user,
        proposal=proposal,
        decision=payload.decision,
        scores=payload.scores,
        reason=payload.reason,
    )


@router.post("/{int:proposal_id}/owner", response=ProposalDetailOut, summary="指定实施负责人与期限")
def owner(request, proposal_id: int, payload: OwnerIn):
    proposal = _staff(request, proposal_id)
    user = selectors.user_in_scope(actor=request.user, user_id=payload.owner_id)
    return _detail(
        services.proposal_set_owner(
            actor=request.user, proposal=proposal, owner=user, due_date=payload.due_date
        )
    )


@router.post("/{int:proposal_id}/implementation", response=ProposalDetailOut, summary="登记实施情况")
def implementation(request, proposal_id: int, payload: ImplementationIn):
    proposal = _staff(request, proposal_id)
    return _detail(
        services.proposal_record_implementation(
            actor=request.user, proposal=proposal, evidence=payload.evidence
        )
    )


@router.post("/{int:proposal_id}/verify", response=ProposalDetailOut, summary="验证效益（元）")
def verify(request, proposal_id: int, payload: VerifyIn):
    proposal = _staff(request, proposal_id)
    return _detail(
        services.proposal_verify_benefit(actor=request.user, proposal=proposal, benefit=payload.benefit)
    )


# --- staff: rewards, reports ---------------------------------------------------------------------


@router.post(
    "/rewards",
    response={201: RewardOut},
    summary="记录奖励（季度优秀提案 quarter / 改善标兵 exemplar / 年度名人堂 hall）",
)
def reward_create(request, payload: RewardIn):
    programme = selectors.programme_get(actor=request.user, programme_id=payload.programme_id)
    proposal = _staff(request, payload.proposal_id) if payload.proposal_id else None
    recipient = (
        selectors.user_in_scope(actor=request.user, user_id=payload.recipient_id)
        if payload.recipient_id
        else None
    )
    return 201, services.reward_grant(
        actor=request.user,
        programme=programme,
        kind=payload.kind,
        year=payload.year,
        quarter=payload.quarter,
        amount=payload.amount,
        proposal=proposal,
        recipient=recipient,
    )


@router.get("/rewards", response=list[RewardOut], summary="奖励台账（按季度或年度）")
def reward_ledger(request, year: int, quarter: int | None = None, limit: int = 200, offset: int = 0):
    year = clean_year(year, required=True)
    return window(
        selectors.reward_ledger(actor=request.user, year=year, quarter=quarter),
        limit=limit,
        offset=offset,
        maximum=1000,
    )


@router.post("/rewards/{int:reward_id}/handover", response=RewardOut, summary="送奖到岗位")
def reward_handover(request, reward_id: int, payload: HandoverIn):
    reward = selectors.reward_get(actor=request.user, reward_id=reward_id)
    return services.reward_handover(actor=request.user, reward=reward, note=payload.note)


@router.get(
    "/report",
    response=list[ReportRow],
    summary="统计：按单位/层级/类别/季度的提报、采纳、实施、验证效益、奖励",
)
def report(request, year: int, by: str = "unit", org_id: int | None = None):
    year = clean_year(year, required=True)
    org = org_get(actor=request.user, org_id=org_id) if org_id else None
    if org is None and by == "unit":
        roots = scope_paths(request.user)
        if not roots:
            raise NotFound()
        org = Org.objects.get(path=roots[0])
    return selectors.report(actor=request.user, year=year, by=by, org=org)


# --- staff: programmes and trainers ---------------------------------------------------------------


def _programme_out(programme):
    programme.tiers_list = list(programme.tiers.all())
    return programme


@router.get("/programmes", response=list[ProposalProgrammeOut], summary="全员改善活动")
def programmes(request):
    return [_programme_out(p) for p in selectors.programmes_in_scope(actor=request.user)[:100]]


@router.post("/programmes", response={201: ProposalProgrammeOut}, summary="开展全员改善活动（默认三个层级）")
def programme_create(request, payload: ProposalProgrammeIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, _programme_out(services.programme_create(actor=request.user, org=org, name=payload.name))


@router.patch(
    "/programmes/{int:programme_id}/rules", response=ProposalProgrammeOut, summary="奖励规则（金额范围，元）"
)
def programme_rules(request, programme_id: int, payload: RulesIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    amounts = {k: v for k, v in payload.dict().items() if v is not None}
    return _programme_out(services.programme_update_rules(actor=request.user, programme=programme, **amounts))


@router.post("/programmes/{int:programme_id}/tiers", response={201: TierOut}, summary="新增层级")
def tier_add(request, programme_id: int, payload: TierIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    return 201, services.tier_save(actor=request.user, programme=programme, **payload.dict())


@router.patch(
    "/programmes/{int:programme_id}/tiers/{int:tier_id}",
    response=TierOut,
    summary="修改层级与评审时限（工作日）",
)
def tier_update(request, programme_id: int, tier_id: int, payload: TierIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    tier = Tier.objects.filter(programme=programme, pk=tier_id).first()
    if tier is None:
        raise NotFound()
    return services.tier_save(actor=request.user, programme=programme, tier=tier, **payload.dict())


@router.post(
    "/programmes/{int:programme_id}/reviewers", response={201: dict}, summary="配置评审人（按层级和单位）"
)
def reviewer_add(request, programme_id: int, payload: ReviewerIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    tier = Tier.objects.filter(programme=programme, pk=payload.tier_id).first()
    if tier is None:
        raise DomainError("层级不属于本活动", code="invalid", field="tier_id")
    org = org_get(actor=request.user, org_id=payload.org_id)
    user = selectors.user_in_scope(actor=request.user, user_id=payload.user_id)
    reviewer = services.reviewer_add(
        actor=request.user, programme=programme, tier=tier, org=org, user=user, level=payload.level
    )
    return 201, {
        "id": reviewer.pk,
        "tier_id": tier.pk,
        "org_id": org.pk,
        "user_id": user.pk,
        "level": reviewer.level,
    }


@router.get("/trainers", response=list[TrainerOut], summary="内训师")
def trainers(request):
    return list(selectors.trainers_in_scope(actor=request.user)[:500])


@router.post("/trainers", response={201: TrainerOut}, summary="聘任/晋级内训师（三级 → 一级）")
def trainer_appoint(request, payload: TrainerIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    user = selectors.user_in_scope(actor=request.user, user_id=payload.user_id)
    return 201, services.trainer_appoint(
        actor=request.user, org=org, user=user, level=payload.level, speciality=payload.speciality
    )


@router.post("/trainers/{int:trainer_id}/sessions", response={201: dict}, summary="登记培训场次与参训职工")
def trainer_session(request, trainer_id: int, payload: SessionIn):
    trainer = selectors.trainer_get(actor=request.user, trainer_id=trainer_id)
    attendees = [selectors.user_in_scope(actor=request.user, user_id=pk) for pk in payload.attendee_ids[:200]]
    session = services.training_record(
        actor=request.user, trainer=trainer, title=payload.title, held_on=payload.held_on, attendees=attendees
    )
    return 201, {
        "id": session.pk,
        "title": session.title,
        "held_on": session.held_on,
        "attendees": len(attendees),
    }
