"""Workbench pages for 订单式服务. Thin: parse, call a selector or service, render; errors go next to the field."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError
from gonghui.core.forms import form_add_errors
from gonghui.core.pagination import page_of
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import org_get, org_roots

from .. import scheduler, selectors, services
from ..forms import (
    AttendForm,
    ExpertForm,
    ItemForm,
    LeaveForm,
    OrderForm,
    RateForm,
    ReasonForm,
    ScheduleForm,
    TeamForm,
)
from ..models import Category, Expert, ServiceOrder

NAV = "service_orders"


def _page(request, template, context, status=200):
    context.setdefault("nav", NAV)
    return render(request, template, context, status=status)


def _apply(form, exc: DomainError, aliases: dict | None = None):
    for error in getattr(exc, "errors", None) or [exc]:
        error.field = (aliases or {}).get(error.field, error.field)
    form_add_errors(form, exc)


def _date_param(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


# --- home and menu -------------------------------------------------------------------------------


@workbench_view
def home(request):
    stats = selectors.statistics(actor=request.user)
    queue = selectors.dispatch_queue(actor=request.user)
    recent = selectors.order_list(actor=request.user).order_by("-ordered_at")[:8]
    # Experts with an account (Staff role expert) see their own calendar first.
    mine = Expert.objects.filter(user=request.user, is_active=True)
    return _page(
        request,
        "service_orders/home.html",
        {
            "stats": stats,
            "queue_count": queue.count(),
            "queue": queue[:5],
            "recent": recent,
            "mine": mine,
        },
    )


@workbench_view
def menu(request):
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip()
    items = list(selectors.item_list(actor=request.user, q=q, category=category))
    groups = [(label, [i for i in items if i.category == value]) for value, label in Category.choices]
    return _page(
        request,
        "service_orders/menu.html",
        {
            "groups": [(label, rows) for label, rows in groups if rows],
            "categories": Category.choices,
            "filters": {"category": category, "q": q},
            "count": len(items),
            "can_publish": selectors.publishing_orgs(actor=request.user).exists(),
        },
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def item_order(request, item_id):
    """The item and, for those who may order it, the 点单 form."""
    item = selectors.item_get(actor=request.user, item_id=item_id)
    orgs = list(selectors.ordering_orgs(actor=request.user, item=item)[:500])
    is_provider = services.is_provider(request.user, item)
    form = OrderForm(
        request.POST or None,
        initial={
            "org": orgs[0].pk if len(orgs) == 1 else None,
            "contact_name": request.user.name,
            "channel": ServiceOrder.Channel.PHONE if is_provider else ServiceOrder.Channel.ONLINE,
        },
    )
    form.fields["org"].choices = (
        [("", "请选择")] + [(o.pk, o.name) for o in orgs] if len(orgs) > 1 else [(o.pk, o.name) for o in orgs]
    )
    if not is_provider:
        del form.fields["channel"]
    if request.method == "POST" and orgs and form.is_valid():
        data = form.cleaned_data
        try:
            org = org_get(actor=request.user, org_id=data["org"], roles=services.MANAGERS)
            order = services.order_place(
                actor=request.user,
                item=item,
                org=org,
                preferred_dates=[data["preferred_date1"], data["preferred_date2"], data["preferred_date3"]],
                headcount=data["headcount"],
                address=data["address"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                needs=data["needs"],
                channel=data.get("channel") or ServiceOrder.Channel.ONLINE,
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"点单成功，订单号 {order.number}")
            return redirect("service_orders_bench:order", order_id=order.pk)
    return _page(
        request,
        "service_orders/item.html",
        {
            "item": item,
            "form": form if orgs else None,
            "is_provider": is_provider,
            "earliest": scheduler.earliest_orderable(item),
        },
        status=422 if form.errors else 200,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def item_edit(request, item_id=None):
    item = selectors.item_get(actor=request.user, item_id=item_id) if item_id else None
    if item and not services.is_provider(request.user, item):
        raise Http404
    publishers = list(selectors.publishing_orgs(actor=request.user)[:50])
    if not publishers:
        raise Http404
    initial = {f: getattr(item, f) for f in ItemForm.base_fields if f not in {"team", "org"}} if item else {}
    if item:
        initial["team"] = item.team_id
    form = ItemForm(request.POST or None, initial=initial)
    teams = selectors.team_list(actor=request.user).filter(is_active=True)
    form.fields["team"].choices = [(t.pk, f"{t.name}（{t.org.display_name}）") for t in teams]
    if item or len(publishers) == 1:
        del form.fields["org"]  # the publisher of an item does not change; with one choice there is none
    else:
        form.fields["org"].choices = [(o.pk, o.name) for o in publishers]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org_id = data.pop("org", None)
        try:
            data["team"] = selectors.team_get(actor=request.user, team_id=data["team"])
            if item:
                item = services.item_update(actor=request.user, item=item, **data)
            else:
                org = next((o for o in publishers if o.pk == org_id), publishers[0])
                item = services.item_create(actor=request.user, org=org, **data)
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已保存“{item.name}”")
            return redirect("service_orders_bench:item", item_id=item.pk)
    return _page(
        request,
        "service_orders/form.html",
        {
            "form": form,
            "title": f"编辑 {item.name}" if item else "发布服务项目",
            "back": "service_orders_bench:menu",
        },
        status=422 if form.errors else 200,
    )


# --- orders --------------------------------------------------------------------------------------


@workbench_view
def orders(request):
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    qs = selectors.order_list(actor=request.user, status=status, category=category).order_by("-ordered_at")
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return _page(
        request,
        "service_orders/orders.html",
        {
            "page": page,
            "statuses": ServiceOrder.Status.choices,
            "categories": Category.choices,
            "filters": request.GET,
            "title": "服务订单",
        },
    )


@workbench_view
def queue(request):
    qs = list(selectors.dispatch_queue(actor=request.user)[:200])
    # Suggestions for the head of the queue only: each is a calendar search.
    for o in qs[:30]:
        o.suggestion = scheduler.suggest(o)
    return _page(request, "service_orders/queue.html", {"orders": qs})


def _order_context(request, order, **forms):
    bookings = selectors.order_bookings(order)
    is_provider = services.is_provider(request.user, order.item)
    is_union = services.is_union_manager(request.user, order)
    ctx = {
        "order": order,
        "bookings": bookings,
        "is_provider": is_provider,
        "is_union": is_union,
        "S": ServiceOrder.Status,
        "now": timezone.now(),
    }
    waiting = order.status == ServiceOrder.Status.ORDERED
    slot = None
    if waiting or (is_provider and order.status == ServiceOrder.Status.SCHEDULED):
        slot = scheduler.suggest(order)
    if waiting:
        # The estimate moves as other unions' orders are booked: show today's, not the one from order time.
        ctx["expected_date"] = slot.day if slot else None
        ctx["fully_booked"] = slot is None
    if is_provider and order.status in {ServiceOrder.Status.ORDERED, ServiceOrder.Status.SCHEDULED}:
        ctx["suggestion"] = slot
        form = forms.get("schedule_form") or ScheduleForm(
            initial={
                "day": slot.day if slot else None,
                "time": timezone.localtime(slot.start).time() if slot else None,
                "expert_ids": [e.pk for e in slot.experts] if slot else [],
            }
        )
        form.fields["expert_ids"].choices = [
            (e.pk, f"{e.name}（{e.get_kind_display()}）") for e in scheduler.eligible_experts(order.item)
        ]
        ctx["schedule_form"] = form
    ctx["attend_form"] = forms.get("attend_form") or AttendForm(initial={"attended_count": order.headcount})
    ctx["rate_form"] = forms.get("rate_form") or RateForm()
    ctx["reason_form"] = forms.get("reason_form") or ReasonForm()
    ctx["reason_action"] = forms.get("reason_action", "")
    return ctx


@workbench_view
def order_detail(request, order_id):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _page(request, "service_orders/order.html", _order_context(request, order))


@workbench_view
@require_POST
def order_action(request, order_id, action):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    forms: dict = {}
    try:
        if action == "schedule":
            form = forms["schedule_form"] = ScheduleForm(request.POST)
            form.fields["expert_ids"].choices = [
                (e.pk, e.name) for e in scheduler.eligible_experts(order.item)
            ]
            if form.is_valid():
                start = timezone.make_aware(
                    dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"])
                )
                services.order_schedule(
                    actor=request.user, order=order, start=start, expert_ids=form.cleaned_data["expert_ids"]
                )
        elif action == "confirm":
            services.order_confirm(actor=request.user, order=order)
        elif action == "attend":
            form = forms["attend_form"] = AttendForm(request.POST)
            if form.is_valid():
                services.order_attend(actor=request.user, order=order, **form.cleaned_data)
        elif action == "rate":
            form = forms["rate_form"] = RateForm(request.POST)
            if form.is_valid():
                services.order_rate(actor=request.user, order=order, **form.cleaned_data)
        elif action in {"cancel", "decline"}:
            form = forms["reason_form"] = ReasonForm(request.POST)
            forms["reason_action"] = action
            if form.is_valid():
                fn = services.order_cancel if action == "cancel" else services.order_decline
                fn(actor=request.user, order=order, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 404:
            raise
        target = next((f for f in forms.values() if hasattr(f, "add_error")), None)
        if target is None:
            messages.error(request, exc.message)
            return redirect("service_orders_bench:order", order_id=order.pk)
        _apply(target, exc, {"start": "day"})
    if any(getattr(f, "errors", None) for f in forms.values()):
        order.refresh_from_db()
        return _page(
            request, "service_orders/order.html", _order_context(request, order, **forms), status=422
        )
    messages.success(request, DONE_MESSAGES[action])
    return redirect("service_orders_bench:order", order_id=order.pk)


DONE_MESSAGES = {
    "schedule": "已排期，并已通知点单工会确认",
    "confirm": "已确认服务时间，专家将按时到场",
    "attend": "已登记服务，并已请点单工会评价",
    "rate": "感谢评价",
    "cancel": "订单已取消，专家时段已释放",
    "decline": "已婉拒，并已通知点单工会",
}


# --- experts and calendars -----------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def experts(request):
    publishers = list(selectors.publishing_orgs(actor=request.user)[:1])
    team_form = TeamForm(request.POST if request.POST.get("form") == "team" else None)
    expert_form = ExpertForm(request.POST if request.POST.get("form") == "expert" else None)
    teams = list(selectors.team_list(actor=request.user))
    expert_form.fields["team"].choices = [("", "不加入服务团")] + [(t.pk, t.name) for t in teams]
    if request.method == "POST" and publishers:
        try:
            if team_form.is_bound and team_form.is_valid():
                services.team_create(actor=request.user, org=publishers[0], **team_form.cleaned_data)
                return redirect("service_orders_bench:experts")
            if expert_form.is_bound and expert_form.is_valid():
                data = dict(expert_form.cleaned_data)
                data["team"] = (
                    selectors.team_get(actor=request.user, team_id=data["team"]) if data["team"] else None
                )
                expert = services.expert_create(actor=request.user, org=publishers[0], **data)
                return redirect("service_orders_bench:expert", expert_id=expert.pk)
        except DomainError as exc:
            _apply(team_form if team_form.is_bound else expert_form, exc)
    rows = selectors.expert_list(
        actor=request.user,
        team_id=request.GET.get("team") or None,
        kind=request.GET.get("kind", ""),
        q=request.GET.get("q", "").strip(),
    )
    return _page(
        request,
        "service_orders/experts.html",
        {
            "experts": rows[:300],
            "teams": teams,
            "kinds": Expert.Kind.choices,
            "filters": request.GET,
            "team_form": team_form,
            "expert_form": expert_form,
            "can_manage": bool(publishers),
        },
        status=422 if (team_form.errors or expert_form.errors) else 200,
    )


def _calendar_context(request, events_fn, leaves=()):
    view = "month" if request.GET.get("view") == "month" else "week"
    anchor = _date_param(request.GET.get("date"), timezone.localdate())
    first, last = selectors.calendar_range(view, anchor)
    days = selectors.calendar_days(first, last, events_fn(first, last), leaves)
    step = dt.timedelta(days=7) if view == "week" else None
    if view == "month":
        prev_anchor = (anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        next_anchor = (anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    else:
        prev_anchor, next_anchor = anchor - step, anchor + step
    return {
        "view": view,
        "anchor": anchor,
        "days": days,
        "prev": prev_anchor,
        "next": next_anchor,
        "today": timezone.localdate(),
        "weekdays": services.WEEKDAYS,
    }


WEEKDAY_FIELDS = [(d, services.WEEKDAYS[d]) for d in range(7)]


@workbench_view
@require_http_methods(["GET", "POST"])
def expert_detail(request, expert_id):
    expert = selectors.expert_get(actor=request.user, expert_id=expert_id)
    leave_form = LeaveForm(request.POST if request.POST.get("form") == "leave" else None)
    hours_error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "hours":
                services.availability_set(actor=request.user, expert=expert, hours=_parse_hours(request.POST))
                messages.success(request, "已保存可服务时间")
                return redirect("service_orders_bench:expert", expert_id=expert.pk)
            if leave_form.is_valid():
                services.leave_add(actor=request.user, expert=expert, **leave_form.cleaned_data)
                messages.success(request, "已登记请假")
                return redirect("service_orders_bench:expert", expert_id=expert.pk)
        except DomainError as exc:
            if request.POST.get("form") == "hours":
                hours_error = exc.message
            else:
                _apply(leave_form, exc)
    hours = {d: [] for d in range(7)}
    for a in expert.availability.all():
        hours[a.weekday].append(a)
    leaves = list(expert.leaves.filter(end_date__gte=timezone.localdate() - dt.timedelta(days=62)))
    ctx = _calendar_context(
        request, lambda a, b: selectors.expert_calendar(expert=expert, first=a, last=b), leaves
    )
    ctx.update(
        {
            "expert": expert,
            "hours": [(label, hours[d], d) for d, label in WEEKDAY_FIELDS],
            "leave_form": leave_form,
            "leaves": leaves,
            "hours_error": hours_error,
            "can_manage": in_scope(request.user, expert.org, services.MANAGERS),
        }
    )
    return _page(
        request, "service_orders/expert.html", ctx, status=422 if (leave_form.errors or hours_error) else 200
    )


def _parse_hours(post) -> list[tuple[int, dt.time, dt.time]]:
    rows = []
    for d in range(7):
        for half in (1, 2):
            start, end = post.get(f"w{d}_s{half}", "").strip(), post.get(f"w{d}_e{half}", "").strip()
            if not start and not end:
                continue
            try:
                rows.append((d, dt.time.fromisoformat(start), dt.time.fromisoformat(end)))
            except ValueError:
                raise DomainError(
                    f"{services.WEEKDAYS[d]}的时间格式应为 HH:MM，开始和结束都要填写",
                    field="hours",
                    code="bad_time",
                ) from None
    return rows


@workbench_view
def team_calendar(request, team_id):
    team = selectors.team_get(actor=request.user, team_id=team_id)
    ctx = _calendar_context(request, lambda a, b: selectors.team_calendar(team=team, first=a, last=b))
    ctx.update({"title": f"{team.name} 日程", "team": team})
    return _page(request, "service_orders/calendar.html", ctx)


@workbench_view
def union_calendar(request):
    org_id = request.GET.get("org")
    org = org_get(actor=request.user, org_id=org_id) if org_id else org_roots(actor=request.user).first()
    ctx = _calendar_context(
        request, lambda a, b: selectors.union_calendar(actor=request.user, org=org, first=a, last=b)
    )
    ctx.update({"title": f"{org.display_name} 服务日程", "org": org, "extra": f"&org={org.pk}"})
    return _page(request, "service_orders/calendar.html", ctx)


@workbench_view
def stats(request):
    date_from = _date_param(request.GET.get("from"), None)
    date_to = _date_param(request.GET.get("to"), None)
    data = selectors.statistics(actor=request.user, date_from=date_from, date_to=date_to)
    return _page(request, "service_orders/stats.html", {"stats": data, "filters": request.GET})
