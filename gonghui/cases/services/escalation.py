"""Overdue cases climb the tree (run by the periodic task)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.notifications import notify

from ..models import Case, CaseStep, Escalation
from .common import S, _notify_org, _staff_link, _step


def cases_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Flags overdue cases and tells the parent union once per case, kind and due date (idempotent)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    late_accept = Case.objects.filter(status=S.SUBMITTED, accept_due__lt=now)
    late_handle = Case.objects.filter(
        status__in=[S.ACCEPTED, S.IN_PROGRESS], paused_since__isnull=True, handle_due__lt=today
    )
    count = 0
    for kind, qs in ((Escalation.Kind.ACCEPT, late_accept), (Escalation.Kind.HANDLE, late_handle)):
        for case in qs.select_related("org", "org__parent").iterator():
            due = (
                case.accept_due.isoformat() if kind == Escalation.Kind.ACCEPT else case.handle_due.isoformat()
            )
            if _escalate(case, kind, due):
                count += 1
    return count


def _escalate(case: Case, kind: str, due: str) -> bool:
    above = case.org.parent or case.org
    try:
        with transaction.atomic():
            Escalation.objects.create(case=case, kind=kind, org=above, due=due)
            Case.objects.filter(pk=case.pk).update(overdue=True)
            label = Escalation.Kind(kind).label
            _step(
                case,
                CaseStep.Kind.ESCALATED,
                None,
                org=above,
                body=f"{label}（时限 {due[:10]}），已报{above.name}督办",
            )
            audit_record(
                actor=None,
                action="case.escalate",
                obj=case,
                org=above,
                detail={"kind": kind, "due": due[:10]},
            )
            _notify_org(
                above,
                title=f"督办：工单 {case.number} {label}",
                body=f"{case.org.name}承办的「{case.title}」{label}，时限 {due[:10]}",
                case=case,
            )
            if case.handler_id:
                notify(
                    user=case.handler,
                    title=f"工单 {case.number} {label}，已报上级督办",
                    link=_staff_link(case),
                    kind="case",
                )
    except IntegrityError:
        return False  # already escalated for this due date, by an earlier or concurrent run
    return True
