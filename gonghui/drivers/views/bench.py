"""司机服务 on the workbench: one read-only overview from the staffer's scoped subtree (actions via the API)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from gonghui.orgs.decorators import workbench_view

from .. import selectors
from ..models import DriverRequest


@workbench_view
def overview(request):
    actor, today = request.user, timezone.localdate()
    context = {
        "requests": selectors.requests_in_scope(actor=actor)
        .exclude(status=DriverRequest.Status.DONE)
        .select_related("requester")[:50],
        "calls": selectors.calls_in_scope(actor=actor)[:50],
        "due": selectors.due_this_month(actor=actor, today=today)[:100],
        "supplier_orders": selectors.supplier_orders(actor=actor),
        "saved": selectors.savings_for_union(actor=actor, year=today.year),
        "year": today.year,
        "today": today,
        "nav": "drivers",
    }
    return render(request, "drivers/bench_overview.html", context)
