"""Union money: subsidy schemes (versioned data), applications to payment, budgets, the ledger, 工会经费."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gonghui.orgs.models import Org

from . import formula as formulas


class Category(models.TextChoices):
    NEW_FORM = "new_form", "新就业形态"
    STATION = "station", "服务站点/驿站"
    SOCIAL_WORKER = "social_worker", "社会化工会工作者"
    GRASSROOTS = "grassroots", "基层工会建设"
    PROJECT = "project", "服务项目"
    TRAINING = "training", "技能培训"
    AWARD = "award", "奖励/工作室"
    OTHER = "other", "其他"


class Scheme(models.Model):
    """A subsidy scheme of a payer union. What it pays and to whom lives in its versions."""

    class Applicant(models.TextChoices):
        ORG = "org", "工会组织"
        PERSON = "person", "个人"

    org = models.ForeignKey(
        Org, verbose_name="出资工会", on_delete=models.PROTECT, related_name="fund_schemes"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    code = models.CharField("编号", max_length=32)
    name = models.CharField("名称", max_length=120)
    category = models.CharField("类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    applicant = models.CharField("申请主体", max_length=8, choices=Applicant.choices, default=Applicant.ORG)
    current_version = models.PositiveIntegerField("当前版本", default=1)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴项目"
        ordering = ["org_path", "code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="funds_scheme_code_unique")]

    def __str__(self):
        return self.name

    @property
    def current(self) -> SchemeVersion:
        return self.versions.get(number=self.current_version)


class SchemeVersion(models.Model):
    """One version of a scheme's rules. A change makes a new version; applications keep theirs."""

    class Period(models.TextChoices):
        YEAR = "year", "每年一次"
        MONTH = "month", "每月一次"
        SCHEME = "scheme", "项目期内一次"
        NONE = "none", "不限次数"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    reference_date = models.DateField("人数统计基准日", null=True, blank=True)
    eligible_kinds = models.JSONField("可申请的工会类型", default=list, blank=True)
    pilot_org_ids = models.JSONField("试点名单（工会ID）", default=list, blank=True)
    occupations = models.JSONField("新就业形态群体", default=list, blank=True)
    formula = models.JSONField("计算公式")
    documents = models.JSONField("所需材料", default=list, blank=True)
    once_per = models.CharField("申请次数", max_length=8, choices=Period.choices, default=Period.YEAR)
    note = models.TextField("说明", blank=True)
    change_reason = models.CharField("修订原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴项目版本"
        ordering = ["scheme", "-number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="funds_version_unique")]

    def __str__(self):
        return f"{self.scheme.name} v{self.number}"

    @property
    def formula_text(self) -> str:
        return formulas.describe(self.formula)

    @property
    def inputs_needed(self) -> list[str]:
        return formulas.required_inputs(self.formula)

    @property
    def bands(self) -> list[dict]:
        return formulas.bands(self.formula)


class Budget(models.Model):
    """A budget line: one scheme, one year. committed + paid never pass amount (decided in the database)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="budgets")
    org = models.ForeignKey(
        Org, verbose_name="出资工会", on_delete=models.PROTECT, related_name="fund_budgets"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("预算", max_digits=14, decimal_places=2)
    # Approved and not yet paid; paid. Remaining = amount − committed − paid.
    committed = models.DecimalField("已承诺未支付", max_digits=14, decimal_places=2, default=0)
    paid = models.DecimalField("已支付", max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算"
        ordering = ["-year", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="funds_budget_unique"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(paid__gte=0) & Q(amount__gte=F("committed") + F("paid")),
                name="funds_budget_not_overspent",
            ),
        ]

    def __str__(self):
        return f"{self.scheme.name} {self.year}"

    @property
    def remaining(self):
        return self.amount - self.committed - self.paid


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待支付"
        PAID = "paid", "已支付"

    org = models.ForeignKey(
        Org, verbose_name="出资工会", on_delete=models.PROTECT, related_name="fund_batches"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    number = models.CharField("批次号", max_length=32, unique=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    count = models.PositiveIntegerField("笔数", default=0)
    total = models.DecimalField("控制总额", max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField("导出时间", null=True, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "支付批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number


class FundApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未通过"
        PAID = "paid", "已支付"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="applications")
    payer = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    payer_path = models.CharField(max_length=255, db_index=True)
    # The applying union, or the union of the person applying: whoever's subtree may see it.
    org = models.ForeignKey(
        Org, verbose_name="申请单位", on_delete=models.PROTECT, related_name="fund_applications"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    applicant_name = models.CharField("申请人/单位", max_length=120)
    payee = models.CharField("收款方", max_length=120, blank=True)
    number = models.CharField("申请编号", max_length=32, unique=True)
    year = models.PositiveSmallIntegerField("预算年度")
    period_key = models.CharField("申请期", max_length=16)
    # "<scheme>:<applicant>:<period>" while the application counts against the once-per-period rule.
    once_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    inputs = models.JSONField("计算依据", default=dict)
    input_sources = models.JSONField("依据来源", default=dict)
    working = models.JSONField("计算过程", default=list)
    minimum = models.DecimalField("可批下限", max_digits=14, decimal_places=2)
    maximum = models.DecimalField("可批上限", max_digits=14, decimal_places=2)
    documents = models.JSONField("提交材料", default=list)
    note = models.CharField("申请说明", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    approved_amount = models.DecimalField("核定金额", max_digits=14, decimal_places=2, null=True, blank=True)
    review_reason = models.CharField("审核意见", max_length=500, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    budget = models.ForeignKey(
        Budget, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["payer_path", "status"], name="funds_app_payer_status"),
            models.Index(fields=["org_path", "status"], name="funds_app_org_status"),
        ]

    def __str__(self):
        return self.number


class LedgerEntry(models.Model):
    """Every movement of scheme money: commit on approval, pay on payment. Append-only."""

    class Kind(models.TextChoices):
        COMMIT = "commit", "承诺"
        PAY = "pay", "支付"

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(FundApplication, on_delete=models.PROTECT, related_name="entries")
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    payer_path = models.CharField(max_length=255, db_index=True)
    recipient = models.ForeignKey(Org, verbose_name="受款单位", on_delete=models.PROTECT, related_name="+")
    recipient_path = models.CharField(max_length=255, db_index=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    year = models.PositiveSmallIntegerField("年度")
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "经费台账"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class SplitRule(models.Model):
    """工会经费 split: the share the grassroots union keeps, by province (2-digit code) and union kind."""

    province_code = models.CharField("省份代码", max_length=2, blank=True, help_text="留空表示全国默认")
    org_kind = models.CharField("工会类型", max_length=16, choices=Org.Kind.choices, blank=True)
    kept_rate = models.DecimalField("基层留成比例", max_digits=5, decimal_places=4)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "经费分成规则"
        constraints = [
            models.UniqueConstraint(fields=["province_code", "org_kind"], name="funds_split_unique"),
            models.CheckConstraint(condition=Q(kept_rate__gte=0, kept_rate__lte=1), name="funds_split_rate"),
        ]

    def __str__(self):
        return f"{self.province_code or '全国'} {self.org_kind or '全部'} {self.kept_rate}"


class Contribution(models.Model):
    """工会经费 for one unit and one month: 2 % of payroll, split between the union and the level above."""

    org = models.ForeignKey(
        Org, verbose_name="基层工会", on_delete=models.PROTECT, related_name="fund_contributions"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    month = models.DateField("所属月份")  # the first day of the month
    payroll = models.DecimalField("工资总额", max_digits=14, decimal_places=2)
    rate = models.DecimalField("计提比例", max_digits=5, decimal_places=4)
    due = models.DecimalField("应缴经费", max_digits=14, decimal_places=2)
    paid = models.DecimalField("实缴经费", max_digits=14, decimal_places=2, default=0)
    kept_rate = models.DecimalField("基层留成比例", max_digits=5, decimal_places=4)
    kept = models.DecimalField("基层留成", max_digits=14, decimal_places=2)
    sent_up = models.DecimalField("上解", max_digits=14, decimal_places=2)
    rule_label = models.CharField("分成依据", max_length=120, blank=True)
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会经费"
        ordering = ["-month", "org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="funds_contribution_unique")]

    def __str__(self):
        return f"{self.org} {self.month:%Y-%m}"

    @property
    def arrears(self):
        return max(self.due - self.paid, 0)
