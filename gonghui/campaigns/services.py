"""Writes for campaigns: create, grab, lottery entry and draw, waiting list, cancel, redeem.

The sale rule (DESIGN.md §4.4): a place is sold by `UPDATE offer SET remaining = remaining - 1 WHERE id = …
AND remaining > 0` and a ticket row under the unique (member, offer) constraint, in one short transaction
(on PostgreSQL a single statement, see _sell_in_one_statement). Nothing else — not the cache, not a count
read earlier — decides whether a member gets a place."""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from gonghui.accounts import realname
from gonghui.core.audit import audit_event, audit_record
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.glossary import OCCUPATIONS
from gonghui.core.models import AuditEvent
from gonghui.core.notifications import notify
from gonghui.core.rows import insert_row
from gonghui.members.models import Member
from gonghui.members.services import member_lock, member_took_part
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope

from . import gate, lottery
from .models import Campaign, Entry, Offer, Ticket, WaitlistEntry, new_ticket_code, normalize_code

MANAGE_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
REDEEM_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.STATION_KEEPER)
OCCUPATION_LABELS = dict(OCCUPATIONS)
MAX_OFFERS = 200
MAX_CAPACITY = 1_000_000


class GrabRefused(DomainError):
    """An honest "no" to a grab, with the details a page needs (e.g. the countdown)."""

    status = 409

    def __init__(self, message: str, *, code: str, status: int = 409, **extra):
        super().__init__(message, code=code, status=status)
        self.extra = extra

    def as_dict(self) -> dict:
        return {**super().as_dict(), **self.extra}


@dataclass
class GrabOutcome:
    result: str  # "won" | "already" | "entered" | "already_entered"
    message: str
    ticket: Ticket | None = None
    entry: Entry | None = None


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _countdown(seconds: int) -> str:
    days, rest = divmod(max(0, seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{minutes}分" if minutes else ""]
    return "".join(parts) + f"{secs}秒"


# --- creating ----------------------------------------------------------------------------


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


# --- eligibility -------------------------------------------------------------------------


def real_name_refusal() -> str:
    """What a worker who is not yet certified must do, in the order that is quickest for them."""
    online = (
        "在「我的 → 实名认证」填写姓名和身份证号在线核验（约1分钟），或" if realname.get_verifier() else ""
    )
    return f"本活动仅限实名认证会员，您还未实名认证：请{online}带身份证到所属工会或附近驿站，请工作人员核验"


# Rules other apps plug in at start-up (honours: a campaign a union aimed at honour holders refuses others).
# Each is rule(campaign, member) -> reason | None, and must stay cheap: the grab calls it once per sale.
_EXTRA_RULES: list = []


def eligibility_rule_register(rule) -> None:
    if rule not in _EXTRA_RULES:
        _EXTRA_RULES.append(rule)


def ineligibility(campaign: Campaign, member: Member | None, user) -> str | None:
    """The reason this member may not take part, in words a worker understands; None when eligible."""
    if member is None:
        return "仅限工会会员参加，请先申请入会"
    if member.status != Member.Status.ACTIVE:
        return f"会籍状态为「{member.get_status_display()}」，仅限在籍会员"
    if not member.org_path.startswith(campaign.org_path):
        return f"仅限{campaign.org.display_name}及下属工会的会员"
    if campaign.real_name_required and not getattr(user, "real_name_verified", False):
        return real_name_refusal()
    if campaign.new_form_only and member.employment_form != Member.EmploymentForm.NEW:
        return "仅限新就业形态劳动者"
    if campaign.occupations and member.occupation not in campaign.occupations:
        allowed = "、".join(OCCUPATION_LABELS.get(o, o) for o in campaign.occupations)
        return f"仅限以下职业：{allowed}"
    for rule in _EXTRA_RULES:
        reason = rule(campaign, member)
        if reason:
            return reason
    return None


def member_of(user) -> Member | None:
    if user is None or not user.is_authenticated:
        return None
    # The encrypted columns are not needed to decide eligibility; skip decrypting them.
    return Member.objects.filter(user=user).defer("id_number", "phone").first()


# What eligibility, the ticket and the lottery entry read of the member. In a rush this query runs once per
# sale, and fetching (and building) a member row of ~40 columns cost more than the sale's INSERTs.
_GRAB_MEMBER_FIELDS = ("id", "user_id", "org_id", "org_path", "status", "employment_form", "occupation")


def _grab_member(user) -> Member | None:
    return Member.objects.filter(user=user).only(*_GRAB_MEMBER_FIELDS).first()


# --- grabbing ----------------------------------------------------------------------------


class _SoldOut(Exception):
    pass


class _LimitReached(Exception):
    pass


def _refuse_sold_out() -> GrabRefused:
    return GrabRefused("已抢完，可加入候补，有人退订时按顺序递补", code="sold_out")


def _check_window(campaign: Campaign, now: dt.datetime) -> None:
    phase = campaign.phase(now)
    if phase == "upcoming":
        seconds = int((campaign.opens_at - now).total_seconds()) + 1
        raise GrabRefused(
            f"未开始，{_local(campaign.opens_at)} 开抢，还有 {_countdown(seconds)}",
            code="not_open",
            opens_at=campaign.opens_at.isoformat(),
            seconds_left=seconds,
        )
    if phase == "closed":
        raise GrabRefused(f"已结束（截止于 {_local(campaign.closes_at)}）", code="closed")
    if phase == "withdrawn":
        raise NotFound()


# The offer, its campaign and its union barely change while thousands of members grab it each second, so
# a rush reads them from the shared cache instead of a three-table query per request. `remaining` is not
# in the cached copy (reading it loads it from the database): no decision can rest on a stale count.
# Saves and deletes drop the entry (signals.py); what slips past them, such as a union renamed, shows
# within the TTL.
GRAB_TARGET_TTL = 60


def _grab_target(campaign_id: int, offer_id: int) -> Offer:
    key = gate.target_key(campaign_id, offer_id)
    offer = cache.get(key)
    if offer is not None:
        return offer
    offer = (
        Offer.objects.select_related("campaign__org")
        .defer("remaining", "campaign__seed", "campaign__description")
        .filter(pk=offer_id, campaign_id=campaign_id)
        .exclude(campaign__status=Campaign.Status.WITHDRAWN)
        .first()
    )
    if offer is None:
        raise NotFound("未找到该活动或名额")
    cache.set(key, offer, GRAB_TARGET_TTL)
    return offer


def offer_grab(
    *, actor, campaign_id: int, offer_id: int, idempotency_key: str | None = None, ip: str | None = None
) -> GrabOutcome:
    """One tap on 抢. Repeats (double tap, network retry, same idempotency key) return the same ticket."""
    allowed, retry_after, known_sold_out = gate.hit(actor.pk, ip, campaign_id, offer_id)
    if not allowed:
        raise GrabRefused(
            f"操作太频繁，请 {retry_after} 秒后再试", code="rate_limited", status=429, retry_after=retry_after
        )
    if known_sold_out:
        raise _refuse_sold_out()
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:64] or None
    offer = _grab_target(campaign_id, offer_id)
    campaign = offer.campaign
    now = timezone.now()
    _check_window(campaign, now)
    member = _grab_member(actor) if actor.is_authenticated else None
    reason = ineligibility(campaign, member, actor)
    if reason:
        raise GrabRefused(f"不符合条件：{reason}", code="not_eligible", status=403)
    if campaign.is_lottery:
        return _enter(campaign=campaign, offer=offer, member=member, actor=actor)

    # A per-member limit across several offers needs this member's own grabs serialised. A repeat is told
    # apart by the unique constraint on the ticket INSERT (nothing is sold) or, once the limit is reached,
    # by the lookup below: first taps, nearly every request in a rush, skip a lookup.
    limit = campaign.per_member_limit if campaign.per_member_limit < campaign.offer_count else None
    sell = _sell_in_one_statement if connection.vendor == "postgresql" else _sell
    for attempt in range(3):
        try:
            ticket = sell(actor, member, offer, idempotency_key, now, limit=limit)
        except (_SoldOut, _LimitReached) as refusal:
            if isinstance(refusal, _SoldOut):
                gate.mark_sold_out(campaign.pk, offer.pk)
            # Either refusal comes before the INSERT could meet a repeat's unique constraint: a holder
            # tapping again must still hear 你已领取.
            existing = _existing_ticket(member, offer, idempotency_key)
            if existing is not None:
                return existing
            if isinstance(refusal, _SoldOut):
                raise _refuse_sold_out() from None
            raise GrabRefused(
                f"本活动每人限领 {campaign.per_member_limit} 个，你已达上限", code="limit_reached", status=409
            ) from None
        except IntegrityError:
            # A concurrent repeat of this request won the unique constraint; our decrement rolled back.
            existing = _existing_ticket(member, offer, idempotency_key)
            if existing is not None:
                return existing
            if attempt == 2:
                raise
            continue  # no repeat: the random ticket code was already taken, so draw another
        ticket.offer, ticket.campaign = offer, campaign
        return GrabOutcome("won", "抢到了", ticket=ticket)


def _lock_member(member: Member) -> None:
    # Serialise this member's own grabs in a limited campaign; other members never wait on it. The count of
    # held tickets must be a later statement than this lock, so that it sees what a grab it waited for sold.
    member_lock(member_id=member.pk)


def _sell_in_one_statement(
    actor, member: Member, offer: Offer, idempotency_key, now, *, limit=None
) -> Ticket:
    """PostgreSQL: the same sale as _sell — limit check, decrement, ticket, audit row — as one statement, so
    one round trip instead of five or more, and the offer row's lock is held only while the server runs
    it, never while a busy app server gets round to sending the next statement or COMMIT. Without a limit
    the statement is its own transaction (a savepoint inside a caller's, so a refused INSERT leaves that
    intact); with one it follows the member lock in a short transaction."""
    if limit is None:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            return _sale_statement(actor, member, offer, idempotency_key, now, limit=None)
    with transaction.atomic():
        _lock_member(member)
        return _sale_statement(actor, member, offer, idempotency_key, now, limit=limit)


def _new_ticket(member: Member, offer: Offer, idempotency_key: str | None, now) -> Ticket:
    return Ticket(
        offer=offer,
        campaign=offer.campaign,
        member=member,
        code=new_ticket_code(),
        idempotency_key=idempotency_key,
        created_at=now,
    )


def _grab_event(actor, ticket: Ticket):
    campaign = ticket.campaign
    return audit_event(
        actor=actor,
        action="ticket.grab",
        obj=ticket,
        org=campaign.org,
        detail={"campaign": campaign.pk, "offer": ticket.offer_id},
    )


def _sale_statement(actor, member: Member, offer: Offer, idempotency_key, now, *, limit) -> Ticket:
    campaign = offer.campaign
    ticket = _new_ticket(member, offer, idempotency_key, now)
    event = _grab_event(actor, ticket)  # its object_id is the new ticket's id, filled in by the statement
    t_columns, t_values, t_params = insert_row(ticket)
    a_columns, a_values, a_params = insert_row(event, exclude=("object_id",))
    qn = connection.ops.quote_name
    col = {f: qn(Ticket._meta.get_field(f).column) for f in ("campaign", "member", "status")}
    remaining, offer_id = qn(Offer._meta.get_field("remaining").column), qn(Offer._meta.pk.column)
    ticket_id, object_id = qn(Ticket._meta.pk.column), qn(AuditEvent._meta.get_field("object_id").column)
    ticket_table = qn(Ticket._meta.db_table)
    if limit is None:
        held, under_limit, params = "", "", [offer.pk]
    else:
        held = f"""held AS (
            SELECT count(*) AS n FROM {ticket_table}
            WHERE {col["campaign"]} = %s AND {col["member"]} = %s AND {col["status"]} <> %s
        ),"""
        under_limit = "AND (SELECT n FROM held) < %s"
        params = [campaign.pk, member.pk, Ticket.Status.CANCELLED, offer.pk, limit]
    sql = f"""
        WITH {held} sold AS (
            UPDATE {qn(Offer._meta.db_table)} SET {remaining} = {remaining} - 1
            WHERE {offer_id} = %s AND {remaining} > 0 {under_limit} RETURNING {offer_id}
        ), ticket AS (
            INSERT INTO {ticket_table} ({", ".join(t_columns)})
            SELECT {", ".join(t_values)} FROM sold RETURNING {ticket_id}
        ), audit AS (
            INSERT INTO {qn(AuditEvent._meta.db_table)} ({", ".join(a_columns)}, {object_id})
            SELECT {", ".join(a_values)}, ticket.{ticket_id}::text FROM ticket
            RETURNING {object_id}
        )
        SELECT (SELECT {object_id} FROM audit), {"(SELECT n FROM held)" if limit else "0"}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *t_params, *a_params])
        sold_ticket, held_before = cursor.fetchone()
    if sold_ticket is None:
        raise _LimitReached if limit is not None and held_before >= limit else _SoldOut
    ticket.pk = int(sold_ticket)
    ticket._state.adding, ticket._state.db = False, connection.alias
    transaction.on_commit(lambda: gate.mark_held(offer.pk, actor.pk))
    return ticket


@transaction.atomic
def _sell(actor, member: Member, offer: Offer, idempotency_key: str | None, now, *, limit=None) -> Ticket:
    campaign = offer.campaign
    if limit is not None:
        _lock_member(member)
        held = Ticket.objects.filter(campaign=campaign, member=member).exclude(status=Ticket.Status.CANCELLED)
        if held.count() >= limit:
            raise _LimitReached
    ticket = _new_ticket(member, offer, idempotency_key, now)
    ticket.save(force_insert=True)
    _grab_event(actor, ticket).save(force_insert=True)
    # The decrement comes last: every sale queues on this one row's lock, so it is held only from here to
    # COMMIT. If nothing is left, raising rolls back the ticket and the audit row above.
    sold = Offer.objects.filter(pk=offer.pk, remaining__gt=0).update(remaining=F("remaining") - 1)
    if not sold:
        raise _SoldOut
    transaction.on_commit(lambda: gate.mark_held(offer.pk, actor.pk))
    return ticket


def _existing_ticket(member: Member, offer: Offer, idempotency_key: str | None) -> GrabOutcome | None:
    ticket = Ticket.objects.filter(member=member, offer=offer).first()
    if ticket is not None:
        ticket.offer, ticket.campaign = offer, offer.campaign
        if ticket.status == Ticket.Status.CANCELLED:
            raise GrabRefused("你已退订过该名额，不能再次领取", code="cancelled_before")
        return GrabOutcome("already", "你已领取", ticket=ticket)
    if idempotency_key:
        other = Ticket.objects.filter(member=member, idempotency_key=idempotency_key).first()
        if other is not None and other.offer_id == offer.pk:
            # Committed by a concurrent repeat between the two lookups: it is this request's ticket.
            other.offer, other.campaign = offer, offer.campaign
            return GrabOutcome("already", "你已领取", ticket=other)
        if other is not None:
            raise DomainError(
                "该幂等键已用于另一个名额，请为新的请求生成新的 Idempotency-Key",
                code="idempotency_key_reused",
                field="Idempotency-Key",
                status=422,
            )
    return None


def _loser_weight(campaign: Campaign, member: Member) -> int:
    """Documented weighting: 2 if the member lost an earlier draw of this union's campaigns and has not
    won one since, else 1."""
    if not campaign.lottery_weight_losers:
        return 1
    last = (
        Entry.objects.filter(member=member, campaign__org=campaign.org)
        .exclude(campaign=campaign)
        .exclude(result=Entry.Result.PENDING)
        .order_by("-campaign__drawn_at", "-id")
        .first()
    )
    return 2 if last is not None and last.result == Entry.Result.LOST else 1


def _enter(*, campaign: Campaign, offer: Offer, member: Member, actor) -> GrabOutcome:
    existing = Entry.objects.filter(member=member, offer=offer).first()
    if existing is not None:
        return GrabOutcome("already_entered", "你已报名，等待抽签", entry=existing)
    try:
        with transaction.atomic():
            if campaign.per_member_limit < campaign.offer_count:
                member_lock(member_id=member.pk)
                if (
                    Entry.objects.filter(campaign=campaign, member=member).count()
                    >= campaign.per_member_limit
                ):
                    raise GrabRefused(
                        f"本活动每人限报 {campaign.per_member_limit} 项，你已达上限", code="limit_reached"
                    )
            entry = Entry.objects.create(
                offer=offer, campaign=campaign, member=member, weight=_loser_weight(campaign, member)
            )
            audit_record(
                actor=actor,
                action="lottery.enter",
                obj=entry,
                org=campaign.org,
                detail={"campaign": campaign.pk, "offer": offer.pk},
            )
    except IntegrityError:
        entry = Entry.objects.get(member=member, offer=offer)
        return GrabOutcome("already_entered", "你已报名，等待抽签", entry=entry)
    return GrabOutcome("entered", f"报名成功，{_local(campaign.closes_at)} 截止后公开抽签", entry=entry)


# --- before the rush ----------------------------------------------------------------------

# How long before opening `manage.py campaigns_prewarm` (run every minute) gets a campaign ready.
PREWARM_MINUTES = 5
_PREWARM_BATCH = 5_000


def campaign_prewarm(*, campaign: Campaign) -> int:
    """Put the campaign's offers and every valid sign-in token of its eligible members in the cache, so the
    first second of the rush reads Redis instead of asking the database thousands of times for the same
    answers. Returns how many tokens were warmed. Nothing here decides a sale."""
    from gonghui.accounts.models import ApiToken
    from gonghui.accounts.services import api_tokens_warm
    from gonghui.orgs.scope import path_q

    for offer_id in campaign.offers.values_list("pk", flat=True):
        _grab_target(campaign.pk, offer_id)
    members = Q(user__member__status=Member.Status.ACTIVE) & path_q(
        [campaign.org_path], "user__member__org_path"
    )
    if campaign.real_name_required:
        members &= Q(user__real_name_verified=True)
    if campaign.new_form_only:
        members &= Q(user__member__employment_form=Member.EmploymentForm.NEW)
    if campaign.occupations:
        members &= Q(user__member__occupation__in=campaign.occupations)
    ids = list(
        ApiToken.objects.filter(members, expires_at__gt=timezone.now(), user__is_active=True).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(ids), _PREWARM_BATCH):
        api_tokens_warm(ApiToken.objects.filter(pk__in=ids[start : start + _PREWARM_BATCH]))
    return len(ids)


def campaigns_prewarm_due(*, now=None) -> list[tuple[Campaign, int]]:
    """Campaigns opening within PREWARM_MINUTES, each warmed once (a cache flag remembers it)."""
    now = now or timezone.now()
    due = Campaign.objects.filter(
        opens_at__gt=now, opens_at__lte=now + dt.timedelta(minutes=PREWARM_MINUTES)
    ).exclude(status=Campaign.Status.WITHDRAWN)
    done = []
    for campaign in due:
        if cache.add(gate.prewarmed_key(campaign.pk), 1, timeout=PREWARM_MINUTES * 60 * 2):
            done.append((campaign, campaign_prewarm(campaign=campaign)))
    return done


# --- waiting list, cancel ------------------------------------------------------------------


@transaction.atomic
def waitlist_join(*, actor, campaign_id: int, offer_id: int) -> WaitlistEntry:
    offer = _grab_target(campaign_id, offer_id)
    campaign = offer.campaign
    member = member_of(actor)
    reason = ineligibility(campaign, member, actor)
    if reason:
        raise GrabRefused(f"不符合条件：{reason}", code="not_eligible", status=403)
    if Ticket.objects.filter(member=member, offer=offer).exists():
        raise Conflict("你已领取过该名额，无需候补", code="already_has_ticket")
    if campaign.is_lottery and not campaign.drawn_at:
        raise Conflict("抽签活动请先报名，未中签者按抽签顺序自动进入候补", code="lottery_pending")
    if offer.remaining > 0:
        raise Conflict("还有名额，请直接领取", code="not_sold_out")
    existing = WaitlistEntry.objects.filter(member=member, offer=offer).first()
    if existing is not None:
        return existing
    last = WaitlistEntry.objects.filter(offer=offer).order_by("-rank").values_list("rank", flat=True).first()
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(offer=offer, member=member, rank=(last or 0) + 1)
    except IntegrityError:
        return WaitlistEntry.objects.get(member=member, offer=offer)
    audit_record(
        actor=actor,
        action="waitlist.join",
        obj=entry,
        org=campaign.org,
        detail={"campaign": campaign.pk, "offer": offer.pk},
    )
    return entry


def waitlist_position(entry: WaitlistEntry) -> int:
    return (
        WaitlistEntry.objects.filter(
            offer_id=entry.offer_id, status=WaitlistEntry.Status.WAITING, rank__lt=entry.rank
        ).count()
        + 1
    )


def cancel_deadline(ticket: Ticket) -> dt.datetime | None:
    campaign, offer = ticket.campaign, ticket.offer
    if campaign.cancel_deadline:
        return campaign.cancel_deadline
    if offer.starts_at:
        return offer.starts_at
    if offer.valid_until:
        return timezone.make_aware(dt.datetime.combine(offer.valid_until, dt.time.max))
    return None


@transaction.atomic
def ticket_cancel(*, actor, ticket_id: int) -> Ticket:
    member = member_of(actor)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("offer", "campaign__org")
        .filter(pk=ticket_id, member=member)
        .first()
        if member
        else None
    )
    if ticket is None:
        raise NotFound("未找到该券")
    if ticket.status != Ticket.Status.ACTIVE:
        raise Conflict(f"该券{ticket.get_status_display()}，不能退订", code="not_active")
    deadline = cancel_deadline(ticket)
    now = timezone.now()
    if deadline and now > deadline:
        raise Conflict(f"已过退订截止时间（{_local(deadline)}）", code="past_deadline")
    ticket.status, ticket.cancelled_at = Ticket.Status.CANCELLED, now
    ticket.save(update_fields=["status", "cancelled_at"])
    offer, campaign = ticket.offer, ticket.campaign
    promoted = _promote_from_waitlist(offer, campaign, now)
    if promoted is None:
        Offer.objects.filter(pk=offer.pk).update(remaining=F("remaining") + 1)
        transaction.on_commit(lambda: gate.clear_sold_out(campaign.pk, offer.pk))
    transaction.on_commit(lambda: gate.clear_held(offer.pk, actor.pk))
    audit_record(
        actor=actor,
        action="ticket.cancel",
        obj=ticket,
        org=campaign.org,
        detail={"campaign": campaign.pk, "offer": offer.pk, "passed_to_waitlist": promoted is not None},
    )
    return ticket


def _promote_from_waitlist(offer: Offer, campaign: Campaign, now) -> Ticket | None:
    """The place passes to the first waiting member who is still eligible; the offer row is unchanged."""
    waiting = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("member__user")
        .filter(offer=offer, status=WaitlistEntry.Status.WAITING)
        .order_by("rank", "id")
    )
    for entry in waiting[:50]:
        member = entry.member
        if (
            ineligibility(campaign, member, member.user)
            or Ticket.objects.filter(member=member, offer=offer).exists()
        ):
            entry.status = WaitlistEntry.Status.LEFT
            entry.save(update_fields=["status"])
            continue
        ticket = Ticket.objects.create(
            offer=offer,
            campaign=campaign,
            member=member,
            code=new_ticket_code(),
            source=Ticket.Source.WAITLIST,
            created_at=now,
        )
        entry.status = WaitlistEntry.Status.PROMOTED
        entry.save(update_fields=["status"])
        if member.user_id:
            notify(
                user=member.user,
                title=f"候补成功：{campaign.title}·{offer.name}",
                body=f"有会员退订，名额已递补给你。券码 {ticket.code}，请在「我的券」中查看。",
                link="/campaigns/tickets/",
                kind="campaign",
                sms=True,
            )
        return ticket
    return None


# --- lottery draw ----------------------------------------------------------------------------


@transaction.atomic
def campaign_draw(*, actor, campaign: Campaign) -> Campaign:
    require_scope(actor, campaign.org, MANAGE_ROLES)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)
    if not campaign.is_lottery:
        raise Conflict("先到先得的活动无需抽签", code="not_lottery")
    if campaign.drawn_at:
        raise Conflict(f"已于 {_local(campaign.drawn_at)} 抽签，不能重复抽签", code="already_drawn")
    now = timezone.now()
    if now < campaign.closes_at:
        raise Conflict(f"报名截止（{_local(campaign.closes_at)}）后才能抽签", code="window_open")
    for offer in campaign.offers.all():
        entries = {e.pk: e for e in Entry.objects.filter(offer=offer).select_related("member__user")}
        winners, waiting = lottery.draw(
            campaign.seed, offer.pk, [(e.pk, e.weight) for e in entries.values()], offer.capacity
        )
        tickets = []
        for rank, entry_id in enumerate(winners + waiting, start=1):
            entry = entries[entry_id]
            entry.draw_rank = rank
            entry.result = Entry.Result.WON if rank <= len(winners) else Entry.Result.LOST
            if entry.result == Entry.Result.WON:
                tickets.append(
                    Ticket(
                        offer=offer,
                        campaign=campaign,
                        member=entry.member,
                        code=new_ticket_code(),
                        source=Ticket.Source.LOTTERY,
                        created_at=now,
                    )
                )
        Entry.objects.bulk_update(entries.values(), ["draw_rank", "result"], batch_size=1000)
        Ticket.objects.bulk_create(tickets, batch_size=1000)
        WaitlistEntry.objects.bulk_create(
            [
                WaitlistEntry(offer=offer, member=entries[eid].member, rank=i)
                for i, eid in enumerate(waiting, 1)
            ],
            batch_size=1000,
        )
        Offer.objects.filter(pk=offer.pk).update(remaining=offer.capacity - len(winners))
        for entry in entries.values():
            if entry.member.user_id:
                won = entry.result == Entry.Result.WON
                notify(
                    user=entry.member.user,
                    kind="campaign",
                    link=f"/campaigns/{campaign.pk}/draw/",
                    title=f"{'中签' if won else '未中签'}：{campaign.title}·{offer.name}",
                    body="恭喜中签，券码已放入「我的券」。"
                    if won
                    else f"本次未中签，你在候补第 {entry.draw_rank - len(winners)} 位，有人退订时按顺序递补。",
                )
    campaign.drawn_at, campaign.status = now, Campaign.Status.DRAWN
    campaign.save(update_fields=["drawn_at", "status"])
    audit_record(
        actor=actor,
        action="lottery.draw",
        obj=campaign,
        org=campaign.org,
        detail={"entries": Entry.objects.filter(campaign=campaign).count()},
    )
    return campaign


# --- redemption ---------------------------------------------------------------------------------


def redeemable_offer_get(*, actor, offer_id) -> Offer:
    """A session (offer) the actor may check tickets in for."""
    offer = (
        Offer.objects.select_related("campaign__org").filter(pk=offer_id).first()
        if str(offer_id).isdigit()
        else None
    )
    if offer is None or not may_redeem(actor, offer.campaign):
        raise NotFound("未找到该活动场次，或您无权核销", code="not_found", field="offer")
    return offer


def may_redeem(user, campaign: Campaign) -> bool:
    from gonghui.orgs.scope import in_scope

    return in_scope(user, campaign.org, REDEEM_ROLES) or campaign.redeemers.filter(pk=user.pk).exists()


def ticket_for_redeem(*, actor, code: str) -> Ticket:
    """The ticket behind a scanned or typed code, if the actor may redeem it (else 未找到)."""
    code = normalize_code(code)
    if not code:
        raise DomainError("请扫描二维码或输入券码", code="required", field="code")
    ticket = Ticket.objects.select_related("offer", "campaign__org", "member").filter(code=code).first()
    if ticket is None or not may_redeem(actor, ticket.campaign):
        raise NotFound("未找到该券码，请核对后重试", code="not_found")
    return ticket


def redeem_warnings(*, ticket: Ticket, expected_offer: Offer | None, today: dt.date) -> list[str]:
    """What the person at the door should know before confirming: the ticket is for another
    activity or session than the one being checked in, or its session is on another day."""
    warnings = []
    if expected_offer is not None:
        if ticket.campaign_id != expected_offer.campaign_id:
            warnings.append(
                f"这张券属于「{ticket.campaign.title}」，不是正在核销的「{expected_offer.campaign.title}」"
            )
        elif ticket.offer_id != expected_offer.pk:
            warnings.append(f"这张券是「{ticket.offer.name}」，不是正在核销的场次「{expected_offer.name}」")
    starts = ticket.offer.starts_at
    if starts is not None:
        day = timezone.localtime(starts).date()
        if day != today:
            when = "已经过去" if day < today else "还没到"
            warnings.append(f"这张券的场次在 {day:%Y-%m-%d}（{when}），不是今天 {today:%Y-%m-%d}")
    return warnings


@transaction.atomic
def ticket_redeem(
    *, actor, code: str, place: str = "", expected_offer_id: int | None = None, acknowledged: bool = False
) -> Ticket:
    """核销: valid once. A second scan is told when and where the first one happened.

    With `expected_offer_id` (the session being checked in at the door), a ticket for another
    activity or session, or for another day, is refused with code `redeem_check` and the reasons,
    unless the staffer confirmed it anyway (`acknowledged`)."""
    ticket = ticket_for_redeem(actor=actor, code=code)
    if expected_offer_id is not None and not acknowledged:
        expected = redeemable_offer_get(actor=actor, offer_id=expected_offer_id)
        warnings = redeem_warnings(ticket=ticket, expected_offer=expected, today=timezone.localdate())
        if warnings and ticket.status == Ticket.Status.ACTIVE:
            raise Conflict("；".join(warnings) + "。确认无误后再核销", code="redeem_check", field="code")
    place = (place or ticket.offer.location or ticket.campaign.venue or ticket.campaign.org.display_name)[
        :200
    ]
    if ticket.status == Ticket.Status.CANCELLED:
        raise Conflict(f"该券已退订（{_local(ticket.cancelled_at)}），不能使用", code="cancelled")
    today = timezone.localdate()
    if ticket.status == Ticket.Status.ACTIVE:
        if ticket.offer.valid_until and today > ticket.offer.valid_until:
            raise Conflict(f"该券已过期（有效期至 {ticket.offer.valid_until:%Y-%m-%d}）", code="expired")
        if ticket.offer.valid_from and today < ticket.offer.valid_from:
            raise Conflict(f"该券 {ticket.offer.valid_from:%Y-%m-%d} 起才能使用", code="not_yet_valid")
    now = timezone.now()
    done = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.ACTIVE).update(
        status=Ticket.Status.REDEEMED, redeemed_at=now, redeemed_by=actor, redeemed_place=place
    )
    if not done:
        ticket.refresh_from_db()
        raise Conflict(
            f"该券已于 {_local(ticket.redeemed_at)} 在「{ticket.redeemed_place}」核销，不能重复使用",
            code="already_redeemed",
        )
    ticket.status, ticket.redeemed_at, ticket.redeemed_by, ticket.redeemed_place = (
        Ticket.Status.REDEEMED,
        now,
        actor,
        place,
    )
    # Attending the course or event, or using the coupon, is taking part in union activity.
    member_took_part(ticket.member_id, today)
    audit_record(
        actor=actor,
        action="ticket.redeem",
        obj=ticket,
        org=ticket.campaign.org,
        detail={"campaign": ticket.campaign_id, "offer": ticket.offer_id},
    )
    return ticket
