"""Campaigns (公益培训课程 / 活动 / 福利券), their offers (a class or a coupon type with a quota) and tickets.

The number of places left lives in Offer.remaining and is only ever changed by a conditional UPDATE
(see services.offer_grab); the unique (member, offer) constraint on Ticket stops a second ticket."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# No 0/O/1/I/L: the code is read aloud and typed at the counter when the QR will not scan.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_ticket_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


class Campaign(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", "公益培训课程"
        EVENT = "event", "活动"
        COUPON = "coupon", "福利券"

    class Mode(models.TextChoices):
        FCFS = "fcfs", "先到先得"
        LOTTERY = "lottery", "抽签"

    class Status(models.TextChoices):
        PUBLISHED = "published", "已发布"
        DRAWN = "drawn", "已抽签"
        WITHDRAWN = "withdrawn", "已撤回"

    org = models.ForeignKey(
        "orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="campaigns"
    )
    # Copied from org.path: eligibility and staff lists are one index range.
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    description = models.TextField("简介", blank=True)
    venue = models.CharField("地点或合作商户", max_length=200, blank=True)
    mode = models.CharField("分配方式", max_length=16, choices=Mode.choices, default=Mode.FCFS)
    opens_at = models.DateTimeField("开抢/报名开始时间")
    closes_at = models.DateTimeField("报名截止时间")
    cancel_deadline = models.DateTimeField("退订截止时间", null=True, blank=True)
    real_name_required = models.BooleanField("仅限实名认证会员", default=True)
    occupations = models.JSONField("限定职业", default=list, blank=True)
    new_form_only = models.BooleanField("仅限新就业形态劳动者", default=False)
    per_member_limit = models.PositiveSmallIntegerField("每人限领（本活动内）", default=1)
    # Names of the eligibility rules other apps registered that apply to this campaign (honours: only
    # honour holders). Kept on the row so a grab of an ordinary campaign asks no other app anything.
    extra_rules = models.JSONField("附加资格规则", default=list, blank=True, editable=False)
    # Offers are fixed at creation; kept here so the grab need not count them.
    offer_count = models.PositiveSmallIntegerField(default=1, editable=False)
    lottery_weight_losers = models.BooleanField("上次未中签者加权（两倍权重）", default=False)
    # Lottery fairness: the SHA-256 of the seed is public from creation; the seed only after the draw.
    seed = models.CharField(max_length=64, editable=False)
    seed_commitment = models.CharField("随机种子承诺值(SHA-256)", max_length=64, editable=False)
    drawn_at = models.DateTimeField("抽签时间", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    redeemers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="核销商户账号", blank=True, related_name="redeemable_campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["org_path", "-opens_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_window_order"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_lottery(self) -> bool:
        return self.mode == self.Mode.LOTTERY

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.status == self.Status.WITHDRAWN:
            return "withdrawn"
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    @property
    def phase_label(self) -> str:
        labels = {"withdrawn": "已撤回", "upcoming": "未开始", "open": "进行中", "closed": "已结束"}
        if self.is_lottery and self.drawn_at:
            return "已开奖"
        return labels[self.phase()]


class Offer(models.Model):
    """A course class or a coupon type: what a ticket is for, and how many there are."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="offers")
    name = models.CharField("名称", max_length=120)
    capacity = models.PositiveIntegerField("名额/数量")
    remaining = models.PositiveIntegerField("剩余", editable=False)
    face_value = models.DecimalField("面值（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    schedule = models.CharField("上课/活动时间", max_length=120, blank=True)
    starts_at = models.DateTimeField("开始时间", null=True, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期止", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "名额"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__lte=models.F("capacity")), name="offer_remaining_le_capacity"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def issued(self) -> int:
        return self.capacity - self.remaining


class Ticket(models.Model):
    """One member's place or coupon. Never deleted: a cancelled ticket keeps its row (and its unique slot)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "待使用"
        REDEEMED = "redeemed", "已核销"
        CANCELLED = "cancelled", "已退订"

    class Source(models.TextChoices):
        GRAB = "grab", "抢到"
        LOTTERY = "lottery", "中签"
        WAITLIST = "waitlist", "候补递补"

    # Every index is written by every sale of a rush: campaign and member are led by the composite index
    # and the unique constraints below, and the code needs no LIKE index (the unique=True kind adds one).
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="tickets")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tickets", db_index=False)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    code = models.CharField("券码", max_length=16)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.GRAB)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    redeemed_at = models.DateTimeField("核销时间", null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redeemed_place = models.CharField("核销地点", max_length=200, blank=True)
    cancelled_at = models.DateTimeField("退订时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "券/席位"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="ticket_code_unique"),
            models.UniqueConstraint(fields=["member", "offer"], name="ticket_one_per_member_offer"),
            models.UniqueConstraint(
                fields=["member", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ticket_member_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return self.code


class Entry(models.Model):
    """A lottery registration. Its id fixes the public entrant order the draw starts from."""

    class Result(models.TextChoices):
        PENDING = "pending", "待开奖"
        WON = "won", "中签"
        LOST = "lost", "未中签"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="entries")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="lottery_entries")
    weight = models.PositiveSmallIntegerField("权重", default=1)
    result = models.CharField("结果", max_length=16, choices=Result.choices, default=Result.PENDING)
    draw_rank = models.PositiveIntegerField("抽签顺位", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽签报名"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["member", "offer"], name="entry_one_per_member_offer")]

    def __str__(self):
        return f"抽签报名 #{self.pk}"


class WaitlistEntry(models.Model):
    """候补: the first waiting member gets a cancelled place. Lottery losers join in draw order."""

    class Status(models.TextChoices):
        WAITING = "waiting", "候补中"
        PROMOTED = "promoted", "已递补"
        LEFT = "left", "已退出"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="waitlist")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="waitlist_entries")
    rank = models.PositiveIntegerField("候补顺位")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "候补"
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "offer"], name="waitlist_one_per_member_offer")
        ]
        indexes = [models.Index(fields=["offer", "status", "rank"])]

    def __str__(self):
        return f"候补 #{self.rank}"
