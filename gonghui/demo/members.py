"""The membership part of the demo (after the tree; idempotent; `manage.py demo --only members`):

- 安徽's 货车司机 周转池 with data-driven assignment rules (residence, phone region, ID region, routes);
- pending applications at 预石运输工会 (the seed story: drivers apply from the road), one of them overdue,
  one asking for more information, and one parked in the pool;
- e-cards for the demo worker, a transfer waiting to be accepted, dues settings and payments;
- issue 11's worker journeys (logins 13800011001–13800011004): a 货拉拉 driver with a Beijing ID who joined
  with the region picker, a 美团 rider who joined from a 柳林 station's QR code (先服务后入会), a driver certified
  by the approval of his online application, and an offline-registered member not yet certified.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.core.validators import make_id_number, normalize_mobile
from gonghui.demo.data import DEMO_PASSWORD
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
        _journeys()
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
        card = services.card_issue(actor=worker, member=member)
        MemberCard.objects.filter(pk=card.pk).update(pickup="picked", picked_at=timezone.now())
    yushi = Org.objects.filter(short_name="预石运输工会").first()
    if yushi:
        DuesSetting.objects.get_or_create(org=yushi, defaults={"mode": "fixed", "fixed_amount": "1.00"})
    county = Org.objects.filter(short_name="柳林县总").first()
    if county:
        DuesSetting.objects.get_or_create(org=county, defaults={"mode": "rate"})


# (phone, name, birth, ID region, occupation, employer, work region, how)
JOURNEYS = [
    ("13800011001", "刘长江", dt.date(1986, 8, 8), "110105", "truck_driver", "货拉拉", "141125", "picker"),
    ("13800011002", "郭海平", dt.date(1979, 11, 2), "141125", "food_delivery", "美团", "", "station"),
    (
        "13800011003",
        "韩建辉",
        dt.date(1990, 3, 4),
        "141125",
        "truck_driver",
        "柳林县预石运输有限公司",
        "",
        "approved",
    ),
    (
        "13800011004",
        "白玉兰",
        dt.date(1984, 5, 20),
        "141125",
        "housekeeper",
        "柳林县家政服务中心",
        "",
        "offline",
    ),
]


def _journeys():
    """Issue 11's worker journeys, each reachable with its own demo login."""
    from gonghui.stations.models import Station

    approver = User.objects.filter(
        positions__role="approver", positions__org__short_name="预石运输工会"
    ).first()
    station = Station.objects.filter(org__short_name="柳林县总").order_by("code").first()
    county = Org.objects.filter(short_name="柳林县总").first()
    for i, (phone, name, birth, region, occupation, employer, work, how) in enumerate(JOURNEYS):
        if User.objects.filter(phone_index=phone_index(normalize_mobile(phone))).exists():
            continue
        user = User.objects.create_user(phone, password=DEMO_PASSWORD, name=name)
        id_number = make_id_number(region, birth, 301 + 2 * i)
        if how == "offline" and county is not None:
            member = Member.objects.create(
                user=user,
                org=county,
                org_path=county.path,
                member_no=services.next_member_numbers(county)[0],
                name=name,
                id_number=id_number,
                id_index=id_index(id_number),
                phone=user.phone,
                phone_index=user.phone_index,
                gender="F",
                birth_date=birth,
                occupation=occupation,
                employer_name=employer,
                joined_at=timezone.localdate() - dt.timedelta(days=400),
                source="offline",
            )
            services.card_issue(actor=approver, member=member)
            continue
        if how == "station" and station is None:
            continue
        enrollment = services.enrollment_submit(
            actor=user,
            name=name,
            id_number=id_number,
            employer_name=employer,
            occupation=occupation,
            work_region=work,
            station_code=station.code if how == "station" else "",
        )
        if how == "approved" and approver is not None:
            services.enrollment_approve(actor=approver, enrollment=enrollment, note="身份证已核对")


def print_logins(*, stdout) -> None:
    stdout.write("  实名认证与入会（issue 11）：")
    labels = {
        "picker": "货拉拉司机·北京身份证·按工作地入会（待审批）",
        "station": "美团骑手·驿站扫码入会（待审批）",
        "approved": "入会审批即实名·可抢实名福利券",
        "offline": "线下登记会员·未实名（去「我的 → 实名认证」）",
    }
    for phone, name, *_rest, how in JOURNEYS:
        stdout.write(f"    {name} {labels[how]:<28} 手机号 {phone}")
