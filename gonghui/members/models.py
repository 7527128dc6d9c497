from decimal import Decimal

from django.conf import settings
from django.db import models

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField
from gonghui.core.glossary import (  # noqa: F401 - members.routing and members.services read them from here
    MOBILE_OCCUPATIONS,
    OCCUPATION_LABELS,
    OCCUPATIONS,
    PRIORITY_GROUPS,
)

ID_INDEX = "id_number"

# The occupations live in the glossary (core/glossary.py); the names stay importable from here.


def id_index(id_number: str) -> str:
    return crypto.blind_index(id_number, purpose=ID_INDEX)


class Member(models.Model):
    """One person, one membership: the blind index of the 身份证号 is unique."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在籍"
        TRANSFERRING = "transferring", "转接中"
        WITHDRAWN = "withdrawn", "已退会"
        RETIRED = "retired", "退休保留会籍"
        UNEMPLOYED = "unemployed", "失业保留会籍"
        LAPSED = "lapsed", "视为自动退会"
        DECEASED = "deceased", "已故"

    class EmploymentForm(models.TextChoices):
        STANDARD = "standard", "传统就业"
        NEW = "new", "新就业形态"
        FLEXIBLE = "flexible", "灵活就业"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name="所属工会", on_delete=models.PROTECT, related_name="members"
    )
    # Copied from org.path so subtree counts and lists are one index range on this table.
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    member_no = models.CharField("会员编号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=40)
    id_number = EncryptedTextField("身份证号")
    id_index = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField("手机号", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_date = models.DateField("出生日期")
    occupation = models.CharField("职业", max_length=32, choices=OCCUPATIONS, default="other")
    employment_form = models.CharField(
        "就业形态", max_length=16, choices=EmploymentForm.choices, default=EmploymentForm.STANDARD
    )
    employer_name = models.CharField("工作单位/平台", max_length=120, blank=True)
    status = models.CharField("会籍状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField("状态变更原因", max_length=200, blank=True)
    joined_at = models.DateField("入会时间")
    source = models.CharField(
        "入会渠道",
        max_length=16,
        default="offline",
        choices=[
            ("online", "线上申请"),
            ("offline", "线下登记表"),
            ("import", "批量导入"),
            ("station", "驿站扫码"),
        ],
    )
    # The last day the member took part in union activity (a course, event or coupon used): with the dues
    # record, what the six-month lapse rule looks at.
    last_active_on = models.DateField("最近参加工会活动", null=True, blank=True)
    # Optional: the monthly wage the 0.5% dues rate applies to (元).
    wage_base = models.DecimalField("月工资基数", max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "会员"
        indexes = [
            models.Index(fields=["org_path", "status"]),
            models.Index(fields=["org", "status", "-joined_at"]),
            # The registry's default order: the first page of any broad filter walks this index.
            models.Index(fields=["-joined_at", "-id"], name="member_joined_order"),
            # Filters within a subtree: occupation (八大群体 lists) and join-date ranges per union.
            models.Index(fields=["occupation", "org_path"], name="member_occupation_path"),
            models.Index(fields=["org_path", "joined_at"], name="member_path_joined"),
            # Name-prefix search (LIKE '王建%') on PostgreSQL whatever the database collation.
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], name="member_name_prefix"),
        ]

    # Statuses that keep membership: applying again shows the current union instead.
    HOLDING = (Status.ACTIVE, Status.TRANSFERRING, Status.RETIRED, Status.UNEMPLOYED)

    def __str__(self):
        return f"{crypto.mask_name(self.name)} {self.member_no}"

    @property
    def id_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def is_priority_group(self) -> bool:
        return self.occupation in PRIORITY_GROUPS


class Counter(models.Model):
    """Monotonic counters (会员编号); bumped with a conditional UPDATE inside the caller's transaction."""

    name = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"

    def __str__(self):
        return f"{self.name}={self.value}"


class HoldingPool(models.Model):
    """A 周转池: a 行业工会联合会 that receives mobile workers' applications for some occupations."""

    org = models.OneToOneField(
        "orgs.Org", verbose_name="周转池工会", on_delete=models.CASCADE, related_name="holding_pool"
    )
    occupations = models.JSONField("适用职业", default=list)
    # Province prefix (e.g. "34"): the pool takes applicants whose workplace, residence or ID is there;
    # blank = nationwide fallback.
    region_prefix = models.CharField("适用地区代码前缀", max_length=6, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "周转池"

    def __str__(self):
        return self.org.name


class AssignmentRule(models.Model):
    """Data-driven assignment out of a holding pool: first matching rule by priority wins."""

    class Basis(models.TextChoices):
        RESIDENCE = "residence", "居住地"
        PHONE = "phone", "手机号归属地"
        ID_REGION = "id_region", "身份证归属地"
        ROUTE = "route", "常跑线路"

    pool = models.ForeignKey(HoldingPool, on_delete=models.CASCADE, related_name="rules")
    basis = models.CharField("依据", max_length=16, choices=Basis.choices)
    # Region-code prefix for residence/id_region; a place-name fragment for phone and route.
    pattern = models.CharField("匹配内容", max_length=40)
    target = models.ForeignKey("orgs.Org", verbose_name="分配至", on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField("优先级", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "周转池分配规则"
        ordering = ["priority", "id"]

    def __str__(self):
        return f"{self.get_basis_display()}「{self.pattern}」→ {self.target}"


class Enrollment(models.Model):
    """入会申请. At most one open application per person and verified phone (partial unique index on
    id_index + phone_index): somebody else's application with my ID number cannot block mine; the
    approver checks the ID card and approving one closes the others (members.services.enrollment_approve)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        INFO_REQUESTED = "info_requested", "待补充材料"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未通过"

    class Channel(models.TextChoices):
        ONLINE = "online", "线上申请"
        OFFLINE = "offline", "线下登记表"
        IMPORT = "import", "批量导入"
        STATION = "station", "驿站扫码"

    OPEN = (Status.PENDING, Status.INFO_REQUESTED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT, related_name="enrollments"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    name = models.CharField("姓名", max_length=40)
    id_number = EncryptedTextField("身份证号")
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("手机号")
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_date = models.DateField("出生日期")
    employer_name = models.CharField("工作单位/平台", max_length=120)
    occupation = models.CharField("职业", max_length=32, choices=OCCUPATIONS)
    employment_form = models.CharField(
        "就业形态",
        max_length=16,
        choices=Member.EmploymentForm.choices,
        default=Member.EmploymentForm.STANDARD,
    )
    # Optional, addable later: where the worker works and lives, and usual routes (drivers).
    work_region = models.CharField("工作地行政区划代码", max_length=6, blank=True)
    residence_region = models.CharField("居住地行政区划代码", max_length=6, blank=True)
    routes = models.CharField("常跑线路", max_length=200, blank=True)
    note = models.CharField("补充说明", max_length=500, blank=True)
    route_reason = models.CharField("分配依据", max_length=200, blank=True)
    decision_reason = models.CharField("审批意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    arrived_at = models.DateTimeField("到达受理工会时间")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "入会申请"
        constraints = [
            models.UniqueConstraint(
                fields=["id_index", "phone_index"],
                condition=models.Q(status__in=["pending", "info_requested"]),
                name="enrollment_one_open_per_person_phone",
            ),
        ]
        indexes = [models.Index(fields=["org_path", "status", "arrived_at"])]

    def __str__(self):
        return f"{crypto.mask_name(self.name)} 入会申请"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def id_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class EnrollmentStep(models.Model):
    """The timeline the worker sees: every change, with its time."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=60)
    detail = models.CharField(max_length=500, blank=True)
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.title


class MemberCard(models.Model):
    """电子会员卡. The QR carries a signed token; revoking the card (or the membership) makes it fail."""

    class Pickup(models.TextChoices):
        WAITING = "waiting", "待领取"
        PICKED = "picked", "已领取"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="cards")
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)
    pickup = models.CharField("实体会员证", max_length=8, choices=Pickup.choices, default=Pickup.WAITING)
    picked_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "会员卡"

    def __str__(self):
        return f"会员卡 {self.member_id}"


class StatusChange(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    reason = models.CharField(max_length=200)
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.from_status}→{self.to_status}"


class Transfer(models.Model):
    """会籍转接: the outgoing union confirms, the receiving union accepts; rows are never deleted."""

    class Status(models.TextChoices):
        AWAIT_OUT = "await_out", "待转出工会确认"
        AWAIT_IN = "await_in", "待转入工会接收"
        DONE = "done", "已完成"
        REJECTED = "rejected", "已退回"

    OPEN = (Status.AWAIT_OUT, Status.AWAIT_IN)

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="transfers_out")
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="transfers_in")
    from_path = models.CharField(max_length=255, db_index=True)
    to_path = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AWAIT_OUT)
    reason = models.CharField("转接原因", max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    out_at = models.DateTimeField(null=True, blank=True)
    in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会籍转接"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["await_out", "await_in"]),
                name="transfer_one_open_per_member",
            ),
        ]

    def __str__(self):
        return f"转接 {self.member_id}: {self.from_org_id}→{self.to_org_id}"


class DuesSetting(models.Model):
    class Mode(models.TextChoices):
        RATE = "rate", "按工资基数比例"
        FIXED = "fixed", "固定金额（每月）"

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="dues_setting")
    mode = models.CharField("计缴方式", max_length=8, choices=Mode.choices, default=Mode.RATE)
    rate = models.DecimalField("比例", max_digits=6, decimal_places=4, default=Decimal("0.0050"))
    fixed_amount = models.DecimalField(
        "固定金额(元/月)", max_digits=8, decimal_places=2, default=Decimal("1.00")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "会费标准"

    def __str__(self):
        return f"{self.org_id} {self.mode}"


class DuesPayment(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_payments")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    period = models.CharField("所属月份", max_length=7)  # YYYY-MM
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    wage_base = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "会费缴纳记录"
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["member", "period"], name="dues_one_per_month")]

    def __str__(self):
        return f"{self.member_id} {self.period} {self.amount}"


class ImportBatch(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    file_name = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error_file = models.BinaryField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批量导入记录"
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
