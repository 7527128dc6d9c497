from django.conf import settings
from django.db import models

from .fields import EncryptedTextField


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update()/delete() would bypass the model's save()/delete() guards."""

    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """Append-only: one row per state change and per reveal/export of personal data.

    Never holds raw personal data: objects are named by type and id, details carry codes and
    counts, masked values at most."""

    class Result(models.TextChoices):
        OK = "ok", "成功"
        DENIED = "denied", "拒绝"
        FAILED = "failed", "失败"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=80, blank=True)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Scope filters are ranges on org_path, served by the (org_path, -created_at) index below; a second
    # index on the column alone would only slow down the busiest insert of the system.
    org_path = models.CharField(max_length=255, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    result = models.CharField("结果", max_length=8, choices=Result.choices, default=Result.OK)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_path", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除")


class Notification(models.Model):
    """In-app inbox message; SMS copies go through the sender interface (core.sms)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=32, default="system")
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self):
        return self.title


class PublicNotice(models.Model):
    """公示: a public list of masked entries (王*军 · unit · amount or title) for a period in working days.

    One mechanism for every app (aid grants, honours, lottery results): the owning app names itself in
    `source` and its own object in `source_ref`; each entry carries the owner's reference in `ref`, which
    is never shown. Objections are stored here; the owning app turns them into cases (core.notices)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "公示中"
        WITHDRAWN = "withdrawn", "已撤回"

    source = models.CharField("来源", max_length=32, db_index=True)
    source_ref = models.CharField("来源对象", max_length=64, blank=True)
    org = models.ForeignKey("orgs.Org", verbose_name="公示单位", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("说明", blank=True)
    workdays = models.PositiveSmallIntegerField("公示期（工作日）")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止（含当日）", db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["source", "source_ref"])]

    def __str__(self):
        return self.title


class NoticeEntry(models.Model):
    """One line of a notice. Holds the masked name only: the full name never reaches this table."""

    class Status(models.TextChoices):
        LISTED = "listed", "公示中"
        DISPUTED = "disputed", "有异议待核实"
        UPHELD = "upheld", "异议成立，已撤销"

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField("序号")
    name_masked = models.CharField("姓名（脱敏）", max_length=40)
    unit = models.CharField("单位", max_length=120, blank=True)
    detail = models.CharField("金额或称号", max_length=120, blank=True)
    ref = models.CharField("来源记录", max_length=64)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.LISTED)

    class Meta:
        verbose_name = verbose_name_plural = "公示条目"
        ordering = ["notice", "position"]
        constraints = [models.UniqueConstraint(fields=["notice", "ref"], name="notice_entry_unique_ref")]

    def __str__(self):
        return f"{self.name_masked} {self.detail}"


class NoticeObjection(models.Model):
    """异议: filed on the public page by anyone who gives a name and a phone; decided by the owning union."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        UPHELD = "upheld", "成立"
        DISMISSED = "dismissed", "不成立"

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(
        NoticeEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="objections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = EncryptedTextField("异议人姓名")
    reporter_phone = EncryptedTextField("异议人电话")
    reason = models.TextField("异议内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    case_ref = models.CharField("工单", max_length=64, blank=True)
    decision = models.CharField("核实结论", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"异议 #{self.pk}"


class CalendarDay(models.Model):
    """An override of the official calendar for one day: a public holiday, or a make-up working day (调休上班).

    The official schedule comes from the chinese-calendar package (it carries the State Council's notices);
    this table is what 全总 and provincial staff edit in the workbench for a year the package does not know
    yet (the notice comes out each November) and for provincial days (三月三 in 广西). A row here wins.

    The table keeps the name it was born with in the cases app (state-only move, no data copied)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    name = models.CharField("节日", max_length=20)

    class Meta:
        db_table = "cases_calendarday"
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}{self.get_kind_display()}"


class JobLease(models.Model):
    """Who runs a scheduled job now, and which period it last ran for (core/jobs.py).

    Every app server may have the same cron lines; the lease lets one of them run each period and the
    others skip it, and lets a job whose runner died be taken over once its lease expires."""

    name = models.CharField("任务", max_length=100, primary_key=True)
    holder = models.CharField("执行者", max_length=200)
    expires_at = models.DateTimeField("租约到期")
    last_slot = models.BigIntegerField("最近执行的周期", default=0)
    started_at = models.DateTimeField("最近开始")
    finished_at = models.DateTimeField("最近结束", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务租约"

    def __str__(self):
        return self.name
