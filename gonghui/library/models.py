"""职工书屋: the register of reading rooms by level, level upgrades, the e-library (collections lent to
enterprises' unions for a period), reading events and reading cards (both campaigns of the campaigns app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gonghui.orgs.models import Org


class Level(models.TextChoices):
    GRASSROOTS = "grassroots", "基层"
    COUNTY = "county", "县(市、区)级"
    CITY = "city", "市级"
    PROVINCIAL = "provincial", "省级"
    NATIONAL = "national", "全国"


# Lowest first: an upgrade goes one step up this list.
LEVEL_ORDER = [Level.GRASSROOTS, Level.COUNTY, Level.CITY, Level.PROVINCIAL, Level.NATIONAL]
# The union that names a room of each level: the next level up from the room approves.
APPROVER_KIND = {
    Level.COUNTY: Org.Kind.COUNTY,
    Level.CITY: Org.Kind.CITY,
    Level.PROVINCIAL: Org.Kind.PROVINCE,
    Level.NATIONAL: Org.Kind.NATIONAL,
}


def next_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


class ReadingRoom(models.Model):
    """One 职工书屋: where it is, which union hosts it, its level. A room may sit inside a service station."""

    class Place(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        WORKSHOP = "workshop", "车间/班组"
        VILLAGE = "village", "村(社区)"
        OFFICE = "office", "机关/办公区"
        STATION = "station", "服务站点/驿站"
        SITE = "site", "工地/园区"

    class Status(models.TextChoices):
        ACTIVE = "active", "开放"
        CLOSED = "closed", "已撤销"

    org = models.ForeignKey(
        Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="reading_rooms"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("书屋名称", max_length=120)
    level = models.CharField("级别", max_length=16, choices=Level.choices, default=Level.GRASSROOTS)
    place = models.CharField("所在场所", max_length=16, choices=Place.choices, default=Place.ENTERPRISE)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="所在驿站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reading_rooms",
    )
    address = models.CharField("地址", max_length=200)
    district = models.CharField("所在区县", max_length=40, blank=True)
    gcj_lat = models.FloatField("纬度(GCJ-02)")
    gcj_lng = models.FloatField("经度(GCJ-02)")
    hours = models.CharField("开放时间", max_length=120)
    books_count = models.PositiveIntegerField("藏书（册）", default=0)
    workers_reached = models.PositiveIntegerField("服务职工（人）", default=0)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "职工书屋"
        ordering = ["org_path", "name"]
        indexes = [
            models.Index(fields=["gcj_lat", "gcj_lng"], name="library_room_latlng"),
            models.Index(fields=["org_path", "level"], name="library_room_path_level"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="library_room_name_unique"),
        ]

    def __str__(self):
        return self.name


class LevelApplication(models.Model):
    """A room asks for the next level up, with evidence; the union of that level decides."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未通过"

    room = models.ForeignKey(ReadingRoom, on_delete=models.PROTECT, related_name="applications")
    from_level = models.CharField("原级别", max_length=16, choices=Level.choices)
    to_level = models.CharField("申请级别", max_length=16, choices=Level.choices)
    approver = models.ForeignKey(Org, verbose_name="审批工会", on_delete=models.PROTECT, related_name="+")
    approver_path = models.CharField(max_length=255, db_index=True)
    statement = models.TextField("申报说明")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField("审批意见", max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "书屋升级申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One open application per room: a second one waits for the first decision.
            models.UniqueConstraint(
                fields=["room"], condition=Q(status="submitted"), name="library_one_open_application"
            ),
        ]

    def __str__(self):
        return f"{self.room} → {self.get_to_level_display()}"


class LevelEvidence(models.Model):
    application = models.ForeignKey(LevelApplication, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="library/evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=100)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "升级申报材料"

    def __str__(self):
        return self.name


class Collection(models.Model):
    """E-books a union has licensed (流动电子职工书屋), lent as a whole to enterprises' unions."""

    org = models.ForeignKey(
        Org, verbose_name="授权工会", on_delete=models.PROTECT, related_name="ebook_collections"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("书库名称", max_length=120)
    licensor = models.CharField("版权方/授权来源", max_length=120, blank=True)
    licence_until = models.DateField("授权截止日期")
    description = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子书库"
        ordering = ["org_path", "name"]

    def __str__(self):
        return self.name


class EBook(models.Model):
    class Category(models.TextChoices):
        POLITICS = "politics", "时政"
        MANAGEMENT = "management", "管理"
        HEALTH = "health", "健康"
        LITERATURE = "literature", "文学"
        SKILLS = "skills", "技能"
        LAW = "law", "法律"
        OTHER = "other", "其他"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        EPUB = "epub", "EPUB"

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="books")
    title = models.CharField("书名", max_length=200)
    author = models.CharField("作者", max_length=120, blank=True)
    category = models.CharField("分类", max_length=16, choices=Category.choices, default=Category.OTHER)
    format = models.CharField("格式", max_length=8, choices=Format.choices)
    # Never under MEDIA_URL for readers: the file leaves only through the loan-checking view.
    file = models.FileField(upload_to="library/ebooks/%Y/")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField("上架", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子书"
        ordering = ["collection", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "sha256"], name="library_ebook_once_per_collection"
            ),
        ]

    def __str__(self):
        return self.title


class Loan(models.Model):
    """A collection lent to an enterprise's union from starts_on to ends_on (both days included,
    Asia/Shanghai). Its members read while it runs; at 00:00 after ends_on the files stop."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="loans")
    lender = models.ForeignKey(Org, verbose_name="出借工会", on_delete=models.PROTECT, related_name="+")
    lender_path = models.CharField(max_length=255, db_index=True)
    borrower = models.ForeignKey(
        Org, verbose_name="借阅企业工会", on_delete=models.PROTECT, related_name="ebook_loans"
    )
    borrower_path = models.CharField(max_length=255, db_index=True)
    starts_on = models.DateField("借阅开始")
    ends_on = models.DateField("借阅结束")
    withdrawn_at = models.DateTimeField("提前收回时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    # Counts only: distinct readers (see LoanReader) and opened books (LoanBookStat).
    readers = models.PositiveIntegerField("读者人数", default=0)
    opens = models.PositiveIntegerField("打开次数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子书借阅"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="library_loan_period"),
        ]

    def __str__(self):
        return f"{self.collection} → {self.borrower}"

    def runs_on(self, day) -> bool:
        return self.withdrawn_at is None and self.starts_on <= day <= self.ends_on


class LoanReader(models.Model):
    """That someone read under this loan, once: a keyed hash of (user, loan), which says nothing about
    which books, and cannot be joined to another loan's. It only keeps the reader count distinct."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["loan", "token"], name="library_loan_reader_once")]

    def __str__(self):
        return f"loan {self.loan_id} reader"


class LoanBookStat(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="book_stats")
    ebook = models.ForeignKey(EBook, on_delete=models.CASCADE, related_name="+")
    opens = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["loan", "ebook"], name="library_book_stat_unique")]

    def __str__(self):
        return f"loan {self.loan_id} book {self.ebook_id}: {self.opens}"


class ReadingHistory(models.Model):
    """A member's own reading history: theirs to see and delete; staff pages never read it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ebook = models.ForeignKey(EBook, on_delete=models.CASCADE, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "我的阅读记录"
        ordering = ["-last_opened_at"]
        constraints = [models.UniqueConstraint(fields=["user", "ebook"], name="library_history_unique")]

    def __str__(self):
        return f"{self.ebook_id} @ {self.last_opened_at:%Y-%m-%d}"


class ReadingEvent(models.Model):
    """A reading event (经典诵读, 文化沙龙 …) at a room: a campaign of the campaigns app does sign-up and check-in."""

    class Kind(models.TextChoices):
        RECITAL = "recital", "经典诵读"
        SALON = "salon", "文化沙龙"
        LECTURE = "lecture", "专题讲座"
        SHARING = "sharing", "心得交流"
        CONTEST = "contest", "演讲比赛"
        SKILLS = "skills", "技术交流"

    room = models.ForeignKey(ReadingRoom, on_delete=models.PROTECT, related_name="events")
    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("活动形式", max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "阅读活动"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.campaign_id}"


class ReadingCardIssue(models.Model):
    """职工读书卡 or 阅读礼包 a union hands out: a coupon campaign (grab, then redeem at the bookshop/room)."""

    class Kind(models.TextChoices):
        CARD = "card", "职工读书卡"
        PACK = "pack", "书籍阅读礼包"

    org = models.ForeignKey(Org, verbose_name="发放工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    room = models.ForeignKey(
        ReadingRoom, null=True, blank=True, on_delete=models.PROTECT, related_name="card_issues"
    )
    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.CARD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "读书卡发放"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.campaign_id}"
