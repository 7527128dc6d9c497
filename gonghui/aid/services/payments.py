"""发放: payment lists per batch (xlsx for the bank with a control total), marked paid; goods receipts."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core import crypto, notices
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.core.money import yuan
from gonghui.core.xlsx import XlsxWriter, export_audit

from ..models import AidApplication, AidProgramme, Payment, PaymentBatch
from ..selectors import notices_for_programme
from .applications import _tell_worker
from .common import check_documents, clean_date, require_act, store_documents, today

S = AidApplication.Status


def payable_applications(programme: AidProgramme) -> list[AidApplication]:
    """In notice, the period over, no pending or upheld objection on their line: these may be paid."""
    cleared: set[int] = set()
    for notice in notices_for_programme(programme):
        cleared |= {int(ref) for ref in notices.notice_cleared_refs(notice)}
    return list(
        AidApplication.objects.filter(programme=programme, status=S.IN_NOTICE, pk__in=cleared).order_by(
            "unit_name", "id"
        )
    )


def batch_create(*, actor, programme: AidProgramme) -> PaymentBatch:
    require_act(actor, programme.org)
    with transaction.atomic():
        ids = [a.pk for a in payable_applications(programme)]
        apps = list(
            AidApplication.objects.select_for_update()
            .filter(pk__in=ids, status=S.IN_NOTICE)
            .order_by("unit_name", "id")
        )
        if not apps:
            raise DomainError(
                "暂无可发放的记录：公示期未满、尚未公示，或存在未核实的异议",
                code="nothing_payable",
                status=409,
            )
        goods = programme.rules.get("goods", "") if programme.kind == AidProgramme.Kind.CONDOLENCE else ""
        total = sum((a.amount for a in apps), Decimal("0"))
        batch = PaymentBatch.objects.create(
            number=f"FF{timezone.localtime():%Y%m%d%H%M%S}{programme.pk:04d}"[:24],
            programme=programme,
            org=programme.org,
            org_path=programme.org_path,
            count=len(apps),
            total=total,
            created_by=actor,
        )
        Payment.objects.bulk_create(
            [Payment(batch=batch, application=a, amount=a.amount, goods=goods) for a in apps]
        )
        AidApplication.objects.filter(pk__in=[a.pk for a in apps]).update(status=S.BATCHED)
        audit_record(
            actor=actor,
            action="aid.batch_create",
            obj=batch,
            org=programme.org,
            detail={"count": len(apps), "total": str(total)},
        )
    return batch


def batch_export(*, actor, batch: PaymentBatch) -> bytes:
    """The bank's list: payee, card number, bank, amount, and a control total (笔数 and 合计) at the foot.
    Payee names and card numbers are what a bank needs; the 身份证号 stays masked. Written with the one
    xlsx writer (core.xlsx: text never becomes a formula) and audited against the batch's union."""
    require_act(actor, batch.org)
    book = XlsxWriter()
    sheet = book.sheet(
        "发放明细",
        header=[
            "序号",
            "申请编号",
            "收款人",
            "身份证号(脱敏)",
            "开户银行",
            "银行卡号",
            "金额(元)",
            "物资",
            "用途",
        ],
    )
    sheet.widths((6, 14, 10, 22, 16, 24, 12, 12, 24))
    payments = list(batch.payments.select_related("application").order_by("id"))
    total = Decimal("0")
    for i, p in enumerate(payments, start=1):
        a = p.application
        total += p.amount
        sheet.append(
            [
                i,
                a.number,
                a.applicant_name,
                crypto.mask_id_number(a.applicant_id_number),
                a.bank_name,
                a.bank_account,
                float(p.amount),
                p.goods,
                f"{batch.programme.name}（批次 {batch.number}）",
            ]
        )
    sheet.append(
        ["合计", f"{len(payments)} 笔", "", "", "", "", float(total), "", f"控制总额 {yuan(total)} 元"]
    )
    with transaction.atomic():
        export_audit(
            actor=actor,
            action="aid.batch_export",
            orgs=[batch.org],
            obj=batch,
            detail={"rows": len(payments), "total": str(total)},
        )
    return book.to_bytes()


def batch_mark_paid(*, actor, batch: PaymentBatch, paid_on=None) -> PaymentBatch:
    require_act(actor, batch.org)
    paid_on = clean_date(paid_on, "paid_on", "发放日期") if paid_on else today()
    if paid_on > today():
        raise DomainError("发放日期不能晚于今天", code="paid_on_future", field="paid_on")
    with transaction.atomic():
        updated = PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.DRAFT).update(
            status=PaymentBatch.Status.PAID, paid_on=paid_on, paid_by=actor
        )
        if not updated:
            raise Conflict("该批次已标记发放", code="batch_paid")
        batch.refresh_from_db()
        batch.payments.update(paid=True)
        app_ids = list(batch.payments.values_list("application_id", flat=True))
        AidApplication.objects.filter(pk__in=app_ids).update(status=S.PAID)
        AidProgramme.objects.filter(pk=batch.programme_id).update(paid=F("paid") + batch.total)
        audit_record(
            actor=actor,
            action="aid.batch_paid",
            obj=batch,
            org=batch.org,
            detail={"count": batch.count, "total": str(batch.total), "paid_on": str(paid_on)},
        )
        for app in AidApplication.objects.filter(pk__in=app_ids).select_related("applicant"):
            _tell_worker(
                app, f"帮扶申请 {app.number} 已发放", f"{yuan(app.amount)} 元已于 {paid_on:%Y-%m-%d} 发放。"
            )
    return batch


def payment_sign(*, actor, payment: Payment) -> Payment:
    """Goods handed over: the worker signs for them on the phone."""
    if payment.application.applicant_id != getattr(actor, "pk", None):
        raise DomainError("只能签收本人的物资", code="not_yours", status=404)
    with transaction.atomic():
        updated = Payment.objects.filter(pk=payment.pk, signed_at__isnull=True).update(
            signed_at=timezone.now(), signed_name=crypto.mask_name(payment.application.applicant_name)
        )
        if not updated:
            raise Conflict("已签收", code="already_signed")
        payment.refresh_from_db()
        audit_record(actor=actor, action="aid.goods_signed", obj=payment, org=payment.batch.org)
    return payment


def payment_receipt_photo(*, actor, payment: Payment, photos) -> Payment:
    """Staff attach a photo of a paper receipt (for a recipient without a phone)."""
    require_act(actor, payment.batch.org)
    checked = check_documents({"receipt": list(photos or [])})
    if not checked:
        raise DomainError("请选择签收照片", code="photo_required", field="photo")
    with transaction.atomic():
        store_documents(checked, actor=actor, org_path=payment.batch.org_path, payment=payment)
        if payment.signed_at is None:
            Payment.objects.filter(pk=payment.pk).update(
                signed_at=timezone.now(), signed_name=crypto.mask_name(payment.application.applicant_name)
            )
        audit_record(actor=actor, action="aid.receipt_photo", obj=payment, org=payment.batch.org)
    payment.refresh_from_db()
    return payment


__all__ = ["batch_create", "batch_export", "batch_mark_paid", "payable_applications", "payment_sign"]
