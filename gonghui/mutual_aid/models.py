"""职工医疗互助保障: products versioned by year, enrolments, claims per hospital stay and the 五个一."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField

from . import calculator


class MutualAidProduct(models.Model):
    """One product of one year, run by a province or city union (with its 职工保障互助协会).

    Rules are data and never change once claims exist: next year's rules are a new row, so last year's
    claims are still computed by last year's rules."""

    class Eligibility(models.TextChoices):
        MEMBERS = "members", "在籍会员"
        NEW_FORM = "new_form", "新就业形态劳动者会员"

    org = models.ForeignKey(
        "orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="mutual_aid_products"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    code = models.CharField("产品代码", max_length=30)
    name = models.CharField("名称", max_length=80)
    year = models.PositiveSmallIntegerField("保障年度")
    period_start = models.DateField("保障期起")
    period_end = models.DateField("保障期止")
    premium = models.DecimalField("每人每期互助金(元)", max_digits=10, decimal_places=2)
    eligibility = models.CharField(
        "参保对象", max_length=12, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    deductible = models.DecimalField("年度起付线(元)", max_digits=12, decimal_places=2)
    # [{"lower": "0", "upper": "10000", "rate": "0.30"}, …, {"lower": "200000", "upper": null, "rate": "0.95"}]
    bands = models.JSONField("分段比例")
    minimum_payout = models.DecimalField("保底金额(元)", max_digits=10, decimal_places=2)
    allowance_per_day = models.DecimalField("住院津贴(元/天)", max_digits=8, decimal_places=2)
    allowance_max_days = models.PositiveSmallIntegerField("住院津贴年度天数上限")
    yearly_cap = models.DecimalField("年度封顶(元)", max_digits=12, decimal_places=2)
    covers_accident = models.BooleanField("含意外伤害住院", default=True)
    is_active = models.BooleanField("开放参保", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "医疗互助产品"
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code", "year"], name="mutual_product_code_year"),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}年度）"

    @property
    def rules(self) -> calculator.Rules:
        return calculator.Rules(
            deductible=self.deductible,
            bands=tuple(
                calculator.Band(
                    Decimal(str(b["lower"])),
                    None if b.get("upper") in (None, "") else Decimal(str(b["upper"])),
                    Decimal(str(b["rate"])),
                )
                for b in self.bands
            ),
            minimum_payout=self.minimum_payout,
            allowance_per_day=self.allowance_per_day,
            allowance_max_days=self.allowance_max_days,
            yearly_cap=self.yearly_cap,
            covers_accident=self.covers_accident,
        )


class Enrolment(models.Model):
    """One member covered by one product year; the enrolling union pays, or the member, or it is donated."""

    class PaidBy(models.TextChoices):
        UNION = "union", "工会统一缴纳"
        MEMBER = "member", "个人缴纳"
        DONATED = "donated", "赠送"

    class DonatedAs(models.TextChoices):
        NONE = "", "—"
        MODEL_WORKER = "model_worker", "劳动模范"
        CRAFTSMAN = "craftsman", "工匠"
        HARDSHIP = "hardship", "困难职工"

    class Status(models.TextChoices):
        ACTIVE = "active", "保障中"
        CANCELLED = "cancelled", "已撤销"

    product = models.ForeignKey(MutualAidProduct, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="mutual_aid_enrolments"
    )
    org = models.ForeignKey("orgs.Org", verbose_name="参保工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    paid_by = models.CharField("缴费方式", max_length=8, choices=PaidBy.choices, default=PaidBy.UNION)
    donated_as = models.CharField("赠送对象", max_length=16, choices=DonatedAs.choices, blank=True)
    premium = models.DecimalField("互助金(元)", max_digits=10, decimal_places=2)
    certificate_no = models.CharField("保障凭证号", max_length=24, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("参保时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "互助保障参保"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "member"], name="mutual_enrolment_once"),
        ]
        indexes = [models.Index(fields=["org_path", "product"])]

    def __str__(self):
        return self.certificate_no


class MutualAidClaim(models.Model):
    """One hospital stay. Payout and breakdown are recomputed for the whole year whenever a stay of it changes."""

    class Kind(models.TextChoices):
        ILLNESS = "illness", "疾病住院"
        ACCIDENT = "accident", "意外伤害住院"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已审核待支付"
        PAID = "paid", "已支付"
        REJECTED = "rejected", "不予给付"
        WITHDRAWN = "withdrawn", "已撤回"

    class Channel(models.TextChoices):
        WORKER = "worker", "职工申请"
        UNION = "union", "工会代报"

    number = models.CharField("申请号", max_length=20, unique=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="claims")
    org = models.ForeignKey("orgs.Org", verbose_name="经办工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    channel = models.CharField("来源", max_length=8, choices=Channel.choices, default=Channel.WORKER)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.ILLNESS)
    hospital = EncryptedTextField("医院")
    diagnosis = EncryptedTextField("诊断", blank=True)
    admitted_on = models.DateField("入院日期")
    discharged_on = models.DateField("出院日期")
    total_cost = models.DecimalField("医疗总费用(元)", max_digits=12, decimal_places=2)
    insured_part = models.DecimalField("医保统筹支付(元)", max_digits=12, decimal_places=2)
    self_paid = models.DecimalField("个人自付(元)", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    payout = models.DecimalField("互助金(元)", max_digits=12, decimal_places=2, default=Decimal("0"))
    breakdown = models.JSONField("计算过程", default=dict)
    paid_amount = models.DecimalField("已支付(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "医疗互助申请"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["org_path", "status"]),
            models.Index(fields=["enrolment", "admitted_on"]),
        ]

    COUNTED = (Status.SUBMITTED, Status.APPROVED, Status.PAID)

    def __str__(self):
        return self.number

    @property
    def days(self) -> int:
        return max((self.discharged_on - self.admitted_on).days, 1)

    @property
    def hospital_masked(self) -> str:
        return crypto.mask_text(self.hospital, keep=2)

    @property
    def difference(self) -> Decimal | None:
        """After a recomputation, what a paid stay still owes (+) or was overpaid (−)."""
        if self.paid_amount is None:
            return None
        return self.payout - self.paid_amount


class ClaimPhoto(models.Model):
    claim = models.ForeignKey(MutualAidClaim, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="mutual_aid/%Y/%m/")
    original_name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "票据照片"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class FollowUp(models.Model):
    """The 五个一 after a payout: the SMS is sent by the system, the rest ticked by the union."""

    class Item(models.TextChoices):
        SMS = "sms", "一条补助短信"
        CALL = "call", "一个问候电话"
        GIFT = "gift", "一份慰问品"
        MONEY = "money", "一笔慰问金"
        POLICY = "policy", "一次政策宣传"

    claim = models.ForeignKey(MutualAidClaim, on_delete=models.CASCADE, related_name="follow_ups")
    item = models.CharField("事项", max_length=8, choices=Item.choices)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_by_label = models.CharField("经办人", max_length=80, blank=True)
    note = models.CharField("备注", max_length=120, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "五个一"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "item"], name="mutual_followup_once")]

    def __str__(self):
        return self.get_item_display()
