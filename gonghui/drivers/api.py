"""司机服务 API under /api/v1/drivers/: vehicles and licences, one-stop requests, hotline, purchasing."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, File, Router, Schema, UploadedFile

from gonghui.core.cleaners import clean_year
from gonghui.core.crypto import mask_name, mask_phone
from gonghui.core.errors import NotFound
from gonghui.core.pagination import clamp, window

from . import selectors, services
from .models import DriverDocument, DriverRequest, PurchaseOrder, Vehicle

router = Router(tags=["司机服务"])


class VehicleIn(Schema):
    plate: str
    kind: str = ""


class VehicleOut(Schema):
    id: int
    plate: str
    kind: str


class DriverDocumentIn(Schema):
    kind: str
    last_done_on: dt.date
    vehicle_id: int | None = None
    number: str = ""
    share_with_union: bool = False


class DriverDocumentOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    vehicle_id: int | None
    last_done_on: dt.date
    due_on: dt.date
    share_with_union: bool


class RenewIn(Schema):
    done_on: dt.date


class RequestIn(Schema):
    kind: str
    plate: str = ""
    place: str = ""
    description: str = ""


class DriverRequestStepOut(Schema):
    actor_label: str
    body: str
    at: dt.datetime


class RequestOut(Schema):
    id: int
    kind: str
    assignee_kind: str
    kind_display: str = Field(alias="get_kind_display")
    status: str
    status_display: str = Field(alias="get_status_display")
    plate: str
    place: str
    description: str
    due_on: dt.date
    assignee: str
    case_id: int | None
    steps: list[DriverRequestStepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class ProgressIn(Schema):
    status: str
    note: str = ""
    assignee: str = ""


class CallIn(Schema):
    org_id: int
    caller_phone: str
    topic: str
    caller_name: str = ""
    promise: str = ""
    promise_due: dt.date | None = None


class CallOut(Schema):
    id: int
    org_id: int
    caller_phone_masked: str
    caller_name: str
    member_matched: bool
    topic: str
    promise: str
    promise_due: dt.date | None
    promise_done: bool
    overdue: bool
    case_id: int | None
    service_order_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_caller_phone_masked(obj):
        return mask_phone(obj.caller_phone)

    @staticmethod
    def resolve_caller_name(obj):
        return mask_name(obj.caller_name)

    @staticmethod
    def resolve_member_matched(obj):
        return obj.caller_user_id is not None

    @staticmethod
    def resolve_overdue(obj):
        return bool(obj.promise_due and not obj.promise_done and obj.promise_due < timezone.localdate())


class CallToRequestIn(Schema):
    kind: str
    description: str = ""


class DriverProductIn(Schema):
    org_id: int
    name: str
    purchase_price: str
    market_price: str
    stock: int
    supplier: str = ""
    quality_note: str = ""


class DriverProductOut(Schema):
    id: int
    name: str
    purchase_price: Decimal
    market_price: Decimal
    supplier: str
    quality_note: str
    stock: int


class PurchaseOrderIn(Schema):
    product_id: int
    quantity: int


class PurchaseOrderOut(Schema):
    id: int
    product_id: int
    product_name: str = Field(alias="product.name")
    quantity: int
    unit_price: Decimal
    market_price: Decimal
    saving: Decimal
    pickup_code: str
    status: str
    status_display: str = Field(alias="get_status_display")
    created_at: dt.datetime


class StaffOrderOut(Schema):
    id: int
    product_name: str = Field(alias="product.name")
    quantity: int
    status: str
    created_at: dt.datetime


class PickupIn(Schema):
    pickup_code: str


class SavingsOut(Schema):
    year: int
    saved: Decimal


class DueOut(Schema):
    kind_display: str = Field(alias="get_kind_display")
    due_on: dt.date
    driver_name: str = Field(alias="owner.name")
    plate: str | None = None

    @staticmethod
    def resolve_plate(obj):
        return obj.vehicle.plate if obj.vehicle_id else None


class SupplierLineOut(Schema):
    product: str = Field(alias="product__name")
    supplier: str = Field(alias="product__supplier")
    quantity: int


# --- driver (member) side --------------------------------------------------------------------


@router.get("/vehicles", response=list[VehicleOut])
def vehicle_list(request):
    return list(Vehicle.objects.filter(owner=request.auth).order_by("plate"))


@router.post("/vehicles", response={201: VehicleOut})
def vehicle_add(request, payload: VehicleIn):
    return 201, services.vehicle_add(actor=request.auth, **payload.dict())


@router.get("/documents", response=list[DriverDocumentOut])
def document_list(request):
    return list(DriverDocument.objects.filter(owner=request.auth).order_by("due_on"))


@router.post("/documents", response={201: DriverDocumentOut})
def document_add(request, payload: DriverDocumentIn):
    return 201, services.document_add(actor=request.auth, **payload.dict())


@router.post("/documents/{doc_id}/renew", response=DriverDocumentOut)
def document_renew(request, doc_id: int, payload: RenewIn):
    doc = DriverDocument.objects.filter(owner=request.auth, pk=doc_id).first()
    if doc is None:
        raise NotFound()
    return services.document_renew(actor=request.auth, document=doc, done_on=payload.done_on)


@router.get("/requests/mine", response=list[RequestOut])
def my_requests(request):
    return list(DriverRequest.objects.filter(requester=request.auth).prefetch_related("steps")[:100])


@router.post("/requests", response={201: RequestOut})
def request_create(request, payload: RequestIn):
    return 201, services.request_create(actor=request.auth, **payload.dict())


@router.get("/products", response=list[DriverProductOut])
def product_list(request):
    return selectors.products_for_member(actor=request.auth)


@router.post("/orders", response={201: PurchaseOrderOut})
def order_place(request, payload: PurchaseOrderIn):
    return 201, services.order_place(actor=request.auth, **payload.dict())


@router.get("/orders/mine", response=list[PurchaseOrderOut])
def my_orders(request):
    return list(PurchaseOrder.objects.filter(buyer=request.auth).select_related("product")[:100])


@router.get("/savings/mine", response=SavingsOut)
def my_savings(request, year: int | None = None):
    year = clean_year(year, required=False)
    year = year or timezone.localdate().year
    return {"year": year, "saved": selectors.savings_for_member(user=request.auth, year=year)}


# --- union staff side -------------------------------------------------------------------------


@router.get("/requests", response=list[RequestOut])
def request_list(request, status: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.requests_in_scope(actor=request.auth).prefetch_related("steps")
    if status:
        qs = qs.filter(status=status)
    return window(qs, limit=limit, offset=offset, maximum=100)


@router.get("/requests/{request_id}", response=RequestOut)
def request_detail(request, request_id: int):
    req = (
        selectors.requests_in_scope(actor=request.auth).filter(pk=request_id).first()
        or DriverRequest.objects.filter(requester=request.auth, pk=request_id).first()
    )
    if req is None:
        raise NotFound()
    return req


@router.post("/requests/{request_id}/progress", response=RequestOut)
def request_progress(request, request_id: int, payload: ProgressIn):
    return services.request_progress(actor=request.auth, request_id=request_id, **payload.dict())


@router.post("/requests/{request_id}/escalate", response=RequestOut)
def request_escalate(request, request_id: int):
    return services.request_escalate(actor=request.auth, request_id=request_id)


@router.get("/hotline", response=list[CallOut])
def call_list(request, limit: int = 50, offset: int = 0):
    # Audited like every staff read of the log; the window is clamped by the one pagination rule.
    limit, offset = clamp(limit=limit, offset=offset, maximum=100)
    return selectors.hotline_log_read(actor=request.auth, limit=limit, offset=offset, source="api")


@router.post("/hotline", response={201: CallOut})
def call_log(request, payload: CallIn):
    return 201, services.hotline_log(actor=request.auth, **payload.dict())


@router.post("/hotline/{call_id}/request", response={201: RequestOut})
def call_to_request(request, call_id: int, payload: CallToRequestIn):
    return 201, services.hotline_to_request(actor=request.auth, call_id=call_id, **payload.dict())


class CallToCaseIn(Schema):
    category: str = "legal"
    description: str = ""


class CaseRefOut(Schema):
    case_id: int
    case_number: str


@router.post("/hotline/{call_id}/case", response={201: CaseRefOut})
def call_to_case(request, call_id: int, payload: CallToCaseIn):
    case = services.hotline_to_case(actor=request.auth, call_id=call_id, **payload.dict())
    return 201, {"case_id": case.pk, "case_number": case.number}


@router.post("/products", response={201: DriverProductOut})
def product_create(request, payload: DriverProductIn):
    return 201, services.product_create(actor=request.auth, **payload.dict())


@router.get("/orders", response=list[StaffOrderOut])
def order_list(request, limit: int = 50, offset: int = 0):
    return window(selectors.orders_in_scope(actor=request.auth), limit=limit, offset=offset, maximum=100)


@router.post("/orders/pickup", response=StaffOrderOut)
def order_pickup(request, payload: PickupIn):
    return services.order_pickup(actor=request.auth, pickup_code=payload.pickup_code)


@router.get("/supplier-orders", response=list[SupplierLineOut])
def supplier_orders(request):
    return selectors.supplier_orders(actor=request.auth)


@router.get("/savings", response=SavingsOut)
def union_savings(request, year: int | None = None):
    year = clean_year(year, required=False)
    year = year or timezone.localdate().year
    return {"year": year, "saved": selectors.savings_for_union(actor=request.auth, year=year)}


@router.get("/due-this-month", response=list[DueOut])
def due_this_month(request):
    return list(selectors.due_this_month(actor=request.auth)[:500])


# --- workbench additions ------------------------------------------------------------------------


class DriverAssignIn(Schema):
    assignee_kind: str
    staff_user_id: int | None = None
    partner: str = ""


@router.post("/requests/{request_id}/assign", response=RequestOut)
def request_assign(request, request_id: int, payload: DriverAssignIn):
    return services.request_assign(actor=request.auth, request_id=request_id, **payload.dict())


class HotlineNumberIn(Schema):
    org_id: int
    number: str
    hours: str = ""


class HotlineNumberOut(Schema):
    org_id: int | None = None
    number: str = ""
    hours: str = ""


@router.get("/hotline-number/mine", response=HotlineNumberOut)
def hotline_number_mine(request):
    line = selectors.hotline_number_for_member(actor=request.auth)
    return line or {}


@router.get("/hotline-numbers", response=list[HotlineNumberOut])
def hotline_numbers(request):
    return list(selectors.hotline_numbers_in_scope(actor=request.auth))


@router.put("/hotline-number", response=HotlineNumberOut)
def hotline_number_set(request, payload: HotlineNumberIn):
    line = services.hotline_number_set(actor=request.auth, **payload.dict())
    return line or {"org_id": payload.org_id}


class CallToServiceOrderIn(Schema):
    item_id: int
    org_id: int
    preferred_dates: list[dt.date]
    headcount: int
    address: str = ""
    needs: str = ""


class ServiceOrderRefOut(Schema):
    service_order_id: int
    status: str


@router.post("/hotline/{call_id}/service-order", response={201: ServiceOrderRefOut})
def call_to_service_order(request, call_id: int, payload: CallToServiceOrderIn):
    order = services.hotline_to_service_order(actor=request.auth, call_id=call_id, **payload.dict())
    return 201, {"service_order_id": order.pk, "status": order.status}


class DriverProductUpdateIn(Schema):
    name: str
    purchase_price: str
    market_price: str
    supplier: str = ""
    quality_note: str = ""
    stock_add: int = 0
    is_active: bool = True


class DriverProductStaffOut(DriverProductOut):
    org_id: int
    is_active: bool


@router.get("/products/manage", response=list[DriverProductStaffOut])
def product_manage_list(request, limit: int = 50, offset: int = 0):
    return window(
        selectors.products_in_scope(actor=request.auth).order_by("name", "pk"),
        limit=limit,
        offset=offset,
        maximum=100,
    )


@router.put("/products/{product_id}", response=DriverProductStaffOut)
def product_update(request, product_id: int, payload: DriverProductUpdateIn):
    return services.product_update(actor=request.auth, product_id=product_id, **payload.dict())


class DriverPhotoOut(Schema):
    id: int
    vehicle_id: int | None
    document_id: int | None
    content_type: str
    size: int


@router.post("/vehicles/{vehicle_id}/photos", response={201: DriverPhotoOut})
def vehicle_photo_add(request, vehicle_id: int, photo: File[UploadedFile]):
    return 201, services.photo_add(actor=request.auth, vehicle_id=vehicle_id, file=photo)


@router.post("/documents/{doc_id}/photos", response={201: DriverPhotoOut})
def document_photo_add(request, doc_id: int, photo: File[UploadedFile]):
    return 201, services.photo_add(actor=request.auth, document_id=doc_id, file=photo)


@router.get("/photos/{photo_id}")
def photo_get(request, photo_id: int):
    """The owner's own photo, decrypted on the way out; nobody else (union staff included) can fetch it."""
    photo = selectors.photo_for_owner(actor=request.auth, photo_id=photo_id)
    response = HttpResponse(base64.b64decode(photo.content), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete("/photos/{photo_id}", response={204: None})
def photo_delete(request, photo_id: int):
    services.photo_delete(actor=request.auth, photo_id=photo_id)
    return 204, None
