"""The seed articles' campaigns: 宝鸡's 50-plus free courses at the workers'
cultural palace, 宁波's welfare coupons (电影券 5000, 游泳券 2000, 疗休养券 300 by lottery, 餐券 1000,
体检券 120) and a small one for the 柳林 demo worker. Idempotent; `manage.py demo --only campaigns`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from gonghui.campaigns import services
from gonghui.campaigns.models import Campaign
from gonghui.orgs.models import Org, Staff

COURSES = [
    ("民族舞", "舞蹈室"),
    ("古典舞", "舞蹈室"),
    ("广场舞", "舞蹈室"),
    ("拉丁舞", "舞蹈室"),
    ("声乐", "声乐教室"),
    ("合唱", "声乐教室"),
    ("摄影", "多媒体教室"),
    ("手机摄影", "多媒体教室"),
    ("插花", "多功能室"),
    ("围棋", "棋艺室"),
    ("象棋", "棋艺室"),
    ("旗袍走秀", "形体室"),
    ("茶艺", "茶艺室"),
    ("钢琴", "钢琴室"),
    ("古筝", "古筝教室"),
    ("书法", "书画室"),
    ("国画", "书画室"),
    ("太极拳", "健身房"),
    ("瑜伽", "形体室"),
    ("八段锦", "健身房"),
    ("葫芦丝", "器乐室"),
    ("二胡", "器乐室"),
    ("电子琴", "钢琴室"),
    ("朗诵", "多媒体教室"),
    ("剪纸", "手工室"),
    ("烘焙", "手工室"),
]
SLOTS = ["周六 9:00-11:00", "周日 14:30-16:30"]


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(*, stdout) -> None:
    orgs = {o.short_name: o for o in Org.objects.filter(short_name__in=["宝鸡市总", "宁波市总", "柳林县总"])}
    if len(orgs) < 3:
        raise CommandError("请先运行 manage.py demo 创建工会组织树")
    actor = (
        Staff.objects.filter(org__parent__isnull=True, role=Staff.Role.ADMIN).select_related("user").first()
    )
    if actor is None:
        raise CommandError("没有全国总工会管理员账号，请先运行 manage.py demo")
    actor = actor.user
    made = 0
    for spec in _specs(orgs):
        if Campaign.objects.filter(title=spec["title"], org=spec["org"]).exists():
            continue
        services.campaign_create(actor=actor, **spec)
        made += 1
    stdout.write(f"已创建 {made} 个活动（已存在的跳过）")


def _specs(orgs):
    semester_end = timezone.localdate() + dt.timedelta(days=120)
    courses = [
        {
            "name": f"{name}班（{slot[:2]}）",
            "capacity": 30 if "舞" in name or "合唱" in name else 20,
            "schedule": f"每{slot}，共 12 次课",
            "location": f"宝鸡市工人文化宫 {room}",
            "valid_until": semester_end,
        }
        for name, room in COURSES
        for slot in SLOTS
    ]
    coupon_until = timezone.localdate() + dt.timedelta(days=90)
    return [
        {
            "org": orgs["宝鸡市总"],
            "title": "宝鸡市工人文化宫春季公益培训课程",
            "kind": Campaign.Kind.COURSE,
            "description": "市工人文化宫两大类 50 多项公益培训课程，面向全市职工免费开放。每人限报 2 门，"
            "开课前一天 18:00 前可退订，名额自动递补给候补职工。",
            "venue": "宝鸡市工人文化宫（渭滨区经二路）",
            "opens_at": _at(-1, 9),
            "closes_at": _at(14, 18),
            "cancel_deadline": _at(20, 18),
            "per_member_limit": 2,
            "offers": courses,
        },
        {
            "org": orgs["宝鸡市总"],
            "title": "宝鸡市工人文化宫暑期少儿公益班（职工子女）",
            "kind": Campaign.Kind.COURSE,
            "venue": "宝鸡市工人文化宫",
            "opens_at": _at(3, 10),
            "closes_at": _at(10, 18),
            "per_member_limit": 1,
            "offers": [
                {"name": f"{n}（职工子女）", "capacity": 25, "schedule": "暑期每周三 9:00-11:00"}
                for n in ("少儿美术", "少儿书法", "少儿围棋", "少儿舞蹈")
            ],
        },
        {
            "org": orgs["宁波市总"],
            "title": "甬工惠·职工福利券",
            "kind": Campaign.Kind.COUPON,
            "description": "线上领券、线下核销。实名认证会员每种券限领 1 张。",
            "venue": "甬工惠合作商户",
            "opens_at": _at(0, 10),
            "closes_at": _at(30, 22),
            "per_member_limit": 4,
            "offers": [
                {
                    "name": "电影券",
                    "capacity": 5000,
                    "face_value": "40.00",
                    "valid_until": coupon_until,
                    "location": "宁波市区合作影院",
                },
                {
                    "name": "游泳券",
                    "capacity": 2000,
                    "face_value": "30.00",
                    "valid_until": coupon_until,
                    "location": "宁波市体育中心游泳馆",
                },
                {
                    "name": "餐券",
                    "capacity": 1000,
                    "face_value": "20.00",
                    "valid_until": coupon_until,
                    "location": "职工食堂及合作餐厅",
                },
                {
                    "name": "体检券",
                    "capacity": 120,
                    "face_value": "300.00",
                    "valid_until": coupon_until,
                    "location": "宁波市第一医院体检中心",
                },
            ],
        },
        {
            "org": orgs["宁波市总"],
            "title": "宁波职工疗休养（抽签）",
            "kind": Campaign.Kind.COUPON,
            "mode": Campaign.Mode.LOTTERY,
            "lottery_weight_losers": True,
            "description": "疗休养名额稀缺，采用系统抽签并公示：报名截止后公开随机种子，任何人可复核。",
            "venue": "宁波市职工疗休养基地",
            "opens_at": _at(-2, 9),
            "closes_at": _at(5, 18),
            "offers": [{"name": "疗休养券（5天4晚）", "capacity": 300, "valid_until": coupon_until}],
        },
        {
            "org": orgs["柳林县总"],
            "title": "柳林县货车司机免费体检",
            "kind": Campaign.Kind.EVENT,
            "description": "县总工会联合县人民医院为货车司机会员免费体检。",
            "venue": "柳林县人民医院",
            "opens_at": _at(0, 8),
            "closes_at": _at(7, 18),
            "occupations": ["truck_driver"],
            "offers": [
                {"name": "体检名额（上午场）", "capacity": 60, "starts_at": _at(10, 8)},
                {"name": "体检名额（下午场）", "capacity": 60, "starts_at": _at(10, 14)},
            ],
        },
    ]
