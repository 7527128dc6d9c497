import datetime as dt

from ninja import Field, Router, Schema

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


@router.get("", response=list[MemberOut], summary="会员查询（管辖范围内）")
def member_list(
    request, q: str = "", status: str = "", occupation: str = "", limit: int = 50, offset: int = 0
):
    qs = selectors.member_search(actor=request.user, q=q, status=status, occupation=occupation)
    return window(qs, limit=limit, offset=offset, maximum=200)


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
