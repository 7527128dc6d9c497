"""After the grab: the waiting list, cancellation and promotion, the lottery draw."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, NotFound
from gonghui.core.notifications import notify
from gonghui.orgs.scope import require_scope

from .. import gate, lottery
from ..models import Campaign, Entry, Offer, Ticket, WaitlistEntry, new_ticket_code
from .common import MANAGE_ROLES, GrabRefused, _local
from .grab import _grab_target, ineligibility, member_of


@transaction.atomic
def waitlist_join(*, actor, campaign_id: int, offer_id: int) -> WaitlistEntry:
    offer = _grab_target(campaign_id, offer_id)
    campaign = offer.campaign
    member = member_of(actor)
    reason = ineligibility(campaign, member, actor)
    if reason:
        raise GrabRefused(f"不符合条件：{reason}", code="not_eligible", status=403)
    if Ticket.objects.filter(member=member, offer=offer).exists():
        raise Conflict("你已领取过该名额，无需候补", code="already_has_ticket")
    if campaign.is_lottery and not campaign.drawn_at:
        raise Conflict("抽签活动请先报名，未中签者按抽签顺序自动进入候补", code="lottery_pending")
    if offer.remaining > 0:
        raise Conflict("还有名额，请直接领取", code="not_sold_out")
    existing = WaitlistEntry.objects.filter(member=member, offer=offer).first()
    if existing is not None:
        return existing
    last = WaitlistEntry.objects.filter(offer=offer).order_by("-rank").values_list("rank", flat=True).first()
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(offer=offer, member=member, rank=(last or 0) + 1)
    except IntegrityError:
        return WaitlistEntry.objects.get(member=member, offer=offer)
    audit_record(
        actor=actor,
        action="waitlist.join",
        obj=entry,
        org=campaign.org,
        detail={"campaign": campaign.pk, "offer": offer.pk},
    )
    return entry


def waitlist_position(entry: WaitlistEntry) -> int:
    return (
        WaitlistEntry.objects.filter(
            offer_id=entry.offer_id, status=WaitlistEntry.Status.WAITING, rank__lt=entry.rank
        ).count()
        + 1
    )


def cancel_deadline(ticket: Ticket) -> dt.datetime | None:
    campaign, offer = ticket.campaign, ticket.offer
    if campaign.cancel_deadline:
        return campaign.cancel_deadline
    if offer.starts_at:
        return offer.starts_at
    if offer.valid_until:
        return timezone.make_aware(dt.datetime.combine(offer.valid_until, dt.time.max))
    return None


@transaction.atomic
def ticket_cancel(*, actor, ticket_id: int) -> Ticket:
    member = member_of(actor)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("offer", "campaign__org")
        .filter(pk=ticket_id, member=member)
        .first()
        if member
        else None
    )
    if ticket is None:
        raise NotFound("未找到该券")
    if ticket.status != Ticket.Status.ACTIVE:
        raise Conflict(f"该券{ticket.get_status_display()}，不能退订", code="not_active")
    deadline = cancel_deadline(ticket)
    now = timezone.now()
    if deadline and now > deadline:
        raise Conflict(f"已过退订截止时间（{_local(deadline)}）", code="past_deadline")
    ticket.status, ticket.cancelled_at = Ticket.Status.CANCELLED, now
    ticket.save(update_fields=["status", "cancelled_at"])
    offer, campaign = ticket.offer, ticket.campaign
    promoted = _promote_from_waitlist(offer, campaign, now)
    if promoted is None:
        Offer.objects.filter(pk=offer.pk).update(remaining=F("remaining") + 1)
        transaction.on_commit(lambda: gate.clear_sold_out(campaign.pk, offer.pk))
    transaction.on_commit(lambda: gate.clear_held(offer.pk, actor.pk))
    audit_record(
        actor=actor,
        action="ticket.cancel",
        obj=ticket,
        org=campaign.org,
        detail={"campaign": campaign.pk, "offer": offer.pk, "passed_to_waitlist": promoted is not None},
    )
    return ticket


def _promote_from_waitlist(offer: Offer, campaign: Campaign, now) -> Ticket | None:
    """The place passes to the first waiting member who is still eligible; the offer row is unchanged."""
    waiting = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("member__user")
        .filter(offer=offer, status=WaitlistEntry.Status.WAITING)
        .order_by("rank", "id")
    )
    for entry in waiting[:50]:
        member = entry.member
        if (
            ineligibility(campaign, member, member.user)
            or Ticket.objects.filter(member=member, offer=offer).exists()
        ):
            entry.status = WaitlistEntry.Status.LEFT
            entry.save(update_fields=["status"])
            continue
        ticket = Ticket.objects.create(
            offer=offer,
            campaign=campaign,
            member=member,
            code=new_ticket_code(),
            source=Ticket.Source.WAITLIST,
            created_at=now,
        )
        entry.status = WaitlistEntry.Status.PROMOTED
        entry.save(update_fields=["status"])
        if member.user_id:
            # Sold out again: their next tap on 抢 must reach the database and hear 你已领取.
            transaction.on_commit(lambda uid=member.user_id: gate.mark_held(offer.pk, uid))
            notify(
                user=member.user,
                title=f"候补成功：{campaign.title}·{offer.name}",
                body=f"有会员退订，名额已递补给你。券码 {ticket.code}，请在「我的券」中查看。",
                link="/campaigns/tickets/",
                kind="campaign",
                sms=True,
            )
        return ticket
    return None


@transaction.atomic
def campaign_draw(*, actor, campaign: Campaign) -> Campaign:
    require_scope(actor, campaign.org, MANAGE_ROLES)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)
    if not campaign.is_lottery:
        raise Conflict("先到先得的活动无需抽签", code="not_lottery")
    if campaign.drawn_at:
        raise Conflict(f"已于 {_local(campaign.drawn_at)} 抽签，不能重复抽签", code="already_drawn")
    now = timezone.now()
    if now < campaign.closes_at:
        raise Conflict(f"报名截止（{_local(campaign.closes_at)}）后才能抽签", code="window_open")
    for offer in campaign.offers.all():
        entries = {e.pk: e for e in Entry.objects.filter(offer=offer).select_related("member__user")}
        winners, waiting = lottery.draw(
            campaign.seed, offer.pk, [(e.pk, e.weight) for e in entries.values()], offer.capacity
        )
        tickets = []
        for rank, entry_id in enumerate(winners + waiting, start=1):
            entry = entries[entry_id]
            entry.draw_rank = rank
            entry.result = Entry.Result.WON if rank <= len(winners) else Entry.Result.LOST
            if entry.result == Entry.Result.WON:
                tickets.append(
                    Ticket(
                        offer=offer,
                        campaign=campaign,
                        member=entry.member,
                        code=new_ticket_code(),
                        source=Ticket.Source.LOTTERY,
                        created_at=now,
                    )
                )
        Entry.objects.bulk_update(entries.values(), ["draw_rank", "result"], batch_size=1000)
        Ticket.objects.bulk_create(tickets, batch_size=1000)
        WaitlistEntry.objects.bulk_create(
            [
                WaitlistEntry(offer=offer, member=entries[eid].member, rank=i)
                for i, eid in enumerate(waiting, 1)
            ],
            batch_size=1000,
        )
        Offer.objects.filter(pk=offer.pk).update(remaining=offer.capacity - len(winners))
        for entry in entries.values():
            if entry.member.user_id:
                won = entry.result == Entry.Result.WON
                notify(
                    user=entry.member.user,
                    kind="campaign",
                    link=f"/campaigns/{campaign.pk}/draw/",
                    title=f"{'中签' if won else '未中签'}：{campaign.title}·{offer.name}",
                    body="恭喜中签，券码已放入「我的券」。"
                    if won
                    else f"本次未中签，你在候补第 {entry.draw_rank - len(winners)} 位，有人退订时按顺序递补。",
                )
    campaign.drawn_at, campaign.status = now, Campaign.Status.DRAWN
    campaign.save(update_fields=["drawn_at", "status"])
    audit_record(
        actor=actor,
        action="lottery.draw",
        obj=campaign,
        org=campaign.org,
        detail={"entries": Entry.objects.filter(campaign=campaign).count()},
    )
    return campaign
