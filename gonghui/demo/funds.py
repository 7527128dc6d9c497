"""Demo 补贴与经费 (idempotent; `manage.py demo --only funds`).

The seed schemes as data: 沈阳's 三项补贴 (2021-08 – 2022-10, replayed in July 2022 through the services, so
member counts come from the registry and the budget is committed in the database), 淮安's training subsidies
and awards, 广西's county and social-worker funding (this year). 工会经费 for the 柳林 demo unions.
Budgets not in the seeds are marked 演示假设 in docs/funds.md. Demo logins: 13800017001–13800017011."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.cases import at
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.funds import services
from gonghui.funds.models import Scheme, SplitRule
from gonghui.funds.seed_schemes import GUANGXI, HUAIAN, SHENYANG
from gonghui.members.models import Member
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.services import org_create
from gonghui.testing.factories import make_id, make_member

SH = ZoneInfo("Asia/Shanghai")

# phone, name, org short name, role, title, label
ACCOUNTS = [
    ("13800017001", "陈晓峰", None, None, "", "职工（淮安，数控车工技师，申请培训补贴）"),
    ("13800017002", "孙雅琴", "淮安市总", "handler", "经费审查", "市级经办人（淮安市总工会）"),
    (
        "13800017003",
        "周振华",
        "和平快递联合工会",
        "admin",
        "工会主席",
        "基层工会（沈阳和平区快递行业联合工会）",
    ),
    ("13800017004", "吴海燕", "沈阳市总", "handler", "财务部", "市级经办人（沈阳市总工会）"),
    ("13800017005", "黄立勇", "广西区总", "handler", "财务部", "自治区总工会经办人（广西）"),
    ("13800017006", "韦丽萍", "武鸣区总", "admin", "副主席", "县级工会（南宁市武鸣区总工会）"),
    ("13800017010", "马德胜", "和平快递联合工会", "observer", "兼职主席", "兼职主席（和平快递联合工会）"),
    ("13800017011", "刘佳", "和平快递联合工会", "observer", "兼职副主席", "兼职副主席（和平快递联合工会）"),
]

# (parent short, kind, name, short, region)
NEW_ORGS = [
    ("江苏省总", "city", "淮安市总工会", "淮安市总", "320800"),
    ("淮安市总", "county", "淮安市清江浦区总工会", "清江浦区总", "320812"),
    ("清江浦区总", "grassroots", "淮安市清江浦区智能装备产业园联合工会", "清江浦装备工会", "320812"),
    ("全总", "province", "广西壮族自治区总工会", "广西区总", "450000"),
    ("广西区总", "city", "南宁市总工会", "南宁市总", "450100"),
    ("南宁市总", "county", "南宁市武鸣区总工会", "武鸣区总", "450110"),
    ("武鸣区总", "township", "武鸣区双桥镇工会", "双桥镇", "450110"),
]

# Budgets (元) per scheme code. From the seeds: 广西 111 county unions × 10万; 淮安 5 studios × 5万, 10 craftsmen ×
# 1万 every two years. The others are 演示假设 (demo assumptions), sized to the seed's numbers of units.
BUDGETS = {
    "SY-XM": "500000",
    "SY-SD": "200000",
    "SY-JZ": "100000",
    "HA-PX": "500000",
    "HA-GJ": "100000",
    "HA-DS": "250000",
    "HA-LM": "200000",
    "GX-XJ": "11100000",
    "GX-SG": "35290000",  # 1.0587亿 over three years
    "GX-MF": "5500000",
}
PAYERS = {"SY": "沈阳市总", "HA": "淮安市总", "GX": "广西区总"}


def _t(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, 0, tzinfo=SH)


def _user(phone, name):
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def load(*, stdout) -> None:
    root = (
        Staff.objects.filter(org__parent__isnull=True, role=Staff.Role.ADMIN).select_related("user").first()
    )
    if root is None or not Org.objects.filter(short_name="沈阳市总").exists():
        raise CommandError("请先运行 manage.py demo 创建工会组织树")
    if Scheme.objects.filter(code="SY-SD").exists():
        stdout.write("补贴与经费演示数据已存在")
        return
    actor = root.user
    orgs = {o.short_name: o for o in Org.objects.exclude(short_name="")}
    for parent, kind, name, short, region in NEW_ORGS:
        if short not in orgs:
            orgs[short] = org_create(
                actor=actor, parent=orgs[parent], kind=kind, name=name, short_name=short, region_code=region
            )
    users = {}
    for phone, name, short, role, title, _label in ACCOUNTS:
        users[phone] = _user(phone, name)
        if role:
            Staff.objects.get_or_create(
                user=users[phone], org=orgs[short], role=role, defaults={"title": title}
            )
    SplitRule.objects.get_or_create(
        province_code="",
        org_kind="",
        defaults={"kept_rate": Decimal("0.60"), "note": "通行规则：基层留成 60%，上解 40%"},
    )

    this_year = timezone.localdate().year
    schemes = {}
    for block in (SHENYANG, HUAIAN, GUANGXI):
        for fields in block:
            fields = dict(fields)
            code = fields.pop("code")
            if code.startswith(("HA", "GX")):
                # Demo: open this year, whichever year the demo is loaded in.
                fields["period_start"] = dt.date(this_year, 1, 1)
                fields["period_end"] = dt.date(this_year, 12, 31)
            payer = orgs[PAYERS[code[:2]]]
            moment = _t(2021, 8, 2) if code.startswith("SY") else timezone.now()
            with at(moment):
                schemes[code] = services.scheme_create(actor=actor, org=payer, code=code, **fields)
                year = 2022 if code.startswith("SY") else this_year
                services.budget_set(actor=actor, scheme=schemes[code], year=year, amount=BUDGETS[code])

    _shenyang(schemes, orgs, users, actor, stdout)
    _huaian(schemes, orgs, users, actor)
    _guangxi(schemes, orgs, users, actor)
    _contributions(orgs, actor)
    stdout.write(f"已加载 {Scheme.objects.count()} 个补贴项目（沈阳、淮安、广西）及申请、支付批次和工会经费")
    stdout.write("补贴与经费演示账号（密码同上）：")
    for phone, _name, _short, _role, _title, label in ACCOUNTS[:6]:
        stdout.write(f"  {label:<24} 手机号 {phone}")


def _shenyang(schemes, orgs, users, actor, stdout):
    kuaidi, waimai, heping = orgs["和平快递联合工会"], orgs["沈阳外卖工会"], orgs["和平区总"]
    city = users["13800017004"]
    docs_sd = [
        {"name": "试点工会认定文件", "ref": "沈总工发〔2021〕18号"},
        {"name": "会员名册（系统自动统计）"},
    ]
    # Registry on 2022-06-30: enough couriers and riders that one union is above 25 members.
    for org, occupation, n in ((kuaidi, "courier", 31), (waimai, "food_delivery", 18)):
        have = Member.objects.filter(org=org, joined_at__lte=dt.date(2022, 6, 30)).count()
        for i in range(max(0, n - have)):
            make_member(
                org,
                name=f"{'快递员' if occupation == 'courier' else '骑手'}{i + 1:02d}",
                id_number=make_id(dt.date(1985 + i % 15, 1 + i % 12, 1 + i % 27), region=org.region_code),
                occupation=occupation,
                joined_at=dt.date(2021, 9, 1) + dt.timedelta(days=7 * i),
            )
    with at(_t(2022, 7, 15)):
        a1 = services.application_submit(
            actor=users["13800017003"], scheme=schemes["SY-SD"], org=kuaidi, documents=docs_sd
        )
        a2 = services.application_submit(actor=actor, scheme=schemes["SY-SD"], org=waimai, documents=docs_sd)
        a3 = services.application_submit(
            actor=users["13800017003"],
            scheme=schemes["SY-JZ"],
            org=kuaidi,
            inputs={"months": 12},
            documents=[{"name": "优秀兼职主席、副主席考核结果", "ref": "和平区总工会 2022 年度考核"}],
        )
        a4 = services.application_submit(
            actor=actor,
            scheme=schemes["SY-XM"],
            org=heping,
            inputs={"cost": "186500"},
            documents=[
                {"name": "项目实施方案", "ref": "和平区“暖蜂驿站”服务项目"},
                {"name": "费用明细及票据", "ref": "附件 1–12"},
                {"name": "市总工会评审意见", "ref": "沈总工评〔2022〕7号"},
            ],
        )
    with at(_t(2022, 7, 22)):
        services.application_approve(
            actor=city, application_id=a1.pk, amount=a1.maximum, reason="试点名单内，名册人数核对无误"
        )
        services.application_approve(
            actor=city, application_id=a3.pk, amount=a3.maximum, reason="考核优秀，按 12 个月计"
        )
        services.application_approve(
            actor=city, application_id=a4.pk, amount=a4.maximum, reason="经评审同意，按封顶 10 万元补贴"
        )
    with at(_t(2022, 8, 5)):
        batch = services.batch_create(actor=city, org=orgs["沈阳市总"])
        services.batch_confirm_paid(actor=city, batch=batch, control_total=batch.total)
    stdout.write(f"沈阳：{a2.number} 待审核，支付批次 {batch.number} 共 {batch.count} 笔 {batch.total} 元")


def _huaian(schemes, orgs, users, actor):
    park = orgs["清江浦装备工会"]
    worker = users["13800017001"]
    if not Member.objects.filter(user=worker).exists():
        make_member(
            park,
            user=worker,
            name="陈晓峰",
            id_number=make_id(dt.date(1990, 3, 14), region="320812"),
            occupation="other",
            employment_form="standard",
            joined_at=dt.date(2019, 5, 1),
        )
    city = users["13800017002"]
    app = services.application_submit(
        actor=worker,
        scheme=schemes["HA-PX"],
        inputs={"level": "technician"},
        documents=[{"name": "职业技能等级证书", "ref": "S000032080000263000123"}, {"name": "培训合格证明"}],
        payee="陈晓峰",
    )
    services.application_approve(
        actor=city, application_id=app.pk, amount="3500", reason="数控车工技师，紧缺工种目录内"
    )
    studio = services.application_submit(
        actor=actor,
        scheme=schemes["HA-DS"],
        org=park,
        documents=[{"name": "技能大师工作室命名文件", "ref": "淮工发〔2026〕9号"}, {"name": "建设方案"}],
    )
    services.application_approve(
        actor=city, application_id=studio.pk, amount=studio.maximum, reason="已命名，按标准拨付"
    )
    services.application_submit(
        actor=actor,
        scheme=schemes["HA-LM"],
        org=park,
        documents=[{"name": "劳模创新工作室命名文件", "ref": "淮工发〔2026〕11号"}],
    )


def _guangxi(schemes, orgs, users, actor):
    wuming, region = orgs["武鸣区总"], users["13800017005"]
    county = services.application_submit(
        actor=users["13800017006"], scheme=schemes["GX-XJ"], org=wuming, documents=[{"name": "年度工作计划"}]
    )
    services.application_approve(
        actor=region, application_id=county.pk, amount="100000", reason="县级工会工作经费"
    )
    services.application_submit(
        actor=users["13800017006"],
        scheme=schemes["GX-SG"],
        org=wuming,
        inputs={"persons": 3, "months": 12},
        documents=[{"name": "社会化工会工作者聘用合同"}, {"name": "考勤及考核记录"}],
    )
    town = services.application_submit(
        actor=actor,
        scheme=schemes["GX-MF"],
        org=orgs["双桥镇"],
        documents=[{"name": "评选结果文件", "ref": "桂工发〔2026〕5号"}],
    )
    services.application_approve(
        actor=region, application_id=town.pk, amount="30000", reason="模范乡镇工会，按中档奖补"
    )
    batch = services.batch_create(actor=region, org=orgs["广西区总"])
    services.batch_confirm_paid(actor=region, batch=batch, control_total=batch.total)


def _contributions(orgs, actor):
    today = timezone.localdate()
    months = [(today.replace(day=1) - dt.timedelta(days=31 * i)).replace(day=1) for i in range(1, 4)]
    for short, payroll in (
        ("预石运输工会", "1286000"),
        ("鑫飞煤业工会", "3412500"),
        ("和平快递联合工会", "468200"),
    ):
        for i, month in enumerate(months):
            due = (Decimal(payroll) * Decimal("0.02")).quantize(Decimal("0.01"))
            paid = due if not (short == "鑫飞煤业工会" and i == 0) else Decimal("30000")  # one month short
            services.contribution_record(
                actor=actor,
                org=orgs[short],
                month=month,
                payroll=payroll,
                paid=paid,
                paid_on=month + dt.timedelta(days=20),
            )
