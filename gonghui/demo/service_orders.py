"""Demo data for 订单式服务 (seed 002): 安丘市总工会's 31-item menu, the 专家服务团 and 劳模工匠, and orders
from 博阳机械 and other unions — delivered, rated, scheduled, and the popular 身心双检 booked months ahead.

Live orders go through the services (so the calendar and the lock see them); past, delivered sessions
are written directly with their historic dates, which no service would accept."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import subtree_q
from gonghui.service_orders import scheduler, services
from gonghui.service_orders.models import Booking, Expert, ServiceItem, ServiceOrder
from gonghui.testing.factories import make_org, random_credit_code

PASSWORD = "Gonghui@2026"
ACCOUNTS = [
    # phone, name, org short name, role, title, label
    ("13800000711", "李新军", "安丘市总", "admin", "常务副主席", "订单式服务调度（安丘市总工会）"),
    ("13800000712", "孙丽萍", "博阳机械工会", "admin", "工会主席", "点单工会管理员（博阳机械）"),
    ("13800000713", "马春燕", "安丘市总", "expert", "心理咨询师", "服务专家（有账号）"),
]

# category | name | description | required skill | experts per session | minutes | min | max | mode | lead days
MENU_TABLE = """
mental|心理疏导|心理咨询师进企业，开展压力疏导与情绪调适，可安排团体或个别谈话|心理疏导|1|120|10|60|onsite|7
mental|职场压力与情绪管理讲座|识别压力信号，学会放松训练和情绪管理方法|心理疏导|1|90|20|200|onsite|7
mental|心理健康测评|使用标准化量表为职工做心理健康筛查，出具团体报告|心理测评|1|120|20|150|onsite|10
mental|团体心理辅导（沙盘）|沙盘与团体游戏，适合班组凝聚力建设|团体辅导|1|150|8|30|centre|7
mental|婚恋家庭关系讲座|青年职工婚恋交友与家庭沟通|心理疏导|1|90|20|150|onsite|7
mental|一对一心理咨询|在职工服务中心预约一对一咨询，严格保密|心理疏导|1|60|1|1|centre|3
medical|身心双检|医疗专家与心理咨询师一同上门，健康问诊、急救知识讲解与心理测评“双检”|身心双检|2|180|30|120|onsite|14
medical|海姆立克急救培训|急性呼吸道异物堵塞的识别与海姆立克急救法，现场人人实操|急救培训|1|90|20|120|onsite|7
medical|心肺复苏与AED培训|心肺复苏和自动体外除颤器使用，考核合格发放培训证明|急救培训|1|120|15|60|onsite|7
medical|颈肩腰椎保健讲座|久坐、久站岗位的颈肩腰椎保护和康复锻炼|康复保健|1|90|20|200|onsite|7
medical|职业病防治讲座|粉尘、噪声、高温岗位职业病防护|职业健康|1|90|20|200|onsite|10
medical|中医义诊|中医专家现场问诊、把脉、健康咨询|中医|1|180|30|150|onsite|14
medical|女职工健康讲座|女职工常见病预防与“两癌”筛查知识|妇科|1|90|20|200|onsite|7
medical|慢病管理与健康饮食讲座|高血压、糖尿病的日常管理和合理膳食|康复保健|1|90|20|200|onsite|7
skills|送技入企（劳模工匠技术交流）|劳模工匠到企业一线开展技术交流、现场教学，解决技术难题|技术交流|1|180|5|50|onsite|10
skills|八段锦|针对久坐电脑前、腰椎间盘突出的职工，教练现场教学八段锦|八段锦|1|90|10|80|onsite|7
skills|乒乓球教练进企业|专业乒乓球教练进企业培训，丰富巡线检修职工的业余锻炼|乒乓球|1|120|6|30|onsite|7
skills|工间操教学|适合车间、办公室的10分钟工间操|八段锦|1|60|10|200|onsite|5
skills|数控技能提升培训|数控车床编程与加工工艺，面向一线技术工人|数控|1|180|5|30|onsite|14
skills|葡萄标准化栽培技术指导|葡萄优质高产标准化栽培，田间现场指导|果茶栽培|1|180|5|40|onsite|7
skills|安全生产技能培训|岗位风险辨识、隐患排查和应急处置|安全生产|1|120|20|150|onsite|10
skills|职工书法绘画兴趣课|职工文化活动，书法与国画基础|书画|1|120|10|40|centre|7
legal|劳动法律讲座|劳动合同、工资支付、工时休假、工伤保险等法律知识|劳动法|1|90|20|300|onsite|7
legal|劳动合同审查指导|帮助企业工会审查劳动合同和规章制度|劳动法|1|120|1|10|onsite|7
legal|法律咨询进企业|律师驻点半天，为职工一对一解答法律问题|劳动法|1|180|10|100|onsite|7
legal|劳动争议调解指导|企业劳动争议调解委员会建设与调解技巧|调解|1|120|5|30|onsite|10
legal|女职工权益保护专题讲座|女职工特殊劳动保护与反性骚扰|劳动法|1|90|20|200|onsite|7
union|厂务公开民主管理培训|职代会、厂务公开制度建设与实务|工会实务|1|120|10|80|onsite|10
union|工资集体协商指导|工资集体协商程序、要约和协议文本|集体协商|1|120|5|40|onsite|10
union|互助保障业务讲解|职工医疗互助保障参保与理赔流程|互助保障|1|90|20|200|online|5
union|基层工会规范化建设培训|基层工会组织建设、经费管理与会员发展|工会实务|1|120|10|80|onsite|10
"""
MENU = [
    (c, n, d, sk, int(k), int(m), int(lo), int(hi), mode, int(lead))
    for c, n, d, sk, k, m, lo, hi, mode, lead in (row.split("|") for row in MENU_TABLE.strip().splitlines())
]

# (name, kind, title, skills, weekdays, team key)
EXPERTS = [
    # Hospital doctors give the union one day a week: that is why 身心双检 is booked months ahead.
    ("王德华", "doctor", "安丘市人民医院 急诊科主任医师", "身心双检、急救培训、康复保健", "2", "main"),
    ("刘晓梅", "doctor", "安丘市中医院 副主任医师", "中医、康复保健、妇科", "03", "main"),
    ("赵志强", "doctor", "市疾控中心 职业卫生科", "职业健康、急救培训", "24", "main"),
    ("马春燕", "counsellor", "国家二级心理咨询师", "心理疏导、身心双检、心理测评、团体辅导", "01234", "main"),
    ("陈静", "counsellor", "安丘市心理健康服务中心", "心理疏导、心理测评", "134", "main"),
    ("高洪涛", "lawyer", "山东安丘律师事务所 律师", "劳动法、调解", "0123", "main"),
    ("孙立新", "lawyer", "市总工会法律顾问", "劳动法、集体协商", "24", "main"),
    ("韩国栋", "coach", "安丘市乒乓球协会 教练", "乒乓球", "135", "main"),
    ("张秀兰", "coach", "社会体育指导员", "八段锦", "0246", "main"),
    ("李雪峰", "craftsman", "安丘工匠 · 农技推广中心果茶科负责人", "果茶栽培、技术交流", "0123", "craft"),
    ("刘建国", "craftsman", "山东省劳动模范 · 数控高级技师", "数控、技术交流", "234", "craft"),
    ("周海军", "craftsman", "潍坊市五一劳动奖章获得者 · 安全总监", "安全生产、技术交流", "013", "craft"),
    ("王丽君", "trainer", "市总工会 组织部", "工会实务、集体协商、互助保障", "01234", "main"),
    ("杨文博", "trainer", "市文化馆 书画教师", "书画", "35", "main"),
]

GRASSROOTS = [
    ("安丘市长生源生态家庭农场工会", "长生源农场工会", 36.42, 119.15),
    ("国网安丘市供电公司工会", "安丘供电工会", 36.47, 119.21),
    ("安丘市景芝酒业股份有限公司工会", "景芝酒业工会", 36.36, 119.31),
    ("山东安丘软件园联合工会", "软件园联合工会", 36.49, 119.22),
]


def load(*, stdout=None, seed: int = 20261123) -> bool:
    """Loads the 安丘 demo once; returns False when it is already there or the tree is missing."""
    anqiu = Org.objects.filter(short_name="安丘市总").first()
    if anqiu is None or ServiceItem.objects.filter(org=anqiu).exists():
        return False
    rng = random.Random(seed)
    with transaction.atomic():
        _load(anqiu, rng)
    if stdout:
        stdout.write(
            f"订单式服务：{ServiceItem.objects.filter(org=anqiu).count()} 个服务项目，"
            f"{Expert.objects.filter(org=anqiu).count()} 位专家，"
            f"{ServiceOrder.objects.filter(provider_path=anqiu.path).count()} 个订单"
        )
    return True


def print_logins(*, stdout) -> None:
    for phone, _name, _org, _role, _title, label in ACCOUNTS:
        stdout.write(f"  {label:<24} 手机号 {phone}")


def _load(anqiu: Org, rng: random.Random) -> None:
    orgs = {o.short_name: o for o in Org.objects.filter(subtree_q(anqiu.path))}
    for name, short, lat, lng in GRASSROOTS:
        if short not in orgs:
            orgs[short] = make_org(
                anqiu,
                Org.Kind.GRASSROOTS,
                name,
                short_name=short,
                region_code="370784",
                lat=lat,
                lng=lng,
                address=f"山东省安丘市{short.replace('工会', '')}",
                credit_code=random_credit_code(rng, "81", "370784"),
            )
    users = {}
    for phone, name, org_short, role, title, _label in ACCOUNTS:
        try:
            user = User.objects.get_by_phone(phone)
        except User.DoesNotExist:
            user = User.objects.create_user(phone, password=PASSWORD, name=name, real_name_verified=True)
        Staff.objects.get_or_create(user=user, org=orgs[org_short], role=role, defaults={"title": title})
        users[phone] = user
    dispatcher = users[ACCOUNTS[0][0]]

    teams = {
        "main": services.team_create(
            actor=dispatcher,
            org=anqiu,
            name="“工聚幸福”专家服务团",
            description="整合心理、医疗、法律、文化、体育机构力量，为企业和职工“送餐”服务",
        ),
        "craft": services.team_create(
            actor=dispatcher,
            org=anqiu,
            name="劳模工匠“送技入企”志愿服务队",
            description="各行各业的劳模工匠到企业开展技术交流、现场教学",
        ),
    }
    experts = {}
    for name, kind, title, skills, days, team in EXPERTS:
        expert = services.expert_create(
            actor=dispatcher,
            org=anqiu,
            team=teams[team],
            name=name,
            kind=kind,
            title=title,
            skills=skills,
            user=users["13800000713"] if name == "马春燕" else None,
        )
        hours = [(int(d), dt.time(8, 30), dt.time(11, 30)) for d in days]
        hours += [(int(d), dt.time(14), dt.time(17, 30)) for d in days]
        services.availability_set(actor=dispatcher, expert=expert, hours=hours)
        experts[name] = expert
    today = timezone.localdate()
    services.leave_add(
        actor=dispatcher,
        expert=experts["陈静"],
        start_date=today + dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=34),
        reason="外出进修",
    )
    services.leave_add(
        actor=dispatcher,
        expert=experts["刘建国"],
        start_date=today + dt.timedelta(days=8),
        end_date=today + dt.timedelta(days=12),
        reason="参加全国职工技能大赛裁判工作",
    )

    items = {}
    for cat, name, desc, skill, needed, minutes, lo, hi, mode, lead in MENU:
        team = teams["craft"] if skill in {"技术交流", "果茶栽培", "数控", "安全生产"} else teams["main"]
        items[name] = services.item_create(
            actor=dispatcher,
            org=anqiu,
            category=cat,
            name=name,
            description=desc,
            team=team,
            required_skill=skill,
            experts_needed=needed,
            duration_minutes=minutes,
            min_headcount=lo,
            max_headcount=hi,
            mode=mode,
            lead_days=lead,
            is_published=True,
        )

    boyang = orgs["博阳机械工会"]
    _past(
        items["身心双检"],
        boyang,
        experts=["王德华", "马春燕"],
        days_ago=12,
        headcount=85,
        attended=82,
        rating=5,
        comment="讲解海姆立克急救很实用，职工反映很好",
        address="博阳机械制造有限公司职工活动中心",
        rng=rng,
    )
    past = [
        (
            "送技入企（劳模工匠技术交流）",
            "长生源农场工会",
            ["李雪峰"],
            40,
            20,
            18,
            5,
            "葡萄疏果和病害防治讲得透",
        ),
        ("葡萄标准化栽培技术指导", "长生源农场工会", ["李雪峰"], 75, 25, 23, 5, ""),
        ("乒乓球教练进企业", "安丘供电工会", ["韩国栋"], 30, 24, 24, 4, "巡线班组的职工都来了"),
        ("八段锦", "软件园联合工会", ["张秀兰"], 26, 60, 57, 5, "腰椎不好的同事坚持练"),
        ("劳动法律讲座", "新安街道联合工会", ["高洪涛"], 50, 120, 136, 4, ""),
        ("工资集体协商指导", "景芝酒业工会", ["王丽君"], 45, 20, 19, None, ""),
        ("身心双检", "景芝酒业工会", ["刘晓梅", "陈静"], 20, 100, 96, 5, ""),
        ("心理疏导", "博阳机械工会", ["马春燕"], 60, 40, 38, 4, ""),
        ("送技入企（劳模工匠技术交流）", "博阳机械工会", ["刘建国"], 33, 30, 30, 5, "数控编程问题当场解决"),
        ("厂务公开民主管理培训", "软件园联合工会", ["王丽君"], 16, 40, 35, None, ""),
    ]
    for item, org, names, ago, head, att, rating, comment in past:
        _past(
            items[item],
            orgs[org],
            experts=names,
            days_ago=ago,
            headcount=head,
            attended=att,
            rating=rating,
            comment=comment,
            address=f"{orgs[org].name.replace('工会', '')}会议室",
            rng=rng,
        )

    # Live orders through the services: the popular 身心双检 fills the calendar months ahead.
    unions = [
        o for o in orgs.values() if o.kind in {Org.Kind.GRASSROOTS, Org.Kind.JOINT} and o.pk != anqiu.pk
    ]
    admins = {}
    for org in unions:
        staff = Staff.objects.filter(org=org, role="admin").select_related("user").first() or _admin_for(
            org, rng
        )
        admins[org.pk] = staff.user
    wanted = [("身心双检", 20)] + [
        (n, 1)
        for n in (
            "海姆立克急救培训",
            "八段锦",
            "乒乓球教练进企业",
            "心理疏导",
            "劳动法律讲座",
            "送技入企（劳模工匠技术交流）",
            "职业病防治讲座",
            "互助保障业务讲解",
            "数控技能提升培训",
        )
    ]
    n = 0
    for name, count in wanted:
        item = items[name]
        for _ in range(count):
            org = unions[n % len(unions)]
            n += 1
            first = scheduler.earliest_orderable(item, today) + dt.timedelta(days=rng.randint(0, 10))
            order = services.order_place(
                actor=admins[org.pk],
                item=item,
                org=org,
                preferred_dates=[first, first + dt.timedelta(days=2), first + dt.timedelta(days=7)],
                headcount=min(item.max_headcount, max(item.min_headcount, rng.randint(30, 90))),
                address="" if item.mode == "online" else f"{org.name.replace('工会', '')}职工活动室",
                contact_name=admins[org.pk].name or "工会干事",
                contact_phone=f"139{rng.randint(10000000, 99999999)}",
                needs=rng.choice(
                    [
                        "一线职工多为倒班，希望安排在上午",
                        "车间职工久坐久站，关注颈腰椎",
                        "请带上宣传资料",
                        "希望结合本单位实际案例讲解",
                        "",
                    ]
                ),
            )
            # Most are scheduled (some confirmed); the last few stay in the dispatcher's queue.
            if n % 5 == 0:
                continue
            slot = scheduler.suggest(order)
            if slot is None:
                continue
            services.order_schedule(
                actor=dispatcher, order=order, start=slot.start, expert_ids=[e.pk for e in slot.experts]
            )
            if n % 3 != 0:
                services.order_confirm(actor=admins[org.pk], order=order)
    cancelled = services.order_place(
        actor=admins[boyang.pk],
        item=items["中医义诊"],
        org=boyang,
        preferred_dates=[scheduler.earliest_orderable(items["中医义诊"], today) + dt.timedelta(days=3)],
        headcount=60,
        address="博阳机械制造有限公司职工活动中心",
        contact_name="孙丽萍",
        contact_phone="13953612345",
    )
    services.order_cancel(actor=admins[boyang.pk], order=cancelled, reason="当月订单集中赶工，改到下季度再约")


def _admin_for(org: Org, rng: random.Random) -> Staff:
    user = User.objects.create_user(
        f"+86137{rng.randint(10000000, 99999999)}",
        password=PASSWORD,
        name=rng.choice(["王", "李", "张", "刘"]) + rng.choice(["海燕", "建华", "立群", "文静"]),
    )
    return Staff.objects.create(user=user, org=org, role="admin", title="工会主席")


def _past(
    item: ServiceItem,
    org: Org,
    *,
    experts: list[str],
    days_ago: int,
    headcount: int,
    attended: int,
    rating: int | None,
    comment: str,
    address: str,
    rng: random.Random,
) -> ServiceOrder:
    """A session that already happened, with the dates it happened on."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    end = start + dt.timedelta(minutes=item.duration_minutes)
    ordered = start - dt.timedelta(days=item.lead_days + rng.randint(3, 40), hours=2)
    admin = Staff.objects.filter(org=org, role="admin").select_related("user").first()
    creator = admin.user if admin else Staff.objects.filter(org=item.org).first().user
    order = ServiceOrder.objects.create(
        item=item,
        org=org,
        org_path=org.path,
        provider_path=item.org.path,
        status=ServiceOrder.Status.RATED if rating else ServiceOrder.Status.SERVED,
        channel=ServiceOrder.Channel.PHONE,
        preferred_date1=day,
        headcount=headcount,
        address=address,
        contact_name=creator.name or "工会干事",
        contact_phone="+8613953600000",
        expected_date=day,
        scheduled_start=start,
        scheduled_end=end,
        attended_count=attended,
        rating=rating,
        comment=comment,
        service_note="按计划完成",
        created_by=creator,
        scheduled_at=ordered + dt.timedelta(days=1),
        confirmed_at=ordered + dt.timedelta(days=2),
        served_at=end,
        rated_at=end + dt.timedelta(days=1) if rating else None,
    )
    ServiceOrder.objects.filter(pk=order.pk).update(ordered_at=ordered)
    for name in experts:
        expert = Expert.objects.get(org=item.org, name=name)
        Booking.objects.create(order=order, expert=expert, day=day, start=start, end=end, site=address)
    return order
