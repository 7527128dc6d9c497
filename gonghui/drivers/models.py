"""司机服务: vehicles and licences with due dates, one-stop requests, the hotline log, member purchasing."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gonghui.core.fields import EncryptedTextField


class DocKind(models.TextChoices):
    DRIVING_LICENCE = "driving_licence", "驾驶证"
    QUALIFICATION = "qualification", "从业资格证"
    VEHICLE_INSPECTION = "vehicle_inspection", "行驶证年审"
    TRANSPORT_PERMIT = "transport_permit", "道路运输证年审"
    INSURANCE = "insurance", "车辆保险"


class Vehicle(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vehicles")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    plate = models.CharField("车牌号", max_length=16)
    kind = models.CharField("车型", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "车辆"
        constraints = [models.UniqueConstraint(fields=["owner", "plate"], name="drivers_vehicle_owner_plate")]

    def __str__(self):
        return self.plate


class DriverDocument(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="driver_documents"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("证照类型", max_length=24, choices=DocKind.choices)
    number = EncryptedTextField("证号", blank=True)
    last_done_on = models.DateField("发证/上次年审日期")
    due_on = models.DateField("下次到期日", db_index=True)
    share_with_union = models.BooleanField("允许工会查看到期提醒", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "证照"

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"


class Reminder(models.Model):
    """One row per (document, due date, days before): the unique constraint makes each reminder go once."""

    document = models.ForeignKey(DriverDocument, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "due_on", "days_before"], name="drivers_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.document_id}@{self.due_on}-{self.days_before}"


class RequestKind(models.TextChoices):
    PASS = "pass", "通行证办理"
    INSPECTION = "inspection", "年审代办"
    VIOLATION = "violation", "违章处理"
    ACCIDENT = "accident", "事故协助"


class AssigneeKind(models.TextChoices):
    STAFF = "staff", "工会工作人员"
    LAWYER = "lawyer", "合作律师"
    AGENCY = "agency", "合作代办机构"


class DriverRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ACCEPTED = "accepted", "办理中"
        DONE = "done", "已办结"
        ESCALATED = "escalated", "已转维权诉求"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="driver_requests"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("事项", max_length=16, choices=RequestKind.choices)
    plate = models.CharField("车牌号", max_length=16, blank=True)
    place = models.CharField("地点", max_length=120, blank=True)
    description = models.TextField("情况说明", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    due_on = models.DateField("办结时限")
    assignee = models.CharField("承办人/合作机构", max_length=80, blank=True)
    assignee_kind = models.CharField("承办方类型", max_length=8, choices=AssigneeKind.choices, blank=True)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_id = models.BigIntegerField("转入诉求工单", null=True, blank=True)
    hotline_call = models.ForeignKey(
        "HotlineCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "一站式服务申请"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)


class RequestStep(models.Model):
    request = models.ForeignKey(DriverRequest, on_delete=models.CASCADE, related_name="steps")
    actor_label = models.CharField(max_length=80, blank=True)
    body = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.body


class HotlineCall(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    caller_phone = EncryptedTextField("来电号码")
    caller_phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    caller_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caller_name = models.CharField("来电人", max_length=40, blank=True)
    topic = models.CharField("事由", max_length=200)
    promise = models.CharField("答复/承诺", max_length=300, blank=True)
    promise_due = models.DateField("承诺办结日", null=True, blank=True)
    promise_done = models.BooleanField(default=False)
    overdue_flagged_on = models.DateField(null=True, blank=True)
    case_id = models.BigIntegerField("转入诉求工单", null=True, blank=True)
    service_order_id = models.BigIntegerField("转入服务点单", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "热线记录"
        ordering = ["-created_at"]

    def __str__(self):
        return self.topic


class Product(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("商品", max_length=80)
    purchase_price = models.DecimalField("会员价(采购价)", max_digits=10, decimal_places=2)
    market_price = models.DecimalField("市场价", max_digits=10, decimal_places=2)
    supplier = models.CharField("供应商", max_length=120, blank=True)
    quality_note = models.CharField("质量检测说明", max_length=300, blank=True)
    stock = models.PositiveIntegerField("库存")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "会员价商品"
        constraints = [models.CheckConstraint(condition=models.Q(stock__gte=0), name="drivers_stock_nonneg")]

    def __str__(self):
        return self.name

    @property
    def unit_saving(self):
        return self.market_price - self.purchase_price


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", "待提货"
        PICKED_UP = "picked_up", "已提货"
        CANCELLED = "cancelled", "已取消"

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    quantity = models.PositiveIntegerField("数量")
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    market_price = models.DecimalField(max_digits=10, decimal_places=2)
    pickup_code = models.CharField("提货码", max_length=8, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLACED)
    created_at = models.DateTimeField(auto_now_add=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "采购订单"
        ordering = ["-created_at"]

    def __str__(self):
        return self.pickup_code

    @property
    def saving(self):
        return (self.market_price - self.unit_price) * self.quantity


class UnionHotline(models.Model):
    """The hotline number a union publishes to its member drivers (the nearest union up the tree wins)."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    number = models.CharField("热线号码", max_length=20)
    hours = models.CharField("接听时间", max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会热线号码"

    def __str__(self):
        return self.number


class DriverPhoto(models.Model):
    """A photo of a vehicle or a document: the bytes are base64-encoded and encrypted into the database,
    never written to disk in clear, and only the owner ever sees them (through a view that decrypts)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    document = models.ForeignKey(
        DriverDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    content = EncryptedTextField("内容(加密)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "证照照片"
        ordering = ["id"]

    def __str__(self):
        return f"照片 #{self.pk}"
