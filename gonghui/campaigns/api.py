"""/api/v1/campaigns: the same services and permissions as the pages, for a mini-program."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Router, Schema

from gonghui.core import xlsx
from gonghui.core.context import client_ip
from gonghui.core.pagination import window
from gonghui.core.schemas import ERRORS, ErrorOut
from gonghui.orgs.selectors import org_get

from . import selectors, services
from .exports import report_xlsx
from .models import Campaign

router = Router(tags=["活动与福利券"])


class OfferIn(Schema):
    name: str
    capacity: int
    face_value: Decimal | None = None
    schedule: str = ""
    starts_at: dt.datetime | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    location: str = ""


class CampaignIn(Schema):
    org_id: int
    title: str
    kind: str = Field(description="course 公益培训课程 / event 活动 / coupon 福利券")
    description: str = ""
    venue: str = ""
    mode: str = Field("fcfs", description="fcfs 先到先得 / lottery 抽签")
    opens_at: dt.datetime
    closes_at: dt.datetime
    cancel_deadline: dt.datetime | None = None
    real_name_required: bool = True
    occupations: list[str] = []
    new_form_only: bool = False
    per_member_limit: int = 1
    lottery_weight_losers: bool = False
    offers: list[OfferIn]


class OfferOut(Schema):
    id: int
    name: str
    capacity: int
    remaining: int
    face_value: Decimal | None
    schedule: str
    starts_at: dt.datetime | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    location: str


class CampaignOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    title: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    mode: str
    description: str
    venue: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    cancel_deadline: dt.datetime | None
    phase: str
    real_name_required: bool
    occupations: list[str]
    new_form_only: bool
    per_member_limit: int
    seed_commitment: str
    drawn_at: dt.datetime | None
    offers: list[OfferOut] = Field(alias="offers.all")

    @staticmethod
    def resolve_phase(obj):
        return obj.phase()


class TicketOut(Schema):
    id: int
    code: str
    status: str
    status_label: str = Field(alias="get_status_display")
    source: str
    campaign_id: int
    campaign_title: str = Field(alias="campaign.title")
    offer_id: int
    offer_name: str = Field(alias="offer.name")
    valid_until: dt.date | None = Field(alias="offer.valid_until")
    created_at: dt.datetime
    redeemed_at: dt.datetime | None
    redeemed_place: str
    cancelled_at: dt.datetime | None


class GrabOut(Schema):
    result: str
    message: str
    ticket: TicketOut | None = None
    entry_id: int | None = None


class WaitlistOut(Schema):
    offer_id: int
    position: int
    message: str


class RedeemIn(Schema):
    code: str
    place: str = ""
    offer_id: int | None = Field(
        None, description="正在核销的场次（名额）；给出时，券不属于该场次或不在当天会以 409 redeem_check 拒绝"
    )
    acknowledged: bool = Field(False, description="已向持券人核实，仍然核销（忽略 redeem_check 提醒）")


class RedeemOut(Schema):
    message: str
    code: str
    campaign_title: str
    offer_name: str
    member_name: str
    redeemed_at: dt.datetime
    redeemed_place: str


@router.get("", response=list[CampaignOut], summary="我可以参加的活动（本会及上级工会发布）")
def campaign_list(request):
    member = services.member_of(request.user)
    return list(selectors.campaigns_for_member(member=member))


@router.get("/manage", response=list[CampaignOut], summary="管辖范围内的活动（工会干部）")
def campaign_manage_list(request, q: str = "", kind: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.campaigns_managed(actor=request.user, q=q, kind=kind).prefetch_related("offers")
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.post("", response={201: CampaignOut, **ERRORS}, summary="发布活动/课程/福利券（工会干部）")
def campaign_create(request, payload: CampaignIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    data = payload.dict(exclude={"org_id", "offers"})
    campaign = services.campaign_create(
        actor=request.user, org=org, offers=[o.dict() for o in payload.offers], **data
    )
    return 201, selectors.campaign_public_get(campaign_id=campaign.pk)


@router.get("/tickets", response=list[TicketOut], summary="我的券和课程席位")
def ticket_list(request, status: str = ""):
    qs = selectors.tickets_of(member=services.member_of(request.user))
    if status:
        qs = qs.filter(status=status)
    return list(qs[:200])


@router.post("/tickets/{ticket_id}/cancel", response={200: TicketOut, **ERRORS}, summary="退订（截止前）")
def ticket_cancel(request, ticket_id: int):
    services.ticket_cancel(actor=request.user, ticket_id=ticket_id)
    return selectors.ticket_of(member=services.member_of(request.user), ticket_id=ticket_id)


@router.post("/redeem", response={200: RedeemOut, **ERRORS}, summary="核销（扫码或输入券码）")
def ticket_redeem(request, payload: RedeemIn):
    ticket = services.ticket_redeem(
        actor=request.user,
        code=payload.code,
        place=payload.place,
        expected_offer_id=payload.offer_id,
        acknowledged=payload.acknowledged,
    )
    return {
        "message": "核销成功",
        "code": ticket.code,
        "campaign_title": ticket.campaign.title,
        "offer_name": ticket.offer.name,
        "member_name": ticket.member.name_masked,
        "redeemed_at": ticket.redeemed_at,
        "redeemed_place": ticket.redeemed_place,
    }


@router.put(
    "/{campaign_id}", response={200: CampaignOut, **ERRORS}, summary="修改活动（开始前，整体替换名额）"
)
def campaign_update(request, campaign_id: int, payload: CampaignIn):
    campaign = selectors.campaign_managed_get(actor=request.user, campaign_id=campaign_id)
    org = org_get(actor=request.user, org_id=payload.org_id)
    data = payload.dict(exclude={"org_id", "offers"})
    services.campaign_update(
        actor=request.user, campaign=campaign, org=org, offers=[o.dict() for o in payload.offers], **data
    )
    return selectors.campaign_public_get(campaign_id=campaign.pk)


@router.get("/{campaign_id}", response={200: CampaignOut, 404: ErrorOut}, summary="活动详情")
def campaign_detail(request, campaign_id: int):
    return selectors.campaign_public_get(campaign_id=campaign_id)


@router.post(
    "/{campaign_id}/offers/{offer_id}/grab",
    response={200: GrabOut, 201: GrabOut, **ERRORS},
    summary="抢（先到先得）或报名（抽签）",
    description="可带 Idempotency-Key 请求头；重复请求返回同一张券。",
)
def offer_grab(request, campaign_id: int, offer_id: int):
    outcome = services.offer_grab(
        actor=request.user,
        campaign_id=campaign_id,
        offer_id=offer_id,
        idempotency_key=request.headers.get("Idempotency-Key"),
        ip=client_ip(request),
    )
    body = {
        "result": outcome.result,
        "message": outcome.message,
        "ticket": outcome.ticket,
        "entry_id": outcome.entry.pk if outcome.entry else None,
    }
    return (201 if outcome.result in ("won", "entered") else 200), body


@router.post(
    "/{campaign_id}/offers/{offer_id}/waitlist", response={200: WaitlistOut, **ERRORS}, summary="加入候补"
)
def waitlist_join(request, campaign_id: int, offer_id: int):
    entry = services.waitlist_join(actor=request.user, campaign_id=campaign_id, offer_id=offer_id)
    position = services.waitlist_position(entry)
    return {"offer_id": offer_id, "position": position, "message": f"已加入候补，当前第 {position} 位"}


@router.get("/{campaign_id}/draw", summary="抽签公示：承诺值、报名顺序、种子与结果（可复核）")
def draw_record(request, campaign_id: int):
    campaign = selectors.campaign_public_get(campaign_id=campaign_id)
    return selectors.draw_record(campaign=campaign)


@router.post(
    "/{campaign_id}/draw", response={200: CampaignOut, **ERRORS}, summary="抽签（报名截止后，工会干部）"
)
def campaign_draw(request, campaign_id: int):
    campaign = selectors.campaign_managed_get(actor=request.user, campaign_id=campaign_id)
    services.campaign_draw(actor=request.user, campaign=campaign)
    return selectors.campaign_public_get(campaign_id=campaign_id)


@router.post("/{campaign_id}/withdraw", response={200: dict, **ERRORS}, summary="撤回（无人领取时）")
def campaign_withdraw(request, campaign_id: int):
    campaign = selectors.campaign_managed_get(actor=request.user, campaign_id=campaign_id)
    services.campaign_withdraw(actor=request.user, campaign=campaign)
    return {"ok": True, "status": Campaign.Status.WITHDRAWN}


def _report_json(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "campaign"} | {"campaign_id": report["campaign"].pk}


@router.get("/{campaign_id}/report", response={200: dict, 404: ErrorOut}, summary="活动报表（工会干部）")
def campaign_report(request, campaign_id: int):
    return _report_json(selectors.campaign_report(actor=request.user, campaign_id=campaign_id))


@router.get("/{campaign_id}/report.xlsx", summary="活动报表导出 xlsx（工会干部）")
def campaign_report_xlsx(request, campaign_id: int):
    report = selectors.campaign_report(actor=request.user, campaign_id=campaign_id)
    return report_response(request.user, report)


def report_response(user, report: dict) -> HttpResponse:
    campaign = report["campaign"]
    xlsx.export_audit(actor=user, action="campaign.report_export", obj=campaign, orgs=campaign.org)
    return xlsx.xlsx_response(report_xlsx(report), f"campaign-{campaign.pk}-report.xlsx")
