"""公示 (public notice): the one mechanism for aid grants, honours and lottery results (DESIGN.md §4.12).

How an app uses it (see docs/architecture-notices.md):

1. At start-up (AppConfig.ready) the owning app registers itself::

       notices.register_source("aid", label="帮扶", on_objection=aid_services.objection_to_case)

   ``on_objection(objection)`` runs inside the objection's transaction and returns a reference to the
   case it opened (core imports no project app, so the owner opens the case through gonghui.cases).
2. After approval it publishes::

       notice = notices.notice_publish(actor=staff, org=org, source="aid", source_ref=str(programme.pk),
                                       title="2026年金秋助学拟资助名单公示",
                                       lines=[NoticeLine(name="王建军", unit="预石运输", detail="5,000.00 元",
                                                         ref=str(application.pk))])

   Names are masked here (王*军); the full name never reaches the notice tables.
3. Before paying or awarding it asks ``notice_cleared_refs(notice)``: the refs whose notice period has
   passed without a pending or upheld objection.
4. Staff decide objections with ``notice_objection_decide``; the owner reacts to an upheld one
   (an aid application is withdrawn, an honour not awarded).

The period: ``workdays`` working days counted from the first working day on or after publication,
that day included (5 working days published on a Monday run to Friday); ``ends_on`` is the last day.
Objections are taken until the end of ``ends_on``; the result stands from the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .audit import audit_record
from .crypto import mask_name
from .errors import Conflict, DomainError, NotFound, RateLimited, field_value
from .models import NoticeEntry, NoticeObjection, PublicNotice
from .validators import normalize_mobile
from .workdays import add_working_days

MAX_WORKDAYS = 30
MAX_OBJECTIONS_PER_PHONE = 3


@dataclass
class NoticeLine:
    name: str  # full name: masked on the way in
    ref: str  # the owner's reference (an application id); never shown
    unit: str = ""
    detail: str = ""  # "5,000.00 元", "优秀工会干部"


@dataclass(frozen=True)
class NoticeSource:
    source: str
    label: str
    on_objection: Callable[[NoticeObjection], str] | None


_SOURCES: dict[str, NoticeSource] = {}


def register_source(
    source: str, *, label: str, on_objection: Callable[[NoticeObjection], str] | None
) -> None:
    """Called once per owning app from AppConfig.ready()."""
    _SOURCES[source] = NoticeSource(source, label, on_objection)


def source_label(source: str) -> str:
    found = _SOURCES.get(source)
    return found.label if found else source


def default_workdays() -> int:
    return int(getattr(settings, "GONGHUI_NOTICE_WORKDAYS", 5))


def period(start: dt.date, workdays: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a notice of `workdays` working days published on `start`."""
    first = add_working_days(start, 0)
    return first, add_working_days(first, workdays - 1)


def _today() -> dt.date:
    return timezone.localdate()


def notice_is_open(notice: PublicNotice, today: dt.date | None = None) -> bool:
    today = today or _today()
    return notice.status == PublicNotice.Status.PUBLISHED and today <= notice.ends_on


def notice_is_over(notice: PublicNotice, today: dt.date | None = None) -> bool:
    """The period has passed: the result may stand (entry by entry, see notice_cleared_refs)."""
    today = today or _today()
    return notice.status == PublicNotice.Status.PUBLISHED and today > notice.ends_on


# --- writes ----------------------------------------------------------------------------------


def notice_publish(
    *,
    actor,
    org,
    source: str,
    title: str,
    lines: Iterable[NoticeLine],
    source_ref: str = "",
    body: str = "",
    workdays: int | None = None,
    start: dt.date | None = None,
) -> PublicNotice:
    """Publish a notice; the caller has already checked the actor may act for `org`."""
    lines = list(lines)
    if source not in _SOURCES:
        raise DomainError("未登记的公示来源", code="notice_source", field="source")
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写公示标题", code="notice_title", field="title")
    if not lines:
        raise DomainError("公示名单为空：请先审批通过至少一条记录", code="notice_empty", field="lines")
    workdays = default_workdays() if workdays is None else workdays
    if not isinstance(workdays, int) or not 1 <= workdays <= MAX_WORKDAYS:
        raise DomainError(
            f"公示期应为 1–{MAX_WORKDAYS} 个工作日（常用 5 或 7）", code="notice_workdays", field="workdays"
        )
    refs = [str(line.ref) for line in lines]
    if len(set(refs)) != len(refs):
        raise DomainError("公示名单中有重复记录", code="notice_duplicate", field="lines")
    first, last = period(start or _today(), workdays)
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            source=source,
            source_ref=str(source_ref)[:64],
            org=org,
            org_path=org.path,
            title=title[:120],
            body=(body or "").strip()[:2000],
            workdays=workdays,
            starts_on=first,
            ends_on=last,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        NoticeEntry.objects.bulk_create(
            [
                NoticeEntry(
                    notice=notice,
                    position=i,
                    name_masked=mask_name((line.name or "").strip())[:40],
                    unit=(line.unit or "")[:120],
                    detail=(line.detail or "")[:120],
                    ref=str(line.ref)[:64],
                )
                for i, line in enumerate(lines, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action="notice.publish",
            obj=notice,
            org=org,
            detail={"source": source, "entries": len(lines), "workdays": workdays, "ends_on": str(last)},
        )
    return notice


def notice_object(
    *, actor, notice: PublicNotice, reason: str, name: str, phone: str, entry_id: int | None = None
) -> NoticeObjection:
    """Anyone may object while the notice is open; the owning app opens a case for its union."""
    if not notice_is_open(notice):
        raise DomainError("公示期已结束，不再受理异议", code="notice_closed", field="reason")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写您的姓名（仅工会核实时使用，不公开）", code="name_required", field="name")
    if not (phone or "").strip():
        raise DomainError("请填写手机号，便于工会核实后答复您", code="phone_required", field="phone")
    phone = field_value(phone, "phone", normalize_mobile)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError("请写明异议的事实和理由（不少于10个字）", code="reason_short", field="reason")
    if len(reason) > 2000:
        raise DomainError("异议内容不超过2000字", code="reason_long", field="reason")
    entry = None
    if entry_id:
        entry = notice.entries.filter(pk=entry_id).first()
        if entry is None:
            raise DomainError("请从名单中选择异议对象", code="entry_invalid", field="entry")
    mine = [o for o in notice.objections.all() if o.reporter_phone == phone]
    if len(mine) >= MAX_OBJECTIONS_PER_PHONE:
        raise RateLimited("您对本次公示已提交多条异议，工会正在核实，请耐心等待答复")
    with transaction.atomic():
        objection = NoticeObjection.objects.create(
            notice=notice,
            entry=entry,
            user=actor if getattr(actor, "pk", None) else None,
            reporter_name=name[:40],
            reporter_phone=phone,
            reason=reason,
        )
        if entry is not None and entry.status == NoticeEntry.Status.LISTED:
            NoticeEntry.objects.filter(pk=entry.pk).update(status=NoticeEntry.Status.DISPUTED)
        handler = _SOURCES.get(notice.source)
        if handler and handler.on_objection:
            objection.case_ref = str(handler.on_objection(objection) or "")[:64]
            objection.save(update_fields=["case_ref"])
        audit_record(
            actor=actor,
            action="notice.object",
            obj=objection,
            org=notice.org,
            detail={"notice": notice.pk, "entry": entry.pk if entry else None, "case": objection.case_ref},
        )
    return objection


def notice_objection_decide(
    *, actor, objection: NoticeObjection, upheld: bool, decision: str
) -> NoticeObjection:
    """The owning union's finding. An upheld objection against an entry removes that entry from the
    result; a dismissed one puts it back unless another objection on it is still pending."""
    decision = (decision or "").strip()
    if len(decision) < 4:
        raise DomainError("请填写核实结论（不少于4个字）", code="decision_required", field="decision")
    with transaction.atomic():
        objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != NoticeObjection.Status.PENDING:
            raise Conflict("该异议已核实处理", code="objection_decided")
        objection.status = NoticeObjection.Status.UPHELD if upheld else NoticeObjection.Status.DISMISSED
        objection.decision = decision[:500]
        objection.decided_by = actor
        objection.decided_at = timezone.now()
        objection.save(update_fields=["status", "decision", "decided_by", "decided_at"])
        if objection.entry_id:
            entry = NoticeEntry.objects.select_for_update().get(pk=objection.entry_id)
            if upheld:
                entry.status = NoticeEntry.Status.UPHELD
            elif (
                entry.status == NoticeEntry.Status.DISPUTED
                and not entry.objections.filter(status=NoticeObjection.Status.PENDING).exists()
            ):
                entry.status = NoticeEntry.Status.LISTED
            entry.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="notice.objection_decide",
            obj=objection,
            org=objection.notice.org,
            detail={"upheld": upheld, "entry": objection.entry_id},
        )
    return objection


def notice_withdraw(*, actor, notice: PublicNotice, reason: str) -> PublicNotice:
    if len((reason or "").strip()) < 4:
        raise DomainError("请填写撤回原因", code="reason_required", field="reason")
    with transaction.atomic():
        PublicNotice.objects.filter(pk=notice.pk).update(status=PublicNotice.Status.WITHDRAWN)
        notice.status = PublicNotice.Status.WITHDRAWN
        audit_record(
            actor=actor, action="notice.withdraw", obj=notice, org=notice.org, detail={"reason": reason}
        )
    return notice


# --- reads -----------------------------------------------------------------------------------


def notice_cleared_refs(notice: PublicNotice, today: dt.date | None = None) -> set[str]:
    """Refs that may proceed (be paid, awarded): the period is over and the entry has no pending or
    upheld objection — including an objection against the whole notice that is still pending."""
    if not notice_is_over(notice, today):
        return set()
    if notice.objections.filter(entry__isnull=True, status=NoticeObjection.Status.PENDING).exists():
        return set()
    return set(notice.entries.filter(status=NoticeEntry.Status.LISTED).values_list("ref", flat=True))


def public_notices(*, today: dt.date | None = None, include_closed_days: int = 30) -> QuerySet[PublicNotice]:
    """Notices on the public board: open ones, and those closed within the last month."""
    today = today or _today()
    return (
        PublicNotice.objects.filter(
            status=PublicNotice.Status.PUBLISHED,
            starts_on__lte=today,
            ends_on__gte=today - dt.timedelta(days=include_closed_days),
        )
        .select_related("org")
        .order_by("-starts_on", "-id")
    )


def public_notice_get(notice_id) -> PublicNotice:
    try:
        return PublicNotice.objects.select_related("org").get(
            pk=int(notice_id), status=PublicNotice.Status.PUBLISHED
        )
    except (PublicNotice.DoesNotExist, ValueError, TypeError):
        raise NotFound("未找到该公示，或已撤回") from None


def notices_for_source(*, source: str, source_ref: str = "") -> QuerySet[PublicNotice]:
    qs = PublicNotice.objects.filter(source=source)
    if source_ref:
        qs = qs.filter(source_ref=str(source_ref))
    return qs
