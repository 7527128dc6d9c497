"""Services for honour holders: a union aims a campaign (course, camp, coupon) at them — the campaign then
refuses anyone else through campaigns' eligibility hook — or gives them donated mutual-aid cover through
mutual_aid's public enrolment service. Only public services/selectors of those apps are called."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction

from gonghui.campaigns.selectors import campaign_managed_get
from gonghui.campaigns.services import campaign_rule_apply
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.mutual_aid.selectors import product_get
from gonghui.mutual_aid.services import enrolment_create
from gonghui.orgs.models import Org
from gonghui.orgs.scope import require_scope

from ..models import HonourService, Level
from ..selectors import holders_in_subtree

TARGET_CACHE_SECONDS = 300


def _target_key(campaign_id: int) -> str:
    return f"honours:campaign-target:{campaign_id}"


def _levels(levels) -> list[str]:
    chosen = [lv for lv in dict.fromkeys(levels or []) if lv]
    bad = [lv for lv in chosen if lv not in Level.values]
    if bad:
        raise DomainError("荣誉级别只能是全国、省级、市级、县级或企业", code="choice", field="levels")
    return chosen


def honour_campaign_target(*, actor, org: Org, campaign_id, levels=()) -> HonourService:
    """Restrict a campaign of the union's subtree to holders of an honour (of the given levels) recorded
    in that union's subtree; the holders are told in their inbox."""
    require_scope(actor, org)
    campaign = campaign_managed_get(
        actor=actor, campaign_id=int(campaign_id) if str(campaign_id).isdigit() else 0
    )
    if not campaign.org_path.startswith(org.path):
        raise DomainError("只能选择本工会及下级工会的活动", code="out_of_range", field="campaign_id")
    levels = _levels(levels)
    holders = holders_in_subtree(org=org, levels=levels)
    try:
        with transaction.atomic():
            row = HonourService.objects.create(
                org=org,
                org_path=org.path,
                kind=HonourService.Kind.CAMPAIGN,
                target_id=campaign.pk,
                target_label=campaign.title[:120],
                levels=levels,
                reached=len(holders),
                created_by=actor,
            )
            campaign_rule_apply(campaign=campaign, rule="honours")
            audit_record(
                actor=actor,
                action="honours.campaign_target",
                obj=row,
                org=org,
                detail={"holders": len(holders)},
            )
    except IntegrityError:
        raise Conflict("该活动已面向劳模工匠", code="already_targeted", field="campaign_id") from None
    # Forget a cached "not targeted" now and again once committed (a grab may have cached it in between).
    cache.delete(_target_key(campaign.pk))
    transaction.on_commit(lambda: cache.delete(_target_key(campaign.pk)))
    from gonghui.core.notifications import notify

    for member in holders:
        if member.user_id:
            transaction.on_commit(
                lambda m=member: notify(
                    user=m.user,
                    title=f"劳模工匠专享：{campaign.title}",
                    link=f"/campaigns/{campaign.pk}/",
                    kind="honours",
                )
            )
    return row


def campaign_refusal(campaign, member) -> str | None:
    """campaigns' eligibility rule "honours", asked only for campaigns aimed at honour holders: it refuses
    everyone else."""
    key = _target_key(campaign.pk)
    target = cache.get(key)
    if target is None:
        row = HonourService.objects.filter(kind=HonourService.Kind.CAMPAIGN, target_id=campaign.pk).first()
        target = {"path": row.org_path, "levels": row.levels} if row else {}
        cache.set(key, target, TARGET_CACHE_SECONDS)
    if not target:
        return None
    if member is None or not holders_in_subtree(path=target["path"], levels=target["levels"], member=member):
        return "本活动仅限获得劳模、工匠等荣誉的会员参加"
    return None


def honour_cover_donate(*, actor, org: Org, product_id, levels=(), donated_as: str = "model_worker"):
    """Donated mutual-aid cover for every honour holder of the union's subtree (mutual_aid decides who
    may be enrolled; those it skips are returned with the reason)."""
    require_scope(actor, org)
    product = product_get(actor=actor, product_id=product_id)
    if donated_as not in ("model_worker", "craftsman"):
        raise DomainError("赠送对象只能是劳动模范或工匠", code="donated_as", field="donated_as")
    levels = _levels(levels)
    holders = holders_in_subtree(org=org, levels=levels)
    if not holders:
        raise DomainError("本工会范围内还没有登记荣誉的会员", code="no_holders", field="levels")
    with transaction.atomic():
        created, problems = enrolment_create(
            actor=actor,
            product=product,
            member_ids=[m.pk for m in holders],
            paid_by="donated",
            donated_as=donated_as,
        )
        row, _ = HonourService.objects.update_or_create(
            kind=HonourService.Kind.COVER,
            target_id=product.pk,
            defaults={
                "org": org,
                "org_path": org.path,
                "target_label": str(product)[:120],
                "levels": levels,
                "reached": len(created),
                "created_by": actor,
            },
        )
        audit_record(
            actor=actor, action="honours.cover_donate", obj=row, org=org, detail={"enrolled": len(created)}
        )
    return row, created, problems
