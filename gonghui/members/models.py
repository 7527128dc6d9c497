from django.conf import settings
from django.db import models

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField

ID_INDEX = "id_number"

OCCUPATIONS = [
    # 八大群体 first, then 网约车司机, then ordinary occupations.
    ("truck_driver", "货车司机"),
    ("courier", "快递员"),
    ("caregiver", "护工护理员"),
    ("housekeeper", "家政服务员"),
    ("mall_informant", "商场信息员"),
    ("food_delivery", "网约送餐员"),
    ("real_estate_agent", "房产中介员"),
    ("security_guard", "保安员"),
    ("ride_hailing", "网约车司机"),
    ("factory_worker", "生产工人"),
    ("construction_worker", "建筑工人"),
    ("office_clerk", "办公室职员"),
    ("teacher", "教师"),
    ("medical", "医务人员"),
    ("service", "服务业人员"),
    ("other", "其他"),
]
PRIORITY_GROUPS = {
    "truck_driver",
    "courier",
    "caregiver",
    "housekeeper",
    "mall_informant",
    "food_delivery",
    "real_estate_agent",
    "security_guard",
}


def id_index(id_number: str) -> str:
    return crypto.blind_index(id_number, purpose=ID_INDEX)


class Member(models.Model):
    """One person, one membership: the blind index of the 身份证号 is unique."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在籍"
        TRANSFERRING = "transferring", "转接中"
        WITHDRAWN = "withdrawn", "已退会"
        RETIRED = "retired", "退休保留会籍"

    class EmploymentForm(models.TextChoices):
        STANDARD = "standard", "传统就业"
        NEW = "new", "新就业形态"
        FLEXIBLE = "flexible", "灵活就业"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name="所属工会", on_delete=models.PROTECT, related_name="members"
    )
    # Copied from org.path so subtree counts and lists are one index range on this table.
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    member_no = models.CharField("会员编号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=40)
    id_number = EncryptedTextField("身份证号")
    id_index = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField("手机号", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_date = models.DateField("出生日期")
    occupation = models.CharField("职业", max_length=32, choices=OCCUPATIONS, default="other")
    employment_form = models.CharField(
        "就业形态", max_length=16, choices=EmploymentForm.choices, default=EmploymentForm.STANDARD
    )
    employer_name = models.CharField("工作单位/平台", max_length=120, blank=True)
    status = models.CharField("会籍状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateField("入会时间")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "会员"
        indexes = [
            models.Index(fields=["org_path", "status"]),
            models.Index(fields=["org", "status", "-joined_at"]),
        ]

    def __str__(self):
        return f"{crypto.mask_name(self.name)} {self.member_no}"

    @property
    def id_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def is_priority_group(self) -> bool:
        return self.occupation in PRIORITY_GROUPS
