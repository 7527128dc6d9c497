"""Reads for 帮扶, always starting from the actor's scope: what they may not see is not found."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.core import notices
from gonghui.core.audit import audit_record
from gonghui.core.errors import NotFound
from gonghui.core.models import NoticeObjection
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import path_q, scope_paths

from .models import (
    AidApplication,
    AidDocument,
    AidProgramme,
    Donation,
    HardshipFile,
    LowIncomeStandard,
    Payment,
    PaymentBatch,
)

READ_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.OBSERVER, Staff.Role.AUDITOR)
A = AidApplication.Status


def _scoped(qs: QuerySet, actor, field: str = "org_path") -> QuerySet:
    return qs.filter(path_q(scope_paths(actor, READ_ROLES), field))


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def dibao_for(region_code: str, on: dt.date) -> LowIncomeStandard | None:
    """The county's standard in force on that day; else its city's (region code ending in 00)."""
    for code in (region_code, region_code[:4] + "00"):
        found = (
            LowIncomeStandard.objects.filter(region_code=code, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )
        if found is not None:
            return found
    return None


def dibao_list() -> QuerySet[LowIncomeStandard]:
    return LowIncomeStandard.objects.order_by("region_code", "-effective_from")


# --- programmes ---------------------------------------------------------------------------------


def programmes_for_staff(*, actor, year: int | None = None) -> QuerySet[AidProgramme]:
    qs = _scoped(AidProgramme.objects.select_related("org"), actor)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-id")


def programme_get(*, actor, programme_id) -> AidProgramme:
    return _get(programmes_for_staff(actor=actor), programme_id)


def programmes_open() -> QuerySet[AidProgramme]:
    """What a worker may apply for: open programmes with an application window that has not closed."""
    today = timezone.localdate()
    return (
        AidProgramme.objects.filter(status=AidProgramme.Status.OPEN)
        .exclude(kind=AidProgramme.Kind.CONDOLENCE)
        .filter(Q(apply_until__isnull=True) | Q(apply_until__gte=today))
        .select_related("org")
        .order_by("-year", "org__path", "id")
    )


def programme_open_get(programme_id) -> AidProgramme:
    return _get(programmes_open(), programme_id)


# --- applications -------------------------------------------------------------------------------


def applications_for_staff(
    *, actor, programme_id=None, status: str = "", q: str = ""
) -> QuerySet[AidApplication]:
    qs = _scoped(AidApplication.objects.select_related("programme", "org"), actor)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(unit_name__icontains=q))
    return qs.order_by("-created_at", "-id")


def application_get(*, actor, application_id, audit_read: bool = True) -> AidApplication:
    """A staff read of an application shows personal data: every read is audited."""
    app = _get(applications_for_staff(actor=actor), application_id)
    if audit_read:
        audit_record(
            actor=actor, action="aid.application_read", obj=app, org=app.org, detail={"number": app.number}
        )
    return app


def worker_applications(*, actor) -> QuerySet[AidApplication]:
    if not getattr(actor, "is_authenticated", False):
        return AidApplication.objects.none()
    return AidApplication.objects.filter(applicant=actor).select_related("programme", "org", "notice")


def worker_application_get(*, actor, application_id) -> AidApplication:
    return _get(worker_applications(actor=actor), application_id)


def document_get(*, actor, document_id) -> AidDocument:
    doc = _get(_scoped(AidDocument.objects.all(), actor), document_id)
    audit_record(
        actor=actor,
        action="aid.document_read",
        obj=doc,
        detail={"kind": doc.kind, "application": doc.application_id, "file": doc.hardship_file_id},
    )
    return doc


def worker_document_get(*, actor, document_id) -> AidDocument:
    doc = _get(AidDocument.objects.filter(application__applicant=actor), document_id)
    return doc


def worker_status_text(app: AidApplication) -> str:
    """What the worker reads on their phone, in plain words."""
    if app.status == A.IN_NOTICE and app.notice and notices.notice_is_over(app.notice):
        return "公示期满，待发放"
    return {
        A.SUBMITTED: "已提交，等待工会审核材料",
        A.DOCS_OK: "材料齐全，等待工会走访核实",
        A.VISITED: "已走访，等待审批",
        A.APPROVED: "已批准，即将公示",
        A.IN_NOTICE: "公示中",
        A.BATCHED: "已列入发放名单",
        A.PAID: "已发放",
        A.REJECTED: "未通过",
        A.WITHDRAWN: "已撤销",
    }[app.status]


# --- 公示 and objections -------------------------------------------------------------------------


def notices_for_programme(programme: AidProgramme):
    return notices.notices_for_source(source="aid", source_ref=str(programme.pk)).order_by("-id")


def objections_for_staff(*, actor, programme: AidProgramme | None = None) -> QuerySet[NoticeObjection]:
    qs = NoticeObjection.objects.filter(notice__source="aid").filter(
        path_q(scope_paths(actor, READ_ROLES), "notice__org_path")
    )
    if programme is not None:
        qs = qs.filter(notice__source_ref=str(programme.pk))
    return qs.select_related("notice", "entry").order_by("-created_at")


def objection_get(*, actor, objection_id) -> NoticeObjection:
    return _get(objections_for_staff(actor=actor), objection_id)


# --- payments ----------------------------------------------------------------------------------


def batches_for_staff(*, actor, programme: AidProgramme | None = None) -> QuerySet[PaymentBatch]:
    qs = _scoped(PaymentBatch.objects.select_related("programme", "org"), actor)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs


def batch_get(*, actor, batch_id) -> PaymentBatch:
    return _get(batches_for_staff(actor=actor), batch_id)


def batch_payments(batch: PaymentBatch) -> QuerySet[Payment]:
    return batch.payments.select_related("application").order_by("id")


# --- hardship files ------------------------------------------------------------------------------


def files_for_staff(*, actor, status: str = "active", category: str = "") -> QuerySet[HardshipFile]:
    qs = _scoped(HardshipFile.objects.select_related("org"), actor)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-created_at", "-id")


def file_get(*, actor, file_id) -> HardshipFile:
    """Income, health and family details: every staff read is audited."""
    file = _get(files_for_staff(actor=actor, status=""), file_id)
    audit_record(actor=actor, action="aid.file_read", obj=file, org=file.org, detail={"number": file.number})
    return file


def active_file_for(id_index: str) -> HardshipFile | None:
    return HardshipFile.objects.filter(head_id_index=id_index, status=HardshipFile.Status.ACTIVE).first()


# --- donations ----------------------------------------------------------------------------------


def donations_for_staff(*, actor) -> QuerySet[Donation]:
    return _scoped(Donation.objects.select_related("org", "programme"), actor).order_by("-received_on", "-id")


def donation_by_token(token: str) -> Donation:
    found = Donation.objects.select_related("programme", "org").filter(token=str(token)[:32]).first()
    if found is None:
        raise NotFound("未找到该捐赠记录")
    return found


def donation_report(donation: Donation) -> dict:
    """Where a donor's money went: the programme's totals by category, and the donor's share of the
    programme's donated funds — never a recipient's name."""
    programme = donation.programme
    if programme is None:
        return {"donation": donation, "programme": None}
    paid = Payment.objects.filter(batch__programme=programme, paid=True)
    totals = paid.aggregate(n=Count("id"), total=Sum("amount"))
    by_level = (
        paid.values("application__level")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("application__level")
    )
    labels = dict(AidApplication.Level.choices)
    donated = programme.donations.aggregate(t=Sum("amount"))["t"] or Decimal("0")
    share = (donation.amount / donated) if donated else Decimal("0")
    paid_total = totals["total"] or Decimal("0")
    return {
        "donation": donation,
        "programme": programme,
        "people": totals["n"] or 0,
        "paid_total": paid_total,
        "rows": [
            {
                "label": labels.get(r["application__level"]) or programme.get_kind_display(),
                "n": r["n"],
                "total": r["total"],
            }
            for r in by_level
        ],
        "donated_total": donated,
        "share_percent": (share * 100).quantize(Decimal("0.1")),
        "donor_part": min(donation.amount, (paid_total * share).quantize(Decimal("0.01"))),
    }


# --- reports -------------------------------------------------------------------------------------


def report(*, actor, year: int) -> dict:
    """Per programme and year, by category and union; cumulative totals. Counts and sums, no people."""
    apps = applications_for_staff(actor=actor).filter(year=year)
    paid = _scoped(Payment.objects.filter(paid=True), actor, "batch__org_path")
    paid_year = paid.filter(batch__programme__year=year)
    by_programme = (
        paid_year.values("batch__programme__name", "batch__programme__org__name")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("batch__programme__name")
    )
    by_level = paid_year.values("application__level").annotate(n=Count("id"), total=Sum("amount"))
    by_org = (
        paid_year.values("application__org__name")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("-total")
    )
    files = files_for_staff(actor=actor).values("category").annotate(n=Count("id"))
    levels = dict(AidApplication.Level.choices)
    jinqiu_all = paid.filter(batch__programme__kind=AidProgramme.Kind.JINQIU).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    all_time = paid.aggregate(n=Count("id"), total=Sum("amount"))
    return {
        "year": year,
        "applications": apps.count(),
        "by_status": list(apps.values("status").annotate(n=Count("id")).order_by("status")),
        "by_programme": list(by_programme),
        "by_level": [
            {"label": levels.get(r["application__level"], "其他帮扶"), "n": r["n"], "total": r["total"]}
            for r in by_level
        ],
        "by_org": list(by_org),
        "files": {r["category"]: r["n"] for r in files},
        "cumulative": {
            "students": jinqiu_all["n"] or 0,
            "students_amount": jinqiu_all["total"] or Decimal("0"),
            "people": all_time["n"] or 0,
            "amount": all_time["total"] or Decimal("0"),
        },
        "donations": donations_for_staff(actor=actor)
        .filter(received_on__year=year)
        .aggregate(n=Count("id"), total=Sum("amount")),
    }
