"""Reads for 职工书屋. Staff reads start from the actor's scoped queryset (others' objects → 404); the
worker's reads are the public register, rooms near them, and the e-books their own union has on loan."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.campaigns.selectors import campaign_public_get, campaign_report
from gonghui.core.errors import Forbidden, NotFound
from gonghui.core.geo import from_gcj02, nearest_in
from gonghui.members.selectors import member_of_user
from gonghui.orgs.models import STEP
from gonghui.orgs.scope import path_q, scope_paths
from gonghui.stations.selectors import NearbyQuery, walk_minutes

from .models import (
    LEVEL_ORDER,
    Collection,
    EBook,
    Level,
    LevelApplication,
    Loan,
    LoanBookStat,
    ReadingCardIssue,
    ReadingEvent,
    ReadingHistory,
    ReadingRoom,
)

ACTIVE_MEMBER = "active"


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number < 2**63:
        raise NotFound()
    return number


# --- the register ------------------------------------------------------------------------------


def rooms_scoped(*, actor) -> QuerySet[ReadingRoom]:
    return ReadingRoom.objects.filter(path_q(scope_paths(actor), "org_path"))


def room_list(*, actor, q: str = "", level: str = "", place: str = "", status: str = "active") -> QuerySet:
    qs = rooms_scoped(actor=actor).select_related("org", "station")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(org__name__icontains=q))
    if level:
        qs = qs.filter(level=level)
    if place:
        qs = qs.filter(place=place)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("org_path", "name")


def room_get(*, actor, room_id) -> ReadingRoom:
    room = rooms_scoped(actor=actor).select_related("org", "station").filter(pk=_pk(room_id)).first()
    if room is None:
        raise NotFound("未找到该书屋")
    return room


def room_public(*, room_id) -> ReadingRoom:
    room = (
        ReadingRoom.objects.filter(pk=_pk(room_id), status=ReadingRoom.Status.ACTIVE)
        .select_related("org", "station")
        .first()
    )
    if room is None:
        raise NotFound("未找到该书屋，可能已撤销")
    return room


def level_counts(*, actor) -> dict:
    """Rooms by level in the actor's scope (open rooms only), with books and workers reached: the
    register's headline, which an approved upgrade moves at once."""
    rows = dict(
        rooms_scoped(actor=actor)
        .filter(status=ReadingRoom.Status.ACTIVE)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    totals = (
        rooms_scoped(actor=actor)
        .filter(status=ReadingRoom.Status.ACTIVE)
        .aggregate(books=Sum("books_count"), reached=Sum("workers_reached"), rooms=Count("id"))
    )
    return {
        "levels": [(level, Level(level).label, rows.get(level, 0)) for level in reversed(LEVEL_ORDER)],
        "rooms": totals["rooms"] or 0,
        "books": totals["books"] or 0,
        "reached": totals["reached"] or 0,
    }


def rooms_nearby(query: NearbyQuery) -> list[dict]:
    """Reading rooms near a point: the stations' validated query, the one nearest search (core.geo)."""
    hits = nearest_in(
        ReadingRoom.objects.filter(status=ReadingRoom.Status.ACTIVE),
        lat=query.lat,
        lng=query.lng,
        radius_m=query.radius_m,
        limit=query.limit,
    )
    rooms = ReadingRoom.objects.select_related("org", "station").in_bulk([pk for _, pk in hits])
    rows = []
    for distance, pk in hits:
        room = rooms[pk]
        lat, lng = from_gcj02(room.gcj_lat, room.gcj_lng, query.coord)
        rows.append(
            {
                "id": room.pk,
                "name": room.name,
                "level": room.level,
                "level_label": room.get_level_display(),
                "place_label": room.get_place_display(),
                "host": room.org.display_name,
                "station_name": room.station.name if room.station_id else "",
                "station_code": room.station.code if room.station_id else "",
                "address": room.address,
                "hours": room.hours,
                "books_count": room.books_count,
                "contact_phone": room.contact_phone,
                "lat": round(lat, 7),
                "lng": round(lng, 7),
                "distance_m": round(distance, 1),
                "walk_minutes": walk_minutes(distance),
            }
        )
    return rows


# --- level upgrades ----------------------------------------------------------------------------


def applications_scoped(*, actor) -> QuerySet[LevelApplication]:
    """Applications the actor's unions made (room in scope) or must decide (approver in scope)."""
    paths = scope_paths(actor)
    return LevelApplication.objects.filter(path_q(paths, "room__org_path") | path_q(paths, "approver_path"))


def applications_to_decide(*, actor) -> QuerySet[LevelApplication]:
    return (
        LevelApplication.objects.filter(
            path_q(scope_paths(actor), "approver_path"), status=LevelApplication.Status.SUBMITTED
        )
        .select_related("room__org", "approver", "submitted_by")
        .order_by("submitted_at", "id")
    )


def application_get(*, actor, application_id) -> LevelApplication:
    application = (
        applications_scoped(actor=actor)
        .select_related("room__org", "approver", "submitted_by", "decided_by")
        .filter(pk=_pk(application_id))
        .first()
    )
    if application is None:
        raise NotFound("未找到该升级申请")
    return application


# --- e-library: staff ----------------------------------------------------------------------------


def collections_scoped(*, actor) -> QuerySet[Collection]:
    return Collection.objects.filter(path_q(scope_paths(actor), "org_path"))


def collection_get(*, actor, collection_id) -> Collection:
    collection = collections_scoped(actor=actor).select_related("org").filter(pk=_pk(collection_id)).first()
    if collection is None:
        raise NotFound("未找到该电子书库")
    return collection


def loans_scoped(*, actor) -> QuerySet[Loan]:
    """Loans the actor's unions made or received (the borrowing union sees its own loans and counts)."""
    paths = scope_paths(actor)
    return Loan.objects.filter(path_q(paths, "lender_path") | path_q(paths, "borrower_path"))


def loan_get(*, actor, loan_id) -> Loan:
    loan = (
        loans_scoped(actor=actor)
        .select_related("collection", "lender", "borrower")
        .filter(pk=_pk(loan_id))
        .first()
    )
    if loan is None:
        raise NotFound("未找到该借阅")
    return loan


def loan_state(loan: Loan, today=None) -> tuple[str, str]:
    today = today or timezone.localdate()
    if loan.withdrawn_at:
        return "withdrawn", "已收回"
    if today < loan.starts_on:
        return "upcoming", "未开始"
    if today > loan.ends_on:
        return "ended", "已到期"
    return "running", "借阅中"


def loan_book_stats(*, loan: Loan) -> list[LoanBookStat]:
    return list(
        LoanBookStat.objects.filter(loan=loan).select_related("ebook").order_by("-opens", "ebook__title")
    )


def loans_by_borrower(*, actor) -> list[dict]:
    """Per enterprise: loans, readers and opens (counts only)."""
    return list(
        loans_scoped(actor=actor)
        .values("borrower_id", "borrower__name")
        .annotate(loans=Count("id"), readers=Sum("readers"), opens=Sum("opens"))
        .order_by("-readers", "borrower__name")
    )


# --- e-library: the member ------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def loans_for_member(*, member, today=None) -> QuerySet[Loan]:
    """Loans running today to the member's union (or a union above it that borrowed for its branches)."""
    if member is None or member.status != ACTIVE_MEMBER:
        return Loan.objects.none()
    today = today or timezone.localdate()
    return (
        Loan.objects.filter(
            borrower_path__in=_ancestor_paths(member.org_path),
            withdrawn_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .select_related("collection", "borrower", "lender")
        .order_by("ends_on", "id")
    )


def shelf_for(*, actor) -> list[dict]:
    """The worker's e-library: each running loan with its books."""
    member = member_of_user(actor)
    loans = list(loans_for_member(member=member))
    books: dict[int, list[EBook]] = {}
    for book in EBook.objects.filter(
        collection_id__in={loan.collection_id for loan in loans}, is_active=True
    ):
        books.setdefault(book.collection_id, []).append(book)
    return [{"loan": loan, "books": books.get(loan.collection_id, [])} for loan in loans]


def readable_get(*, actor, loan_id, ebook_id, now=None) -> tuple[Loan, EBook]:
    """The one gate to an e-book's bytes: an active member of the borrowing union, the loan running now
    (Asia/Shanghai days, ends_on included), the book in the lent collection. Anyone else: not found; the
    loan's own members after it ended: told so."""
    member = member_of_user(actor)
    loan = Loan.objects.select_related("collection", "borrower").filter(pk=_pk(loan_id)).first()
    if (
        loan is None
        or member is None
        or member.status != ACTIVE_MEMBER
        or not member.org_path.startswith(loan.borrower_path)
    ):
        raise NotFound("未找到该电子书，或你所在工会没有借阅")
    ebook = EBook.objects.filter(pk=_pk(ebook_id), collection_id=loan.collection_id, is_active=True).first()
    if ebook is None:
        raise NotFound("未找到该电子书，或你所在工会没有借阅")
    today = timezone.localdate(now) if now else timezone.localdate()
    if not loan.runs_on(today):
        state, _label = loan_state(loan, today)
        if state == "upcoming":
            raise Forbidden(
                f"本单位借阅期 {loan.starts_on:%Y-%m-%d} 开始，届时即可阅读", code="loan_not_started"
            )
        if state == "withdrawn":
            raise Forbidden(
                f"本单位的借阅已于 {timezone.localtime(loan.withdrawn_at):%Y-%m-%d} 由出借工会收回，"
                "如需继续阅读请联系本单位工会",
                code="loan_ended",
            )
        raise Forbidden(
            f"本单位借阅期已于 {loan.ends_on:%Y-%m-%d} 结束，如需继续阅读请联系本单位工会续借",
            code="loan_ended",
        )
    return loan, ebook


def history_of(*, actor) -> QuerySet[ReadingHistory]:
    return ReadingHistory.objects.filter(user=actor).select_related("ebook", "loan__borrower")


# --- events and cards ----------------------------------------------------------------------------


def events_of_room(*, room: ReadingRoom, upcoming_only: bool = False) -> list[dict]:
    events = list(ReadingEvent.objects.filter(room=room).order_by("-created_at"))
    rows = []
    now = timezone.now()
    for event in events:
        try:
            campaign = campaign_public_get(campaign_id=event.campaign_id)
        except NotFound:
            continue  # withdrawn
        if upcoming_only and campaign.closes_at < now:
            continue
        rows.append({"event": event, "campaign": campaign})
    return rows


def event_counts(*, actor, room: ReadingRoom) -> dict:
    """Sign-ups and check-ins per event and for the room (the campaigns app's report: counts, no names)."""
    rows, signed, checked = [], 0, 0
    for event in ReadingEvent.objects.filter(room=room).order_by("-created_at"):
        report = campaign_report(actor=actor, campaign_id=event.campaign_id)
        totals = report["totals"]
        signed += totals["issued"] - totals["cancelled"]
        checked += totals["redeemed"]
        rows.append({"event": event, "campaign": report["campaign"], "totals": totals})
    return {"events": rows, "signed_up": signed, "checked_in": checked}


def events_by_room(*, room_ids) -> dict[int, int]:
    return dict(
        ReadingEvent.objects.filter(room_id__in=list(room_ids))
        .values_list("room_id")
        .annotate(n=Count("id"))
        .values_list("room_id", "n")
    )


def card_issues_scoped(*, actor) -> QuerySet[ReadingCardIssue]:
    return ReadingCardIssue.objects.filter(path_q(scope_paths(actor), "org_path")).select_related(
        "campaign", "room"
    )
