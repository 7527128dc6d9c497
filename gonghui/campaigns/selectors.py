"""Reads for campaigns. Staff reads start from the scoped queryset (outside scope = 404); worker reads
start from the member's own union and its ancestors."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.core.crypto import mask_name
from gonghui.core.errors import NotFound
from gonghui.core.glossary import OCCUPATIONS
from gonghui.members.models import Member
from gonghui.orgs.models import STEP
from gonghui.orgs.scope import path_q, scope_paths

from . import lottery
from .models import Campaign, Entry, Offer, Ticket, WaitlistEntry
from .services import MANAGE_ROLES, REDEEM_ROLES

OCCUPATION_LABELS = dict(OCCUPATIONS)


# --- staff ---------------------------------------------------------------------------------


def campaigns_managed(*, actor, q: str = "", kind: str = "") -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(path_q(scope_paths(actor, MANAGE_ROLES), "org_path")).select_related("org")
    if q:
        qs = qs.filter(title__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        capacity_total=Sum("offers__capacity"),
        issued_total=Sum(F("offers__capacity") - F("offers__remaining")),
    )


def campaign_managed_get(*, actor, campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.filter(path_q(scope_paths(actor, MANAGE_ROLES), "org_path"), pk=campaign_id)
        .select_related("org")
        .first()
    )
    if campaign is None:
        raise NotFound()
    return campaign


def offers_redeemable(*, actor, today: dt.date | None = None) -> list[Offer]:
    """Sessions (offers) the actor checks tickets in for — staff of the organising union's subtree
    and merchant accounts of the campaign — that are still current: not withdrawn, the session not
    more than a week past, the coupon not expired. Nearest sessions first."""
    today = today or timezone.localdate()
    recent = timezone.now() - dt.timedelta(days=7)
    mine = path_q(scope_paths(actor, REDEEM_ROLES), "campaign__org_path") | Q(campaign__redeemers=actor)
    qs = (
        Offer.objects.filter(mine)
        .exclude(campaign__status=Campaign.Status.WITHDRAWN)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gte=recent))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .filter(campaign__closes_at__gte=timezone.now() - dt.timedelta(days=180))
        .select_related("campaign")
        .distinct()
        .order_by(F("starts_at").asc(nulls_last=True), "-campaign__opens_at", "position", "pk")
    )
    offers = list(qs[:200])
    # One group per campaign (for <optgroup>), campaigns in the order of their nearest session.
    first = {}
    for i, offer in enumerate(offers):
        first.setdefault(offer.campaign_id, i)
    return sorted(offers, key=lambda o: first[o.campaign_id])


def _no_show_q(today: dt.date, now: dt.datetime) -> Q:
    """Still unused after the class started or the coupon expired."""
    return Q(status=Ticket.Status.ACTIVE) & (Q(offer__valid_until__lt=today) | Q(offer__starts_at__lt=now))


def _counts(qs, today, now) -> dict:
    return qs.aggregate(
        issued=Count("id"),
        redeemed=Count("id", filter=Q(status=Ticket.Status.REDEEMED)),
        cancelled=Count("id", filter=Q(status=Ticket.Status.CANCELLED)),
        no_show=Count("id", filter=_no_show_q(today, now)),
    )


def campaign_report(*, actor, campaign_id: int) -> dict:
    """Counts only — no names or ID numbers — so the report can be shared and exported freely."""
    campaign = campaign_managed_get(actor=actor, campaign_id=campaign_id)
    today, now = timezone.localdate(), timezone.now()
    tickets = Ticket.objects.filter(campaign=campaign)
    metrics = {
        "issued": Count("id"),
        "redeemed": Count("id", filter=Q(status=Ticket.Status.REDEEMED)),
        "cancelled": Count("id", filter=Q(status=Ticket.Status.CANCELLED)),
        "no_show": Count("id", filter=_no_show_q(today, now)),
    }
    offers = []
    per_offer = {row["offer_id"]: row for row in tickets.values("offer_id").annotate(**metrics)}
    for offer in campaign.offers.all():
        row = per_offer.get(offer.pk, {"issued": 0, "redeemed": 0, "cancelled": 0, "no_show": 0})
        offers.append(
            {
                "offer_id": offer.pk,
                "name": offer.name,
                "capacity": offer.capacity,
                "remaining": offer.remaining,
                **{k: row[k] for k in metrics},
            }
        )
    by_union = [
        {
            "org_id": r["member__org_id"],
            "union": r["member__org__short_name"] or r["member__org__name"],
            **{k: r[k] for k in metrics},
        }
        for r in tickets.values("member__org_id", "member__org__name", "member__org__short_name")
        .annotate(**metrics)
        .order_by("-issued", "member__org__name")
    ]
    by_occupation = [
        {
            "occupation": r["member__occupation"],
            "label": OCCUPATION_LABELS.get(r["member__occupation"], "其他"),
            **{k: r[k] for k in metrics},
        }
        for r in tickets.values("member__occupation").annotate(**metrics).order_by("-issued")
    ]
    return {
        "campaign": campaign,
        "totals": _counts(tickets, today, now),
        "entries": Entry.objects.filter(campaign=campaign).count(),
        "waiting": WaitlistEntry.objects.filter(
            offer__campaign=campaign, status=WaitlistEntry.Status.WAITING
        ).count(),
        "offers": offers,
        "by_union": by_union,
        "by_occupation": by_occupation,
    }


# --- workers -----------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def campaigns_for_member(*, member: Member | None, now: dt.datetime | None = None) -> QuerySet[Campaign]:
    """Campaigns run by the member's union or any union above it; without membership, none."""
    if member is None:
        return Campaign.objects.none()
    now = now or timezone.now()
    return (
        Campaign.objects.filter(org_path__in=_ancestor_paths(member.org_path))
        .exclude(status=Campaign.Status.WITHDRAWN)
        .filter(closes_at__gt=now - dt.timedelta(days=30))
        .select_related("org")
        .prefetch_related("offers")
        .order_by("opens_at", "id")
    )


def campaign_public_get(*, campaign_id: int) -> Campaign:
    """Campaign pages are public notices (like a poster), so anyone may read one that is not withdrawn."""
    campaign = (
        Campaign.objects.exclude(status=Campaign.Status.WITHDRAWN)
        .select_related("org")
        .prefetch_related("offers")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None:
        raise NotFound("未找到该活动")
    return campaign


def tickets_of(*, member: Member | None) -> QuerySet[Ticket]:
    if member is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(member=member).select_related("offer", "campaign__org")


def ticket_of(*, member: Member | None, ticket_id: int) -> Ticket:
    ticket = tickets_of(member=member).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound("未找到该券")
    return ticket


def member_standing(*, member: Member | None, campaign: Campaign) -> dict:
    """Per offer: the member's ticket, lottery entry and waiting-list place, for the campaign page."""
    if member is None:
        return {}
    standing: dict[int, dict] = {}
    for t in Ticket.objects.filter(member=member, campaign=campaign):
        standing.setdefault(t.offer_id, {})["ticket"] = t
    for e in Entry.objects.filter(member=member, campaign=campaign):
        standing.setdefault(e.offer_id, {})["entry"] = e
    for w in WaitlistEntry.objects.filter(
        member=member, offer__campaign=campaign, status=WaitlistEntry.Status.WAITING
    ):
        standing.setdefault(w.offer_id, {})["waiting"] = (
            WaitlistEntry.objects.filter(
                offer_id=w.offer_id, status=WaitlistEntry.Status.WAITING, rank__lt=w.rank
            ).count()
            + 1
        )
    return standing


def draw_record(*, campaign: Campaign) -> dict:
    """The public lottery record: before the draw the commitment and entrant list, after it also the seed
    and the results, so anyone can re-run lottery.draw and compare. Names are masked."""
    drawn = campaign.drawn_at is not None
    record = {
        "campaign_id": campaign.pk,
        "title": campaign.title,
        "algorithm": lottery.ALGORITHM,
        "seed_commitment": campaign.seed_commitment,
        "seed": campaign.seed if drawn else None,
        "drawn_at": campaign.drawn_at.isoformat() if drawn else None,
        "offers": [],
    }
    entries = Entry.objects.filter(campaign=campaign).select_related("member").order_by("offer_id", "id")
    by_offer: dict[int, list[Entry]] = {}
    for e in entries:
        by_offer.setdefault(e.offer_id, []).append(e)
    offer: Offer
    for offer in campaign.offers.all():
        rows = by_offer.get(offer.pk, [])
        ranked = sorted((e for e in rows if e.draw_rank), key=lambda e: e.draw_rank)
        record["offers"].append(
            {
                "offer_id": offer.pk,
                "name": offer.name,
                "capacity": offer.capacity,
                "entrants": [
                    {
                        "entry_id": e.pk,
                        "name": mask_name(e.member.name),
                        "member_no": _mask_no(e.member.member_no),
                        "weight": e.weight,
                    }
                    for e in rows
                ],
                "winners": [e.pk for e in ranked if e.result == Entry.Result.WON] if drawn else [],
                "waitlist": [e.pk for e in ranked if e.result == Entry.Result.LOST] if drawn else [],
            }
        )
    return record


def _mask_no(member_no: str) -> str:
    return (
        member_no[:2] + "*" * max(0, len(member_no) - 6) + member_no[-4:] if len(member_no) > 6 else member_no
    )


def offer_remaining(*, offer_id: int) -> int | None:
    """Places left, for display after a sale; the database has already decided the sale itself."""
    return Offer.objects.filter(pk=offer_id).values_list("remaining", flat=True).first()
