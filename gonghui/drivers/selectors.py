"""司机服务 reads. Staff reads start from the actor's scoped union subtree; out of scope is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.utils import timezone

from gonghui.core.errors import NotFound
from gonghui.orgs.models import STEP, Staff
from gonghui.orgs.scope import path_q, scope_paths

from .models import (
    DriverDocument,
    DriverPhoto,
    DriverRequest,
    HotlineCall,
    Product,
    PurchaseOrder,
    UnionHotline,
)

STAFF_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)


def _scoped(qs: QuerySet, actor) -> QuerySet:
    paths = scope_paths(actor, STAFF_ROLES)
    if not paths:
        return qs.none()
    return qs.filter(path_q(paths, "org_path"))


def requests_in_scope(*, actor) -> QuerySet[DriverRequest]:
    return _scoped(DriverRequest.objects.all(), actor)


def calls_in_scope(*, actor) -> QuerySet[HotlineCall]:
    return _scoped(HotlineCall.objects.all(), actor)


def orders_in_scope(*, actor) -> QuerySet[PurchaseOrder]:
    return _scoped(PurchaseOrder.objects.select_related("product", "buyer"), actor)


def products_in_scope(*, actor) -> QuerySet[Product]:
    return _scoped(Product.objects.all(), actor)


def products_for_member(*, actor) -> list[Product]:
    member = getattr(actor, "member", None)
    if member is None:
        return []
    path = member.org.path
    return [p for p in Product.objects.filter(is_active=True).order_by("name") if path.startswith(p.org_path)]


def due_this_month(*, actor, today: dt.date | None = None) -> QuerySet[DriverDocument]:
    """What falls due this month for members who opted in — kind, plate and date only, never images."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return (
        _scoped(DriverDocument.objects.filter(share_with_union=True), actor)
        .filter(due_on__gte=start, due_on__lt=end)
        .select_related("owner", "vehicle")
        .only("kind", "due_on", "owner__name", "vehicle__plate", "org_path")
        .order_by("due_on")
    )


_SAVING = ExpressionWrapper(
    (F("market_price") - F("unit_price")) * F("quantity"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def savings_for_member(*, user, year: int) -> Decimal:
    total = (
        PurchaseOrder.objects.filter(buyer=user, created_at__year=year)
        .exclude(status=PurchaseOrder.Status.CANCELLED)
        .aggregate(s=Sum(_SAVING))["s"]
    )
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def savings_for_union(*, actor, year: int) -> Decimal:
    total = (
        orders_in_scope(actor=actor)
        .filter(created_at__year=year)
        .exclude(status=PurchaseOrder.Status.CANCELLED)
        .aggregate(s=Sum(_SAVING))["s"]
    )
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def supplier_orders(*, actor) -> list[dict]:
    """Orders to place with suppliers: quantity per product still waiting for pickup."""
    return list(
        orders_in_scope(actor=actor)
        .filter(status=PurchaseOrder.Status.PLACED)
        .values("product__name", "product__supplier")
        .annotate(quantity=Sum("quantity"))
        .order_by("product__supplier", "product__name")
    )


# --- hotline: the published number, and the audited log ----------------------------------------


def hotline_number_for_org(org) -> UnionHotline | None:
    """The number a union's members see: its own, else the nearest union above that published one."""
    chain = [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]
    return UnionHotline.objects.filter(org_path__in=chain).order_by("-org_path").first()


def hotline_number_for_member(*, actor) -> UnionHotline | None:
    member = getattr(actor, "member", None)
    return hotline_number_for_org(member.org) if member is not None else None


def hotline_numbers_in_scope(*, actor) -> QuerySet[UnionHotline]:
    return _scoped(UnionHotline.objects.select_related("org"), actor).order_by("org_path")


def hotline_log_read(*, actor, limit: int = 50, offset: int = 0, source: str = "page") -> list[HotlineCall]:
    """A staff read of the hotline log (callers' names and numbers, masked on display) is an audit row with the
    staffer's union, whatever the page or the API shows."""
    from gonghui.core.audit import audit_record
    from gonghui.orgs.scope import scoped_orgs

    calls = list(
        calls_in_scope(actor=actor).select_related("org", "staff", "caller_user")[offset : offset + limit]
    )
    org = scoped_orgs(actor, STAFF_ROLES).order_by("path").first()
    if org is not None:
        audit_record(
            actor=actor,
            action="drivers.hotline_log_read",
            org=org,
            detail={"source": source, "calls": [c.pk for c in calls][:100]},
        )
    return calls


def call_get(*, actor, call_id, audit_read: bool = False) -> HotlineCall:
    """One call; `audit_read` when a page shows it to staff (its caller, masked, is personal data)."""
    from gonghui.core.audit import audit_record

    call = calls_in_scope(actor=actor).select_related("org").filter(pk=_int(call_id)).first()
    if call is None:
        raise NotFound()
    if audit_read:
        audit_record(actor=actor, action="drivers.hotline_call_read", obj=call, org=call.org)
    return call


def promises_unanswered_since(*, actor, day: dt.date) -> QuerySet[HotlineCall]:
    """Promises due by `day` (yesterday, on the page) that nobody has answered: the morning's first list."""
    return (
        calls_in_scope(actor=actor).filter(promise_done=False, promise_due__lte=day).order_by("promise_due")
    )


# --- requests, products, photos -----------------------------------------------------------------


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number < 2**63:
        raise NotFound()
    return number


def request_get(*, actor, request_id) -> DriverRequest:
    req = (
        requests_in_scope(actor=actor)
        .select_related("requester", "org", "assignee_user", "hotline_call")
        .prefetch_related("steps")
        .filter(pk=_int(request_id))
        .first()
    )
    if req is None:
        raise NotFound()
    return req


def assignable_staff(*, request: DriverRequest) -> list:
    from gonghui.orgs.selectors import staff_users

    return staff_users(roles=STAFF_ROLES, org=request.org, reach="chain")


def product_get(*, actor, product_id) -> Product:
    product = products_in_scope(actor=actor).filter(pk=_int(product_id)).first()
    if product is None:
        raise NotFound()
    return product


def photo_for_owner(*, actor, photo_id) -> DriverPhoto:
    """Only the owner ever sees a photo: anyone else (union staff included) gets a 404."""
    photo = DriverPhoto.objects.filter(owner=actor, pk=_int(photo_id)).first()
    if photo is None:
        raise NotFound()
    return photo
