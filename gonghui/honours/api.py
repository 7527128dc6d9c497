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
    HonourIn,
    HonourOut,
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
