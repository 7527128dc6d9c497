from decimal import Decimal

from django.conf import settings
from django.db import models

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField

PHONE_INDEX = "case_phone"


def phone_blind_index(phone: str) -> str:
    return crypto.blind_index(phone, purpose=PHONE_INDEX) if phone else ""


class Case(models.Model):
    class Category(models.TextChoices):
        WAGES = "wages", "欠薪"
        INJURY = "injury", "工伤"
        CONTRACT = "contract", "劳动合同"
        SOCIAL_INSURANCE = "social_insurance", "社会保险"
        SAFETY = "safety", "劳动安全"
        LEGAL = "legal", "法律咨询"
        HARDSHIP = "hardship", "困难求助"
        SUGGESTION = "suggestion", "意见建议"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ACCEPTED = "accepted", "已受理"
        IN_PROGRESS = "in_progress", "办理中"
        RESOLVED = "resolved", "已办结"
        RATED = "rated", "已回访"
        ARCHIVED = "archived", "已归档"
        MERGED = "merged", "已合并"

    class Outcome(models.TextChoices):
        SOLVED = "solved", "已解决"
        PARTIAL = "partial", "部分解决"
        UNSOLVED = "unsolved", "未解决"

    class Difficulty(models.TextChoices):
        NORMAL = "normal", "一般"
        HARD = "hard", "难点"
        COMPLEX = "complex", "特别复杂"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上"
        PHONE = "phone", "电话(12351)"
        WALK_IN = "walk_in", "来访"
        API = "api", "接口"

    number = models.CharField("工单号", max_length=20, unique=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    difficulty = models.CharField("难度", max_length=8, choices=Difficulty.choices, default=Difficulty.NORMAL)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices, blank=True)
    channel = models.CharField("来源", max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    title = models.CharField("标题", max_length=80)
    description = models.TextField("诉求内容")
    employer_name = models.CharField("用人单位", max_length=120, blank=True)
    employer_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    employer_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    workplace_region = models.CharField("工作地行政区划代码", max_length=6)
    workplace_township = models.ForeignKey(
        "orgs.Org",
        verbose_name="工作地乡镇(街道)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    workplace_address = models.CharField("工作地点", max_length=200, blank=True)
    amount_claimed = models.DecimalField(
        "诉求金额(元)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    amount_recovered = models.DecimalField(
        "追回金额(元)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    is_collective = models.BooleanField("集体诉求", default=False)
    confidential = models.BooleanField("不向用人单位透露身份", default=False)

    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_filed",
    )
    claimant_name = EncryptedTextField("诉求人姓名")
    claimant_phone = EncryptedTextField("诉求人手机号", blank=True)
    claimant_phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    org = models.ForeignKey(
        "orgs.Org", verbose_name="承办工会", on_delete=models.PROTECT, related_name="cases"
    )
    # Copied from org.path: "who may read this case" is one index range on this column.
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    supervising_org = models.ForeignKey(
        "orgs.Org",
        verbose_name="督办工会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_handled",
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="援助律师",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_as_lawyer",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
    )

    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    accept_due = models.DateTimeField("受理时限")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    # The working-day clock for handling starts here (acceptance, or reopening).
    clock_start = models.DateField("办理计时起点", null=True, blank=True)
    handle_due = models.DateField("办结时限", null=True, blank=True)
    paused_since = models.DateTimeField("等待职工补充自", null=True, blank=True)
    paused_workdays = models.PositiveIntegerField("累计暂停工作日", default=0)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_on_time = models.BooleanField("按时办结", null=True, blank=True)
    overdue = models.BooleanField("已超期", default=False, db_index=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=300, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求工单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["org_path", "status"]),
            models.Index(fields=["status", "accept_due"]),
            models.Index(fields=["status", "handle_due"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def claimant_name_masked(self) -> str:
        return crypto.mask_name(self.claimant_name)

    @property
    def claimant_phone_masked(self) -> str:
        return crypto.mask_phone(self.claimant_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def amount_paid_total(self) -> Decimal:
        return sum((c.amount_paid for c in self.claimants.all()), Decimal("0"))


OPEN_STATUSES = (Case.Status.SUBMITTED, Case.Status.ACCEPTED, Case.Status.IN_PROGRESS)


class CoClaimant(models.Model):
    """One worker in a collective case, with their own claim and what has been paid to them."""

    class Payment(models.TextChoices):
        UNPAID = "unpaid", "未支付"
        PARTIAL = "partial", "部分支付"
        PAID = "paid", "已全部支付"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claimants")
    name = EncryptedTextField("姓名")
    phone = EncryptedTextField("手机号", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    amount_claimed = models.DecimalField(
        "诉求金额(元)", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    amount_paid = models.DecimalField("已支付(元)", max_digits=12, decimal_places=2, default=Decimal("0"))
    payment_status = models.CharField(
        "支付状态", max_length=8, choices=Payment.choices, default=Payment.UNPAID
    )
    paid_at = models.DateField("支付日期", null=True, blank=True)
    note = models.CharField("备注", max_length=120, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "共同诉求人"
        ordering = ["id"]

    def __str__(self):
        return self.name_masked

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class CaseStep(models.Model):
    """The timeline. Only steps marked visible_to_worker appear on the worker's page."""

    class Kind(models.TextChoices):
        FILED = "filed", "提交诉求"
        ROUTED = "routed", "分派承办"
        ACCEPTED = "accepted", "受理"
        ASSIGNED = "assigned", "指定经办人"
        TRANSFERRED = "transferred", "转派"
        MESSAGE = "message", "答复职工"
        NOTE = "note", "内部备注"
        JOINT = "joint", "联合处置"
        INFO = "info", "职工补充材料"
        PAUSED = "paused", "等待职工补充"
        RESUMED = "resumed", "恢复办理"
        PAYMENT = "payment", "支付登记"
        RESOLVED = "resolved", "办结"
        RATED = "rated", "职工评价"
        REOPENED = "reopened", "重新办理"
        ARCHIVED = "archived", "归档"
        ESCALATED = "escalated", "超期督办"
        MERGED = "merged", "合并工单"
        LAWYER = "lawyer", "指派律师"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    body = models.TextField("内容", blank=True)
    department = models.CharField("协同部门", max_length=40, blank=True)
    visible_to_worker = models.BooleanField("职工可见", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=80, blank=True)
    org = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单办理记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.get_kind_display()


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    step = models.ForeignKey(
        CaseStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    visible_to_worker = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单附件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class Escalation(models.Model):
    """One row per (case, kind, level): the scan may run every few minutes without re-notifying."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", "超期未受理"
        HANDLE = "handle", "超期未办结"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    due = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "超期督办"
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due"], name="escalation_once_per_due")
        ]

    def __str__(self):
        return self.get_kind_display()
