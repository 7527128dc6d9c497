"""统计看板: monthly facts per union (its own node), the same rolled up over each union's whole subtree,
denominators (eligible workers), targets and the optional public page.

OwnFact is what the job recomputes from the source rows, a month at a time; MonthFact is what the pages
read: one union's subtree for a month is a handful of rows on one index, at any size of the tree below."""

from django.conf import settings
from django.db import models


class OwnFact(models.Model):
    """One figure of one union's OWN node (not its subtree) for one month: metric (what), dim (broken down
    by), value (a count, or fen for money). The roll-up job recomputes a month whole from the source rows
    (stats.rollup), so a row is never edited by hand and a rerun gives the same rows."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    month = models.DateField()  # the first day of the month
    metric = models.CharField(max_length=24)
    dim = models.CharField(max_length=32, blank=True, default="")
    value = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "本级月度统计"
        constraints = [
            models.UniqueConstraint(fields=["month", "org", "metric", "dim"], name="stats_own_unique"),
        ]
        indexes = [models.Index(fields=["month", "path"], name="stats_own_month_path")]

    def __str__(self):
        return f"{self.org_id} {self.month:%Y-%m} {self.metric}:{self.dim}={self.value}"


class MonthFact(models.Model):
    """A metric for the union's WHOLE subtree (itself and everything below it) for one month."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    metric = models.CharField(max_length=24)
    dim = models.CharField(max_length=32, blank=True, default="")
    value = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "月度统计（含下级）"
        constraints = [
            models.UniqueConstraint(fields=["org", "month", "metric", "dim"], name="stats_month_unique"),
        ]

    def __str__(self):
        return f"{self.org_id} {self.month:%Y-%m} {self.metric}:{self.dim}={self.value}"


class RollupState(models.Model):
    """One row: the last day rolled up; its row lock keeps two roll-ups from interleaving."""

    key = models.CharField(max_length=16, unique=True, default="facts")
    last_day = models.DateField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "统计汇总状态"

    def __str__(self):
        return f"{self.key} {self.last_day}"


class Denominator(models.Model):
    """应入会人数: the workers a union could reach (e.g. 4万 drivers on a platform), as of a date."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField("统计日期")
    eligible = models.PositiveIntegerField("应入会职工数")
    source = models.CharField("数据来源", max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "应入会职工数"
        ordering = ["-as_of", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "as_of"], name="stats_denominator_one_per_day")]

    def __str__(self):
        return f"{self.org_id} {self.as_of} {self.eligible}"


class Target(models.Model):
    """A union's own target: new members between start and due, or a new-form share of the registry by due."""

    class Kind(models.TextChoices):
        NEW_MEMBERS = "new_members", "新发展会员"
        NEW_FORM_SHARE = "new_form_share", "新就业形态会员占比"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("目标类型", max_length=16, choices=Kind.choices)
    # new_members: a head count; new_form_share: per mille (65 = 6.5 %).
    value = models.PositiveIntegerField("目标值")
    start = models.DateField("起始日期")
    due = models.DateField("完成期限")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作目标"
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due__gte=models.F("start")), name="stats_target_dates"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"


class PublicBoard(models.Model):
    """The union's public figures page: off until the union turns it on and picks the figures."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField("公开", default=False)
    figures = models.JSONField("公开的指标", default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开数据页"

    def __str__(self):
        return f"公开数据页 {self.org_id}"
