"""The grab: eligibility, the one-statement sale, lottery entries, the Redis prewarm."""

from __future__ import annotations

import datetime as dt
import functools
from contextlib import nullcontext

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from gonghui.accounts import realname
from gonghui.core.audit import audit_event, audit_record
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.models import AuditEvent
from gonghui.core.rows import columns_sql, fields_of, from_row, insert_row
from gonghui.members.models import Member
from gonghui.members.services import member_lock

from .. import gate
from ..models import Campaign, Entry, Offer, Ticket, new_ticket_code
from .common import OCCUPATION_LABELS, GrabOutcome, GrabRefused, _countdown, _local


def real_name_refusal() -> str:
    """What a worker who is not yet certified must do, in the order that is quickest for them."""
    online = (
        "在「我的 → 实名认证」填写姓名和身份证号在线核验（约1分钟），或" if realname.get_verifier() else ""
    )
    return f"本活动仅限实名认证会员，您还未实名认证：请{online}带身份证到所属工会或附近驿站，请工作人员核验"


# Rules other apps plug in at start-up (honours: a campaign a union aimed at honour holders refuses others).
# Each is rule(campaign, member) -> reason | None, asked only for the campaigns it was applied to
# (campaign_rule_apply), once per sale.
_EXTRA_RULES: dict = {}


def eligibility_rule_register(name: str, rule) -> None:
    _EXTRA_RULES[name] = rule


@transaction.atomic
def campaign_rule_apply(*, campaign: Campaign, rule: str) -> None:
    """From now on the registered rule `rule` also decides who may take part in this campaign. The caller
    (the app that owns the rule) audits why."""
    if rule not in _EXTRA_RULES:
        raise ValueError(f"未注册的资格规则：{rule}")
    locked = Campaign.objects.select_for_update().only("extra_rules").get(pk=campaign.pk)
    if rule not in locked.extra_rules:
        locked.extra_rules = [*locked.extra_rules, rule]
        Campaign.objects.filter(pk=campaign.pk).update(extra_rules=locked.extra_rules)
    campaign.extra_rules = locked.extra_rules
    # The rush reads the campaign from the cached grab target: drop it so the rule applies at once.
    gate.forget_targets_after_commit(campaign.pk)


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
    for name in campaign.extra_rules:
        rule = _EXTRA_RULES.get(name)
        reason = rule(campaign, member) if rule is not None else None
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


@functools.cache
def _grab_member_shape(vendor: str):
    fields = fields_of(Member, _GRAB_MEMBER_FIELDS)
    qn = connection.ops.quote_name
    meta = Member._meta
    sql = (
        f"SELECT {columns_sql(fields, 'm')} FROM {qn(meta.db_table)} m "
        f"WHERE m.{qn(meta.get_field('user').column)} = %s"
    )
    return sql, fields


def _grab_member(user) -> Member | None:
    # Hand-written SQL (user is one-to-one): through the ORM, building this query cost more CPU than
    # running it, once per sale.
    sql, fields = _grab_member_shape(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        row = cursor.fetchone()
    return None if row is None else from_row(Member, fields, row)


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
    passed = gate.hit(actor.pk, ip, campaign_id, offer_id)
    if not passed.allowed:
        wait = passed.retry_after
        raise GrabRefused(
            f"操作太频繁，请 {wait} 秒后再试", code="rate_limited", status=429, retry_after=wait
        )
    if passed.known_sold_out:
        raise _refuse_sold_out()
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:64] or None
    offer = passed.target if passed.target is not None else _grab_target(campaign_id, offer_id)
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
    offer_campaign = qn(Offer._meta.get_field("campaign").column)
    ticket_id, object_id = qn(Ticket._meta.pk.column), qn(AuditEvent._meta.get_field("object_id").column)
    ticket_table = qn(Ticket._meta.db_table)
    if limit is None:
        held, under_limit, params = "", "", [offer.pk, campaign.pk]
    else:
        held = f"""held AS (
            SELECT count(*) AS n FROM {ticket_table}
            WHERE {col["campaign"]} = %s AND {col["member"]} = %s AND {col["status"]} <> %s
        ),"""
        under_limit = "AND (SELECT n FROM held) < %s"
        params = [campaign.pk, member.pk, Ticket.Status.CANCELLED, offer.pk, campaign.pk, limit]
    sql = f"""
        WITH {held} sold AS (
            UPDATE {qn(Offer._meta.db_table)} SET {remaining} = {remaining} - 1
            WHERE {offer_id} = %s AND {offer_campaign} = %s AND {remaining} > 0 {under_limit}
            RETURNING {offer_id}
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
    # campaign_id is redundant today; on a distributed database it routes the UPDATE to one node (docs/scale.md).
    sold = Offer.objects.filter(pk=offer.pk, campaign_id=offer.campaign_id, remaining__gt=0).update(
        remaining=F("remaining") - 1
    )
    if not sold:
        raise _SoldOut
    return ticket


def _existing_ticket(member: Member, offer: Offer, idempotency_key: str | None) -> GrabOutcome | None:
    ticket = Ticket.objects.filter(campaign_id=offer.campaign_id, member=member, offer=offer).first()
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
