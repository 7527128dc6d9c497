"""The shell's workbench face: the workbench home, the staff inbox, the audit log, 节假日与调休."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gonghui.core import notifications, workdays
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEvent, CalendarDay
from gonghui.core.pagination import page_of
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import scope_paths
from gonghui.orgs.selectors import org_get, org_roots, subtree_counts
from gonghui.orgs.services import calendar_day_delete, calendar_day_set, calendar_editor_org

from ..selectors import audit_events


@workbench_view
def workbench_home(request):
    roots = list(org_roots(actor=request.user))
    counts = subtree_counts(roots)
    positions = (
        Staff.objects.filter(user=request.user, is_active=True).select_related("org").order_by("org__path")
    )
    recent = notifications.notifications_for(request.user)[:5]
    return render(
        request,
        "site/workbench_home.html",
        {
            "roots": [(r, counts[r.pk]) for r in roots],
            "positions": positions,
            "recent": recent,
            "nav": "home",
            "missing_year": workdays.next_year_missing(),
            "may_edit_calendar": calendar_editor_org(request.user) is not None,
        },
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def workbench_inbox(request):
    if request.method == "POST":
        notifications.notification_mark_read(user=request.user)
    items = notifications.notifications_for(request.user)[:100]
    return render(request, "site/workbench_inbox.html", {"items": items, "nav": "inbox"})


@workbench_view
def audit_log(request):
    is_auditor = bool(scope_paths(request.user, roles=[Staff.Role.AUDITOR]))
    if not is_auditor:
        return render(request, "site/not_auditor.html", {"nav": "audit"}, status=403)
    org_id = request.GET.get("org") or ""
    # An org outside the auditor's subtree is a 404, like every other out-of-scope reference.
    org_path = org_get(actor=request.user, org_id=org_id, roles=[Staff.Role.AUDITOR]).path if org_id else ""
    events = audit_events(
        actor=request.user,
        action=request.GET.get("action", "").strip(),
        result=request.GET.get("result", ""),
        org_path=org_path,
        date_from=_date_param(request.GET.get("from")),
        date_to=_date_param(request.GET.get("to")),
    )
    page = page_of(events, request.GET.get("page"), per_page=50)
    return render(
        request,
        "site/audit_log.html",
        {
            "page": page,
            "results": AuditEvent.Result.choices,
            "filters": request.GET,
            "nav": "audit",
        },
    )


def _date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@workbench_view
@require_http_methods(["GET", "POST"])
def calendar(request):
    """全总 and provincial admins keep the table of holidays and 调休 days the official calendar lacks."""
    if calendar_editor_org(request.user) is None:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, today.year - 5), today.year + 5)
    form = {"date": "", "kind": CalendarDay.Kind.HOLIDAY, "name": ""}
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                calendar_day_delete(actor=request.user, date=request.POST["delete"])
                messages.success(request, f"已删除 {request.POST['delete']} 的自定义安排")
            else:
                form = {k: request.POST.get(k, "") for k in form}
                row = calendar_day_set(actor=request.user, **form)
                messages.success(request, f"已保存：{row}")
                year = row.date.year
            return redirect(f"{reverse('site_bench:calendar')}?year={year}")
        except DomainError as exc:
            error = exc
    rows = CalendarDay.objects.filter(date__year=year)
    return render(
        request,
        "site/calendar.html",
        {
            "nav": "calendar",
            "year": year,
            "years": range(today.year - 1, today.year + 3),
            "official": year in workdays.official_years(),
            "known": workdays.year_known(year),
            "rows": rows,
            "kinds": CalendarDay.Kind.choices,
            "form": form,
            "error": error,
        },
        status=422 if error else 200,
    )
