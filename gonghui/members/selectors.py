"""Reads of the member registry, always inside the actor's scope."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from gonghui.accounts.models import phone_index
from gonghui.core.errors import NotFound
from gonghui.core.validators import normalize_mobile, parse_id_number
from gonghui.orgs.scope import path_q, scope_paths

from .models import Enrollment, Member, MemberCard, Transfer, id_index

VALID_CARD_STATUSES = set(Member.HOLDING)
MEMBER_NO = re.compile(r"^[0-9A-Z]{8,20}$")
COUNT_CAP = 10_000


def count_capped(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """Counting a million rows costs more than the page itself; beyond the cap the pager says "10000+"."""
    return qs.order_by()[: cap + 1].count()


def members_in_scope(*, actor) -> QuerySet[Member]:
    return Member.objects.filter(path_q(scope_paths(actor), "org_path"))


def is_personal_number(q: str) -> bool:
    """A complete 身份证号 or mobile number: searched by blind index, never put into a URL."""
    for check in (parse_id_number, normalize_mobile):
        try:
            check((q or "").strip())
        except ValidationError:
            continue
        return True
    return False


def member_search(
    *,
    actor,
    q: str = "",
    org_path: str = "",
    status: str = "",
    occupation: str = "",
    employment_form: str = "",
    joined_from: dt.date | None = None,
    joined_to: dt.date | None = None,
) -> QuerySet[Member]:
    qs = members_in_scope(actor=actor).select_related("org")
    q = (q or "").strip()
    if q:
        # Exact matches on the encrypted fields go through their blind indexes.
        try:
            qs = qs.filter(id_index=id_index(parse_id_number(q).value))
        except ValidationError:
            try:
                qs = qs.filter(phone_index=phone_index(normalize_mobile(q)))
            except ValidationError:
                # One indexed lookup each: an OR of the two would scan the whole registry.
                qs = qs.filter(member_no=q) if MEMBER_NO.match(q) else qs.filter(name__startswith=q)
    if org_path:
        qs = qs.filter(path_q([org_path], "org_path"))
    if status:
        qs = qs.filter(status=status)
    if occupation:
        qs = qs.filter(occupation=occupation)
    if employment_form:
        qs = qs.filter(employment_form=employment_form)
    if joined_from:
        qs = qs.filter(joined_at__gte=joined_from)
    if joined_to:
        qs = qs.filter(joined_at__lte=joined_to)
    return qs.order_by("-joined_at", "-id")


def member_get(*, actor, member_id) -> Member:
    try:
        return members_in_scope(actor=actor).select_related("org").get(pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- enrollments --------------------------------------------------------------------------------


def enrollments_in_scope(*, actor) -> QuerySet[Enrollment]:
    """Applications the actor's unions handle, and those started at their stations' QR codes
    (先服务后入会: the station's union follows the worker it served)."""
    paths = scope_paths(actor)
    return Enrollment.objects.filter(
        path_q(paths, "org_path") | path_q(paths, "station_path")
    ).select_related("org")


def enrollment_list(*, actor, status: str = "open", q: str = "") -> QuerySet[Enrollment]:
    qs = enrollments_in_scope(actor=actor)
    if status == "open":
        qs = qs.filter(status__in=Enrollment.OPEN)
    elif status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        try:
            qs = qs.filter(id_index=id_index(parse_id_number(q).value))
        except ValidationError:
            qs = qs.filter(name__startswith=q)
    return qs.order_by("arrived_at", "id") if status == "open" else qs.order_by("-submitted_at", "-id")


def enrollment_get(*, actor, enrollment_id) -> Enrollment:
    """Staff see applications in their scope; a worker sees only their own."""
    try:
        pk = int(enrollment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    paths = scope_paths(actor)
    scoped = Q(path_q(paths, "org_path")) | Q(path_q(paths, "station_path"))
    if getattr(actor, "pk", None):
        scoped |= Q(user_id=actor.pk)
    enrollment = Enrollment.objects.filter(scoped, pk=pk).select_related("org", "member").first()
    if enrollment is None:
        raise NotFound()
    return enrollment


def enrollments_for_worker(*, actor) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(user_id=actor.pk).select_related("org").order_by("-submitted_at")


# --- cards --------------------------------------------------------------------------------------


def card_current(*, member: Member) -> MemberCard | None:
    return member.cards.filter(revoked_at__isnull=True).order_by("-issued_at").first()


def card_verify(signed: str) -> dict:
    """Public: what a guard or merchant may learn from a scanned card — masked name, union, status."""
    checked_at = timezone.localtime()
    try:
        token = signing.Signer(salt="gonghui.members.card").unsign(signed)
    except signing.BadSignature:
        return {"valid": False, "reason": "二维码无效或已被篡改", "checked_at": checked_at}
    card = MemberCard.objects.filter(token=token).select_related("member__org").first()
    if card is None:
        return {"valid": False, "reason": "二维码无效", "checked_at": checked_at}
    member = card.member
    valid = card.revoked_at is None and member.status in VALID_CARD_STATUSES
    reason = (
        ""
        if valid
        else (
            f"会籍状态：{member.get_status_display()}"
            if member.status not in VALID_CARD_STATUSES
            else f"该卡已作废（{card.revoke_reason or '已换发新卡'}）"
        )
    )
    return {
        "valid": valid,
        "reason": reason,
        "name_masked": member.name_masked,
        "org_name": member.org.name,
        "status": member.status,
        "status_display": member.get_status_display(),
        "member_no_masked": member.member_no[:6] + "****" + member.member_no[-3:],
        "issued_at": card.issued_at,
        "checked_at": checked_at,
    }


# --- transfers and dues -------------------------------------------------------------------------


def transfers_in_scope(*, actor) -> QuerySet[Transfer]:
    paths = scope_paths(actor)
    return Transfer.objects.filter(path_q(paths, "from_path") | path_q(paths, "to_path")).select_related(
        "member", "from_org", "to_org"
    )


def transfers_of_worker(*, actor) -> QuerySet[Transfer]:
    return Transfer.objects.filter(member__user=actor).select_related("from_org", "to_org")[:20]


def transfer_get(*, actor, transfer_id) -> Transfer:
    try:
        return transfers_in_scope(actor=actor).get(pk=int(transfer_id))
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def dues_arrears(*, actor, org_path: str = "") -> QuerySet[Member]:
    """Active members with no payment for last month (or never): the arrears list."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    qs = members_in_scope(actor=actor).filter(status=Member.Status.ACTIVE, joined_at__lt=today.replace(day=1))
    if org_path:
        qs = qs.filter(path_q([org_path], "org_path"))
    return (
        qs.annotate(last_paid=Max("dues_payments__period"))
        .filter(Q(last_paid__isnull=True) | Q(last_paid__lt=last_month))
        .select_related("org")
        .order_by("last_paid", "joined_at", "id")
    )


def lapse_cutoff(today: dt.date | None = None) -> dt.date | None:
    """First day of the earliest month a member must have paid in or taken part in to stay a member:
    GONGHUI_LAPSE_MONTHS whole months back from this month (None when the rule is off)."""
    months = settings.GONGHUI_LAPSE_MONTHS
    if not months:
        return None
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def lapse_candidates(*, actor, org_path: str = "", today: dt.date | None = None) -> QuerySet[Member]:
    """Active members who joined before the cutoff and since then have neither paid dues nor taken part
    in union activity. Retired and unemployed members keep their membership without dues: not listed."""
    cutoff = lapse_cutoff(today)
    if cutoff is None:
        return Member.objects.none()
    qs = members_in_scope(actor=actor).filter(status=Member.Status.ACTIVE, joined_at__lt=cutoff)
    if org_path:
        qs = qs.filter(path_q([org_path], "org_path"))
    return (
        qs.filter(Q(last_active_on__isnull=True) | Q(last_active_on__lt=cutoff))
        .annotate(last_paid=Max("dues_payments__period"))
        .filter(Q(last_paid__isnull=True) | Q(last_paid__lt=cutoff.strftime("%Y-%m")))
        .select_related("org")
        .order_by("last_paid", "joined_at", "id")
    )


def months_owed(member: Member, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    if member.last_paid:
        year, month = map(int, member.last_paid.split("-"))
        start = year * 12 + month
    else:
        start = member.joined_at.year * 12 + member.joined_at.month - 1
    return max(0, today.year * 12 + today.month - 1 - start)


def member_count_on(*, org, on: dt.date, occupations: list[str] | None = None) -> int:
    """Members of the union (its whole subtree) on the roll on a given day: joined by then and not yet gone.

    Someone who has left counts when the leaving change came after the day. Used by subsidy schemes, whose
    amounts follow the registry on the scheme's reference date (never a typed number)."""
    from django.db.models import Exists, OuterRef

    from gonghui.orgs.scope import subtree_q

    from .models import StatusChange

    left_after = StatusChange.objects.filter(
        member=OuterRef("pk"), to_status__in=Member.LEAVING, at__date__gt=on
    )
    qs = Member.objects.filter(subtree_q(org.path, "org_path"), joined_at__lte=on).filter(
        Q(status__in=Member.HOLDING) | Exists(left_after)
    )
    if occupations:
        qs = qs.filter(occupation__in=list(occupations))
    return qs.count()


def member_of_user(user) -> Member | None:
    """The signed-in worker's own membership record, holding or not (None for a visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user).select_related("org").defer("id_number", "phone").first()


def member_counts_by_branch(*, org, employment_form: str = "") -> dict[str, int]:
    """Holding members under each child of the union, keyed by the child's path (one grouped query)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from gonghui.orgs.scope import subtree_q

    length = len(org.path) + 5
    qs = Member.objects.filter(subtree_q(org.path, "org_path"), status__in=Member.HOLDING)
    if employment_form:
        qs = qs.filter(employment_form=employment_form)
    rows = qs.annotate(branch=Substr("org_path", 1, length)).values("branch").annotate(n=Count("pk"))
    return {r["branch"]: r["n"] for r in rows if len(r["branch"]) == length}
