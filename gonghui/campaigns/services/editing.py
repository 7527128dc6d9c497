"""Staff side: creating, editing and withdrawing a campaign and its offers; who may redeem."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.orgs.models import Org
from gonghui.orgs.scope import require_scope

from .. import gate, lottery
from ..models import Campaign, Offer
from .common import MANAGE_ROLES, MAX_CAPACITY, MAX_OFFERS, OCCUPATION_LABELS


def _offer_fields(raw: dict, index: int, kind: str) -> dict:
    where = f"offers.{index}"
    name = (raw.get("name") or "").strip()
    if not name:
        raise DomainError(f"第 {index + 1} 个名额缺少名称", code="required", field=f"{where}.name")
    try:
        capacity = int(raw.get("capacity"))
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            f"「{name}」的数量应为 1 至 {MAX_CAPACITY} 之间的整数",
            code="invalid_capacity",
            field=f"{where}.capacity",
        )
    valid_from, valid_until = raw.get("valid_from"), raw.get("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(
            f"「{name}」的有效期止不能早于有效期起", code="invalid_validity", field=f"{where}.valid_until"
        )
    if kind == Campaign.Kind.COUPON and not valid_until:
        raise DomainError(f"福利券「{name}」请填写有效期止", code="required", field=f"{where}.valid_until")
    face_value = raw.get("face_value")
    if face_value not in (None, ""):
        face_value = Decimal(str(face_value)).quantize(Decimal("0.01"))
        if face_value < 0:
            raise DomainError("面值不能为负数", code="invalid", field=f"{where}.face_value")
    else:
        face_value = None
    return {
        "name": name[:120],
        "capacity": capacity,
        "remaining": capacity,
        "face_value": face_value,
        "schedule": (raw.get("schedule") or "")[:120],
        "starts_at": raw.get("starts_at") or None,
        "valid_from": valid_from or None,
        "valid_until": valid_until or None,
        "location": (raw.get("location") or "")[:200],
        "position": index,
    }


def _campaign_fields(
    *,
    org: Org,
    title: str,
    kind: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    offers: list[dict],
    description: str = "",
    venue: str = "",
    mode: str = Campaign.Mode.FCFS,
    cancel_deadline: dt.datetime | None = None,
    real_name_required: bool = True,
    occupations: list[str] | None = None,
    new_form_only: bool = False,
    per_member_limit: int = 1,
    lottery_weight_losers: bool = False,
) -> tuple[dict, list[dict]]:
    """Validates what staff typed for a campaign (new or edited): the campaign's fields and its offer rows."""
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写活动名称", code="required", field="title")
    if kind not in Campaign.Kind.values:
        raise DomainError("类型应为 公益培训课程、活动 或 福利券", code="invalid_choice", field="kind")
    if mode not in Campaign.Mode.values:
        raise DomainError("分配方式应为 先到先得 或 抽签", code="invalid_choice", field="mode")
    if opens_at is None:
        raise DomainError("请填写开始时间", code="required", field="opens_at")
    if closes_at is None or closes_at <= opens_at:
        raise DomainError("截止时间应晚于开始时间", code="invalid_window", field="closes_at")
    if cancel_deadline is not None and cancel_deadline < opens_at:
        raise DomainError("退订截止时间不能早于开始时间", code="invalid_deadline", field="cancel_deadline")
    occupations = [o for o in (occupations or []) if o]
    unknown = [o for o in occupations if o not in OCCUPATION_LABELS]
    if unknown:
        raise DomainError(f"未知的职业：{unknown[0]}", code="invalid_choice", field="occupations")
    if not 1 <= int(per_member_limit or 0) <= 50:
        raise DomainError("每人限领应为 1 至 50", code="invalid", field="per_member_limit")
    if not offers:
        raise DomainError("请至少添加一个课程班次或券种", code="required", field="offers")
    if len(offers) > MAX_OFFERS:
        raise DomainError(f"一个活动最多 {MAX_OFFERS} 个名额类型", code="too_many", field="offers")
    offer_rows = [_offer_fields(raw, i, kind) for i, raw in enumerate(offers)]
    fields = {
        "org": org,
        "org_path": org.path,
        "title": title[:120],
        "kind": kind,
        "description": description or "",
        "venue": (venue or "")[:200],
        "mode": mode,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "cancel_deadline": cancel_deadline,
        "real_name_required": real_name_required,
        "occupations": occupations,
        "new_form_only": new_form_only,
        "per_member_limit": per_member_limit,
        "lottery_weight_losers": lottery_weight_losers and mode == Campaign.Mode.LOTTERY,
        "offer_count": len(offer_rows),
    }
    return fields, offer_rows


@transaction.atomic
def campaign_create(*, actor, org: Org, **data) -> Campaign:
    """Publishes a campaign with its offers. `data`: title, kind, opens_at, closes_at, offers and the
    optional fields of `_campaign_fields`."""
    require_scope(actor, org, MANAGE_ROLES)
    fields, offer_rows = _campaign_fields(org=org, **data)
    seed = secrets.token_hex(32)
    campaign = Campaign.objects.create(
        **fields, seed=seed, seed_commitment=lottery.commitment(seed), created_by=actor
    )
    Offer.objects.bulk_create([Offer(campaign=campaign, **row) for row in offer_rows])
    audit_record(
        actor=actor,
        action="campaign.create",
        obj=campaign,
        org=org,
        detail={
            "kind": fields["kind"],
            "mode": fields["mode"],
            "offers": len(offer_rows),
            "capacity": sum(r["capacity"] for r in offer_rows),
        },
    )
    return campaign


def campaign_editable(campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """A campaign can be edited until it opens (no one can hold a ticket yet) and unless withdrawn."""
    return campaign.phase(now) == "upcoming"


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, org: Org, **data) -> Campaign:
    """Edits a campaign before it opens: every field and the offer rows (replaced as a whole — nobody
    holds a ticket yet). The campaign row is locked, so an edit and the opening cannot interleave."""
    require_scope(actor, campaign.org, MANAGE_ROLES)
    require_scope(actor, org, MANAGE_ROLES)
    campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
    if not campaign_editable(campaign):
        state = "已撤回" if campaign.status == Campaign.Status.WITHDRAWN else "已开始"
        raise Conflict(f"活动{state}，不能再修改（开始前才能修改）", code="not_editable")
    if campaign.tickets.exists() or campaign.entries.exists():
        raise Conflict("已有会员领取或报名，不能修改", code="has_tickets")
    fields, offer_rows = _campaign_fields(org=org, **data)
    if fields["opens_at"] <= timezone.now():
        raise DomainError(
            "开始时间应晚于现在（要立即开始，请保存后等待开抢，或把开始时间设为几分钟后）",
            code="invalid_window",
            field="opens_at",
        )
    changed = sorted(k for k, v in fields.items() if k != "org" and getattr(campaign, k) != v)
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.save()
    old_offers = list(campaign.offers.values_list("pk", flat=True))
    campaign.offers.all().delete()
    Offer.objects.bulk_create([Offer(campaign=campaign, **row) for row in offer_rows])
    gate.forget_targets_after_commit(campaign.pk, old_offers)
    audit_record(
        actor=actor,
        action="campaign.update",
        obj=campaign,
        org=campaign.org,
        detail={"changed": changed, "offers": len(offer_rows)},
    )
    return campaign


@transaction.atomic
def campaign_withdraw(*, actor, campaign: Campaign) -> Campaign:
    require_scope(actor, campaign.org, MANAGE_ROLES)
    campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
    if campaign.status == Campaign.Status.WITHDRAWN:
        raise Conflict("活动已撤回", code="already_withdrawn")
    if campaign.tickets.exists() or campaign.entries.exists():
        raise Conflict("已有会员领取或报名，不能撤回；如需停止，请联系会员逐一退订", code="has_tickets")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.WITHDRAWN)
    campaign.status = Campaign.Status.WITHDRAWN
    gate.forget_targets_after_commit(campaign.pk)
    audit_record(actor=actor, action="campaign.withdraw", obj=campaign, org=campaign.org)
    return campaign


@transaction.atomic
def campaign_set_redeemers(*, actor, campaign: Campaign, users: list) -> None:
    require_scope(actor, campaign.org, MANAGE_ROLES)
    campaign.redeemers.set(users)
    audit_record(
        actor=actor, action="campaign.redeemers", obj=campaign, org=campaign.org, detail={"count": len(users)}
    )
