from django.db.models import QuerySet

from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import path_q, scope_paths


def audit_events(
    *, actor, action: str = "", result: str = "", org_path: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    """Auditors see the events of their subtree; nobody else sees any."""
    paths = scope_paths(actor, roles=[Staff.Role.AUDITOR])
    qs = AuditEvent.objects.filter(path_q(paths, "org_path")).select_related("org")
    if action:
        qs = qs.filter(action__startswith=action)
    if result:
        qs = qs.filter(result=result)
    if org_path:
        qs = qs.filter(path_q([org_path], "org_path"))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")
