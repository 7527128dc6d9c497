"""普惠活动 worker pages (phone) under /campaigns/: the list, a campaign, grab, waiting list, my tickets, the public draw."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError

from .. import selectors, services
from ..models import Ticket


@login_required
def campaign_list(request):
    member = services.member_of(request.user)
    now = timezone.now()
    campaigns = list(selectors.campaigns_for_member(member=member, now=now))
    groups = {"open": [], "upcoming": [], "closed": []}
    for c in campaigns:
        groups.get(c.phase(now), groups["closed"]).append(c)
    return render(request, "campaigns/list.html", {"groups": groups, "member": member, "tab": "services"})


@login_required
def campaign_detail(request, campaign_id):
    campaign = selectors.campaign_public_get(campaign_id=campaign_id)
    member = services.member_of(request.user)
    reason = services.ineligibility(campaign, member, request.user)
    standing = selectors.member_standing(member=member, campaign=campaign)
    offers = [(o, standing.get(o.pk, {})) for o in campaign.offers.all()]
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "offers": offers,
            "reason": reason,
            "phase": campaign.phase(),
            "tab": "services",
        },
    )


@login_required
@require_POST
def offer_grab(request, campaign_id, offer_id):
    """htmx: one tap, one honest answer in place of the button."""
    context = {"campaign_id": campaign_id, "offer_id": offer_id}
    try:
        outcome = services.offer_grab(
            actor=request.user,
            campaign_id=campaign_id,
            offer_id=offer_id,
            idempotency_key=request.POST.get("key") or None,
            ip=client_ip(request),
        )
        context.update(outcome=outcome, ok=True)
        if outcome.ticket is not None:
            # The count above the button changes with this sale; show the worker the new one.
            context["remaining"] = selectors.offer_remaining(offer_id=offer_id)
    except DomainError as exc:
        context.update(error=exc, ok=False)
    return render(request, "campaigns/_grab_result.html", context, status=200)


@login_required
@require_POST
def waitlist_join(request, campaign_id, offer_id):
    try:
        entry = services.waitlist_join(actor=request.user, campaign_id=campaign_id, offer_id=offer_id)
        message = f"已加入候补，当前第 {services.waitlist_position(entry)} 位，有人退订会通知你"
        return render(request, "campaigns/_grab_result.html", {"info": message, "ok": True})
    except DomainError as exc:
        return render(request, "campaigns/_grab_result.html", {"error": exc, "ok": False})


@login_required
def ticket_list(request):
    member = services.member_of(request.user)
    tickets = list(selectors.tickets_of(member=member)[:100])
    for t in tickets:
        t.qr_svg = (
            segno.make(t.code, error="m").svg_inline(scale=5, border=2, omitsize=True)
            if t.status == Ticket.Status.ACTIVE
            else ""
        )
        t.deadline = services.cancel_deadline(t)
    return render(request, "campaigns/tickets.html", {"tickets": tickets, "now": timezone.now(), "tab": "me"})


@login_required
@require_POST
def ticket_cancel(request, ticket_id):

    try:
        ticket = services.ticket_cancel(actor=request.user, ticket_id=ticket_id)
        messages.success(request, f"已退订「{ticket.offer.name}」，名额已交给候补或放回名额池")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:tickets")


def draw_page(request, campaign_id):
    """The public lottery notice (公示): commitment, entrant order, seed and results with masked names."""
    campaign = selectors.campaign_public_get(campaign_id=campaign_id)
    record = selectors.draw_record(campaign=campaign)
    for offer in record["offers"]:
        names = {e["entry_id"]: e for e in offer["entrants"]}
        offer["winner_rows"] = [names[i] for i in offer["winners"]]
        offer["waitlist_rows"] = [names[i] for i in offer["waitlist"]]
    return render(request, "campaigns/draw.html", {"campaign": campaign, "record": record, "tab": "services"})
