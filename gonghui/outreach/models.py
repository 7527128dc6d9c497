"""走访与协商 (issue 22, seeds 002/004): 法律体检 visits to enterprises, 蹲点 opinions grouped into a problem
list with measures and outcomes, and an industry union's collective-consultation calendar with agreements
whose numbered commitments are followed up with evidence until the next meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# --- 法律体检 visits -------------------------------------------------------------------------------


class Topic(models.TextChoices):
    CONTRACT = "contract", "劳动合同"
    WAGES = "wages", "工资按时足额"
    HOURS = "hours", "工时与休息休假"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    SAFETY = "safety", "劳动安全卫生"
    RULES = "rules", "规章制度与民主程序"


class Visit(models.Model):
    org = models.ForeignKey("orgs.Org", verbose_name="走访工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    enterprise_name = models.CharField("企业名称", max_length=120)
    enterprise_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    enterprise_union = models.ForeignKey(
        "orgs.Org",
        verbose_name="企业工会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField("走访日期", db_index=True)
    visitors = models.CharField("走访人员", max_length=120, blank=True)
    rules_advised = models.PositiveIntegerField("建议建立/完善制度(项)", default=0)
    rules_improved = models.PositiveIntegerField("企业已建立/完善制度(项)", default=0)
    disputes_solved = models.PositiveIntegerField("现场化解纠纷(起)", default=0)
    summary = models.TextField("走访小结", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律体检走访"
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.enterprise_name} {self.visited_on}"


class CheckItem(models.Model):
    class Result(models.TextChoices):
        OK = "ok", "合规"
        PROBLEM = "problem", "有问题"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField("体检项目", max_length=20, choices=Topic.choices)
    result = models.CharField("结果", max_length=8, choices=Result.choices)
    note = models.CharField("情况说明", max_length=500, blank=True)
    worker_name = models.CharField("涉及职工", max_length=40, blank=True)
    workers_affected = models.PositiveIntegerField("涉及人数", default=0)
    amount = models.DecimalField("涉及金额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    case_id = models.BigIntegerField("转入诉求工单", null=True, blank=True, unique=True)
    case_number = models.CharField("工单号", max_length=20, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "topic"], name="outreach_item_once")]

    def __str__(self):
        return f"{self.get_topic_display()}：{self.get_result_display()}"


class FollowUp(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField("跟进事项", max_length=200)
    due_on = models.DateField("跟进期限", db_index=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("跟进结果", max_length=300, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.action


# --- 蹲点 and listening: opinions → problem list → measures → outcomes ------------------------------


class Problem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSED = "closed", "已办结"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    batch = models.CharField("批次", max_length=40, blank=True)
    title = models.CharField("问题", max_length=120)
    description = models.TextField("问题说明", blank=True)
    due_on = models.DateField("解决期限", null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField("办理结果", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题清单"
        ordering = ["status", "due_on", "pk"]

    def __str__(self):
        return self.title


class Opinion(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "蹲点/座谈记录"
        WORKER = "worker", "职工线上反映"
        VISIT = "visit", "法律体检走访"
        CASE = "case", "12351 意见建议"
        MEETING = "meeting", "协商会议"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    text = models.CharField("意见内容", max_length=500)
    raiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raiser_name = models.CharField("反映人", max_length=40, blank=True)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions"
    )
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions"
    )
    case_id = models.BigIntegerField(null=True, blank=True, unique=True)
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions"
    )
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "职工意见"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:30]


class Measure(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField("措施", max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_department = models.CharField("责任单位(外部门)", max_length=60, blank=True)
    due_on = models.DateField("完成期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("落实情况", max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text[:30]

    @property
    def owner_label(self) -> str:
        if self.owner_department:
            return self.owner_department
        return getattr(self.owner_user, "name", "") or "—"


# --- collective consultation ------------------------------------------------------------------------


class Forum(models.Model):
    """An industry union's standing consultation with the firms of its industry (浦东 网约车)."""

    org = models.ForeignKey("orgs.Org", verbose_name="行业工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("协商平台", max_length=120)
    counterpart = models.CharField("企业方/服务单位", max_length=300)
    rules = models.TextField("议事规则要点", blank=True)
    min_per_year = models.PositiveSmallIntegerField("每年至少协商协调会(次)", default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "协商协调平台"
        ordering = ["org_path", "pk"]

    def __str__(self):
        return self.name


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", "协商协调会"
    TALK = "talk", "协商恳谈会"
    COLLECTIVE = "collective", "集体协商"
    CONGRESS = "congress", "职工代表(扩大)会议"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "已排期"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会议形式", max_length=16, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=120)
    scheduled_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField("会议纪要", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "协商会议"
        ordering = ["scheduled_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def counts_for_minimum(self) -> bool:
        return self.kind == MeetingKind.COORDINATION and self.status != self.Status.CANCELLED


class Participant(models.Model):
    class Side(models.TextChoices):
        UNION = "union", "工会"
        WORKER = "worker", "职工代表"
        EMPLOYER = "employer", "企业方"
        GOVERNMENT = "government", "政府部门"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField("方", max_length=12, choices=Side.choices)
    name = models.CharField("姓名", max_length=40)
    unit = models.CharField("单位/职务", max_length=120, blank=True)

    class Meta:
        ordering = ["side", "pk"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="agreements")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField("协议名称", max_length=120)
    parties = models.CharField("签约各方", max_length=300)
    signed_on = models.DateField("签订日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "协商协议"
        ordering = ["-signed_on", "-pk"]

    def __str__(self):
        return self.title


class Commitment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待落实"
        PROGRESS = "progress", "落实中"
        KEPT = "kept", "已落实"
        NOT_KEPT = "not_kept", "未落实"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField("序号")
    text = models.CharField("承诺内容", max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="outreach_commitment_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:30]}"


class Evidence(models.Model):
    """One follow-up of a commitment: what was checked, on which day, what proves it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="evidence")
    checked_on = models.DateField("核查日期")
    note = models.CharField("核查情况与佐证", max_length=500)
    status = models.CharField("核查结论", max_length=10, choices=Commitment.Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return self.note[:30]


class YearReminder(models.Model):
    """The yearly-minimum reminder for one forum and year goes once: the unique constraint decides."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["forum", "year"], name="outreach_year_reminder_once")]

    def __str__(self):
        return f"{self.forum_id}@{self.year}"
