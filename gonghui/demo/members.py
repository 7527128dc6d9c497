"""The membership part of the demo (after the tree; idempotent; `manage.py demo --only members`):

- 安徽's 货车司机 周转池 with data-driven assignment rules (residence, phone region, ID region, routes);
- pending applications at 预石运输工会 (the seed story: drivers apply from the road), one of them overdue,
  one asking for more information, and one parked in the pool;
- e-cards for the demo worker, a transfer waiting to be accepted, dues settings and payments.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.core.validators import make_id_number, normalize_mobile
from gonghui.members import services
from gonghui.members.models import (
    AssignmentRule,
    DuesSetting,
    Enrollment,
    HoldingPool,
    Member,
    MemberCard,
    id_index,
)
from gonghui.orgs.models import Org

APPLICANTS = [
    # name, phone, birth, occupation, employer, residence, routes, note
    (
        "任瑾",
        "13935800101",
        dt.date(1986, 4, 12),
        "truck_driver",
        "柳林县预石运输有限责任公司",
        "141125",
        "柳林—天津港",
        "",
    ),
    (
        "渠泽民",
        "13935800102",
        dt.date(1979, 9, 3),
        "truck_driver",
        "柳林县预石运输有限责任公司",
        "141125",
        "柳林—石家庄",
        "",
    ),
    (
        "高小强",
        "13935800103",
        dt.date(1991, 1, 23),
        "truck_driver",
        "柳林县预石运输有限责任公司",
        "141102",
        "",
        "",
    ),
    ("刘旭琴", "13935800104", dt.date(1988, 7, 30), "courier", "柳林县穆村快递物流园", "141125", "", ""),
    (
        "张海涛",
        "13935800105",
        dt.date(1983, 2, 14),
        "truck_driver",
        "个体运输（挂靠）",
        "340603",
        "淮北—合肥",
        "",
    ),
    ("李春燕", "13935800106", dt.date(1995, 11, 8), "housekeeper", "柳林县安心家政服务部", "141125", "", ""),
]


def load(*, stdout) -> None:
    if Enrollment.objects.exists():
        stdout.write("会员管理演示数据已存在，跳过")
        return
    with transaction.atomic():
        _pool()
        _enrollments()
        _cards_and_dues()
    stdout.write(
        f"会员管理演示数据：{Enrollment.objects.count()} 份入会申请，{MemberCard.objects.count()} 张电子会员卡"
    )


def _pool():
    pool_org = Org.objects.filter(kind="industry", name__contains="周转池").first()
    if pool_org is None:
        return
    pool, _ = HoldingPool.objects.get_or_create(
        org=pool_org, defaults={"occupations": ["truck_driver", "ride_hailing"], "region_prefix": "34"}
    )
    xiangshan = Org.objects.filter(short_name="相山货运工会").first()
    huaibei = Org.objects.filter(short_name="淮北市总").first()
    if xiangshan:
        AssignmentRule.objects.get_or_create(
            pool=pool, basis="residence", pattern="3406", target=xiangshan, defaults={"priority": 10}
        )
        AssignmentRule.objects.get_or_create(
            pool=pool, basis="route", pattern="淮北", target=xiangshan, defaults={"priority": 30}
        )
    if huaibei:
        AssignmentRule.objects.get_or_create(
            pool=pool, basis="phone", pattern="淮北", target=huaibei, defaults={"priority": 20}
        )
        AssignmentRule.objects.get_or_create(
            pool=pool, basis="id_region", pattern="3406", target=huaibei, defaults={"priority": 40}
        )


def _enrollments():
    approver = User.objects.filter(phone_index__isnull=False, positions__role="approver").first()
    made = []
    for i, (name, phone, birth, occupation, employer, residence, routes, note) in enumerate(APPLICANTS):
        user = User.objects.filter(phone_index=phone_index(normalize_mobile(phone))).first()
        user = user or User.objects.create_user(phone, name=name)
        id_number = make_id_number(residence, birth, 101 + 2 * i)
        if Member.objects.filter(id_index=id_index(id_number)).exists():
            continue
        made.append(
            services.enrollment_submit(
                actor=user,
                name=name,
                id_number=id_number,
                employer_name=employer,
                occupation=occupation,
                residence_region=residence,
                routes=routes,
                note=note,
            )
        )
    if len(made) >= 3 and approver:
        # One that has waited five weeks (over 15 working days even across 春节 or 国庆): the parent union
        # gets the overdue reminder.
        Enrollment.objects.filter(pk=made[2].pk).update(arrived_at=timezone.now() - dt.timedelta(days=35))
        services.enrollment_request_info(
            actor=approver, enrollment=made[1], message="请补充与预石运输的车辆挂靠协议照片"
        )
    services.enrollments_flag_overdue()


def _cards_and_dues():
    worker = User.objects.filter(member__isnull=False, positions__isnull=True).order_by("pk").first()
    member = getattr(worker, "member", None)
    if member is not None and not member.cards.exists():
        card = services.card_issue(member=member)
        MemberCard.objects.filter(pk=card.pk).update(pickup="picked", picked_at=timezone.now())
    yushi = Org.objects.filter(short_name="预石运输工会").first()
    if yushi:
        DuesSetting.objects.get_or_create(org=yushi, defaults={"mode": "fixed", "fixed_amount": "1.00"})
    county = Org.objects.filter(short_name="柳林县总").first()
    if county:
        DuesSetting.objects.get_or_create(org=county, defaults={"mode": "rate"})
