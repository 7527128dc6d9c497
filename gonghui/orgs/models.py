from django.conf import settings
from django.db import models

# Materialized path: each level adds STEP base-36 characters, so a subtree is one indexed
# prefix filter (path LIKE 'xxxxx%') on SQLite and PostgreSQL alike.
STEP = 5
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_segment(number: int) -> str:
    chars = []
    for _ in range(STEP):
        number, rem = divmod(number, 36)
        chars.append(ALPHABET[rem])
    if number:
        raise ValueError("下级组织数量超出上限")
    return "".join(reversed(chars))


class Org(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "全国总工会"
        PROVINCE = "province", "省总工会"
        CITY = "city", "市总工会"
        COUNTY = "county", "县(区)总工会"
        TOWNSHIP = "township", "乡镇(街道)工会"
        GRASSROOTS = "grassroots", "基层工会"
        INDUSTRY = "industry", "行业工会联合会"
        JOINT = "joint", "联合工会"

    name = models.CharField("名称", max_length=120)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    child_seq = models.PositiveIntegerField(default=0, editable=False)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    address = models.CharField("地址", max_length=200, blank=True)
    lat = models.FloatField("纬度(GCJ-02)", null=True, blank=True)
    lng = models.FloatField("经度(GCJ-02)", null=True, blank=True)
    chair_name = models.CharField("主席", max_length=40, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会组织"
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_ancestor_of(self, other: "Org") -> bool:
        return other.path.startswith(self.path)


class Staff(models.Model):
    """A staff position: one role for one user on one org node. A grant covers the subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", "管理员"
        APPROVER = "approver", "入会审批员"
        HANDLER = "handler", "经办人"
        EXPERT = "expert", "专家"
        STATION_KEEPER = "station_keeper", "驿站管理员"
        OBSERVER = "observer", "观察员"
        AUDITOR = "auditor", "审计员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField("岗位", max_length=16, choices=Role.choices)
    title = models.CharField("职务", max_length=40, blank=True)
    can_reveal_pii = models.BooleanField("可查看完整个人信息", default=False)
    is_active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会干部岗位"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="staff_unique_role")]

    def __str__(self):
        return f"{self.org.display_name} · {self.get_role_display()}"
