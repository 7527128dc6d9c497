"""Reads for 工会法人登记, each starting from the actor's scope: out of scope is 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from gonghui.core.errors import NotFound
from gonghui.orgs.models import Org
from gonghui.orgs.scope import path_q, scope_paths

from .models import Certificate, Filing
from .services import RENEW_WINDOW_DAYS, today


def filings(*, actor, view: str = "") -> QuerySet[Filing]:
    qs = Filing.objects.filter(path_q(scope_paths(actor), field="org__path")).select_related(
        "org", "authority"
    )
    if view == "open":
        qs = qs.filter(status__in=[Filing.Status.SUBMITTED, Filing.Status.RETURNED])
    elif view == "overdue":
        qs = qs.filter(status=Filing.Status.SUBMITTED, due_date__lt=today())
    return qs


def filing_get(*, actor, filing_id: int) -> Filing:
    filing = filings(actor=actor).filter(pk=filing_id).first()
    if filing is None:
        raise NotFound()
    return filing


def certificates(*, actor) -> QuerySet[Certificate]:
    return Certificate.objects.filter(path_q(scope_paths(actor), field="org__path")).select_related(
        "org", "authority"
    )


def certificate_get(*, actor, number: str) -> Certificate:
    cert = certificates(actor=actor).filter(number=number).first()
    if cert is None:
        raise NotFound()
    return cert


def register(*, actor, state: str = "", q: str = "") -> QuerySet[Org]:
    """Every grassroots union in scope with its valid certificate (if any)."""
    valid = Certificate.objects.filter(org=OuterRef("pk"), status=Certificate.Status.VALID)
    qs = (
        Org.objects.filter(path_q(scope_paths(actor)), kind=Org.Kind.GRASSROOTS, is_active=True)
        .annotate(registered=Exists(valid))
        .order_by("path")
    )
    if q:
        qs = qs.filter(name__icontains=q)
    if state == "registered":
        qs = qs.filter(registered=True)
    elif state == "unregistered":
        qs = qs.filter(registered=False)
    return qs


def register_counts(*, actor) -> dict:
    qs = register(actor=actor)
    total = qs.count()
    registered = qs.filter(registered=True).count()
    return {"total": total, "registered": registered, "unregistered": total - registered}


def deadline_lists(*, actor, on: dt.date | None = None) -> dict:
    on = on or today()
    valid = certificates(actor=actor).filter(status=Certificate.Status.VALID)
    return {
        "expiring": list(
            valid.filter(valid_until__gte=on, valid_until__lte=on + dt.timedelta(days=RENEW_WINDOW_DAYS))
        ),
        "expired": list(valid.filter(valid_until__lt=on)),
        "drift": list(valid.filter(drift_since__lt=on - dt.timedelta(days=30))),
        "overdue": list(filings(actor=actor, view="overdue")),
    }
