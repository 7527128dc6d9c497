"""/api/v1/funds: schemes and quotes, applications → review → payment, budgets, the ledger, 工会经费."""

from __future__ import annotations

from ninja import Router

from gonghui.core.cleaners import clean_year
from gonghui.core.pagination import window
from gonghui.core.schemas import ERRORS
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs.selectors import org_get

from . import selectors, services
from .models import Scheme
from .schemas import (
    ApplyIn,
    BatchIn,
    BudgetIn,
    BudgetOut,
    ConfirmIn,
    ContributionIn,
    ContributionOut,
    FundApplicationOut,
    FundApproveIn,
    FundBatchOut,
    FundQuoteIn,
    FundRejectIn,
    LedgerOut,
    QuoteOut,
    SchemeIn,
    SchemeOut,
    SchemeReviseIn,
    VersionOut,
)

router = Router(tags=["补贴与经费"])

QUOTE_INPUTS = ("members", "cost", "persons", "months", "level")


def _inputs(payload: FundQuoteIn) -> dict:
    return {k: getattr(payload, k) for k in QUOTE_INPUTS if getattr(payload, k) is not None}


# --- schemes ------------------------------------------------------------------------------------


@router.get("/schemes", response=list[SchemeOut], summary="可见的补贴项目（本会出资或上级工会出资）")
def scheme_list(request, limit: int = 50, offset: int = 0):
    qs = selectors.schemes_visible(actor=request.user).prefetch_related("versions")
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.post("/schemes", response={201: SchemeOut, **ERRORS}, summary="新建补贴项目（出资工会经办人）")
def scheme_create(request, payload: SchemeIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    data = payload.dict(exclude={"org_id"})
    scheme = services.scheme_create(actor=request.user, org=org, **data)
    return 201, scheme


@router.get("/schemes/{scheme_id}", response={200: SchemeOut, **ERRORS}, summary="补贴项目详情")
def scheme_detail(request, scheme_id: int):
    return selectors.scheme_for_applicant(actor=request.user, scheme_id=scheme_id)


@router.get("/schemes/{scheme_id}/versions", response={200: list[VersionOut], **ERRORS}, summary="历次版本")
def scheme_versions(request, scheme_id: int):
    return list(selectors.scheme_get(actor=request.user, scheme_id=scheme_id).versions.all())


@router.post(
    "/schemes/{scheme_id}/versions",
    response={201: VersionOut, **ERRORS},
    summary="修订补贴项目（生成新版本，已提交的申请保留原版本）",
)
def scheme_revise(request, scheme_id: int, payload: SchemeReviseIn):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    version = services.scheme_revise(actor=request.user, scheme=scheme, **payload.dict())
    return 201, version


@router.post(
    "/schemes/{scheme_id}/quote",
    response={200: QuoteOut, **ERRORS},
    summary="测算可得金额（显示计算过程）",
    description="给出 org_id 时，会员人数取自会员名册（项目基准日在籍），兼职主席人数取自工会干部岗位。",
)
def scheme_quote(request, scheme_id: int, payload: FundQuoteIn):
    scheme = selectors.scheme_for_applicant(actor=request.user, scheme_id=scheme_id)
    quote, sources = selectors.scheme_quote(
        actor=request.user, scheme=scheme, inputs=_inputs(payload), org_id=payload.org_id
    )
    return {"scheme_id": scheme.pk, "version": scheme.current_version, **quote.as_dict(), "sources": sources}


@router.post(
    "/schemes/{scheme_id}/applications",
    response={201: FundApplicationOut, **ERRORS},
    summary="提交补贴申请（工会或个人）",
)
def application_submit(request, scheme_id: int, payload: ApplyIn):
    scheme = selectors.scheme_for_applicant(actor=request.user, scheme_id=scheme_id)
    org = None
    if scheme.applicant == Scheme.Applicant.ORG and payload.org_id is not None:
        org = org_get(actor=request.user, org_id=payload.org_id)
    app = services.application_submit(
        actor=request.user,
        scheme=scheme,
        org=org,
        inputs=_inputs(payload),
        documents=[d.dict() for d in payload.documents],
        note=payload.note,
        payee=payload.payee,
    )
    return 201, app


@router.get("/applications", response=list[FundApplicationOut], summary="补贴申请（出资方或申请方）")
def application_list(
    request, status: str = "", scheme_id: int | None = None, role: str = "", limit: int = 50, offset: int = 0
):
    qs = selectors.application_list(actor=request.user, status=status, scheme_id=scheme_id, role=role)
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.get(
    "/applications/{application_id}", response={200: FundApplicationOut, **ERRORS}, summary="申请详情"
)
def application_detail(request, application_id: int):
    return selectors.application_get(actor=request.user, application_id=application_id)


@router.post(
    "/applications/{application_id}/approve",
    response={200: FundApplicationOut, **ERRORS},
    summary="批准（在项目上下限内核定金额并说明理由；占用预算）",
)
def application_approve(request, application_id: int, payload: FundApproveIn):
    return services.application_approve(
        actor=request.user, application_id=application_id, amount=payload.amount, reason=payload.reason
    )


@router.post(
    "/applications/{application_id}/reject", response={200: FundApplicationOut, **ERRORS}, summary="不予批准"
)
def application_reject(request, application_id: int, payload: FundRejectIn):
    return services.application_reject(
        actor=request.user, application_id=application_id, reason=payload.reason
    )


# --- budgets, batches, ledger -------------------------------------------------------------------


@router.get("/budgets", response=list[BudgetOut], summary="预算：已承诺、已支付、剩余")
def budget_list(request, year: int | None = None, limit: int = 100, offset: int = 0):
    year = clean_year(year, required=False)
    return window(
        selectors.budgets_in_scope(actor=request.user, year=year), limit=limit, offset=offset, maximum=500
    )


@router.post(
    "/schemes/{scheme_id}/budgets", response={200: BudgetOut, **ERRORS}, summary="安排或调整年度预算"
)
def budget_set(request, scheme_id: int, payload: BudgetIn):
    scheme = selectors.scheme_get(actor=request.user, scheme_id=scheme_id)
    return services.budget_set(actor=request.user, scheme=scheme, year=payload.year, amount=payload.amount)


@router.post("/batches", response={201: FundBatchOut, **ERRORS}, summary="生成支付批次（已批准未支付的申请）")
def batch_create(request, payload: BatchIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.batch_create(actor=request.user, org=org, application_ids=payload.application_ids)


@router.get("/batches", response=list[FundBatchOut], summary="支付批次")
def batch_list(request, limit: int = 50, offset: int = 0):
    return window(selectors.batches_in_scope(actor=request.user), limit=limit, offset=offset, maximum=200)


@router.get("/batches/{batch_id}/export", response={200: None, **ERRORS}, summary="导出支付批次（xlsx）")
def batch_export(request, batch_id: int):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    content = services.batch_export(actor=request.user, batch=batch)
    return xlsx_response(content, f"支付批次-{batch.number}.xlsx")


@router.post(
    "/batches/{batch_id}/confirm",
    response={200: FundBatchOut, **ERRORS},
    summary="确认已支付（控制总额须与批次合计一致）",
)
def batch_confirm(request, batch_id: int, payload: ConfirmIn):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    return services.batch_confirm_paid(actor=request.user, batch=batch, control_total=payload.control_total)


@router.get("/ledger", response=list[LedgerOut], summary="经费台账（出资方与受款方看到同样的记录）")
def ledger_list(request, year: int | None = None, limit: int = 100, offset: int = 0):
    year = clean_year(year, required=False)
    return window(
        selectors.ledger_in_scope(actor=request.user, year=year), limit=limit, offset=offset, maximum=500
    )


@router.get("/report", response={200: dict, **ERRORS}, summary="预算与支出报表：按年度、项目、下级地区、类别")
def report(request, org_id: int, year: int | None = None):
    year = clean_year(year, required=False)
    org = org_get(actor=request.user, org_id=org_id)
    return selectors.chart_data(selectors.report(actor=request.user, org=org, year=year))


# --- 工会经费 -------------------------------------------------------------------------------------


@router.post(
    "/contributions", response={200: ContributionOut, **ERRORS}, summary="登记单位工会经费（工资总额与实缴）"
)
def contribution_record(request, payload: ContributionIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return services.contribution_record(
        actor=request.user,
        org=org,
        month=payload.month,
        payroll=payload.payroll,
        paid=payload.paid,
        paid_on=payload.paid_on,
    )


@router.get("/contributions", response=list[ContributionOut], summary="工会经费：应缴、实缴、留成与上解")
def contribution_list(request, arrears: bool = False, limit: int = 100, offset: int = 0):
    qs = (
        selectors.contribution_arrears(actor=request.user)
        if arrears
        else selectors.contributions_in_scope(actor=request.user)
    )
    return window(qs, limit=limit, offset=offset, maximum=500)
