"""帮扶 (aid): hardship files, programmes, applications, payments and donations.

Personal data (names, 身份证号, phones, incomes, health and family details, documents) is stored encrypted
with a blind index for the ID numbers; the category and the amounts paid are plain (reports need them).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField

from . import formulas

ID_INDEX_PURPOSE = "aid-id"


def aid_id_index(id_number: str) -> str:
    return crypto.blind_index(id_number, purpose=ID_INDEX_PURPOSE) if id_number else ""


class LowIncomeStandard(models.Model):
    """低保标准 of a county (or city), dated: the standard in force on a day is the latest one before it."""

    region_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    region_name = models.CharField("地区", max_length=40)
    monthly = models.DecimalField("低保标准(元/人/月)", max_digits=8, decimal_places=2)
    effective_from = models.DateField("执行日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "低保标准"
        ordering = ["region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "effective_from"], name="aid_dibao_unique_date")
        ]

    def __str__(self):
        return f"{self.region_name} {self.monthly} 元（{self.effective_from:%Y-%m-%d} 起）"


class HardshipFile(models.Model):
    """困难职工档案: one household, with the category computed by the DOMAIN.md formulas."""

    class Category(models.TextChoices):
        DEEP = formulas.DEEP, "深度困难"
        RELATIVE = formulas.RELATIVE, "相对困难"
        ACCIDENT = formulas.ACCIDENT, "意外致困"
        NONE = formulas.NONE, "暂不符合"

    class Status(models.TextChoices):
        ACTIVE = "active", "在档"
        LEFT = "left", "已脱困"

    number = models.CharField("档案号", max_length=20, unique=True)
    org = models.ForeignKey("orgs.Org", verbose_name="建档工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    head_name = EncryptedTextField("户主姓名")
    head_id_number = EncryptedTextField("户主身份证号")
    head_id_index = models.CharField(max_length=64, db_index=True, editable=False)
    head_phone = EncryptedTextField("联系电话", blank=True)
    unit_name = models.CharField("工作单位", max_length=120, blank=True)
    region_code = models.CharField("所在县(区)", max_length=6)
    household_size = models.PositiveSmallIntegerField("家庭人口")
    # JSON list of {"name", "relation", "age", "health", "income"} — encrypted as a whole.
    household = EncryptedTextField("家庭成员", blank=True)
    annual_income = EncryptedTextField("家庭年可支配收入")
    expense_medical = EncryptedTextField("医疗支出", blank=True)
    expense_education = EncryptedTextField("教育支出", blank=True)
    expense_housing = EncryptedTextField("住房支出", blank=True)
    accident_costs = EncryptedTextField("意外支出", blank=True)
    accident_note = EncryptedTextField("致困原因", blank=True)
    migrant = models.BooleanField("农民工", default=False)
    urban_long_term = models.BooleanField("长期在城镇居住", default=False)
    employed_months = models.PositiveSmallIntegerField("事实就业月数", default=0)
    dibao_monthly = models.DecimalField("适用低保标准", max_digits=8, decimal_places=2)
    dibao_effective_from = models.DateField("低保标准执行日期", null=True, blank=True)
    category = models.CharField("困难类别", max_length=10, choices=Category.choices, db_index=True)
    migrant_hardship = models.BooleanField("困难农民工", default=False)
    assessed_on = models.DateField("认定日期")
    recheck_due = models.DateField("复核日期", db_index=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField("脱困日期", null=True, blank=True)
    left_reason = models.CharField("脱困原因", max_length=300, blank=True)
    recheck_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "困难职工档案"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_path", "status"])]
        constraints = [
            # One open file per household across the whole tree.
            models.UniqueConstraint(
                fields=["head_id_index"], condition=Q(status="active"), name="aid_file_one_active"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def head_name_masked(self) -> str:
        return crypto.mask_name(self.head_name)

    @property
    def head_id_masked(self) -> str:
        return crypto.mask_id_number(self.head_id_number)


class AidProgramme(models.Model):
    """A union's programme: 金秋助学, 医疗救助, 生活救助, 意外致困 or a 慰问 round, with a budget."""

    class Kind(models.TextChoices):
        JINQIU = "jinqiu", "金秋助学"
        MEDICAL = "medical", "医疗救助"
        LIVING = "living", "生活救助"
        ACCIDENT = "accident", "意外致困救助"
        CONDOLENCE = "condolence", "慰问"

    class Occasion(models.TextChoices):
        FESTIVALS = "festivals", "两节送温暖"
        SUMMER = "summer", "夏送清凉"
        WINTER = "winter", "冬送温暖"
        SCHOOL = "school", "开学季"

    class Status(models.TextChoices):
        OPEN = "open", "受理中"
        CLOSED = "closed", "已截止"

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    occasion = models.CharField("慰问时节", max_length=10, choices=Occasion.choices, blank=True)
    name = models.CharField("名称", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    description = models.TextField("说明", blank=True)
    fund_source = models.CharField("资金来源", max_length=80)
    budget = models.DecimalField("预算(元)", max_digits=14, decimal_places=2)
    committed = models.DecimalField("已批准(元)", max_digits=14, decimal_places=2, default=Decimal("0"))
    paid = models.DecimalField("已发放(元)", max_digits=14, decimal_places=2, default=Decimal("0"))
    # Amount rules (DOMAIN.md defaults): jinqiu {"amounts": {level: {"registered": "5000", "other": "4000"}}};
    # medical/living/accident {"max_amount": "10000"}; condolence {"amount": "500", "goods": "米、面、油"}.
    rules = models.JSONField("金额规则", default=dict)
    documents_required = models.JSONField("所需材料", default=list)
    notice_workdays = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    apply_until = models.DateField("申请截止", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "帮扶项目"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["org_path", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("budget")), name="aid_programme_budget"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class AidApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        DOCS_OK = "docs_ok", "材料齐全"
        VISITED = "visited", "已走访"
        APPROVED = "approved", "已批准"
        IN_NOTICE = "in_notice", "公示中"
        BATCHED = "batched", "待发放"
        PAID = "paid", "已发放"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤销"

    class Level(models.TextChoices):
        UNIVERSITY = "university", "大学（含高职）"
        HIGH_SCHOOL = "high_school", "高中（含中职）"

    class Channel(models.TextChoices):
        WORKER = "worker", "职工本人"
        STAFF = "staff", "工会代办"

    number = models.CharField("编号", max_length=20, unique=True)
    programme = models.ForeignKey(AidProgramme, on_delete=models.PROTECT, related_name="applications")
    org = models.ForeignKey("orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices, default=Channel.WORKER)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applicant_name = EncryptedTextField("申请人")
    applicant_id_number = EncryptedTextField("申请人身份证号")
    applicant_id_index = models.CharField(max_length=64, db_index=True, editable=False)
    applicant_phone = EncryptedTextField("联系电话", blank=True)
    unit_name = models.CharField("工作单位", max_length=120)
    beneficiary_name = EncryptedTextField("受助人")
    beneficiary_id_number = EncryptedTextField("受助人身份证号")
    beneficiary_id_index = models.CharField(max_length=64, db_index=True, editable=False)
    relation = models.CharField("与申请人关系", max_length=10, default="本人")
    level = models.CharField("就读阶段", max_length=12, choices=Level.choices, blank=True)
    school_name = models.CharField("录取学校", max_length=80, blank=True)
    need = EncryptedTextField("困难情况说明", blank=True)
    bank_name = models.CharField("开户银行", max_length=40, blank=True)
    bank_account = EncryptedTextField("银行卡号", blank=True)
    hardship_file = models.ForeignKey(
        HardshipFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    requested_amount = models.DecimalField(
        "申请金额(元)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField("资助金额(元)", max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # "{kind}:{year}:{beneficiary index}" while the application is alive; NULL once refused or withdrawn.
    # Unique across the whole tree: one need, one grant a year, whichever union it is filed with.
    dedup_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    docs_note = models.CharField("材料审核意见", max_length=300, blank=True)
    decision_reason = models.CharField("审批意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey(
        "core.PublicNotice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "帮扶申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_path", "status"]), models.Index(fields=["programme", "status"])]

    def __str__(self):
        return self.number

    @property
    def applicant_name_masked(self) -> str:
        return crypto.mask_name(self.applicant_name)

    @property
    def beneficiary_name_masked(self) -> str:
        return crypto.mask_name(self.beneficiary_name)

    @property
    def applicant_id_masked(self) -> str:
        return crypto.mask_id_number(self.applicant_id_number)

    @property
    def beneficiary_id_masked(self) -> str:
        return crypto.mask_id_number(self.beneficiary_id_number)

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.PAID, self.Status.REJECTED, self.Status.WITHDRAWN)


class HomeVisit(models.Model):
    """入户走访: for a hardship file (yearly) or an application (before approval)."""

    hardship_file = models.ForeignKey(
        HardshipFile, null=True, blank=True, on_delete=models.CASCADE, related_name="visits"
    )
    application = models.ForeignKey(
        AidApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="visits"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=120)
    findings = EncryptedTextField("走访情况")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "入户走访"
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"走访 {self.visited_on:%Y-%m-%d}"


class AidDocument(models.Model):
    """A supporting document (录取通知书, 户口簿, 困难证明, a visit photo, a goods receipt photo): the bytes
    are stored encrypted in the database, never as a readable file on disk."""

    class Kind(models.TextChoices):
        ADMISSION = "admission", "录取通知书"
        ID_CARD = "id_card", "身份证"
        HOUSEHOLD = "household", "户口簿"
        HARDSHIP_PROOF = "hardship_proof", "困难证明"
        MEDICAL = "medical", "医疗费用单据"
        OTHER = "other", "其他材料"
        VISIT_PHOTO = "visit_photo", "走访照片"
        RECEIPT = "receipt", "签收照片"

    hardship_file = models.ForeignKey(
        HardshipFile, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    application = models.ForeignKey(
        AidApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    visit = models.ForeignKey(
        HomeVisit, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    payment = models.ForeignKey(
        "aid.Payment", null=True, blank=True, on_delete=models.CASCADE, related_name="receipts"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("材料类型", max_length=16, choices=Kind.choices)
    original_name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = EncryptedTextField("内容(加密)")  # base64 of the bytes, then encrypted
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "帮扶材料"
        ordering = ["kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "待发放"
        PAID = "paid", "已发放"

    number = models.CharField("批次号", max_length=24, unique=True)
    programme = models.ForeignKey(AidProgramme, on_delete=models.PROTECT, related_name="batches")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    count = models.PositiveIntegerField("笔数", default=0)
    total = models.DecimalField("合计(元)", max_digits=14, decimal_places=2, default=Decimal("0"))
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "发放批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number


class Payment(models.Model):
    """One line of a batch. OneToOne on the application: an application is never in two batches."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="payments")
    application = models.OneToOneField(AidApplication, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    goods = models.CharField("物资", max_length=80, blank=True)
    paid = models.BooleanField("已发放", default=False)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_name = models.CharField("签收人(脱敏)", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发放明细"
        ordering = ["batch", "id"]

    def __str__(self):
        return f"{self.batch_id}-{self.pk} {self.amount}"


class Donation(models.Model):
    """社会捐赠: who gave, how much, when, for which programme. A donor sees where the money went through
    a link with an unguessable token — totals by category, never recipients' names."""

    class DonorKind(models.TextChoices):
        COMPANY = "company", "企业"
        PERSON = "person", "个人"
        CAMPAIGN = "campaign", "公益募捐（如99公益日）"

    org = models.ForeignKey("orgs.Org", verbose_name="接收工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    programme = models.ForeignKey(
        AidProgramme, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    donor_kind = models.CharField("捐赠方类型", max_length=10, choices=DonorKind.choices)
    donor_name = models.CharField("捐赠方", max_length=120)
    campaign = models.CharField("募捐活动", max_length=80, blank=True)
    donors_count = models.PositiveIntegerField("捐赠人次", default=1)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)
    received_on = models.DateField("到账日期")
    note = models.CharField("备注", max_length=200, blank=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "捐赠"
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.donor_name} {self.amount}"
