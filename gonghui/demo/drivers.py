"""Demo data for 司机服务 (issue 20): 柳林县预石运输有限责任公司工会, whose drivers run heavy semi-trailers
250,000–300,000 km a year. The union sells tyres, oil and filters tested at factories in three provinces at the
purchase price (24 tyres a year save one driver about 2,640 元), runs hotline 400-838-5115 and handles 年审, 通行证
and 违章 for drivers on the road. Idempotent: does nothing when the products exist. Extra demo drivers use phones
13800020001–13800020099; 韩建辉 (13800000001) and the union chair 刘桂香 (13800000002) are the shared demo logins."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.drivers import rules, services
from gonghui.drivers.models import HotlineCall, Product
from gonghui.members.services import next_member_numbers
from gonghui.orgs.models import Org
from gonghui.testing.factories import make_member, make_user

PRODUCTS = [
    ("载重轮胎 12R22.5", "1580.00", "1690.00", 200, "山东某轮胎厂", "三省工厂实地检测，耐磨与抗刺穿达标"),
    ("柴油机油 CK-4 15W-40 18L", "520.00", "610.00", 80, "山西某润滑油经销商", "送检理化指标合格"),
    ("空气滤清器（重卡通用）", "95.00", "130.00", 150, "河北某滤清器厂", "每月更换一次"),
    ("机油滤清器", "38.00", "55.00", 150, "河北某滤清器厂", "每月更换一次"),
]
DRIVERS = [("13800020001", "任宝山", "晋JB6302"), ("13800020002", "薛永平", "晋JC1187")]


def load(*, stdout) -> None:
    union = Org.objects.filter(short_name="预石运输工会").first()
    if union is None or Product.objects.filter(org=union).exists():
        return
    chair = User.objects.filter(phone_index=phone_index("+8613800000002")).first()
    han = User.objects.filter(phone_index=phone_index("+8613800000001")).first()
    if chair is None or han is None or getattr(han, "member", None) is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        tyre = None
        for name, buy, market, stock, supplier, note in PRODUCTS:
            product = services.product_create(
                actor=chair,
                org_id=union.pk,
                name=name,
                purchase_price=buy,
                market_price=market,
                stock=stock,
                supplier=supplier,
                quality_note=note,
            )
            tyre = tyre or product
        drivers = [(han, "晋JA5115")]
        for phone, name, plate in DRIVERS:
            user = make_user(phone=phone, name=name, password=DEMO_PASSWORD)
            member = make_member(union, user=user, name=name)
            member.member_no = next_member_numbers(union)[0]
            member.save(update_fields=["member_no"])
            drivers.append((user, plate))
        for i, (user, plate) in enumerate(drivers):
            vehicle = services.vehicle_add(actor=user, plate=plate, kind="重型半挂牵引车")
            last = rules.add_months(today, -12) + dt.timedelta(days=12 + 9 * i)
            services.document_add(
                actor=user,
                kind="vehicle_inspection",
                last_done_on=last,
                vehicle_id=vehicle.pk,
                share_with_union=True,
            )
            services.document_add(actor=user, kind="qualification", last_done_on=rules.add_months(last, -48))
            services.order_place(actor=user, product_id=tyre.pk, quantity=6 - 2 * i)
        services.request_create(actor=han, kind="inspection", plate="晋JA5115", place="新疆哈密")
        accident = services.request_create(
            actor=drivers[1][0],
            kind="accident",
            plate=drivers[1][1],
            place="河北省石家庄市 G4 京港澳高速",
            description="夜间停车休息时被追尾，对方驾车逃逸，人受轻伤，车尾受损",
        )
        # The seed story: the union's partner lawyer had the driver home the next day.
        services.request_assign(
            actor=chair, request_id=accident.pk, assignee_kind="lawyer", partner="山西某律师事务所 合作律师"
        )
        services.hotline_number_set(actor=chair, org_id=union.pk, number="400-838-5115", hours="24 小时")
        services.hotline_log(
            actor=chair,
            org_id=union.pk,
            caller_phone="13800020002",
            topic="询问通行证办理需要哪些材料",
            promise="明天把材料清单发到会员消息",
        )
        # A promise from two days ago nobody has kept: the hotline page shows it first, highlighted.
        late = services.hotline_log(
            actor=chair,
            org_id=union.pk,
            caller_phone="13800020001",
            topic="违章罚单异地处理",
            promise="联系代办机构后回电",
        )
        HotlineCall.objects.filter(pk=late.pk).update(
            created_at=timezone.now() - dt.timedelta(days=2), promise_due=today - dt.timedelta(days=1)
        )
        services.reminders_send()
    stdout.write(
        "司机服务：4 种会员价商品、3 名司机的车辆证照、2 件一站式申请（事故已指派合作律师）、"
        "热线 400-838-5115 与 2 条来电记录（1 条承诺逾期）"
    )
