"""全员改善: a union's improvement programme (tiers, reviewers, reward rules), the workers' proposals with
their review, follow-through and rewards, and the in-house trainers (内训师) who coach them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import Org

USER = settings.AUTH_USER_MODEL

DEFAULT_CRITERIA = [
    {"key": "innovation", "label": "创新性", "max": 30},
    {"key": "feasibility", "label": "可行性", "max": 30},
    {"key": "benefit", "label": "效益", "max": 40},
]


class Programme(models.Model):
    """One 全员改善 action run by a union; it covers the union's whole subtree (workshop sub-unions)."""

    org = models.OneToOneField(Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=80, default="全员改善")
    criteria = models.JSONField("评审标准", default=list)
    quarter_min = models.DecimalField("季度优秀提案奖下限(元)", max_digits=10, decimal_places=2, default=1000)
    quarter_max = models.DecimalField(
        "季度优秀提案奖上限(元)", max_digits=10, decimal_places=2, default=20000
    )
    exemplar_amount = models.DecimalField("改善标兵奖(元)", max_digits=10, decimal_places=2, default=3000)
    hall_min = models.DecimalField("名人堂奖下限(元)", max_digits=10, decimal_places=2, default=6000)
    hall_max = models.DecimalField("名人堂奖上限(元)", max_digits=10, decimal_places=2, default=10000)
    follow_through_days = models.PositiveSmallIntegerField("默认实施期限(工作日)", default=20)
    is_active = models.BooleanField("进行中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "全员改善活动"

    def __str__(self):
        return f"{self.org.display_name} · {self.name}"


class Tier(models.Model):
    """攻关项目 (hardest), 改善课题, 改善提案 (easiest) by default; configurable per programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField("层级", max_length=20)
    rank = models.PositiveSmallIntegerField("难度序(1 最难)")
    review_days = models.PositiveSmallIntegerField("评审时限(工作日)", default=5)

    class Meta:
        verbose_name = verbose_name_plural = "改善层级"
        ordering = ["programme", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="proposal_tier_unique_name")
        ]

    def __str__(self):
        return self.name


class Reviewer(models.Model):
    """Who reviews a tier's proposals coming from a unit (and its sub-units); level 1 reviews first."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reviewers")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="reviewers")
    org = models.ForeignKey(Org, verbose_name="负责单位", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, verbose_name="评审人", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField("评审级别", default=1)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审人"
        constraints = [
            models.UniqueConstraint(fields=["tier", "org", "user", "level"], name="proposal_reviewer_unique")
        ]

    def __str__(self):
        return f"{self.tier} · {self.org} · 第{self.level}级"


class Trainer(models.Model):
    """内训师: three levels, 三级 (entry) → 一级 (highest)."""

    class Level(models.IntegerChoices):
        THIRD = 3, "三级内训师"
        SECOND = 2, "二级内训师"
        FIRST = 1, "一级内训师"

    org = models.ForeignKey(Org, verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="trainer")
    name = models.CharField("姓名", max_length=40)
    speciality = models.CharField("专长", max_length=80, blank=True)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, default=Level.THIRD)
    appointed_on = models.DateField("聘任日期")
    appointed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField("在聘", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "内训师"
        ordering = ["level", "name"]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"


class TrainingSession(models.Model):
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("培训主题", max_length=80)
    held_on = models.DateField("日期")
    attendees = models.ManyToManyField(USER, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "培训场次"
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "评审中"
        RETURNED = "returned", "退回完善"
        ADOPTED = "adopted", "已采纳"
        REJECTED = "rejected", "不采纳"
        IMPLEMENTED = "implemented", "已实施"
        VERIFIED = "verified", "效益已验证"

    class Category(models.TextChoices):
        QC = "qc", "QC活动"
        LIUYUAN = "liuyuan", "六源"
        WUXIAO = "wuxiao", "五小"
        SUGGESTION = "suggestion", "合理化建议"

    ADOPTED_STATES = (Status.ADOPTED, Status.IMPLEMENTED, Status.VERIFIED)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="proposals")
    org = models.ForeignKey(Org, verbose_name="提报单位", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    author = models.ForeignKey(
        USER, verbose_name="提报人", on_delete=models.PROTECT, related_name="proposals"
    )
    author_name = models.CharField("提报人姓名", max_length=40)
    number = models.CharField("编号", max_length=20, unique=True)
    title = models.CharField("标题", max_length=80)
    note = models.TextField("随手记", max_length=500, blank=True)
    place = models.CharField("地点", max_length=80, blank=True)
    photo = models.FileField("现场照片", upload_to="proposals/%Y/%m/", blank=True)
    tier = models.ForeignKey(Tier, verbose_name="层级", null=True, blank=True, on_delete=models.PROTECT)
    category = models.CharField("类别", max_length=12, choices=Category.choices, blank=True)
    problem = models.TextField("存在问题", max_length=2000, blank=True)
    solution = models.TextField("改善措施", max_length=2000, blank=True)
    expected_benefit = models.TextField("预期效益", max_length=1000, blank=True)
    estimated_savings = models.DecimalField(
        "预计节约(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    show_name = models.BooleanField("在成果库中显示姓名", default=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    coach = models.ForeignKey(
        Trainer, verbose_name="辅导内训师", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Follow-through (有效监督)
    owner = models.ForeignKey(
        USER, verbose_name="实施负责人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField("实施期限", null=True, blank=True)
    evidence = models.TextField("实施情况", max_length=2000, blank=True)
    evidence_photo = models.FileField("实施照片", upload_to="proposals/%Y/%m/", blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    verified_benefit = models.DecimalField(
        "验证效益(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lapsed = models.BooleanField("逾期未实施", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "改善提案"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["org_path", "status"], name="proposal_path_status"),
            models.Index(fields=["author", "-created_at"], name="proposal_author"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def author_display(self) -> str:
        """The name as the library shows it: the author's choice."""
        return self.author_name if self.show_name else "匿名职工"

    @property
    def is_adopted(self) -> bool:
        return self.status in self.ADOPTED_STATES


class TeamMember(models.Model):
    """A colleague on the proposal. The phone is kept only as a blind index (to refuse a reviewer on the
    team), never in clear."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    name = models.CharField("姓名", max_length=40)
    phone_index = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "团队成员"
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "phone_index"],
                condition=~Q(phone_index=""),
                name="proposal_team_unique_phone",
            )
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One review round of a submitted proposal by its assigned reviewer, against a working-day limit."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", "采纳"
        REJECT = "reject", "不采纳"
        RETURN = "return", "退回完善"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField("轮次")
    reviewer = models.ForeignKey(USER, verbose_name="评审人", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField("评审期限")
    scores = models.JSONField("评分", default=dict)
    total = models.PositiveSmallIntegerField("总分", null=True, blank=True)
    decision = models.CharField("结论", max_length=8, choices=Decision.choices, blank=True)
    reason = models.TextField("意见", max_length=1000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField("已超期", default=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "提案评审"
        ordering = ["proposal", "round"]
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="proposal_review_round")]

    def __str__(self):
        return f"{self.proposal_id} 第{self.round}轮"


class Event(models.Model):
    """The proposal's timeline as the worker follows it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=40)
    body = models.CharField(max_length=300, blank=True)
    actor_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title


class Reward(models.Model):
    class Kind(models.TextChoices):
        QUARTER = "quarter", "优秀提案"
        EXEMPLAR = "exemplar", "改善标兵"
        HALL = "hall", "年度名人堂"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rewards")
    org_path = models.CharField(max_length=255)
    kind = models.CharField("奖项", max_length=10, choices=Kind.choices)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="rewards"
    )
    recipient = models.ForeignKey(USER, verbose_name="获奖人", on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField("获奖人姓名", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    approved_by = models.ForeignKey(USER, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    handed_over_at = models.DateTimeField("送奖到岗位时间", null=True, blank=True)
    handover_note = models.CharField("送奖说明", max_length=200, blank=True)
    handover_photo = models.FileField("送奖照片", upload_to="proposals/rewards/%Y/", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "改善奖励"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            # No member paid twice for the same proposal, whoever asks and however often.
            models.UniqueConstraint(
                fields=["proposal", "recipient"],
                condition=Q(proposal__isnull=False),
                name="reward_once_per_proposal",
            ),
            # One 改善标兵 title per member and quarter.
            models.UniqueConstraint(
                fields=["programme", "recipient", "year", "quarter"],
                condition=Q(kind="exemplar"),
                name="reward_exemplar_once_per_quarter",
            ),
            models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="reward_amount_positive"),
        ]

    def __str__(self):
        return f"{self.period_label} {self.get_kind_display()} {self.recipient_name}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度" if self.quarter else f"{self.year}年度"
