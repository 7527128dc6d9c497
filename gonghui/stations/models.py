from django.conf import settings
from django.db import models

from gonghui.core.crypto import mask_name, mask_phone
from gonghui.core.fields import EncryptedTextField
from gonghui.core.glossary import OCCUPATIONS
from gonghui.orgs.models import Org

# (code, label): the amenities workers ask for (DOMAIN.md) plus the ones the seed stations advertise.
AMENITIES = [
    ("rest", "歇脚"),
    ("water", "饮水"),
    ("heat", "热饭"),
    ("toilet", "如厕"),
    ("charge", "充电/换电"),
    ("medkit", "药箱"),
    ("books", "图书"),
    ("tools", "维修工具"),
    ("legal", "法律服务"),
    ("aircon", "冷暖空调"),
    ("wash", "洗衣洗浴"),
    ("wifi", "无线网络"),
]
AMENITY_LABELS = dict(AMENITIES)
AMENITY_BITS = {code: 1 << i for i, (code, _) in enumerate(AMENITIES)}


def amenity_mask(codes) -> int:
    mask = 0
    for code in codes or ():
        mask |= AMENITY_BITS.get(code, 0)
    return mask


class Station(models.Model):
    class Kind(models.TextChoices):
        UNION = "union", "工会驿站"
        LOVE = "love", "爱心驿站"
        DRIVER_HOME = "driver_home", "司机之家"
        SMART = "smart", "智慧驿站（扫码/刷脸进入）"
        RELAY = "relay", "爱心接力站"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        ACTIVE = "active", "开放"
        PAUSED = "paused", "暂停服务"
        CLOSED = "closed", "已撤销"

    org = models.ForeignKey(Org, verbose_name="主管工会", on_delete=models.PROTECT, related_name="stations")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    code = models.CharField("站点编码", max_length=32, unique=True)
    name = models.CharField("站点名称", max_length=80)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.UNION)
    district = models.CharField("所在区县", max_length=40, blank=True, db_index=True)
    address = models.CharField("地址", max_length=200)
    gcj_lat = models.FloatField("纬度(GCJ-02)")
    gcj_lng = models.FloatField("经度(GCJ-02)")
    wgs_lat = models.FloatField("纬度(WGS-84)")
    wgs_lng = models.FloatField("经度(WGS-84)")
    service_phone = models.CharField("服务电话", max_length=20, blank=True)
    keeper_name = models.CharField("站长", max_length=40, blank=True)
    keeper_phone = EncryptedTextField("站长手机", blank=True)
    is_24h = models.BooleanField("24小时开放", default=False)
    # {"0": [["08:00", "20:00"]], …, "6": [...]}: Monday = 0; an end not after its start runs past midnight.
    hours = models.JSONField("营业时间", default=dict, blank=True)
    amenities = models.JSONField("服务设施", default=list, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务站点"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["gcj_lat", "gcj_lng"], name="station_gcj_idx"),
            models.Index(fields=["org_path", "status"], name="station_scope_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def amenity_labels(self) -> list[str]:
        return [AMENITY_LABELS[c] for c, _ in AMENITIES if c in (self.amenities or [])]

    @property
    def keeper_phone_masked(self) -> str:
        return mask_phone(self.keeper_phone)

    @property
    def keeper_name_masked(self) -> str:
        return mask_name(self.keeper_name)


class StationClosure(models.Model):
    class Kind(models.TextChoices):
        TEMPORARY = "temporary", "临时闭站"
        HOLIDAY = "holiday", "节假日闭站"

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.TEMPORARY)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    reason = models.CharField("原因", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "闭站安排"
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="closure_dates"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"


class StationVisit(models.Model):
    """One scan of a station's QR code. Counted per station and day, never per person or per staff."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    occupation = models.CharField("职业", max_length=32, choices=OCCUPATIONS, blank=True)
    visited_on = models.DateField("日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "驿站到访"
        indexes = [models.Index(fields=["station", "visited_on"], name="visit_day_idx")]

    def __str__(self):
        return f"{self.station_id} {self.visited_on}"


class StationFeedback(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        RESOLVED = "resolved", "已解决"

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="feedback")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="station_feedback"
    )
    ratings = models.JSONField("设施评分", default=dict, blank=True)  # {"water": 1..5}
    problem = models.TextField("问题描述", blank=True)
    photo = models.FileField("照片", upload_to="station_feedback/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField("处理结果", max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "观察员反馈"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["station", "status"], name="feedback_open_idx")]

    def __str__(self):
        return f"{self.station_id} {self.get_status_display()}"

    @property
    def rating_items(self) -> list[tuple[str, int]]:
        return [(AMENITY_LABELS.get(k, k), v) for k, v in (self.ratings or {}).items()]
