"""司机服务 services: each public function is keyword-only, one transaction, validated and audited."""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.accounts.models import phone_index
from gonghui.cases.services import case_open_for_org
from gonghui.core.audit import audit_record
from gonghui.core.cleaners import clean_text
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.money import parse_amount
from gonghui.core.notifications import notify
from gonghui.core.uploads import check_uploads
from gonghui.core.validators import normalize_mobile
from gonghui.core.workdays import add_working_days
from gonghui.orgs.models import Org

from . import rules
from .models import (
    AssigneeKind,
    DocKind,
    DriverDocument,
    DriverPhoto,
    DriverRequest,
    HotlineCall,
    Product,
    PurchaseOrder,
    Reminder,
    RequestKind,
    RequestStep,
    UnionHotline,
    Vehicle,
)
from .selectors import STAFF_ROLES, calls_in_scope, orders_in_scope, requests_in_scope

# Working-day time limits per request type (DOMAIN: 一站式服务 promises).
REQUEST_WORKDAYS = {
    RequestKind.PASS: 5,
    RequestKind.INSPECTION: 10,
    RequestKind.VIOLATION: 10,
    RequestKind.ACCIDENT: 2,
}


def _today() -> dt.date:
    return timezone.localdate()


def _member_org(actor) -> Org:
    member = getattr(actor, "member", None)
    if member is None:
        raise DomainError("请先入会后再使用司机服务", code="not_member", field="member", status=403)
    return member.org


def _label(actor) -> str:
    return getattr(actor, "name", "") or "工会"


# --- vehicles and documents ---------------------------------------------------------------


def vehicle_add(*, actor, plate: str, kind: str = "") -> Vehicle:
    org = _member_org(actor)
    plate = (plate or "").strip().upper().replace(" ", "")
    if not 7 <= len(plate) <= 8:
        raise DomainError("请填写正确的车牌号，如 晋J12345", code="plate_invalid", field="plate")
    with transaction.atomic():
        if Vehicle.objects.filter(owner=actor, plate=plate).exists():
            raise Conflict("该车牌已登记", code="plate_exists", field="plate")
        vehicle = Vehicle.objects.create(
            owner=actor, org=org, org_path=org.path, plate=plate, kind=kind.strip()[:40]
        )
        audit_record(actor=actor, action="drivers.vehicle_add", obj=vehicle, org=org)
    return vehicle


def document_add(
    *,
    actor,
    kind: str,
    last_done_on: dt.date,
    vehicle_id: int | None = None,
    number: str = "",
    share_with_union: bool = False,
) -> DriverDocument:
    org = _member_org(actor)
    if kind not in DocKind.values:
        raise DomainError("请选择证照类型", code="kind_invalid", field="kind")
    if not isinstance(last_done_on, dt.date) or last_done_on > _today():
        raise DomainError("发证/上次年审日期不能晚于今天", code="date_invalid", field="last_done_on")
    vehicle = None
    if vehicle_id is not None:
        vehicle = Vehicle.objects.filter(owner=actor, pk=vehicle_id).first()
        if vehicle is None:
            raise NotFound("未找到该车辆")
    with transaction.atomic():
        doc = DriverDocument.objects.create(
            owner=actor,
            org=org,
            org_path=org.path,
            vehicle=vehicle,
            kind=kind,
            number=(number or "").strip()[:40],
            last_done_on=last_done_on,
            due_on=rules.next_due(kind, last_done_on),
            share_with_union=share_with_union,
        )
        audit_record(actor=actor, action="drivers.document_add", obj=doc, org=org, detail={"kind": kind})
    return doc


def document_renew(*, actor, document: DriverDocument, done_on: dt.date) -> DriverDocument:
    if document.owner_id != actor.pk:
        raise NotFound()
    if done_on > _today():
        raise DomainError("办理日期不能晚于今天", code="date_invalid", field="done_on")
    with transaction.atomic():
        document.last_done_on = done_on
        document.due_on = rules.next_due(document.kind, done_on)
        document.save(update_fields=["last_done_on", "due_on"])
        audit_record(actor=actor, action="drivers.document_renew", obj=document)
    return document


def reminders_send(*, today: dt.date | None = None) -> int:
    """The scheduled job: remind each owner 30/7/1 days (configurable) before a due date, each once.
    A run that missed days sends only the most urgent reminder that applies."""
    today = today or _today()
    offsets = rules.remind_days()
    horizon = today + dt.timedelta(days=max(offsets))
    sent = 0
    docs = DriverDocument.objects.filter(due_on__gte=today, due_on__lte=horizon).select_related(
        "owner", "vehicle"
    )
    for doc in docs.iterator():
        left = (doc.due_on - today).days
        offset = min(d for d in offsets if left <= d)
        try:
            with transaction.atomic():
                Reminder.objects.create(document=doc, due_on=doc.due_on, days_before=offset)
                what = doc.get_kind_display() + (f"（{doc.vehicle.plate}）" if doc.vehicle else "")
                notify(
                    user=doc.owner,
                    title=f"{what}将于 {doc.due_on:%Y-%m-%d} 到期，还有 {left} 天",
                    body="可在工会“一站式服务”申请年审代办，无需回原籍。",
                    link="/drivers/",
                    kind="drivers",
                    sms=True,
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


# --- one-stop requests ---------------------------------------------------------------------


def _step(request: DriverRequest, actor, body: str) -> RequestStep:
    return RequestStep.objects.create(request=request, actor_label=_label(actor), body=body[:500])


def _request_create(*, actor, requester, org, kind, plate, place, description, call=None) -> DriverRequest:
    if kind not in RequestKind.values:
        raise DomainError("请选择办理事项", code="kind_invalid", field="kind")
    if kind == RequestKind.ACCIDENT and not (description or "").strip():
        raise DomainError("请简要说明事故经过", code="description_required", field="description")
    req = DriverRequest.objects.create(
        requester=requester,
        org=org,
        org_path=org.path,
        kind=kind,
        plate=(plate or "").strip().upper()[:16],
        place=(place or "").strip()[:120],
        description=(description or "").strip()[:5000],
        due_on=add_working_days(_today(), REQUEST_WORKDAYS[kind]),
        hotline_call=call,
    )
    _step(req, actor, f"提交{req.get_kind_display()}申请" + ("（热线来电登记）" if call else ""))
    audit_record(actor=actor, action="drivers.request_create", obj=req, org=org, detail={"kind": kind})
    return req


def request_create(
    *, actor, kind: str, plate: str = "", place: str = "", description: str = ""
) -> DriverRequest:
    org = _member_org(actor)
    with transaction.atomic():
        return _request_create(
            actor=actor,
            requester=actor,
            org=org,
            kind=kind,
            plate=plate,
            place=place,
            description=description,
        )


def request_progress(
    *, actor, request_id: int, status: str, note: str = "", assignee: str = ""
) -> DriverRequest:
    if status not in (DriverRequest.Status.ACCEPTED, DriverRequest.Status.DONE):
        raise DomainError("状态只能改为办理中或已办结", code="status_invalid", field="status")
    with transaction.atomic():
        req = requests_in_scope(actor=actor).select_for_update().filter(pk=request_id).first()
        if req is None:
            raise NotFound()
        if req.status in (DriverRequest.Status.DONE, DriverRequest.Status.ESCALATED):
            raise Conflict("该申请已办结或已转诉求", code="request_closed", field="status")
        req.status = status
        if assignee:
            req.assignee = assignee.strip()[:80]
        req.save(update_fields=["status", "assignee"])
        body = req.get_status_display() + (f"（承办：{req.assignee}）" if assignee else "")
        _step(req, actor, body + (f"：{note.strip()}" if note.strip() else ""))
        audit_record(actor=actor, action="drivers.request_progress", obj=req, detail={"status": status})
        notify(
            user=req.requester,
            title=f"您的{req.get_kind_display()}申请：{req.get_status_display()}",
            link="/drivers/",
        )
    return req


def request_escalate(*, actor, request_id: int) -> DriverRequest:
    """One step from a request (an accident far from home) to a 诉求工单, carrying everything entered
    and the request's timeline; the request keeps its own history and points at the case."""
    with transaction.atomic():
        req = (
            requests_in_scope(actor=actor)
            .select_for_update(of=("self",))
            .select_related("org", "requester")
            .filter(pk=request_id)
            .first()
        )
        if req is None:
            raise NotFound()
        if req.case_id:
            raise Conflict("该申请已转为维权诉求", code="already_escalated")
        history = "\n".join(
            f"{timezone.localtime(s.at):%Y-%m-%d %H:%M} {s.actor_label}：{s.body}" for s in req.steps.all()
        )
        description = (
            f"{req.get_kind_display()}（车牌 {req.plate or '未填'}，地点 {req.place or '未填'}）\n"
            f"{req.description}\n——原申请记录——\n{history}"
        )
        case = case_open_for_org(
            actor=actor,
            org=req.org,
            category="injury" if req.kind == RequestKind.ACCIDENT else "legal",
            title=f"司机{req.get_kind_display()}转维权：{req.plate}".strip("："),
            description=description,
            claimant_name=req.requester.name,
            claimant_phone=req.requester.phone or "",
            source="司机一站式服务",
        )
        req.case_id = case.pk
        req.status = DriverRequest.Status.ESCALATED
        req.save(update_fields=["case_id", "status"])
        _step(req, actor, f"转为维权诉求工单 {case.number}")
        audit_record(actor=actor, action="drivers.request_escalate", obj=req, detail={"case": case.number})
    return req


# --- hotline -------------------------------------------------------------------------------


def hotline_log(
    *,
    actor,
    org_id: int,
    caller_phone: str,
    topic: str,
    caller_name: str = "",
    promise: str = "",
    promise_due: dt.date | None = None,
) -> HotlineCall:
    from gonghui.members.selectors import members_in_scope
    from gonghui.orgs.scope import scoped_orgs

    org = scoped_orgs(actor, STAFF_ROLES).filter(pk=org_id).first()
    if org is None:
        raise NotFound()
    try:
        phone = normalize_mobile(caller_phone)
    except ValidationError as exc:
        raise DomainError.from_validation(exc, field="caller_phone") from exc
    if not (topic or "").strip():
        raise DomainError("请填写来电事由", code="topic_required", field="topic")
    if promise.strip() and promise_due is None:
        promise_due = add_working_days(_today(), 1)
    index = phone_index(phone)
    member = members_in_scope(actor=actor).filter(phone_index=index).select_related("user").first()
    with transaction.atomic():
        call = HotlineCall.objects.create(
            org=org,
            org_path=org.path,
            staff=actor,
            caller_phone=phone,
            caller_phone_index=index,
            caller_user=member.user if member else None,
            caller_name=(caller_name or (member.name if member else "")).strip()[:40],
            topic=topic.strip()[:200],
            promise=promise.strip()[:300],
            promise_due=promise_due if promise.strip() else None,
        )
        audit_record(actor=actor, action="drivers.hotline_log", obj=call, org=org)
    return call


def _require_unconverted(call: HotlineCall) -> None:
    if call.case_id or call.service_order_id or DriverRequest.objects.filter(hotline_call=call).exists():
        raise Conflict("这条来电已转为申请、诉求或服务点单", code="call_converted")


def hotline_to_request(*, actor, call_id: int, kind: str, description: str = "") -> DriverRequest:
    with transaction.atomic():
        call = calls_in_scope(actor=actor).select_for_update(of=("self",)).filter(pk=call_id).first()
        if call is None:
            raise NotFound()
        _require_unconverted(call)
        if call.caller_user_id is None:
            raise DomainError(
                "来电号码未匹配到会员，无法代为提交申请", code="caller_unknown", field="caller_phone"
            )
        req = _request_create(
            actor=actor,
            requester=call.caller_user,
            org=call.org,
            kind=kind,
            plate="",
            place="",
            description=description or call.topic,
            call=call,
        )
        call.promise_done = True
        call.save(update_fields=["promise_done"])
        audit_record(actor=actor, action="drivers.hotline_to_request", obj=call, detail={"request": req.pk})
    return req


def hotline_to_case(*, actor, call_id: int, category: str = "legal", description: str = ""):
    """A call that is a rights matter becomes a 诉求工单 for the call's union in one step."""
    with transaction.atomic():
        call = (
            calls_in_scope(actor=actor)
            .select_for_update(of=("self",))
            .select_related("org")
            .filter(pk=call_id)
            .first()
        )
        if call is None:
            raise NotFound()
        _require_unconverted(call)
        case = case_open_for_org(
            actor=actor,
            org=call.org,
            category=category,
            title=f"热线来电：{call.topic}"[:80],
            description=f"{description.strip() or call.topic}\n热线答复：{call.promise or '无'}",
            claimant_name=call.caller_name or "热线来电人",
            claimant_phone=call.caller_phone,
            source="司机服务热线",
        )
        call.promise_done = True
        call.case_id = case.pk
        call.save(update_fields=["promise_done", "case_id"])
        audit_record(actor=actor, action="drivers.hotline_to_case", obj=call, detail={"case": case.number})
    return case


def hotline_promise_done(*, actor, call_id: int) -> HotlineCall:
    """The promise was kept (a call back, a list sent): the call leaves the morning's unanswered list."""
    with transaction.atomic():
        call = calls_in_scope(actor=actor).select_for_update(of=("self",)).filter(pk=call_id).first()
        if call is None:
            raise NotFound()
        if not call.promise_done:
            call.promise_done = True
            call.save(update_fields=["promise_done"])
            audit_record(actor=actor, action="drivers.hotline_promise_done", obj=call)
    return call


def hotline_flag_overdue(*, today: dt.date | None = None) -> int:
    """The scheduled job: promises past their day surface to the staffer who made them, once."""
    today = today or _today()
    count = 0
    for call in HotlineCall.objects.filter(
        promise_done=False, promise_due__lt=today, overdue_flagged_on__isnull=True
    ).select_related("staff"):
        with transaction.atomic():
            if HotlineCall.objects.filter(pk=call.pk, overdue_flagged_on__isnull=True).update(
                overdue_flagged_on=today
            ):
                notify(
                    user=call.staff,
                    title=f"热线承诺逾期未办：{call.topic[:30]}",
                    link="/workbench/drivers/hotline/",
                )
                count += 1
    return count


# --- member purchasing ---------------------------------------------------------------------


def product_create(
    *,
    actor,
    org_id: int,
    name: str,
    purchase_price,
    market_price,
    stock: int,
    supplier: str = "",
    quality_note: str = "",
) -> Product:
    from gonghui.orgs.scope import scoped_orgs

    org = scoped_orgs(actor, STAFF_ROLES).filter(pk=org_id).first()
    if org is None:
        raise NotFound()
    if not (name or "").strip():
        raise DomainError("请填写商品名称", code="name_required", field="name")
    buy = parse_amount(purchase_price, "purchase_price", required=True)
    market = parse_amount(market_price, "market_price", required=True)
    if market < buy:
        raise DomainError("市场价不应低于会员采购价", code="price_invalid", field="market_price")
    if not isinstance(stock, int) or stock < 0:
        raise DomainError("库存应为非负整数", code="stock_invalid", field="stock")
    with transaction.atomic():
        product = Product.objects.create(
            org=org,
            org_path=org.path,
            name=name.strip()[:80],
            purchase_price=buy,
            market_price=market,
            stock=stock,
            supplier=supplier.strip()[:120],
            quality_note=quality_note.strip()[:300],
        )
        audit_record(actor=actor, action="drivers.product_create", obj=product, org=org)
    return product


def _take_stock(product_id: int, quantity: int) -> bool:
    """The sale rule: stock leaves in one conditional UPDATE, so the last tyres go to one buyer only."""
    return bool(
        Product.objects.filter(pk=product_id, is_active=True, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
    )


def order_place(*, actor, product_id: int, quantity: int) -> PurchaseOrder:
    org = _member_org(actor)
    if not isinstance(quantity, int) or not 1 <= quantity <= 100:
        raise DomainError("数量应在 1 到 100 之间", code="quantity_invalid", field="quantity")
    # A member buys from their own union or any union above it.
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None or not org.path.startswith(product.org_path):
        raise NotFound("未找到该商品")
    with transaction.atomic():
        if not _take_stock(product.pk, quantity):
            raise Conflict("库存不足，请减少数量或等待补货", code="out_of_stock", field="quantity")
        order = PurchaseOrder.objects.create(
            product=product,
            buyer=actor,
            org=product.org,
            org_path=product.org_path,
            quantity=quantity,
            unit_price=product.purchase_price,
            market_price=product.market_price,
            pickup_code=f"{secrets.randbelow(10**8):08d}",
        )
        audit_record(actor=actor, action="drivers.order_place", obj=order, detail={"quantity": quantity})
    return order


def order_pickup(*, actor, pickup_code: str) -> PurchaseOrder:
    with transaction.atomic():
        order = (
            orders_in_scope(actor=actor)
            .select_for_update(of=("self",))
            .filter(pickup_code=(pickup_code or "").strip())
            .first()
        )
        if order is None:
            raise NotFound("提货码无效")
        if order.status != PurchaseOrder.Status.PLACED:
            raise Conflict("该订单已提货或已取消", code="order_closed", field="pickup_code")
        order.status = PurchaseOrder.Status.PICKED_UP
        order.picked_up_at = timezone.now()
        order.save(update_fields=["status", "picked_up_at"])
        audit_record(actor=actor, action="drivers.order_pickup", obj=order)
        notify(user=order.buyer, title=f"已提货：{order.product.name} × {order.quantity}", link="/drivers/")
    return order


# --- workbench additions: assignment, hotline number, hotline → service order, products, photos --------

HOTLINE_NUMBER = re.compile(r"[0-9][0-9\- ]{3,18}[0-9]")


def request_assign(
    *, actor, request_id: int, assignee_kind: str, staff_user_id: int | None = None, partner: str = ""
) -> DriverRequest:
    """Give a request to a union staffer (of the request's union or above) or to a partner (a lawyer, an agency)."""
    from gonghui.orgs.selectors import staff_users

    if assignee_kind not in AssigneeKind.values:
        raise DomainError(
            "请选择承办方：工会工作人员、合作律师或合作代办机构", code="kind_invalid", field="assignee_kind"
        )
    with transaction.atomic():
        req = (
            requests_in_scope(actor=actor)
            .select_for_update(of=("self",))
            .select_related("org")
            .filter(pk=request_id)
            .first()
        )
        if req is None:
            raise NotFound()
        if req.status in (DriverRequest.Status.DONE, DriverRequest.Status.ESCALATED):
            raise Conflict("该申请已办结或已转诉求", code="request_closed", field="status")
        user = None
        if assignee_kind == AssigneeKind.STAFF:
            candidates = {u.pk: u for u in staff_users(roles=STAFF_ROLES, org=req.org, reach="chain")}
            user = candidates.get(staff_user_id or 0)
            if user is None:
                raise DomainError(
                    "请从本会及上级工会的工作人员中选择承办人", code="assignee_invalid", field="staff_user_id"
                )
            name = user.name or "工会工作人员"
        else:
            name = clean_text(partner, field="partner", label="合作律师或机构名称", max_length=80)
        req.assignee, req.assignee_kind, req.assignee_user = name, assignee_kind, user
        fields = ["assignee", "assignee_kind", "assignee_user"]
        if req.status == DriverRequest.Status.SUBMITTED:
            req.status = DriverRequest.Status.ACCEPTED
            fields.append("status")
        req.save(update_fields=fields)
        _step(req, actor, f"指派给{AssigneeKind(assignee_kind).label}：{name}")
        audit_record(
            actor=actor, action="drivers.request_assign", obj=req, detail={"kind": assignee_kind, "to": name}
        )
        notify(user=req.requester, title=f"您的{req.get_kind_display()}申请已由{name}承办", link="/drivers/")
        if user is not None and user.pk != actor.pk:
            notify(
                user=user,
                title=f"新指派：{req.get_kind_display()} #{req.pk}",
                link=f"/workbench/drivers/requests/{req.pk}/",
            )
    return req


def hotline_number_set(*, actor, org_id: int, number: str, hours: str = "") -> UnionHotline | None:
    """Staff publish their union's hotline; an empty number withdraws it (members then see the nearest union above)."""
    from gonghui.orgs.scope import scoped_orgs

    org = scoped_orgs(actor, STAFF_ROLES).filter(pk=org_id).first()
    if org is None:
        raise NotFound()
    number = " ".join((number or "").split())
    hours = clean_text(hours, field="hours", label="接听时间", max_length=40, required=False)
    with transaction.atomic():
        if not number:
            UnionHotline.objects.filter(org=org).delete()
            audit_record(actor=actor, action="drivers.hotline_number_clear", obj=org, org=org)
            return None
        if not HOTLINE_NUMBER.fullmatch(number):
            raise DomainError(
                "热线号码只能含数字、空格和短横线，如 400-838-5115 或 0358-6021234",
                code="number_invalid",
                field="number",
            )
        line, _ = UnionHotline.objects.update_or_create(
            org=org, defaults={"org_path": org.path, "number": number, "hours": hours, "updated_by": actor}
        )
        audit_record(
            actor=actor, action="drivers.hotline_number_set", obj=org, org=org, detail={"number": number}
        )
    return line


def hotline_to_service_order(
    *,
    actor,
    call_id: int,
    item_id: int,
    org_id: int,
    preferred_dates: list,
    headcount: int,
    address: str = "",
    needs: str = "",
):
    """A caller (say a grassroots chair asking for a legal lecture for the drivers) gets a 服务点单 in one step,
    placed by phone through the service_orders service; the call points at the order."""
    from gonghui.service_orders import selectors as so_selectors
    from gonghui.service_orders import services as so_services
    from gonghui.service_orders.models import ServiceOrder

    with transaction.atomic():
        call = calls_in_scope(actor=actor).select_for_update(of=("self",)).filter(pk=call_id).first()
        if call is None:
            raise NotFound()
        _require_unconverted(call)
        item = so_selectors.item_get(actor=actor, item_id=item_id)
        org = so_selectors.ordering_orgs(actor=actor, item=item).filter(pk=org_id).first()
        if org is None:
            raise DomainError(
                "请选择点单的工会（服务项目发布单位的下级工会）", code="org_invalid", field="org_id"
            )
        order = so_services.order_place(
            actor=actor,
            item=item,
            org=org,
            preferred_dates=preferred_dates,
            headcount=headcount,
            address=address,
            contact_name=call.caller_name or "热线来电人",
            contact_phone=call.caller_phone,
            needs=(needs.strip() or call.topic) + "（来自司机服务热线）",
            channel=ServiceOrder.Channel.PHONE,
        )
        call.promise_done = True
        call.service_order_id = order.pk
        call.save(update_fields=["promise_done", "service_order_id"])
        audit_record(
            actor=actor, action="drivers.hotline_to_service_order", obj=call, detail={"order": order.pk}
        )
    return order


def product_update(
    *,
    actor,
    product_id: int,
    name: str,
    purchase_price,
    market_price,
    supplier: str = "",
    quality_note: str = "",
    stock_add: int = 0,
    is_active: bool = True,
) -> Product:
    """Edit prices, supplier and notes; stock changes by a delta in one conditional UPDATE, so a restock never
    overwrites sales made meanwhile and a reduction never goes below zero."""
    if not isinstance(stock_add, int):
        raise DomainError("库存增减应为整数", code="stock_invalid", field="stock_add")
    name = clean_text(name, field="name", label="商品名称", max_length=80)
    buy = parse_amount(purchase_price, "purchase_price", required=True)
    market = parse_amount(market_price, "market_price", required=True)
    if market < buy:
        raise DomainError("市场价不应低于会员采购价", code="price_invalid", field="market_price")
    with transaction.atomic():
        product = _scoped_product(actor, product_id)
        product.name, product.purchase_price, product.market_price = name, buy, market
        product.supplier = clean_text(
            supplier, field="supplier", label="供应商", max_length=120, required=False
        )
        product.quality_note = clean_text(
            quality_note, field="quality_note", label="质量检测说明", max_length=300, required=False
        )
        product.is_active = bool(is_active)
        product.save(
            update_fields=["name", "purchase_price", "market_price", "supplier", "quality_note", "is_active"]
        )
        if stock_add and not Product.objects.filter(pk=product.pk, stock__gte=-stock_add).update(
            stock=F("stock") + stock_add
        ):
            raise DomainError("减少的数量超过现有库存", code="stock_invalid", field="stock_add")
        product.refresh_from_db(fields=["stock"])
        audit_record(
            actor=actor,
            action="drivers.product_update",
            obj=product,
            detail={"purchase_price": str(buy), "market_price": str(market), "stock_add": stock_add},
        )
    return product


def _scoped_product(actor, product_id) -> Product:
    from .selectors import products_in_scope

    product = products_in_scope(actor=actor).select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    return product


PHOTOS_PER_ITEM = 4
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def photo_add(*, actor, file, vehicle_id: int | None = None, document_id: int | None = None) -> DriverPhoto:
    """An optional photo of one's own vehicle or document, encrypted into the database."""
    vehicle = document = None
    if vehicle_id is not None:
        vehicle = Vehicle.objects.filter(owner=actor, pk=vehicle_id).first()
        if vehicle is None:
            raise NotFound()
    elif document_id is not None:
        document = DriverDocument.objects.filter(owner=actor, pk=document_id).first()
        if document is None:
            raise NotFound()
    else:
        raise NotFound()
    if file is None:
        raise DomainError("请选择要上传的照片", code="file_required", field="photo")
    [(content, _name, content_type, size)] = check_uploads(
        [file], field="photo", limit=1, max_bytes=PHOTO_MAX_BYTES
    )
    if content_type not in PHOTO_TYPES:
        raise DomainError("照片只能是 JPG、PNG 或 WEBP 图片", code="file_type", field="photo")
    with transaction.atomic():
        owner_qs = DriverPhoto.objects.filter(vehicle=vehicle, document=document)
        if owner_qs.count() >= PHOTOS_PER_ITEM:
            raise DomainError(f"每项最多保存 {PHOTOS_PER_ITEM} 张照片", code="too_many_files", field="photo")
        content.seek(0)
        photo = DriverPhoto.objects.create(
            owner=actor,
            vehicle=vehicle,
            document=document,
            content_type=content_type,
            size=size,
            content=base64.b64encode(content.read()).decode(),
        )
        target = vehicle or document
        audit_record(actor=actor, action="drivers.photo_add", obj=photo, org=target.org)
    return photo


def photo_delete(*, actor, photo_id: int) -> None:
    with transaction.atomic():
        deleted, _ = DriverPhoto.objects.filter(owner=actor, pk=photo_id).delete()
        if not deleted:
            raise NotFound()
        audit_record(actor=actor, action="drivers.photo_delete", detail={"photo": photo_id})
