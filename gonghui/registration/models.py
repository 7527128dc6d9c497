"""工会法人登记 (基层工会法人登记管理办法, 2020): a grassroots union's filings of the five types, approved
at its registering authority (a county-level or higher union by organisational relation), and the signed
electronic certificates issued on approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gonghui.core.fields import EncryptedTextField
from gonghui.orgs.models import Org

USER = settings.AUTH_USER_MODEL


class Filing(models.Model):
    class Kind(models.TextChoices):
        APPLY = "apply", "申请登记"
        CHANGE = "change", "变更登记"
        RENEW = "renew", "换领证书"
        REPLACE = "replace", "补领证书"
        CANCEL = "cancel", "注销登记"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审批"
        RETURNED = "returned", "退回补正"
        APPROVED = "approved", "已核准"
        WITHDRAWN = "withdrawn", "已撤回"

    org = models.ForeignKey(Org, verbose_name="基层工会", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Org, verbose_name="登记机关", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    union_name = models.CharField("工会名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    legal_rep = models.CharField("法定代表人", max_length=40)
    address = models.CharField("住所", max_length=200)
    term_start = models.DateField("任期起", null=True, blank=True)
    term_end = models.DateField("任期止", null=True, blank=True)
    change_date = models.DateField("变更事项发生日", null=True, blank=True)
    reason = models.CharField("事由", max_length=200, blank=True)
    documents = models.JSONField("已提交材料", default=list)
    corrections = models.JSONField("补正事项", default=list)
    late = models.BooleanField("逾期申报", default=False)
    due_date = models.DateField("审批期限")
    filed_by = models.ForeignKey(USER, verbose_name="申报人", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated = models.BooleanField("已提级督办", default=False)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("核准时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法人登记申请"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One open filing per union at a time: the approval decides on one record.
            models.UniqueConstraint(
                fields=["org"],
                condition=models.Q(status__in=["submitted", "returned"]),
                name="registration_one_open_filing",
            )
        ]

    def __str__(self):
        return f"{self.union_name} · {self.get_kind_display()}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "有效"
        RENEWED = "renewed", "已换领"
        CHANGED = "changed", "已变更换发"
        REPLACED = "replaced", "已补领作废"
        CANCELLED = "cancelled", "已注销"

    number = models.CharField("证书编号", max_length=32, unique=True)
    org = models.ForeignKey(Org, verbose_name="基层工会", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Org, verbose_name="登记机关", on_delete=models.PROTECT, related_name="+")
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="certificate")
    union_name = models.CharField("工会名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    legal_rep = models.CharField("法定代表人", max_length=40)
    address = models.CharField("住所", max_length=200)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="新证书"
    )
    pdf = models.BinaryField("签章证书PDF")
    issued_at = models.DateTimeField("发证时间")
    expiry_reminded = models.BooleanField("已提醒到期", default=False)
    drift_since = models.DateField("登记事项变化发现日", null=True, blank=True)
    drift_reminded = models.BooleanField("已提醒变更", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "法人资格证书"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org"], condition=models.Q(status="valid"), name="registration_one_valid_certificate"
            )
        ]

    def __str__(self):
        return self.number


class AuthorityKey(models.Model):
    """The demo's self-signed signing certificate of a registering authority (production: settings)."""

    authority = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="+")
    cert_pem = models.TextField()
    key_pem = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "登记机关签章证书"

    def __str__(self):
        return f"{self.authority} 签章证书"
