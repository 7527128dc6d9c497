"""At the door: finding the ticket, warnings, redeeming."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.members.services import member_took_part

from ..models import Campaign, Offer, Ticket, normalize_code
from .common import REDEEM_ROLES, _local


def redeemable_offer_get(*, actor, offer_id) -> Offer:
    """A session (offer) the actor may check tickets in for."""
    offer = (
        Offer.objects.select_related("campaign__org").filter(pk=offer_id).first()
        if str(offer_id).isdigit()
        else None
    )
    if offer is None or not may_redeem(actor, offer.campaign):
        raise NotFound("未找到该活动场次，或您无权核销", code="not_found", field="offer")
    return offer


def may_redeem(user, campaign: Campaign) -> bool:
    from gonghui.orgs.scope import in_scope

    return in_scope(user, campaign.org, REDEEM_ROLES) or campaign.redeemers.filter(pk=user.pk).exists()


def ticket_for_redeem(*, actor, code: str) -> Ticket:
    """The ticket behind a scanned or typed code, if the actor may redeem it (else 未找到)."""
    code = normalize_code(code)
    if not code:
        raise DomainError("请扫描二维码或输入券码", code="required", field="code")
    ticket = Ticket.objects.select_related("offer", "campaign__org", "member").filter(code=code).first()
    if ticket is None or not may_redeem(actor, ticket.campaign):
        raise NotFound("未找到该券码，请核对后重试", code="not_found")
    return ticket


def redeem_warnings(*, ticket: Ticket, expected_offer: Offer | None, today: dt.date) -> list[str]:
    """What the person at the door should know before confirming: the ticket is for another
    activity or session than the one being checked in, or its session is on another day."""
    warnings = []
    if expected_offer is not None:
        if ticket.campaign_id != expected_offer.campaign_id:
            warnings.append(
                f"这张券属于「{ticket.campaign.title}」，不是正在核销的「{expected_offer.campaign.title}」"
            )
        elif ticket.offer_id != expected_offer.pk:
            warnings.append(f"这张券是「{ticket.offer.name}」，不是正在核销的场次「{expected_offer.name}」")
    starts = ticket.offer.starts_at
    if starts is not None:
        day = timezone.localtime(starts).date()
        if day != today:
            when = "已经过去" if day < today else "还没到"
            warnings.append(f"这张券的场次在 {day:%Y-%m-%d}（{when}），不是今天 {today:%Y-%m-%d}")
    return warnings


@transaction.atomic
def ticket_redeem(
    *, actor, code: str, place: str = "", expected_offer_id: int | None = None, acknowledged: bool = False
) -> Ticket:
    """核销: valid once. A second scan is told when and where the first one happened.

    With `expected_offer_id` (the session being checked in at the door), a ticket for another
    activity or session, or for another day, is refused with code `redeem_check` and the reasons,
    unless the staffer confirmed it anyway (`acknowledged`)."""
    ticket = ticket_for_redeem(actor=actor, code=code)
    if expected_offer_id is not None and not acknowledged:
        expected = redeemable_offer_get(actor=actor, offer_id=expected_offer_id)
        warnings = redeem_warnings(ticket=ticket, expected_offer=expected, today=timezone.localdate())
        if warnings and ticket.status == Ticket.Status.ACTIVE:
            raise Conflict("；".join(warnings) + "。确认无误后再核销", code="redeem_check", field="code")
    place = (place or ticket.offer.location or ticket.campaign.venue or ticket.campaign.org.display_name)[
        :200
    ]
    if ticket.status == Ticket.Status.CANCELLED:
        raise Conflict(f"该券已退订（{_local(ticket.cancelled_at)}），不能使用", code="cancelled")
    today = timezone.localdate()
    if ticket.status == Ticket.Status.ACTIVE:
        if ticket.offer.valid_until and today > ticket.offer.valid_until:
            raise Conflict(f"该券已过期（有效期至 {ticket.offer.valid_until:%Y-%m-%d}）", code="expired")
        if ticket.offer.valid_from and today < ticket.offer.valid_from:
            raise Conflict(f"该券 {ticket.offer.valid_from:%Y-%m-%d} 起才能使用", code="not_yet_valid")
    now = timezone.now()
    done = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.ACTIVE).update(
        status=Ticket.Status.REDEEMED, redeemed_at=now, redeemed_by=actor, redeemed_place=place
    )
    if not done:
        ticket.refresh_from_db()
        raise Conflict(
            f"该券已于 {_local(ticket.redeemed_at)} 在「{ticket.redeemed_place}」核销，不能重复使用",
            code="already_redeemed",
        )
    ticket.status, ticket.redeemed_at, ticket.redeemed_by, ticket.redeemed_place = (
        Ticket.Status.REDEEMED,
        now,
        actor,
        place,
    )
    # Attending the course or event, or using the coupon, is taking part in union activity.
    member_took_part(member_id=ticket.member_id, day=today)
    audit_record(
        actor=actor,
        action="ticket.redeem",
        obj=ticket,
        org=ticket.campaign.org,
        detail={"campaign": ticket.campaign_id, "offer": ticket.offer_id},
    )
    return ticket
