"""司机服务 on the phone: my vehicles and licences, one-stop requests, member-price purchasing."""

from __future__ import annotations

import base64
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.core.errors import DomainError

from .. import selectors, services
from ..models import DocKind, DriverDocument, DriverRequest, PurchaseOrder, RequestKind, Vehicle


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    context = {
        "vehicles": Vehicle.objects.filter(owner=user).prefetch_related("photos").order_by("plate"),
        "documents": DriverDocument.objects.filter(owner=user)
        .select_related("vehicle")
        .prefetch_related("photos")
        .order_by("due_on"),
        "hotline": selectors.hotline_number_for_member(actor=user),
        "requests": DriverRequest.objects.filter(requester=user).prefetch_related("steps")[:20],
        "products": selectors.products_for_member(actor=user),
        "orders": PurchaseOrder.objects.filter(buyer=user).select_related("product")[:20],
        "saved": selectors.savings_for_member(user=user, year=today.year),
        "year": today.year,
        "doc_kinds": DocKind.choices,
        "request_kinds": RequestKind.choices,
        "tab": "services",
    }
    return render(request, "drivers/home.html", context)


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise DomainError("日期格式应为 YYYY-MM-DD", code="date_invalid", field=field) from exc


@login_required
@require_POST
def act(request, action: str):
    post, user = request.POST, request.user
    try:
        if action == "vehicle":
            services.vehicle_add(actor=user, plate=post.get("plate", ""), kind=post.get("kind", ""))
            messages.success(request, "车辆已登记")
        elif action == "document":
            vehicle_id = post.get("vehicle_id") or None
            doc = services.document_add(
                actor=user,
                kind=post.get("kind", ""),
                last_done_on=_date(post.get("last_done_on", ""), "last_done_on"),
                vehicle_id=int(vehicle_id) if vehicle_id and vehicle_id.isdigit() else None,
                share_with_union=post.get("share") == "on",
            )
            messages.success(request, f"已保存，下次到期日 {doc.due_on:%Y-%m-%d}")
        elif action == "request":
            services.request_create(
                actor=user,
                kind=post.get("kind", ""),
                plate=post.get("plate", ""),
                place=post.get("place", ""),
                description=post.get("description", ""),
            )
            messages.success(request, "申请已提交，工会将在时限内办理")
        elif action == "photo":
            target, _, pk = post.get("target", "").partition("-")
            pk = int(pk) if pk.isdigit() and len(pk) < 12 else 0
            services.photo_add(
                actor=user,
                file=request.FILES.get("photo"),
                vehicle_id=pk if target == "vehicle" else None,
                document_id=pk if target == "document" else None,
            )
            messages.success(request, "照片已加密保存，仅您本人可见")
        elif action == "photo-delete":
            pk = post.get("photo_id", "")
            services.photo_delete(actor=user, photo_id=int(pk) if pk.isdigit() and len(pk) < 12 else 0)
            messages.success(request, "照片已删除")
        elif action == "order":
            quantity, product_id = post.get("quantity", ""), post.get("product_id", "")
            order = services.order_place(
                actor=user,
                product_id=int(product_id) if product_id.isdigit() else 0,
                quantity=int(quantity) if quantity.isdigit() else 0,
            )
            messages.success(request, f"下单成功，提货码 {order.pickup_code}")
        else:
            raise DomainError("未知操作", code="invalid")
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("drivers:home")


@login_required
def photo(request, photo_id: int):
    """The owner's photo, decrypted for the owner only; anyone else gets a 404."""
    item = selectors.photo_for_owner(actor=request.user, photo_id=photo_id)
    response = HttpResponse(base64.b64decode(item.content), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
