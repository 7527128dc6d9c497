"""社会捐赠: donors, amounts received, the programme they fund; a donor link shows where it went."""

from __future__ import annotations

import secrets

from django.db import transaction

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError
from gonghui.core.money import parse_amount

from ..models import AidProgramme, Donation
from .common import clean_date, clean_int, clean_text, require_act, today


def donation_record(
    *,
    actor,
    org,
    donor_kind: str,
    donor_name: str,
    amount,
    received_on,
    programme: AidProgramme | None = None,
    campaign: str = "",
    donors_count=1,
    note: str = "",
) -> Donation:
    require_act(actor, org)
    if donor_kind not in Donation.DonorKind.values:
        raise DomainError("请选择捐赠方类型（企业、个人或公益募捐）", code="donor_kind", field="donor_kind")
    donor_name = clean_text(donor_name, "donor_name", "捐赠方名称", min_len=2, max_len=120)
    amount = parse_amount(amount, "amount", required=True)
    if amount <= 0:
        raise DomainError("捐赠金额应大于 0 元", code="amount_range", field="amount")
    received_on = clean_date(received_on, "received_on", "到账日期")
    if received_on > today():
        raise DomainError("到账日期不能晚于今天", code="received_on_future", field="received_on")
    count = clean_int(donors_count or 1, "donors_count", "捐赠人次", low=1, high=10_000_000)
    if programme is not None and not programme.org_path.startswith(org.path):
        raise DomainError("所选项目不属于该工会", code="programme_invalid", field="programme")
    with transaction.atomic():
        donation = Donation.objects.create(
            org=org,
            org_path=org.path,
            programme=programme,
            donor_kind=donor_kind,
            donor_name=donor_name,
            campaign=(campaign or "").strip()[:80],
            donors_count=count,
            amount=amount,
            received_on=received_on,
            note=(note or "").strip()[:200],
            token=secrets.token_urlsafe(18)[:24],
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="aid.donation",
            obj=donation,
            org=org,
            detail={"amount": str(amount), "programme": programme.pk if programme else None},
        )
    return donation
