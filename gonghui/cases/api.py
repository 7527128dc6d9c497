"""诉求工单 API: the worker side (file, follow, add information, rate) and the staff side (inbox,
accept, assign, transfer, messages, joint steps, payments, resolve, merge, statistics)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from gonghui.core.errors import DomainError
from gonghui.core.pagination import window

from . import selectors, services
from .models import Case

router = Router(tags=["诉求工单"])


class ClaimantIn(Schema):
    name: str
    phone: str = ""
    amount: str = "0"


class CaseIn(Schema):
    category: str
    description: str
    workplace_region: str
    employer_name: str = ""
    employer_credit_code: str = ""
    workplace_township_id: int | None = None
    workplace_address: str = ""
    amount_claimed: str | None = None
    title: str = ""
    confidential: bool = False
    claimants: list[ClaimantIn] = []
    # Staff entering a phone or walk-in claim name the claimant; workers file for themselves.
    channel: str = "api"
    claimant_name: str = ""
    claimant_phone: str = ""


class CaseOut(Schema):
    id: int
    number: str
    title: str
    category: str
    category_display: str = Field(alias="get_category_display")
    status: str
    status_display: str = Field(alias="get_status_display")
    outcome: str
    difficulty: str
    org_id: int
    org_name: str = Field(alias="org.name")
    employer_name: str
    amount_claimed: Decimal
    amount_recovered: Decimal
    is_collective: bool
    confidential: bool
    created_at: dt.datetime
    accept_due: dt.datetime
    handle_due: dt.date | None
    overdue: bool
    rating: int | None


class StepOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    body: str
    department: str
    actor_label: str
    created_at: dt.datetime


class ClaimantOut(Schema):
    id: int
    name_masked: str
    amount_claimed: Decimal
    amount_paid: Decimal
    payment_status: str


class CaseDetailOut(CaseOut):
    description: str
    workplace_region: str
    claimant_name: str
    claimant_phone_masked: str
    supervising_org_id: int | None
    handler_id: int | None
    lawyer_id: int | None
    steps: list[StepOut] = Field(alias="timeline")
    claimants: list[ClaimantOut]


class WorkerCaseOut(CaseOut):
    description: str
    steps: list[StepOut] = Field(alias="timeline")


class TextIn(Schema):
    body: str


class MessageIn(Schema):
    body: str
    internal: bool = False


class AcceptIn(Schema):
    difficulty: str = ""
    message: str = ""


class AssignIn(Schema):
    handler_id: int


class TransferIn(Schema):
    org_id: int
    reason: str


class JointIn(Schema):
    department: str
    body: str
    visible: bool = True


class PaymentIn(Schema):
    amount_paid: str
    paid_on: dt.date | None = None
    note: str = ""


class ResolveIn(Schema):
    outcome: str
    summary: str
    amount_recovered: str | None = None


class RateIn(Schema):
    rating: int
    comment: str = ""
    reopen: bool = False


class MergeIn(Schema):
    duplicate_id: int


class LawyerIn(Schema):
    lawyer_id: int


# --- worker ---------------------------------------------------------------------------------


@router.post(
    "", response={201: CaseOut}, summary="提交诉求（职工本人；工作人员代录请设 channel=phone/walk_in）"
)
def case_create(request, payload: CaseIn):
    if payload.channel not in {"api", "phone", "walk_in"}:
        raise DomainError("channel 只能是 api、phone 或 walk_in", code="channel", field="channel")
    data = services.CaseInput(
        **payload.dict(exclude={"claimants", "channel"}),
        claimants=[services.ClaimantInput(c.name, c.phone, c.amount) for c in payload.claimants],
    )
    return 201, services.case_file(actor=request.user, data=data, channel=payload.channel)


@router.get("/mine", response=list[CaseOut], summary="我的诉求")
def my_cases(request):
    return window(selectors.worker_cases(actor=request.user), limit=100, maximum=100)


@router.get("/mine/{case_id}", response=WorkerCaseOut, summary="我的诉求详情与进度")
def my_case(request, case_id: int):
    case = selectors.case_get_for_worker(actor=request.user, case_id=case_id)
    return _with_steps(case, list(selectors.worker_timeline(case)))


@router.post("/mine/{case_id}/info", response={201: StepOut}, summary="补充情况说明")
def my_case_info(request, case_id: int, payload: TextIn):
    case = selectors.case_get_for_worker(actor=request.user, case_id=case_id)
    return 201, services.case_add_info(actor=request.user, case=case, body=payload.body)


@router.post("/mine/{case_id}/attachments", response={201: StepOut}, summary="上传补充材料（图片或 PDF）")
def my_case_attachments(request, case_id: int, files: File[list[UploadedFile]]):
    case = selectors.case_get_for_worker(actor=request.user, case_id=case_id)
    return 201, services.case_add_info(actor=request.user, case=case, body="", files=files)


@router.post("/mine/{case_id}/rating", response=CaseOut, summary="评价办理结果（1–5 星，可申请重新办理）")
def my_case_rate(request, case_id: int, payload: RateIn):
    case = selectors.case_get_for_worker(actor=request.user, case_id=case_id)
    return services.case_rate(
        actor=request.user, case=case, rating=payload.rating, comment=payload.comment, reopen=payload.reopen
    )


# --- staff ----------------------------------------------------------------------------------


@router.get(
    "/inbox", response=list[CaseOut], summary="工单收件箱（view=mine/todo/open/overdue/supervised/done/all）"
)
def inbox(request, view: str = "mine", category: str = "", q: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.inbox(actor=request.user, view=view, category=category, q=q)
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.get("/stats", summary="统计：类别、承办工会、按时办结率、追回金额、满意度")
def stats(request, date_from: dt.date | None = None, date_to: dt.date | None = None):
    return selectors.case_stats(actor=request.user, date_from=date_from, date_to=date_to)


def _with_steps(case: Case, steps) -> Case:
    case.timeline = steps  # type: ignore[attr-defined]
    return case


def _staff_case(request, case_id: int) -> Case:
    return selectors.case_get_for_staff(actor=request.user, case_id=case_id)


@router.get("/{case_id}", response=CaseDetailOut, summary="工单详情（诉求人信息的每次查看都会留痕）")
def case_detail(request, case_id: int):
    case = _staff_case(request, case_id)
    services.case_pii_read(actor=request.user, case=case, where="api")
    return _with_steps(case, list(selectors.staff_timeline(case)))


@router.post("/{case_id}/accept", response=CaseOut, summary="受理")
def case_accept(request, case_id: int, payload: AcceptIn):
    return services.case_accept(
        actor=request.user,
        case=_staff_case(request, case_id),
        difficulty=payload.difficulty or None,
        message=payload.message,
    )


@router.post("/{case_id}/assign", response=CaseOut, summary="指定经办人")
def case_assign(request, case_id: int, payload: AssignIn):
    return services.case_assign(
        actor=request.user, case=_staff_case(request, case_id), handler_id=payload.handler_id
    )


@router.post("/{case_id}/transfer", response=CaseOut, summary="转派（管辖范围内，须填理由）")
def case_transfer(request, case_id: int, payload: TransferIn):
    return services.case_transfer(
        actor=request.user, case=_staff_case(request, case_id), org_id=payload.org_id, reason=payload.reason
    )


@router.post("/{case_id}/messages", response={201: StepOut}, summary="答复职工或内部备注（internal=true）")
def case_message(request, case_id: int, payload: MessageIn):
    return 201, services.case_message(
        actor=request.user, case=_staff_case(request, case_id), body=payload.body, internal=payload.internal
    )


@router.post("/{case_id}/joint", response={201: StepOut}, summary="登记联合处置（人社局、住建局、法院等）")
def case_joint(request, case_id: int, payload: JointIn):
    return 201, services.case_joint_step(
        actor=request.user,
        case=_staff_case(request, case_id),
        department=payload.department,
        body=payload.body,
        visible=payload.visible,
    )


@router.post("/{case_id}/pause", response=CaseOut, summary="请职工补充材料（暂停计时）")
def case_pause(request, case_id: int, payload: TextIn):
    return services.case_pause(
        actor=request.user, case=_staff_case(request, case_id), request_text=payload.body
    )


@router.post("/{case_id}/resume", response=CaseOut, summary="恢复计时")
def case_resume(request, case_id: int):
    return services.case_resume(actor=request.user, case=_staff_case(request, case_id))


@router.post(
    "/{case_id}/claimants/{claimant_id}/payment", response=ClaimantOut, summary="登记共同诉求人支付情况"
)
def case_payment(request, case_id: int, claimant_id: int, payload: PaymentIn):
    return services.case_record_payment(
        actor=request.user,
        case=_staff_case(request, case_id),
        claimant_id=claimant_id,
        amount_paid=payload.amount_paid,
        paid_on=payload.paid_on,
        note=payload.note,
    )


@router.post("/{case_id}/resolve", response=CaseOut, summary="办结")
def case_resolve(request, case_id: int, payload: ResolveIn):
    return services.case_resolve(
        actor=request.user,
        case=_staff_case(request, case_id),
        outcome=payload.outcome,
        summary=payload.summary,
        amount_recovered=payload.amount_recovered,
    )


@router.post("/{case_id}/archive", response=CaseOut, summary="归档")
def case_archive(request, case_id: int):
    return services.case_archive(actor=request.user, case=_staff_case(request, case_id))


@router.post("/{case_id}/merge", response=CaseOut, summary="合并重复诉求（同一用人单位）")
def case_merge(request, case_id: int, payload: MergeIn):
    duplicate = _staff_case(request, payload.duplicate_id)
    return services.case_merge(actor=request.user, case=_staff_case(request, case_id), duplicate=duplicate)


@router.post("/{case_id}/lawyer", response=CaseOut, summary="指派合作律师（法律援助）")
def case_lawyer(request, case_id: int, payload: LawyerIn):
    return services.case_assign_lawyer(
        actor=request.user, case=_staff_case(request, case_id), lawyer_id=payload.lawyer_id
    )
