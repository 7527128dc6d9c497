"""订单式服务: a city or county union's service menu, the experts who deliver it, and the orders
grassroots unions place against it.

Expert time is the scarce thing. Every booking for an expert on a day is written while holding a
row lock on that expert's ExpertDay row, so two dispatchers can never both book the same hours; a
partial unique constraint on (expert, start) backs it up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField
from gonghui.orgs.models import Org


class Category(models.TextChoices):
    MENTAL = "mental", "心理健康"
    MEDICAL = "medical", "医疗健康"
    SKILLS = "skills", "赋智赋能"
    LEGAL = "legal", "法律服务"
    UNION = "union", "工会知识培训"


class Mode(models.TextChoices):
    ONSITE = "onsite", "上门服务"
    CENTRE = "centre", "到服务中心"
    ONLINE = "online", "线上"


class ExpertTeam(models.Model):
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="expert_teams"
    )
    name = models.CharField("名称", max_length=80)
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家服务团"
        ordering = ["org__path", "name"]

    def __str__(self):
        return self.name


class Expert(models.Model):
    class Kind(models.TextChoices):
        DOCTOR = "doctor", "医生"
        COUNSELLOR = "counsellor", "心理咨询师"
        LAWYER = "lawyer", "律师"
        COACH = "coach", "教练"
        CRAFTSMAN = "craftsman", "劳模工匠"
        TRAINER = "trainer", "培训讲师"

    org = models.ForeignKey(Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="experts")
    team = models.ForeignKey(
        ExpertTeam,
        verbose_name="专家服务团",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    # Experts need not have an account; when they do, it is a Staff position with role expert.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profiles",
    )
    name = models.CharField("姓名", max_length=40)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("职称/单位", max_length=80, blank=True)
    skills = models.CharField(
        "擅长", max_length=200, blank=True, help_text="用顿号或逗号分隔，如：海姆立克急救、心理疏导"
    )
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务专家"
        ordering = ["org__path", "team_id", "name"]

    def __str__(self):
        return self.name

    @property
    def has_account(self) -> bool:
        return self.user_id is not None

    @property
    def skill_list(self) -> list[str]:
        return [
            s.strip() for s in self.skills.replace("，", "、").replace(",", "、").split("、") if s.strip()
        ]


class Availability(models.Model):
    """A weekly pattern: the hours an expert can serve on a weekday (0 = Monday)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField("星期")
    start_time = models.TimeField("开始")
    end_time = models.TimeField("结束")

    class Meta:
        verbose_name = verbose_name_plural = "可服务时间"
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")), name="availability_start_before_end"
            )
        ]

    def __str__(self):
        return f"{'一二三四五六日'[self.weekday]} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Leave(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="leaves")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家请假"
        ordering = ["start_date"]

    def __str__(self):
        return f"{self.start_date}–{self.end_date} {self.reason}"


class ServiceItem(models.Model):
    org = models.ForeignKey(
        Org, verbose_name="发布工会", on_delete=models.PROTECT, related_name="service_items"
    )
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    name = models.CharField("服务项目", max_length=60)
    description = models.TextField("服务内容", blank=True)
    team = models.ForeignKey(
        ExpertTeam, verbose_name="服务团队", on_delete=models.PROTECT, related_name="items"
    )
    required_skill = models.CharField(
        "所需专长", max_length=40, blank=True, help_text="只派擅长此项的专家；留空则团队内任一专家均可"
    )
    experts_needed = models.PositiveSmallIntegerField("每场专家人数", default=1)
    duration_minutes = models.PositiveIntegerField("时长(分钟)", default=120)
    min_headcount = models.PositiveIntegerField("最少人数", default=10)
    max_headcount = models.PositiveIntegerField("最多人数", default=100)
    mode = models.CharField("服务方式", max_length=16, choices=Mode.choices, default=Mode.ONSITE)
    lead_days = models.PositiveSmallIntegerField("提前预约天数", default=3)
    is_published = models.BooleanField("已上架", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务项目"
        ordering = ["org__path", "category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_headcount__lte=models.F("max_headcount")), name="item_headcount_range"
            ),
            models.UniqueConstraint(fields=["org", "name"], name="item_unique_name_per_org"),
        ]

    def __str__(self):
        return self.name


class ServiceOrder(models.Model):
    class Status(models.TextChoices):
        ORDERED = "ordered", "已下单"
        SCHEDULED = "scheduled", "已排期"
        CONFIRMED = "confirmed", "已确认"
        SERVED = "served", "已服务"
        RATED = "rated", "已评价"
        DECLINED = "declined", "已婉拒"
        CANCELLED = "cancelled", "已取消"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上点单"
        PHONE = "phone", "电话点单"

    class Side(models.TextChoices):
        UNION = "union", "点单工会"
        PROVIDER = "provider", "服务方"

    item = models.ForeignKey(
        ServiceItem, verbose_name="服务项目", on_delete=models.PROTECT, related_name="orders"
    )
    org = models.ForeignKey(
        Org, verbose_name="点单工会", on_delete=models.PROTECT, related_name="service_orders"
    )
    # Copied from org and item.org so that both sides' lists are one index range filter.
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    provider_path = models.CharField(max_length=255, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.ORDERED, db_index=True
    )
    channel = models.CharField("点单方式", max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    preferred_date1 = models.DateField("首选日期")
    preferred_date2 = models.DateField("备选日期二", null=True, blank=True)
    preferred_date3 = models.DateField("备选日期三", null=True, blank=True)
    headcount = models.PositiveIntegerField("参加人数")
    address = models.CharField("服务地点", max_length=200)
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = EncryptedTextField("联系电话")
    needs = models.TextField("具体需求", blank=True)
    expected_date = models.DateField("预计最早可安排日期", null=True, blank=True)
    scheduled_start = models.DateTimeField("服务开始", null=True, blank=True)
    scheduled_end = models.DateTimeField("服务结束", null=True, blank=True)
    attended_count = models.PositiveIntegerField("实际服务人数", null=True, blank=True)
    service_note = models.TextField("服务记录", blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    comment = models.TextField("评价", blank=True)
    close_reason = models.CharField("婉拒/取消原因", max_length=200, blank=True)
    closed_by_side = models.CharField("取消方", max_length=16, choices=Side.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下单人", on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField("下单时间", auto_now_add=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务订单"
        ordering = ["-ordered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="order_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["provider_path", "status"]),
            models.Index(fields=["org_path", "status"]),
        ]

    def __str__(self):
        return f"{self.number} {self.item.name}"

    @property
    def number(self) -> str:
        return f"DD{self.ordered_at:%Y%m%d}{self.pk:05d}" if self.pk and self.ordered_at else "—"

    @property
    def preferred_dates(self) -> list:
        return [d for d in (self.preferred_date1, self.preferred_date2, self.preferred_date3) if d]

    @property
    def contact_phone_masked(self) -> str:
        return crypto.mask_phone(self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.ORDERED, self.Status.SCHEDULED, self.Status.CONFIRMED}


class ExpertDay(models.Model):
    """One row per expert per day with bookings: the row that booking transactions lock."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "day"], name="expertday_unique")]

    def __str__(self):
        return f"{self.expert_id}@{self.day}"


class Booking(models.Model):
    """An expert's time held for an order. Released (is_active=False) when the order is cancelled."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="bookings")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField(db_index=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    site = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家排期"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "start"], condition=Q(is_active=True), name="booking_unique_active_start"
            ),
        ]
        indexes = [models.Index(fields=["expert", "day"])]

    def __str__(self):
        return f"{self.expert_id} {self.start:%Y-%m-%d %H:%M}"
