import datetime as dt

from ninja import Field, Router, Schema

from gonghui.core.errors import DomainError
from gonghui.core.pagination import window

from . import selectors, services

router = Router(tags=["会员"])


class MemberOut(Schema):
    id: int
    member_no: str
    name_masked: str
    id_masked: str
    phone_masked: str
    gender: str
    occupation: str
    occupation_display: str = Field(alias="get_occupation_display")
    employment_form: str
    status: str
    org_id: int
    org_name: str = Field(alias="org.name")
    joined_at: dt.date


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


class MemberSearchIn(Schema):
    q: str = Field("", description="身份证号、手机号、会员编号或姓名开头")
    status: str = ""
    occupation: str = ""
    employment_form: str = ""
    org_id: int | None = None
    joined_from: dt.date | None = None
    joined_to: dt.date | None = None
    limit: int = 50
    offset: int = 0


@router.get(
    "",
    response=list[MemberOut],
    summary="会员查询（管辖范围内）",
    description="q 可为会员编号或姓名开头；按身份证号、手机号查询请用 POST /members/search（号码不进网址和访问日志）。",
)
def member_list(
    request,
    q: str = "",
    status: str = "",
    occupation: str = "",
    employment_form: str = "",
    org_id: int | None = None,
    joined_from: dt.date | None = None,
    joined_to: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
):
    if selectors.is_personal_number(q):
        raise DomainError(
            "身份证号、手机号不能放在网址里（会留在访问日志中），请改用 POST /api/v1/members/search 查询",
            code="personal_number_in_url",
            field="q",
            status=422,
        )
    filters = MemberSearchIn(
        q=q,
        status=status,
        occupation=occupation,
        employment_form=employment_form,
        org_id=org_id,
        joined_from=joined_from,
        joined_to=joined_to,
        limit=limit,
        offset=offset,
    )
    return _search(request, filters)


@router.post("/search", response=list[MemberOut], summary="会员查询（可按身份证号、手机号，管辖范围内）")
def member_search(request, payload: MemberSearchIn):
    return _search(request, payload)


def _search(request, filters: MemberSearchIn):
    org_path = ""
    if filters.org_id is not None:
        from gonghui.orgs.selectors import org_get

        org_path = org_get(actor=request.user, org_id=filters.org_id).path
    qs = selectors.member_search(
        actor=request.user,
        q=filters.q,
        status=filters.status,
        occupation=filters.occupation,
        employment_form=filters.employment_form,
        org_path=org_path,
        joined_from=filters.joined_from,
        joined_to=filters.joined_to,
    )
    return window(qs, limit=filters.limit, offset=filters.offset, maximum=200)


class TransferRequestIn(Schema):
    employer_name: str = Field(description="新的工作单位或平台")
    occupation: str = Field(description="职业代码，同入会")
    reason: str
    work_region: str = Field("", description="工作地区划代码（单位没有工会时按工作地转属地工会）")


class TransferOut(Schema):
    id: int
    status: str
    status_label: str = Field(alias="get_status_display")
    from_org_name: str = Field(alias="from_org.name")
    to_org_name: str = Field(alias="to_org.name")
    reason: str
    reject_reason: str
    started_at: dt.datetime


@router.post(
    "/me/transfers",
    response={201: TransferOut},
    summary="换了工作：申请会籍转接（本人）",
    description="按新的工作单位或平台找到接收工会（规则同入会），原工会确认、新工会接收后完成。",
)
def my_transfer_request(request, payload: TransferRequestIn):
    transfer, _ = services.transfer_request_self(actor=request.user, **payload.dict())
    return 201, transfer


class RealNameIn(Schema):
    name: str
    id_number: str


class RealNameOut(Schema):
    real_name_verified: bool
    real_name_method: str
    real_name_at: dt.datetime | None


@router.post(
    "/me/realname",
    response=RealNameOut,
    summary="实名认证：在线核验（本人）",
    description="姓名和身份证号须与会员登记一致，并经实名核验服务确认（GONGHUI_REALNAME_BACKEND）。"
    "未开通在线核验时答复 realname_offline：请带身份证到所属工会或驿站办理。",
)
def my_realname(request, payload: RealNameIn):
    services.real_name_verify_self(actor=request.user, name=payload.name, id_number=payload.id_number)
    user = request.user
    return {
        "real_name_verified": user.real_name_verified,
        "real_name_method": user.real_name_method,
        "real_name_at": user.real_name_at,
    }


@router.get("/me/transfers", response=list[TransferOut], summary="我的会籍转接")
def my_transfers(request):
    return selectors.transfers_of_worker(actor=request.user)


@router.get("/{member_id}", response=MemberOut, summary="会员详情（个人信息已脱敏）")
def member_detail(request, member_id: int):
    return selectors.member_get(actor=request.user, member_id=member_id)


@router.post("/{member_id}/reveal", response=RevealOut, summary="查看完整个人信息（需授权，留痕）")
def member_reveal(request, member_id: int, payload: RevealIn):
    member = selectors.member_get(actor=request.user, member_id=member_id)
    value = services.member_reveal(
        actor=request.user, member=member, field=payload.field, reason=payload.reason
    )
    return {"field": payload.field, "value": value}


# --- enrollments ------------------------------------------------------------------------------

enrollments_router = Router(tags=["入会"])
cards_router = Router(tags=["会员卡"])


class EnrollmentIn(Schema):
    name: str
    id_number: str
    employer_name: str
    occupation: str
    phone: str = ""
    code: str = ""
    employment_form: str = ""
    work_region: str = ""
    residence_region: str = ""
    routes: str = ""
    note: str = ""
    station_code: str = Field("", description="先服务后入会：扫码的驿站编码（驿站二维码上的 station 参数）")


class EnrollmentStepOut(Schema):
    title: str
    detail: str
    actor_label: str
    at: dt.datetime


class EnrollmentOut(Schema):
    id: int
    status: str
    status_display: str = Field(alias="get_status_display")
    name_masked: str
    id_masked: str
    occupation: str
    employer_name: str
    org_id: int
    org_name: str = Field(alias="org.name")
    route_reason: str
    decision_reason: str
    submitted_at: dt.datetime
    member_no: str | None = None
    steps: list[EnrollmentStepOut] = []

    @staticmethod
    def resolve_member_no(obj):
        return obj.member.member_no if obj.member_id else None

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class DecisionIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str


class InfoIn(Schema):
    message: str


class ReassignIn(Schema):
    org_id: int
    reason: str


class CardOut(Schema):
    valid: bool
    reason: str = ""
    name_masked: str = ""
    org_name: str = ""
    status: str = ""
    status_display: str = ""
    member_no_masked: str = ""
    checked_at: dt.datetime


@enrollments_router.post("", response={201: EnrollmentOut}, summary="提交入会申请（我要入会）")
def enrollment_create(request, payload: EnrollmentIn):
    enrollment = services.enrollment_submit(actor=request.user, **payload.dict())
    return 201, enrollment


@enrollments_router.get("/{enrollment_id}", response=EnrollmentOut, summary="入会申请详情与办理进度")
def enrollment_detail(request, enrollment_id: int):
    return selectors.enrollment_get(actor=request.user, enrollment_id=enrollment_id)


def _staff_enrollment(request, enrollment_id):
    enrollment = selectors.enrollment_get(actor=request.user, enrollment_id=enrollment_id)
    if not selectors.enrollments_in_scope(actor=request.user).filter(pk=enrollment.pk).exists():
        # The applicant may read their own application but never decide it.
        from gonghui.core.errors import NotFound

        raise NotFound()
    return enrollment


@enrollments_router.post("/{enrollment_id}/approve", response=EnrollmentOut, summary="批准入会")
def enrollment_approve(request, enrollment_id: int, payload: DecisionIn | None = None):
    enrollment = _staff_enrollment(request, enrollment_id)
    services.enrollment_approve(
        actor=request.user, enrollment=enrollment, note=payload.note if payload else ""
    )
    return selectors.enrollment_get(actor=request.user, enrollment_id=enrollment_id)


@enrollments_router.post("/{enrollment_id}/reject", response=EnrollmentOut, summary="不予批准（须填写原因）")
def enrollment_reject(request, enrollment_id: int, payload: RejectIn):
    enrollment = _staff_enrollment(request, enrollment_id)
    return services.enrollment_reject(actor=request.user, enrollment=enrollment, reason=payload.reason)


@enrollments_router.post("/{enrollment_id}/request-info", response=EnrollmentOut, summary="请申请人补充材料")
def enrollment_request_info(request, enrollment_id: int, payload: InfoIn):
    enrollment = _staff_enrollment(request, enrollment_id)
    return services.enrollment_request_info(
        actor=request.user, enrollment=enrollment, message=payload.message
    )


@enrollments_router.post(
    "/{enrollment_id}/reassign", response=EnrollmentOut, summary="转派受理工会（须填写原因）"
)
def enrollment_reassign(request, enrollment_id: int, payload: ReassignIn):
    from gonghui.core.errors import DomainError
    from gonghui.orgs.models import Org

    enrollment = _staff_enrollment(request, enrollment_id)
    org = Org.objects.filter(pk=payload.org_id).first()
    if org is None:
        raise DomainError("转派的工会不存在", code="org_invalid", field="org_id")
    return services.enrollment_reassign(
        actor=request.user, enrollment=enrollment, org=org, reason=payload.reason
    )


@cards_router.get("/verify/{token}", auth=None, response=CardOut, summary="会员卡验真（公开，姓名脱敏）")
def card_verify(request, token: str):
    return selectors.card_verify(token)
