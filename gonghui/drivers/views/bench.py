"""司机服务 on the workbench (1366 px): due this month, the requests queue, the hotline log, products, supplier
orders and pickup, the yearly savings. Reads through the selectors (scope: others' records are 404), writes
through the services; a failed form comes back with its errors (422) and what was typed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.core.cleaners import clean_date, clean_year
from gonghui.core.errors import DomainError
from gonghui.core.forms import FormErrors, form_failed
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import scoped_orgs

from .. import selectors, services
from ..models import AssigneeKind, DriverRequest, RequestKind

NAV = {"nav": "drivers"}
# The 诉求 categories a driver's call usually is (cases validates the value).
CASE_CATEGORIES = [("legal", "法律咨询"), ("injury", "工伤"), ("wages", "欠薪"), ("safety", "劳动安全")]


def _ctx(sub: str, **extra) -> dict:
    return {**NAV, "sub": sub, **extra}


def _orgs(user):
    return list(scoped_orgs(user, selectors.STAFF_ROLES).order_by("path")[:200])


def _int(value, field: str, label: str) -> int:
    text = str(value or "").strip()
    if not text.lstrip("-").isdigit() or len(text) > 9:
        raise DomainError(f"{label}应为整数", code="invalid", field=field)
    return int(text)


def _failed(request, exc: DomainError, page, fields=None):
    """Re-render `page()` with the errors and the posted values (422)."""
    template, context = page()
    context["values"] = request.POST
    return form_failed(request, template, context, FormErrors.from_exc(exc, fields))


# --- overview: due this month, savings ----------------------------------------------------------


@workbench_view
def overview(request):
    actor, today = request.user, timezone.localdate()
    year = clean_year(request.GET.get("year") or None, required=False) or today.year
    requests_qs = selectors.requests_in_scope(actor=actor)
    context = _ctx(
        "overview",
        open_requests=requests_qs.filter(
            status__in=[DriverRequest.Status.SUBMITTED, DriverRequest.Status.ACCEPTED]
        ).count(),
        late_requests=requests_qs.filter(
            status__in=[DriverRequest.Status.SUBMITTED, DriverRequest.Status.ACCEPTED], due_on__lt=today
        ).count(),
        promises=selectors.promises_unanswered_since(actor=actor, day=today - dt.timedelta(days=1)).count(),
        due=list(selectors.due_this_month(actor=actor, today=today)[:200]),
        saved=selectors.savings_for_union(actor=actor, year=year),
        year=year,
        years=list(range(today.year, today.year - 5, -1)),
        today=today,
    )
    return render(request, "drivers/bench_overview.html", context)


# --- requests queue ---------------------------------------------------------------------------


@workbench_view
def request_list(request):
    status = request.GET.get("status", "open")
    qs = selectors.requests_in_scope(actor=request.user).select_related("requester", "org")
    if status == "open":
        qs = qs.filter(status__in=[DriverRequest.Status.SUBMITTED, DriverRequest.Status.ACCEPTED])
    elif status in DriverRequest.Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in RequestKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "drivers/bench_requests.html",
        _ctx(
            "requests",
            rows=list(qs.order_by("due_on", "pk")[:200]),
            status=status,
            kind=kind,
            statuses=DriverRequest.Status.choices,
            kinds=RequestKind.choices,
            today=timezone.localdate(),
        ),
    )


def _request_page(request, request_id):
    req = selectors.request_get(actor=request.user, request_id=request_id)
    return "drivers/bench_request.html", _ctx(
        "requests",
        req=req,
        steps=list(req.steps.all()),
        staff=selectors.assignable_staff(request=req),
        assignee_kinds=AssigneeKind.choices,
        open=req.status in (DriverRequest.Status.SUBMITTED, DriverRequest.Status.ACCEPTED),
        today=timezone.localdate(),
    )


@workbench_view
def request_detail(request, request_id):
    template, context = _request_page(request, request_id)
    return render(request, template, context)


@workbench_view
@require_POST
def request_act(request, request_id, action):
    post, actor = request.POST, request.user
    selectors.request_get(actor=actor, request_id=request_id)  # 404 before anything else
    try:
        if action == "assign":
            kind = post.get("assignee_kind", "")
            staff_id = post.get("staff_user_id", "")
            services.request_assign(
                actor=actor,
                request_id=int(request_id),
                assignee_kind=kind,
                staff_user_id=int(staff_id) if staff_id.isdigit() else None,
                partner=post.get("partner", ""),
            )
            messages.success(request, "已指派承办方")
        elif action == "progress":
            services.request_progress(
                actor=actor,
                request_id=int(request_id),
                status=post.get("status", ""),
                note=post.get("note", ""),
            )
            messages.success(request, "状态已更新，司机会收到通知")
        elif action == "escalate":
            req = services.request_escalate(actor=actor, request_id=int(request_id))
            messages.success(request, f"已转为维权诉求工单（#{req.case_id}），原申请记录一并带入")
        else:
            raise DomainError("未知操作", code="invalid")
    except DomainError as exc:
        return _failed(request, exc, lambda: _request_page(request, request_id))
    return redirect("drivers_bench:request", request_id)


# --- hotline --------------------------------------------------------------------------------------


def _hotline_page(request):
    actor, today = request.user, timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    page = max(0, min(_safe_int(request.GET.get("page")), 1000))
    calls = selectors.hotline_log_read(actor=actor, limit=50, offset=page * 50)
    return "drivers/bench_hotline.html", _ctx(
        "hotline",
        calls=calls,
        page=page,
        promises=list(selectors.promises_unanswered_since(actor=actor, day=yesterday)[:50]),
        numbers=list(selectors.hotline_numbers_in_scope(actor=actor)[:50]),
        orgs=_orgs(actor),
        today=today,
        yesterday=yesterday,
    )


def _safe_int(value) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 6 else 0


@workbench_view
def hotline(request):
    template, context = _hotline_page(request)
    return render(request, template, context)


@workbench_view
@require_POST
def hotline_log(request):
    post = request.POST
    try:
        promise_due = clean_date(
            post.get("promise_due"), field="promise_due", label="承诺办结日", required=False
        )
        call = services.hotline_log(
            actor=request.user,
            org_id=_int(post.get("org_id"), "org_id", "接听工会"),
            caller_phone=post.get("caller_phone", ""),
            topic=post.get("topic", ""),
            caller_name=post.get("caller_name", ""),
            promise=post.get("promise", ""),
            promise_due=promise_due,
        )
    except DomainError as exc:
        return _failed(
            request, exc, lambda: _hotline_page(request), ["org_id", "caller_phone", "topic", "promise_due"]
        )
    messages.success(
        request, "来电已登记" + ("，已匹配到会员" if call.caller_user_id else "（未匹配到会员）")
    )
    return redirect("drivers_bench:call", call.pk)


@workbench_view
@require_POST
def hotline_number(request):
    post = request.POST
    try:
        line = services.hotline_number_set(
            actor=request.user,
            org_id=_int(post.get("org_id"), "org_id", "工会"),
            number=post.get("number", ""),
            hours=post.get("hours", ""),
        )
    except DomainError as exc:
        return _failed(request, exc, lambda: _hotline_page(request), ["number", "hours"])
    messages.success(request, f"热线号码已公布：{line.number}" if line else "已撤下热线号码")
    return redirect("drivers_bench:hotline")


def _call_page(request, call_id):
    from gonghui.service_orders import selectors as so_selectors

    actor = request.user
    call = selectors.call_get(actor=actor, call_id=call_id, audit_read=True)
    items = list(so_selectors.item_list(actor=actor, published_only=True)[:100])
    item_orgs = {}
    for item in items:
        item_orgs[item.pk] = list(so_selectors.ordering_orgs(actor=actor, item=item)[:100])
    order_orgs = {o.pk: o for orgs in item_orgs.values() for o in orgs}
    return "drivers/bench_call.html", _ctx(
        "hotline",
        call=call,
        request_made=DriverRequest.objects.filter(hotline_call=call).first(),
        converted=bool(call.case_id or call.service_order_id)
        or DriverRequest.objects.filter(hotline_call=call).exists(),
        request_kinds=RequestKind.choices,
        case_categories=CASE_CATEGORIES,
        items=[i for i in items if item_orgs[i.pk]],
        order_orgs=sorted(order_orgs.values(), key=lambda o: o.path),
        today=timezone.localdate(),
    )


@workbench_view
def call_detail(request, call_id):
    template, context = _call_page(request, call_id)
    return render(request, template, context)


@workbench_view
@require_POST
def call_act(request, call_id, action):
    post, actor = request.POST, request.user
    call = selectors.call_get(actor=actor, call_id=call_id)
    try:
        if action == "request":
            req = services.hotline_to_request(
                actor=actor,
                call_id=call.pk,
                kind=post.get("kind", ""),
                description=post.get("description", ""),
            )
            messages.success(request, f"已为来电会员提交{req.get_kind_display()}申请")
            return redirect("drivers_bench:request", req.pk)
        if action == "case":
            case = services.hotline_to_case(
                actor=actor,
                call_id=call.pk,
                category=post.get("category", "legal"),
                description=post.get("description", ""),
            )
            messages.success(request, f"已转为维权诉求工单 {case.number}")
        elif action == "service-order":
            dates = [
                clean_date(
                    post.get(f"preferred_date{i}"),
                    field=f"preferred_date{i}",
                    label=f"希望日期{i}",
                    required=False,
                )
                for i in (1, 2, 3)
            ]
            order = services.hotline_to_service_order(
                actor=actor,
                call_id=call.pk,
                item_id=_int(post.get("item_id"), "item_id", "服务项目"),
                org_id=_int(post.get("org_id"), "org_id", "点单工会"),
                preferred_dates=[d for d in dates if d],
                headcount=_int(post.get("headcount"), "headcount", "参加人数"),
                address=post.get("address", ""),
                needs=post.get("needs", ""),
            )
            messages.success(request, f"已代为电话点单：{order.item.name}")
        elif action == "done":
            services.hotline_promise_done(actor=actor, call_id=call.pk)
            messages.success(request, "已标记为答复完成")
        else:
            raise DomainError("未知操作", code="invalid")
    except DomainError as exc:
        return _failed(request, exc, lambda: _call_page(request, call_id))
    return redirect("drivers_bench:call", call.pk)


# --- products, supplier orders, pickup ---------------------------------------------------------------


def _products_page(request):
    return "drivers/bench_products.html", _ctx(
        "products",
        products=list(
            selectors.products_in_scope(actor=request.user).select_related("org").order_by("name", "pk")[:200]
        ),
        orgs=_orgs(request.user),
    )


@workbench_view
def products(request):
    template, context = _products_page(request)
    return render(request, template, context)


@workbench_view
@require_POST
def product_create(request):
    post = request.POST
    try:
        product = services.product_create(
            actor=request.user,
            org_id=_int(post.get("org_id"), "org_id", "上架工会"),
            name=post.get("name", ""),
            purchase_price=post.get("purchase_price", ""),
            market_price=post.get("market_price", ""),
            stock=_int(post.get("stock"), "stock", "库存"),
            supplier=post.get("supplier", ""),
            quality_note=post.get("quality_note", ""),
        )
    except DomainError as exc:
        return _failed(
            request,
            exc,
            lambda: _products_page(request),
            ["org_id", "name", "purchase_price", "market_price", "stock", "supplier", "quality_note"],
        )
    messages.success(request, f"已上架：{product.name}")
    return redirect("drivers_bench:products")


def _product_page(request, product_id):
    product = selectors.product_get(actor=request.user, product_id=product_id)
    return "drivers/bench_product.html", _ctx(
        "products",
        product=product,
        orders=list(product.orders.select_related("buyer")[:20]),
    )


@workbench_view
def product_edit(request, product_id):
    template, context = _product_page(request, product_id)
    if request.method == "POST":
        post = request.POST
        try:
            services.product_update(
                actor=request.user,
                product_id=context["product"].pk,
                name=post.get("name", ""),
                purchase_price=post.get("purchase_price", ""),
                market_price=post.get("market_price", ""),
                supplier=post.get("supplier", ""),
                quality_note=post.get("quality_note", ""),
                stock_add=_int(post.get("stock_add") or "0", "stock_add", "库存增减"),
                is_active=post.get("is_active") == "on",
            )
        except DomainError as exc:
            context["values"] = post
            fields = ["name", "purchase_price", "market_price", "supplier", "quality_note", "stock_add"]
            return form_failed(request, template, context, FormErrors.from_exc(exc, fields))
        messages.success(request, "商品已保存")
        return redirect("drivers_bench:product", context["product"].pk)
    return render(request, template, context)


def _orders_page(request):
    actor = request.user
    return "drivers/bench_orders.html", _ctx(
        "orders",
        supplier_orders=selectors.supplier_orders(actor=actor),
        recent=list(selectors.orders_in_scope(actor=actor)[:50]),
    )


@workbench_view
def orders(request):
    template, context = _orders_page(request)
    return render(request, template, context)


@workbench_view
@require_POST
def pickup(request):
    code = request.POST.get("pickup_code", "").strip()
    try:
        if not (code.isdigit() and len(code) == 8):
            raise DomainError(
                "提货码是 8 位数字，请核对后重新输入", code="pickup_code_invalid", field="pickup_code"
            )
        order = services.order_pickup(actor=request.user, pickup_code=code)
    except DomainError as exc:
        if exc.status == 404:  # an unknown code is a form error here, not a missing page
            exc = DomainError(
                "提货码无效：本会没有这个待提货订单", code="pickup_code_invalid", field="pickup_code"
            )
        return _failed(request, exc, lambda: _orders_page(request), ["pickup_code"])
    messages.success(request, f"已提货：{order.product.name} × {order.quantity}（{order.buyer.name}）")
    return redirect("drivers_bench:orders")
