"""司机服务 reads. Staff reads start from the actor's scoped union subtree; out of scope is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.utils import timezone

from gonghui.orgs.models import Staff
from gonghui.orgs.scope import path_q, scope_paths

from .models import DriverDocument, DriverRequest, HotlineCall, Product, PurchaseOrder

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
