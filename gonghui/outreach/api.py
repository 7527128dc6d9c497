"""走访与协商 API under /api/v1/outreach/: 法律体检 visits, opinions and the problem list, consultation."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router

from gonghui.core.cleaners import clean_year
from gonghui.core.pagination import window

from . import selectors, services
from .models import Agreement
from .schemas import (
    OutreachAgreementIn,
    OutreachAgreementOut,
    OutreachCaseOut,
    OutreachCountOut,
    OutreachEvidenceIn,
    OutreachEvidenceOut,
    OutreachFollowUpDoneIn,
    OutreachFollowUpIn,
    OutreachFollowUpOut,
    OutreachForumIn,
    OutreachForumOut,
    OutreachFunnelOut,
    OutreachGroupIn,
    OutreachImportIn,
    OutreachMeasureIn,
    OutreachMeasureOut,
    OutreachMeetingIn,
    OutreachMeetingOut,
    OutreachMineOut,
    OutreachMinutesIn,
    OutreachOpinionIn,
    OutreachOpinionOut,
    OutreachOutcomeIn,
    OutreachProblemIn,
    OutreachProblemOut,
    OutreachResultIn,
    OutreachRulesIn,
    OutreachSubmitIn,
    OutreachTotalsOut,
    OutreachVisitIn,
    OutreachVisitOut,
    OutreachYearOut,
)

router = Router(tags=["走访与协商"])


# --- 法律体检 visits -------------------------------------------------------------------------------


@router.get("/visits", response=list[OutreachVisitOut])
def visit_list(request, limit: int = 50, offset: int = 0):
    qs = selectors.visits_in_scope(actor=request.auth).prefetch_related("items", "follow_ups")
    return window(qs, limit=limit, offset=offset, maximum=100)


@router.post("/visits", response={201: OutreachVisitOut})
def visit_record(request, payload: OutreachVisitIn):
    data = payload.dict()
    visit = services.visit_record(actor=request.auth, **data)
    return 201, selectors.visit_get(actor=request.auth, visit_id=visit.pk)


@router.get("/visits/totals", response=OutreachTotalsOut)
def visit_totals(request, year: int | None = None):
    return selectors.visit_totals(actor=request.auth, year=clean_year(year, required=False))


@router.get("/visits/{visit_id}", response=OutreachVisitOut)
def visit_detail(request, visit_id: int):
    return selectors.visit_get(actor=request.auth, visit_id=visit_id)


@router.post("/visits/{visit_id}/rules", response=OutreachVisitOut)
def visit_rules(request, visit_id: int, payload: OutreachRulesIn):
    services.visit_rules_update(actor=request.auth, visit_id=visit_id, **payload.dict())
    return selectors.visit_get(actor=request.auth, visit_id=visit_id)


@router.post("/visits/{visit_id}/follow-ups", response={201: OutreachFollowUpOut})
def followup_add(request, visit_id: int, payload: OutreachFollowUpIn):
    return 201, services.followup_add(actor=request.auth, visit_id=visit_id, **payload.dict())


@router.post("/follow-ups/{followup_id}/done", response=OutreachFollowUpOut)
def followup_done(request, followup_id: int, payload: OutreachFollowUpDoneIn):
    return services.followup_done(actor=request.auth, followup_id=followup_id, result=payload.result)


@router.post("/items/{item_id}/case", response={201: OutreachCaseOut})
def item_to_case(request, item_id: int):
    case = services.item_to_case(actor=request.auth, item_id=item_id)
    return 201, {"case_id": case.pk, "case_number": case.number}


# --- opinions and the problem list ---------------------------------------------------------------------


@router.get("/opinions", response=list[OutreachOpinionOut])
def opinion_list(request, ungrouped: bool = False, limit: int = 50, offset: int = 0):
    qs = selectors.opinions_in_scope(actor=request.auth)
    if ungrouped:
        qs = qs.filter(problem__isnull=True, resolved_on__isnull=True)
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.post("/opinions", response={201: OutreachOpinionOut})
def opinion_add(request, payload: OutreachOpinionIn):
    return 201, services.opinion_add(actor=request.auth, **payload.dict())


@router.post("/opinions/import-cases", response=OutreachCountOut)
def opinions_import(request, payload: OutreachImportIn):
    return {"count": services.opinions_import_cases(actor=request.auth, org_id=payload.org_id)}


@router.post("/opinions/{opinion_id}/resolve", response=OutreachOpinionOut)
def opinion_resolve(request, opinion_id: int, payload: OutreachOutcomeIn):
    return services.opinion_resolve(actor=request.auth, opinion_id=opinion_id, outcome=payload.outcome)


@router.get("/opinions/mine", response=list[OutreachMineOut])
def my_opinions(request):
    return list(selectors.opinions_of_worker(user=request.auth)[:100])


@router.post("/opinions/mine", response={201: OutreachMineOut})
def opinion_submit(request, payload: OutreachSubmitIn):
    return 201, services.opinion_submit(actor=request.auth, text=payload.text)


@router.get("/funnel", response=OutreachFunnelOut)
def funnel(request):
    return selectors.funnel(actor=request.auth)


@router.get("/problems", response=list[OutreachProblemOut])
def problem_list(request, status: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.problem_list(actor=request.auth, status=status).prefetch_related(
        "measures__owner_user", "opinions"
    )
    return window(qs, limit=limit, offset=offset, maximum=100)


@router.post("/problems", response={201: OutreachProblemOut})
def problem_create(request, payload: OutreachProblemIn):
    problem = services.problem_create(actor=request.auth, **payload.dict())
    return 201, selectors.problem_get(actor=request.auth, problem_id=problem.pk)


@router.get("/problems/{problem_id}", response=OutreachProblemOut)
def problem_detail(request, problem_id: int):
    return selectors.problem_get(actor=request.auth, problem_id=problem_id)


@router.post("/problems/{problem_id}/opinions", response=OutreachCountOut)
def problem_group(request, problem_id: int, payload: OutreachGroupIn):
    count = services.opinions_group(
        actor=request.auth, problem_id=problem_id, opinion_ids=payload.opinion_ids
    )
    return {"count": count}


@router.post("/problems/{problem_id}/measures", response={201: OutreachMeasureOut})
def measure_add(request, problem_id: int, payload: OutreachMeasureIn):
    return 201, services.measure_add(actor=request.auth, problem_id=problem_id, **payload.dict())


@router.post("/measures/{measure_id}/done", response=OutreachMeasureOut)
def measure_done(request, measure_id: int, payload: OutreachResultIn):
    return services.measure_done(actor=request.auth, measure_id=measure_id, result=payload.result)


@router.post("/problems/{problem_id}/close", response=OutreachProblemOut)
def problem_close(request, problem_id: int, payload: OutreachOutcomeIn):
    services.problem_close(actor=request.auth, problem_id=problem_id, outcome=payload.outcome)
    return selectors.problem_get(actor=request.auth, problem_id=problem_id)


# --- collective consultation ---------------------------------------------------------------------------


@router.get("/forums", response=list[OutreachForumOut])
def forum_list(request):
    return list(selectors.forums_in_scope(actor=request.auth)[:200])


@router.post("/forums", response={201: OutreachForumOut})
def forum_create(request, payload: OutreachForumIn):
    return 201, services.forum_create(actor=request.auth, **payload.dict())


@router.get("/forums/{forum_id}/year", response=OutreachYearOut)
def forum_year(request, forum_id: int, year: int | None = None):
    forum = selectors.forum_get(actor=request.auth, forum_id=forum_id)
    year = clean_year(year, required=False) or timezone.localdate().year
    return selectors.year_status(forum, year)


@router.get("/forums/{forum_id}/meetings", response=list[OutreachMeetingOut])
def meeting_list(request, forum_id: int):
    forum = selectors.forum_get(actor=request.auth, forum_id=forum_id)
    return list(forum.meetings.prefetch_related("participants").order_by("scheduled_on", "pk")[:200])


@router.post("/forums/{forum_id}/meetings", response={201: OutreachMeetingOut})
def meeting_schedule(request, forum_id: int, payload: OutreachMeetingIn):
    return 201, services.meeting_schedule(actor=request.auth, forum_id=forum_id, **payload.dict())


@router.get("/meetings/{meeting_id}", response=OutreachMeetingOut)
def meeting_detail(request, meeting_id: int):
    return selectors.meeting_get(actor=request.auth, meeting_id=meeting_id)


@router.post("/meetings/{meeting_id}/minutes", response=OutreachMeetingOut)
def meeting_record(request, meeting_id: int, payload: OutreachMinutesIn):
    data = payload.dict()
    services.meeting_record(actor=request.auth, meeting_id=meeting_id, **data)
    return selectors.meeting_get(actor=request.auth, meeting_id=meeting_id)


@router.post("/meetings/{meeting_id}/cancel", response=OutreachMeetingOut)
def meeting_cancel(request, meeting_id: int):
    return services.meeting_cancel(actor=request.auth, meeting_id=meeting_id)


@router.post("/meetings/{meeting_id}/agreements", response={201: OutreachAgreementOut})
def agreement_sign(request, meeting_id: int, payload: OutreachAgreementIn):
    agreement = services.agreement_sign(actor=request.auth, meeting_id=meeting_id, **payload.dict())
    return 201, Agreement.objects.prefetch_related("commitments").get(pk=agreement.pk)


@router.get("/forums/{forum_id}/agreements", response=list[OutreachAgreementOut])
def agreement_list(request, forum_id: int):
    forum = selectors.forum_get(actor=request.auth, forum_id=forum_id)
    return list(forum.agreements.prefetch_related("commitments")[:100])


@router.post("/commitments/{commitment_id}/evidence", response={201: OutreachEvidenceOut})
def evidence_add(request, commitment_id: int, payload: OutreachEvidenceIn):
    return 201, services.evidence_add(actor=request.auth, commitment_id=commitment_id, **payload.dict())
