"""劳模工匠 API at /api/v1/honours: the worker's own honours; the staff's register, selections
(nominate, score, 公示, award, drivers' table import), 师带徒 agreements and technical problems."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from ninja import File, Router
from ninja.files import UploadedFile

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.pagination import window
from gonghui.orgs.scope import scope_paths
from gonghui.orgs.selectors import org_get

from . import selectors, services
from .models import Nomination, TechProblem
from .schemas import (
    AgreementIn,
    AgreementOut,
    HonourContestIn,
    HonourContestOut,
    HonourEntrantIn,
    HonourEntrantOut,
    HonourFundingIn,
    HonourFundingOut,
    HonourIn,
    HonourMilestoneIn,
    HonourOut,
    HonourReviewIn,
    HonourScoreIn,
    HonourServiceOut,
    HonourStudioIn,
    HonourStudioOut,
    HonourStudioProjectIn,
    HonourStudioProjectOut,
    HonourStudioReviewIn,
    HonourStudioReviewOut,
    HonourTargetIn,
    HonourTeamIn,
    HonourTrainingIn,
    HonourTrainingOut,
    NominateIn,
    NominationOut,
    ProblemIn,
    ProblemOut,
    ProposeIn,
    PublishIn,
    ScoreIn,
    SelectionIn,
    SelectionOut,
)

router = Router(tags=["劳模工匠"])
MAX_UPLOAD = 5 * 1024 * 1024


@router.get("/mine", response=list[HonourOut], summary="我的荣誉")
def my_honours(request):
    return list(selectors.honours_for_user(request.user).select_related("member", "collective"))


@router.get("/register", response=list[HonourOut], summary="荣誉名册（本级及下级）")
def register(
    request, q: str = "", level: str = "", year: int | None = None, limit: int = 50, offset: int = 0
):
    return window(
        selectors.honours_in_scope(request.user, q=q, level=level, year=year),
        limit=limit,
        offset=offset,
        maximum=200,
    )


@router.post("/register", response={201: HonourOut}, summary="登记一项荣誉")
def register_add(request, payload: HonourIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    data = services.HonourInput(**payload.dict(exclude={"org_id"}))
    return 201, services.honour_record(actor=request.user, org=org, data=data)


@router.get("/selections", response=list[SelectionOut], summary="评选")
def selections(request, limit: int = 50, offset: int = 0):
    return window(
        selectors.selections_in_scope(request.user).order_by("-id"), limit=limit, offset=offset, maximum=200
    )


@router.post("/selections", response={201: SelectionOut}, summary="发起评选")
def selection_open(request, payload: SelectionIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    panel = list(get_user_model().objects.filter(pk__in=payload.panel_ids))
    data = services.SelectionInput(**payload.dict(exclude={"org_id", "panel_ids"}))
    return 201, services.selection_open(actor=request.user, org=org, data=data, panel=panel)


def _open_selection(selection_id):
    """A worker nominating themself sees any open selection by id (it is published to them)."""
    from .models import Selection

    try:
        return Selection.objects.select_related("org").get(pk=int(selection_id))
    except (Selection.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该评选") from None


@router.post("/selections/{selection_id}/nominations", response={201: NominationOut}, summary="推荐或自荐")
def nominate(request, selection_id: int, payload: NominateIn):
    selection = _open_selection(selection_id)
    return 201, services.nominate(
        actor=request.user, selection=selection, member_id=payload.member_id, evidence=payload.evidence
    )


@router.post("/nominations/{nomination_id}/score", response={201: dict}, summary="评审打分（利益回避）")
def score(request, nomination_id: int, payload: ScoreIn):
    nomination = Nomination.objects.select_related("selection", "member").filter(pk=nomination_id).first()
    if nomination is None:
        raise NotFound()
    row = services.score_submit(actor=request.user, nomination=nomination, score=payload.score)
    return 201, {"id": row.pk, "score": row.score}


@router.post("/selections/{selection_id}/publish", response=SelectionOut, summary="公示拟表彰名单")
def publish(request, selection_id: int, payload: PublishIn):
    selection = selectors.selection_get(request.user, selection_id)
    return services.selection_publish(actor=request.user, selection=selection, workdays=payload.workdays)


@router.post("/selections/{selection_id}/award", response=list[HonourOut], summary="公示期满后表彰")
def award(request, selection_id: int):
    selection = selectors.selection_get(request.user, selection_id)
    return services.selection_award(actor=request.user, selection=selection)


@router.post("/selections/{selection_id}/driver-table", response=list[dict], summary="导入趟数/事故表并排名")
def driver_table(request, selection_id: int, file: File[UploadedFile]):
    selection = selectors.selection_get(request.user, selection_id)
    if file.size and file.size > MAX_UPLOAD:
        raise DomainError("文件不能超过 5 MB", code="file_too_large", field="file")
    ranked = services.driver_award_import(
        actor=request.user, selection=selection, data=file.read(MAX_UPLOAD + 1)
    )
    return [
        {
            "member_id": r.member.pk,
            "name": r.member.name,
            "trips": r.trips,
            "accidents": r.accidents,
            "rank": r.rank,
        }
        for r in ranked
    ]


@router.post("/agreements", response={201: AgreementOut}, summary="签订师带徒协议")
def agreement_sign(request, payload: AgreementIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.agreement_sign(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


@router.get("/problems", response=list[ProblemOut], summary="技术难题清单")
def problems(request, limit: int = 50, offset: int = 0):
    if not scope_paths(request.user):
        return window(
            TechProblem.objects.filter(status=TechProblem.Status.POSTED),
            limit=limit,
            offset=offset,
            maximum=200,
        )
    return window(selectors.problems_in_scope(request.user), limit=limit, offset=offset, maximum=200)


@router.get("/problems/counts", response=dict[str, int], summary="已解决难题按类别统计")
def problem_counts(request):
    return selectors.problem_counts(request.user)


@router.post("/problems", response={201: ProblemOut}, summary="发布技术难题")
def problem_post(request, payload: ProblemIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.problem_post(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


def _problem(problem_id) -> TechProblem:
    problem = TechProblem.objects.select_related("org").filter(pk=problem_id).first()
    if problem is None:
        raise NotFound()
    return problem


@router.post("/problems/{problem_id}/take", response=ProblemOut, summary="师傅揭榜")
def problem_take(request, problem_id: int):
    return services.problem_take(actor=request.user, problem=_problem(problem_id))


@router.post("/problems/{problem_id}/propose", response=ProblemOut, summary="提交解决方案")
def problem_propose(request, problem_id: int, payload: ProposeIn):
    return services.problem_propose(actor=request.user, problem=_problem(problem_id), **payload.dict())


@router.post("/problems/{problem_id}/confirm", response=ProblemOut, summary="企业确认已解决")
def problem_confirm(request, problem_id: int):
    return services.problem_confirm(actor=request.user, problem=_problem(problem_id))


# --- studios, contests, training, 师带徒 milestones, services for honour holders ---------------------


@router.get("/studios", response=list[HonourStudioOut], summary="创新工作室")
def studios(request, limit: int = 50, offset: int = 0):
    return window(selectors.studios_in_scope(request.user), limit=limit, offset=offset, maximum=200)


@router.post("/studios", response={201: HonourStudioOut}, summary="登记工作室")
def studio_register(request, payload: HonourStudioIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.studio_register(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


@router.get("/studios/totals", response=dict, summary="工作室、项目、年创效益合计")
def studio_totals(request):
    totals = selectors.studio_totals(request.user)
    return {**totals, "benefit": str(totals["benefit"])}


@router.post("/studios/{studio_id}/projects", response={201: HonourStudioProjectOut}, summary="工作室项目")
def studio_project(request, studio_id: int, payload: HonourStudioProjectIn):
    studio = selectors.studio_get(request.user, studio_id)
    return 201, services.studio_project_add(actor=request.user, studio=studio, **payload.dict())


@router.post(
    "/studios/{studio_id}/fundings", response={201: HonourFundingOut}, summary="关联经费（补贴申请编号）"
)
def studio_funding(request, studio_id: int, payload: HonourFundingIn):
    studio = selectors.studio_get(request.user, studio_id)
    return 201, services.studio_funding_link(
        actor=request.user, studio=studio, application_number=payload.application_number
    )


@router.post("/studios/{studio_id}/reviews", response={201: HonourStudioReviewOut}, summary="年度考评")
def studio_review(request, studio_id: int, payload: HonourStudioReviewIn):
    studio = selectors.studio_get(request.user, studio_id)
    return 201, services.studio_review(actor=request.user, studio=studio, **payload.dict())


@router.get("/contests", response=list[HonourContestOut], summary="技能竞赛")
def contests(request, limit: int = 50, offset: int = 0):
    return window(selectors.contests_in_scope(request.user), limit=limit, offset=offset, maximum=200)


@router.post("/contests", response={201: HonourContestOut}, summary="举办竞赛")
def contest_open(request, payload: HonourContestIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.contest_open(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


@router.post("/contests/{contest_id}/teams", response={201: list[HonourEntrantOut]}, summary="代表队报名")
def contest_team(request, contest_id: int, payload: HonourTeamIn):
    contest = selectors.contest_get(request.user, contest_id)
    org = org_get(actor=request.user, org_id=payload.org_id)
    team = services.team_add(
        actor=request.user, contest=contest, name=payload.name, org=org, member_ids=payload.member_ids
    )
    return 201, list(team.entrants.all())


@router.post("/contests/{contest_id}/entrants", response={201: HonourEntrantOut}, summary="个人报名")
def contest_entrant(request, contest_id: int, payload: HonourEntrantIn):
    contest = selectors.contest_get(request.user, contest_id)
    return 201, services.entrant_add(actor=request.user, contest=contest, member_id=payload.member_id)


@router.post("/contests/{contest_id}/entrants/{entrant_id}/scores", response={201: dict}, summary="录入得分")
def contest_score(request, contest_id: int, entrant_id: int, payload: HonourScoreIn):
    contest = selectors.contest_get(request.user, contest_id)
    entrant = contest.entrants.filter(pk=entrant_id).first()
    event = contest.events.filter(pk=payload.event_id).first()
    if entrant is None or event is None:
        raise NotFound()
    row = services.score_record(actor=request.user, entrant=entrant, event=event, score=payload.score)
    return 201, {"id": row.pk, "score": str(row.score)}


@router.post("/contests/{contest_id}/results", response=list[HonourEntrantOut], summary="公布成绩与晋级")
def contest_results(request, contest_id: int):
    contest = selectors.contest_get(request.user, contest_id)
    return services.contest_results(actor=request.user, contest=contest)


@router.get("/training", response=list[HonourTrainingOut], summary="培训取证记录")
def training(request, limit: int = 50, offset: int = 0):
    return window(selectors.training_in_scope(request.user), limit=limit, offset=offset, maximum=200)


@router.post("/training", response={201: HonourTrainingOut}, summary="登记培训取证")
def training_add(request, payload: HonourTrainingIn):
    return 201, services.training_record(actor=request.user, **payload.dict())


@router.post("/agreements/{agreement_id}/milestones", response={201: dict}, summary="添加带徒节点")
def milestone_add(request, agreement_id: int, payload: HonourMilestoneIn):
    agreement = selectors.agreement_get(request.user, agreement_id)
    row = services.milestone_add(actor=request.user, agreement=agreement, **payload.dict())
    return 201, {"id": row.pk, "title": row.title, "due_on": str(row.due_on)}


@router.post("/agreements/{agreement_id}/review", response=AgreementOut, summary="结业评价")
def agreement_review(request, agreement_id: int, payload: HonourReviewIn):
    agreement = selectors.agreement_get(request.user, agreement_id)
    return services.agreement_review(actor=request.user, agreement=agreement, review=payload.end_review)


@router.post("/services", response={201: HonourServiceOut}, summary="面向劳模工匠的活动或赠送保障")
def honour_service(request, payload: HonourTargetIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    if payload.campaign_id:
        row = services.honour_campaign_target(
            actor=request.user, org=org, campaign_id=payload.campaign_id, levels=payload.levels
        )
    elif payload.product_id:
        row, _created, _problems = services.honour_cover_donate(
            actor=request.user,
            org=org,
            product_id=payload.product_id,
            levels=payload.levels,
            donated_as=payload.donated_as,
        )
    else:
        raise DomainError("请填写活动编号或互助保障产品编号", code="required", field="campaign_id")
    return 201, row
