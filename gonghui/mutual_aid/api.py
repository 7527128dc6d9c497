"""医疗互助 API: the quote (same breakdown as a claim), products, enrolment, claims and the 五个一."""

from __future__ import annotations

from decimal import Decimal

from ninja import File, Form, Router
from ninja.files import UploadedFile

from gonghui.core.cleaners import clean_year
from gonghui.core.errors import DomainError
from gonghui.core.money import parse_amount
from gonghui.core.pagination import window
from gonghui.orgs.selectors import org_get

from . import calculator, selectors, services
from .schemas import (
    ClaimIn,
    ClaimOut,
    ClaimUpdateIn,
    EnrolIn,
    EnrolmentOut,
    EnrolResultOut,
    FollowUpIn,
    FollowUpOut,
    MutualAidProductIn,
    MutualAidProductOut,
    MutualAidQuoteIn,
    MutualAidReasonIn,
    NoteIn,
    StaffClaimOut,
)

router = Router(tags=["医疗互助保障"])


def _claim_input(payload: ClaimIn) -> services.ClaimInput:
    return services.ClaimInput(
        kind=payload.kind,
        hospital=payload.hospital,
        diagnosis=payload.diagnosis,
        admitted_on=payload.admitted_on,
        discharged_on=payload.discharged_on,
        total_cost=payload.total_cost,
        insured_part=payload.insured_part,
        self_paid=payload.self_paid,
    )


@router.post(
    "/quote", auth=None, summary="试算互助金：与正式申请相同的计算过程（起付线、各分段、保底、津贴、封顶）"
)
def quote(request, payload: MutualAidQuoteIn):
    product = selectors.product_get_public(payload.product_id)
    before = calculator.YearSoFar(
        deductible_used=min(parse_amount(payload.deductible_used, "deductible_used"), product.deductible),
        eligible_so_far=parse_amount(payload.eligible_so_far, "eligible_so_far"),
        paid_so_far=parse_amount(payload.paid_so_far, "paid_so_far"),
        allowance_days_used=max(payload.allowance_days_used, 0),
    )
    if before.eligible_so_far > 0 and before.deductible_used < product.deductible:
        raise DomainError(
            "起付线未用完时，本年已进入分段的费用应为 0", code="year_state", field="eligible_so_far"
        )
    result = services.quote(product=product, self_paid=payload.self_paid, days=payload.days, before=before)
    return {"product_id": product.pk, "year": product.year, **result.as_dict()}


@router.get("/products", response=list[MutualAidProductOut], summary="产品（本级及上级工会主办的各年度产品）")
def products(request):
    return list(selectors.products_for(actor=request.user).order_by("-year", "code"))


@router.post("/products", response={201: MutualAidProductOut}, summary="新建年度产品（省、市总工会）")
def product_create(request, payload: MutualAidProductIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    data = services.ProductInput(
        **payload.dict(exclude={"org_id", "bands"}), bands=[b.dict() for b in payload.bands]
    )
    return 201, services.product_create(actor=request.user, org=org, data=data)


@router.post("/enrolments", response={201: EnrolResultOut}, summary="为会员办理参保（选人）")
def enrol(request, payload: EnrolIn):
    product = selectors.product_get(actor=request.user, product_id=payload.product_id)
    created, problems = services.enrolment_create(
        actor=request.user,
        product=product,
        member_ids=payload.member_ids,
        paid_by=payload.paid_by,
        donated_as=payload.donated_as,
    )
    return 201, {"enrolled": created, "problems": problems}


@router.post("/enrolments/import", summary="从 xlsx 导入参保名单（会员编号、缴费方式、赠送对象；multipart）")
def enrol_import(request, product_id: Form[int], file: File[UploadedFile]):
    product = selectors.product_get(actor=request.user, product_id=product_id)
    enrolled, problems = services.enrolment_import(actor=request.user, product=product, data=file.read())
    return {"enrolled": enrolled, "problems": problems}


@router.get("/enrolments", response=list[EnrolmentOut], summary="参保名单（管辖范围内）")
def enrolments(request, product_id: int | None = None, limit: int = 50, offset: int = 0):
    return window(
        selectors.enrolment_list(actor=request.user, product_id=product_id),
        limit=limit,
        offset=offset,
        maximum=200,
    )


# --- the member's own claims --------------------------------------------------------------------


@router.get("/me/enrolments", response=list[EnrolmentOut], summary="我的保障")
def my_enrolments(request):
    return list(selectors.my_enrolments(actor=request.user))


@router.get("/me/claims", response=list[ClaimOut], summary="我的互助申请")
def my_claims(request):
    return list(selectors.my_claims(actor=request.user)[:100])


@router.post("/me/claims", response={201: ClaimOut}, summary="申请互助金（附住院票据照片，multipart）")
def my_claim_file(request, payload: Form[ClaimIn], photos: File[list[UploadedFile]]):
    return 201, services.claim_file(actor=request.user, data=_claim_input(payload), files=photos)


@router.get("/me/claims/{claim_id}", response=ClaimOut, summary="我的申请详情与计算过程")
def my_claim(request, claim_id: int):
    return selectors.claim_get_for_worker(actor=request.user, claim_id=claim_id)


@router.post("/me/claims/{claim_id}/withdraw", response=ClaimOut, summary="撤回申请（支付前）")
def my_claim_withdraw(request, claim_id: int, payload: MutualAidReasonIn):
    claim = selectors.claim_get_for_worker(actor=request.user, claim_id=claim_id)
    return services.claim_withdraw(actor=request.user, claim=claim, reason=payload.reason)


# --- staff ----------------------------------------------------------------------------------------


def _staff_claim(request, claim_id: int):
    return selectors.claim_get_for_staff(actor=request.user, claim_id=claim_id)


@router.post("/claims", response={201: StaffClaimOut}, summary="工会代报（JSON，member_id 必填）")
def claim_file(request, payload: ClaimIn):
    if payload.member_id is None:
        raise DomainError("工会代报请填写会员（member_id）", code="member_required", field="member_id")
    return 201, services.claim_file(
        actor=request.user, data=_claim_input(payload), member_id=payload.member_id
    )


@router.get("/claims", response=list[StaffClaimOut], summary="互助申请（管辖范围内；status 筛选）")
def claims(request, status: str = "", q: str = "", limit: int = 50, offset: int = 0):
    return window(
        selectors.claim_list(actor=request.user, status=status, q=q), limit=limit, offset=offset, maximum=200
    )


@router.get("/claims/{claim_id}", response=StaffClaimOut, summary="申请详情（每次查看留痕）")
def claim_detail(request, claim_id: int):
    claim = _staff_claim(request, claim_id)
    services.claim_pii_read(actor=request.user, claim=claim, where="api")
    return claim


@router.put("/claims/{claim_id}", response=StaffClaimOut, summary="更正住院信息（支付前；全年重新计算）")
def claim_update(request, claim_id: int, payload: ClaimUpdateIn):
    return services.claim_update(
        actor=request.user,
        claim=_staff_claim(request, claim_id),
        data=_claim_input(payload),
        reason=payload.reason,
    )


@router.post("/claims/{claim_id}/approve", response=StaffClaimOut, summary="审核通过")
def claim_approve(request, claim_id: int, payload: NoteIn):
    return services.claim_approve(
        actor=request.user, claim=_staff_claim(request, claim_id), note=payload.note
    )


@router.post("/claims/{claim_id}/reject", response=StaffClaimOut, summary="不予给付（须填原因）")
def claim_reject(request, claim_id: int, payload: MutualAidReasonIn):
    return services.claim_reject(
        actor=request.user, claim=_staff_claim(request, claim_id), reason=payload.reason
    )


@router.post(
    "/claims/{claim_id}/withdraw", response=StaffClaimOut, summary="撤回（支付前；同年后续申请重新计算）"
)
def claim_withdraw(request, claim_id: int, payload: MutualAidReasonIn):
    return services.claim_withdraw(
        actor=request.user, claim=_staff_claim(request, claim_id), reason=payload.reason
    )


@router.post("/claims/{claim_id}/pay", response=StaffClaimOut, summary="登记支付（自动发送补助短信）")
def claim_pay(request, claim_id: int):
    return services.claim_pay(actor=request.user, claim=_staff_claim(request, claim_id))


@router.get("/claims/{claim_id}/follow-ups", response=list[FollowUpOut], summary="五个一回访清单")
def follow_ups(request, claim_id: int):
    return selectors.follow_ups(_staff_claim(request, claim_id))


@router.post(
    "/claims/{claim_id}/follow-ups",
    response=FollowUpOut,
    summary="登记五个一（电话、慰问品、慰问金、政策宣传）",
)
def follow_up(request, claim_id: int, payload: FollowUpIn):
    return services.follow_up_tick(
        actor=request.user,
        claim=_staff_claim(request, claim_id),
        item=payload.item,
        note=payload.note,
        done_on=payload.done_on,
    )


@router.get("/report", summary="报表：给付率、各分段合计、各工会、各年度")
def report(request, year: int | None = None):
    year = clean_year(year, required=False)
    data = selectors.report(actor=request.user, year=year)
    return _jsonable(data)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
