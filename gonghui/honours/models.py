"""劳模工匠: the honours register, selections (评选) with nominations, panel scores and 公示 through
gonghui.core.notices, 师带徒 agreements and the technical-problem list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.members.models import Member
from gonghui.orgs.models import Org

USER = settings.AUTH_USER_MODEL


class Level(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    ENTERPRISE = "enterprise", "企业"


class Honour(models.Model):
    """One honour held by a person (member) or a collective (org)."""

    title = models.CharField("荣誉称号", max_length=60)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    awarding_body = models.CharField("授予单位", max_length=80)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    member = models.ForeignKey(
        Member, verbose_name="获得者", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        Org, verbose_name="获得集体", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(Org, verbose_name="登记工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    selection = models.ForeignKey(
        "Selection", null=True, blank=True, on_delete=models.SET_NULL, related_name="honours"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "荣誉"
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(collective__isnull=True))
                | (Q(member__isnull=True) & Q(collective__isnull=False)),
                name="honour_person_or_collective",
            ),
            models.UniqueConstraint(
                fields=["selection", "member"],
                condition=Q(selection__isnull=False),
                name="honour_once_per_selection",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"


class Selection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "推荐中"
        NOTICE = "notice", "公示中"
        AWARDED = "awarded", "已表彰"

    class Nominators(models.TextChoices):
        UNITS = "units", "单位推荐"
        SELF = "self", "个人自荐"
        BOTH = "both", "单位推荐或个人自荐"

    org = models.ForeignKey(Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("评选名称", max_length=80)
    honour_title = models.CharField("授予称号", max_length=60)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    quota = models.PositiveSmallIntegerField("名额")
    criteria = models.TextField("评选条件", blank=True)
    nominators = models.CharField("推荐方式", max_length=8, choices=Nominators.choices, default="both")
    opens_on = models.DateField("推荐开始")
    closes_on = models.DateField("推荐截止")
    prize = models.DecimalField("奖金(元/人)", max_digits=10, decimal_places=2, default=0)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    notice_id = models.IntegerField(null=True, blank=True)
    panel = models.ManyToManyField(USER, verbose_name="评审组", blank=True, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评选"
        ordering = ["-id"]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "已推荐"
        SHORTLISTED = "shortlisted", "公示中"
        AWARDED = "awarded", "已授予"
        NOT_AWARDED = "not_awarded", "未授予"

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(Member, verbose_name="被推荐人", on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    is_self = models.BooleanField("自荐", default=False)
    evidence = models.TextField("事迹材料")
    figures = models.JSONField("数据", default=dict, blank=True)  # e.g. {"trips": 412, "accidents": 0}
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NOMINATED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐"
        constraints = [
            models.UniqueConstraint(fields=["selection", "member"], name="nomination_once_per_selection")
        ]

    def __str__(self):
        return f"{self.selection_id}:{self.member_id}"


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    panelist = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("评分(0-100)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "panelist"], name="score_once_per_panelist")
        ]

    def __str__(self):
        return f"{self.nomination_id}:{self.score}"


class Agreement(models.Model):
    """师带徒: a master and one or more apprentices, possibly in other unions and regions."""

    class Status(models.TextChoices):
        ACTIVE = "active", "履行中"
        COMPLETED = "completed", "已结业"

    org = models.ForeignKey(Org, verbose_name="签约工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    master = models.ForeignKey(Member, verbose_name="师傅", on_delete=models.PROTECT, related_name="+")
    plan = models.TextField("带徒计划")
    starts_on = models.DateField("开始")
    ends_on = models.DateField("结束")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_review = models.TextField("结业评价", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "师带徒协议"

    def __str__(self):
        return f"师带徒协议 {self.pk}"


class Apprentice(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="apprentices")
    member = models.ForeignKey(Member, verbose_name="徒弟", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "徒弟"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "member"], name="apprentice_once_per_agreement")
        ]

    def __str__(self):
        return f"{self.agreement_id}:{self.member_id}"


class TechProblem(models.Model):
    """A technical problem an enterprise (through its union) posts; a master takes and solves it."""

    class Status(models.TextChoices):
        POSTED = "posted", "待揭榜"
        TAKEN = "taken", "攻关中"
        PROPOSED = "proposed", "待确认"
        SOLVED = "solved", "已解决"

    class Category(models.TextChoices):
        ELECTRICAL = "electrical", "电气设备"
        FACILITY = "facility", "设施"
        WELDING = "welding", "焊接"
        STUDIO = "studio", "工作室标准化"
        OTHER = "other", "其他"

    org = models.ForeignKey(Org, verbose_name="提出单位工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("难题", max_length=80)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    description = models.TextField("描述")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.POSTED)
    solver = models.ForeignKey(
        Member, verbose_name="攻关师傅", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    solution = models.TextField("解决方案", blank=True)
    follow_up = models.TextField("跟踪回访", blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术难题"
        ordering = ["-id"]

    def __str__(self):
        return self.title
