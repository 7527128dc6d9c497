"""劳模工匠: the honours register, selections (评选) with nominations, panel scores and 公示 through
gonghui.core.notices, 师带徒 agreements and the technical-problem list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.members.models import Member
from gonghui.orgs.models import Org

USER = settings.AUTH_USER_MODEL


class Level(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    ENTERPRISE = "enterprise", "企业"


class Honour(models.Model):
    """One honour held by a person (member) or a collective (org)."""

    title = models.CharField("荣誉称号", max_length=60)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    awarding_body = models.CharField("授予单位", max_length=80)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    member = models.ForeignKey(
        Member, verbose_name="获得者", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        Org, verbose_name="获得集体", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(Org, verbose_name="登记工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    selection = models.ForeignKey(
        "Selection", null=True, blank=True, on_delete=models.SET_NULL, related_name="honours"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "荣誉"
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(collective__isnull=True))
                | (Q(member__isnull=True) & Q(collective__isnull=False)),
                name="honour_person_or_collective",
            ),
            models.UniqueConstraint(
                fields=["selection", "member"],
                condition=Q(selection__isnull=False),
                name="honour_once_per_selection",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"


class Selection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "推荐中"
        NOTICE = "notice", "公示中"
        AWARDED = "awarded", "已表彰"

    class Nominators(models.TextChoices):
        UNITS = "units", "单位推荐"
        SELF = "self", "个人自荐"
        BOTH = "both", "单位推荐或个人自荐"

    org = models.ForeignKey(Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("评选名称", max_length=80)
    honour_title = models.CharField("授予称号", max_length=60)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    quota = models.PositiveSmallIntegerField("名额")
    criteria = models.TextField("评选条件", blank=True)
    nominators = models.CharField("推荐方式", max_length=8, choices=Nominators.choices, default="both")
    opens_on = models.DateField("推荐开始")
    closes_on = models.DateField("推荐截止")
    prize = models.DecimalField("奖金(元/人)", max_digits=10, decimal_places=2, default=0)
    # The funds scheme (an id in the funds app) whose budget pays the prize; booked on award.
    prize_scheme_id = models.PositiveIntegerField("奖金经费项目", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    notice_id = models.IntegerField(null=True, blank=True)
    panel = models.ManyToManyField(USER, verbose_name="评审组", blank=True, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评选"
        ordering = ["-id"]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "已推荐"
        SHORTLISTED = "shortlisted", "公示中"
        AWARDED = "awarded", "已授予"
        NOT_AWARDED = "not_awarded", "未授予"

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(Member, verbose_name="被推荐人", on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    is_self = models.BooleanField("自荐", default=False)
    evidence = models.TextField("事迹材料")
    figures = models.JSONField("数据", default=dict, blank=True)  # e.g. {"trips": 412, "accidents": 0}
    prize_ref = models.CharField("奖金申请编号", max_length=32, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NOMINATED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐"
        constraints = [
            models.UniqueConstraint(fields=["selection", "member"], name="nomination_once_per_selection")
        ]

    def __str__(self):
        return f"{self.selection_id}:{self.member_id}"


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    panelist = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("评分(0-100)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "panelist"], name="score_once_per_panelist")
        ]

    def __str__(self):
        return f"{self.nomination_id}:{self.score}"


class Agreement(models.Model):
    """师带徒: a master and one or more apprentices, possibly in other unions and regions."""

    class Status(models.TextChoices):
        ACTIVE = "active", "履行中"
        COMPLETED = "completed", "已结业"

    org = models.ForeignKey(Org, verbose_name="签约工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    master = models.ForeignKey(Member, verbose_name="师傅", on_delete=models.PROTECT, related_name="+")
    plan = models.TextField("带徒计划")
    starts_on = models.DateField("开始")
    ends_on = models.DateField("结束")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_review = models.TextField("结业评价", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "师带徒协议"

    def __str__(self):
        return f"师带徒协议 {self.pk}"


class Apprentice(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="apprentices")
    member = models.ForeignKey(Member, verbose_name="徒弟", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "徒弟"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "member"], name="apprentice_once_per_agreement")
        ]

    def __str__(self):
        return f"{self.agreement_id}:{self.member_id}"


class TechProblem(models.Model):
    """A technical problem an enterprise (through its union) posts; a master takes and solves it."""

    class Status(models.TextChoices):
        POSTED = "posted", "待揭榜"
        TAKEN = "taken", "攻关中"
        PROPOSED = "proposed", "待确认"
        SOLVED = "solved", "已解决"

    class Category(models.TextChoices):
        ELECTRICAL = "electrical", "电气设备"
        FACILITY = "facility", "设施"
        WELDING = "welding", "焊接"
        STUDIO = "studio", "工作室标准化"
        OTHER = "other", "其他"

    org = models.ForeignKey(Org, verbose_name="提出单位工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("难题", max_length=80)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    description = models.TextField("描述")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.POSTED)
    solver = models.ForeignKey(
        Member, verbose_name="攻关师傅", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    solution = models.TextField("解决方案", blank=True)
    follow_up = models.TextField("跟踪回访", blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术难题"
        ordering = ["-id"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A step of a 师带徒 plan (e.g. 独立排查电气故障), ticked off with a note."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=80)
    due_on = models.DateField("计划完成")
    done_on = models.DateField("实际完成", null=True, blank=True)
    note = models.CharField("完成情况", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "带徒节点"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


# --- studios (劳模创新工作室, 技能大师工作室) ----------------------------------------------------


class Studio(models.Model):
    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", "劳模创新工作室"
        SKILL_MASTER = "skill_master", "技能大师工作室"
        CRAFTSMAN = "craftsman", "工匠创新工作室"

    org = models.ForeignKey(Org, verbose_name="所在工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("工作室名称", max_length=80)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    named_year = models.PositiveSmallIntegerField("命名年度")
    leader = models.ForeignKey(Member, verbose_name="领衔人", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Member, verbose_name="成员", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新工作室"
        ordering = ["-named_year", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="studio_name_per_org")]

    def __str__(self):
        return self.name


class StudioProject(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "立项"
        ACTIVE = "active", "攻关中"
        DONE = "done", "已完成"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField("项目", max_length=80)
    goal = models.TextField("目标")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PLANNED)
    year = models.PositiveSmallIntegerField("年度")
    benefit = models.DecimalField("年创效益(元)", max_digits=14, decimal_places=2, default=0)
    benefit_basis = models.CharField("效益核算依据", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作室项目"
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(benefit__gte=0), name="studio_project_benefit_nonneg"),
        ]

    def __str__(self):
        return self.title


class StudioFunding(models.Model):
    """Money a studio received, booked in the funds app: the application number links to its ledger."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="fundings")
    application_number = models.CharField("补贴申请编号", max_length=32, unique=True)
    label = models.CharField("项目", max_length=120)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField("年度")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作室经费"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.application_number


class StudioReview(models.Model):
    class Result(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField("考评结果", max_length=10, choices=Result.choices)
    comment = models.TextField("考评意见")
    benefit_total = models.DecimalField("当年项目效益(元)", max_digits=14, decimal_places=2, default=0)
    reviewed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作室年度考评"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="studio_review_once_a_year")]

    def __str__(self):
        return f"{self.studio_id}:{self.year}"


# --- skills competitions and training ---------------------------------------------------------


class CertLevel(models.TextChoices):
    """职业技能等级 (the keys 淮安's training subsidy bands use)."""

    JUNIOR = "junior", "初级工"
    INTERMEDIATE = "intermediate", "中级工"
    SENIOR = "senior", "高级工"
    TECHNICIAN = "technician", "技师"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师"


CERT_ORDER = [c.value for c in CertLevel]


class Contest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "报名/比赛中"
        CLOSED = "closed", "已公布成绩"

    org = models.ForeignKey(Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("竞赛名称", max_length=80)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    held_on = models.DateField("比赛日期")
    advance_count = models.PositiveSmallIntegerField("晋级名额", default=0)
    team_size = models.PositiveSmallIntegerField("每队人数", default=0)  # 0 = individual only
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "技能竞赛"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class ContestEvent(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="events")
    name = models.CharField("项目", max_length=60)
    max_score = models.PositiveSmallIntegerField("满分", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "竞赛项目"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="contest_event_unique")]

    def __str__(self):
        return self.name


class Team(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("代表队", max_length=60)
    org = models.ForeignKey(Org, verbose_name="选派单位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "代表队"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="contest_team_unique")]

    def __str__(self):
        return self.name


class Entrant(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entrants")
    member = models.ForeignKey(Member, verbose_name="选手", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="entrants")
    total = models.DecimalField("总分", max_digits=7, decimal_places=1, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    advances = models.BooleanField("晋级", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "参赛选手"
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="entrant_once_per_contest")]

    def __str__(self):
        return f"{self.contest_id}:{self.member_id}"


class EntrantScore(models.Model):
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="scores")
    event = models.ForeignKey(ContestEvent, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField("得分", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = "竞赛得分"
        constraints = [models.UniqueConstraint(fields=["entrant", "event"], name="entrant_score_once")]

    def __str__(self):
        return f"{self.entrant_id}:{self.score}"


class TrainingRecord(models.Model):
    """A training course finished and the 职业技能等级证书 it earned (read by funds' training subsidy)."""

    member = models.ForeignKey(Member, verbose_name="学员", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="登记工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    course = models.CharField("培训项目", max_length=80)
    trade = models.CharField("职业（工种）", max_length=40)
    hours = models.PositiveSmallIntegerField("学时", default=0)
    level = models.CharField("证书等级", max_length=20, choices=CertLevel.choices)
    certificate_no = models.CharField("证书编号", max_length=40)
    issued_on = models.DateField("发证日期")
    contest = models.ForeignKey(Contest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训取证记录"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate_no", "level"], name="training_certificate_unique")
        ]

    def __str__(self):
        return f"{self.member_id}:{self.get_level_display()}"


class HonourService(models.Model):
    """A service a union aimed at honour holders: a campaign (course, camp, coupon) or donated mutual-aid cover."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", "活动/课程/福利券"
        COVER = "cover", "赠送互助保障"

    org = models.ForeignKey(Org, verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    target_id = models.PositiveIntegerField("活动或保障产品编号")
    target_label = models.CharField("名称", max_length=120)
    levels = models.JSONField("荣誉级别（空为全部）", default=list, blank=True)
    reached = models.PositiveIntegerField("覆盖人数", default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "劳模工匠服务"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "target_id"], name="honour_service_once_per_target")
        ]

    def __str__(self):
        return self.target_label
