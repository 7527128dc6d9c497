"""Demo 帮扶 (idempotent; `manage.py demo --only aid`), replayed through the services with real dates.

From the seeds: 柳林县 runs 金秋助学 every year (2025 fully paid, 2026 in 公示 and under review), with
14 donor companies and a 99公益日 round; the 预石 truck drivers' union visits its 21 poor drivers'
families at 两节 and hands out T-shirts and cups in 夏送清凉; hardship files of the drivers' households
with the category worked out from the county's 低保. Demo logins 13800015001–13800015099."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError

from gonghui.accounts.models import User
from gonghui.aid.models import AidProgramme, LowIncomeStandard
from gonghui.aid.services import applications, donations, hardship, payments, programmes
from gonghui.aid.services.applications import ApplicationData
from gonghui.aid.services.hardship import HardshipData
from gonghui.core import notices
from gonghui.core.validators import make_id_number
from gonghui.demo.cases import at, t  # one way to replay a dated event in the demo
from gonghui.demo.data import DEMO_PASSWORD, GIVEN2, SURNAMES
from gonghui.orgs.models import Org, Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JINQIU_DOCS = ("admission", "id_card", "household", "hardship_proof")
# phone, name, org short name, role, title
AID_STAFF = [
    ("13800015001", "任晓梅", "柳林县总", Staff.Role.HANDLER, "职工帮扶中心"),
    ("13800015002", "霍俊峰", "预石运输工会", Staff.Role.HANDLER, "工会副主席（帮扶）"),
]
DEMO_WORKER = ("13800015011", "王建军")  # a driver whose daughter's 2026 application is in 公示
# 低保 standards (元/人/月, demo figures) by county, dated.
DIBAO = [
    ("141125", "柳林县", "760.00", dt.date(2025, 7, 1)),
    ("141102", "离石区", "780.00", dt.date(2025, 7, 1)),
    ("141100", "吕梁市", "760.00", dt.date(2025, 7, 1)),
    ("140105", "太原市小店区", "880.00", dt.date(2025, 7, 1)),
    ("441781", "阳春市", "1010.00", dt.date(2025, 1, 1)),
]
DONORS = [
    "柳林县鑫飞煤业有限公司",
    "山西吕梁柳林县预石运输有限责任公司",
    "柳林县联盛能源有限公司",
    "吕梁市汇丰物流有限公司",
    "柳林县金家庄煤业有限公司",
    "柳林县穆村快递物流园",
    "吕梁农商银行柳林支行",
    "柳林县宏达建材有限公司",
    "柳林县兴盛商贸有限公司",
    "山西焦煤柳林分公司",
    "柳林县恒泰运输有限公司",
    "吕梁市安达汽车服务有限公司",
    "柳林县瑞丰粮油有限公司",
    "柳林县康宁医药连锁有限公司",
]
SCHOOLS = [
    "太原理工大学",
    "山西大学",
    "中北大学",
    "山西医科大学",
    "吕梁学院",
    "山西农业大学",
    "柳林县第一中学",
    "柳林县职业中学",
]


def _user(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def _docs():
    return {k: [SimpleUploadedFile(f"{k}.png", PNG, content_type="image/png")] for k in JINQIU_DOCS}


def load(*, stdout) -> None:
    orgs = {o.short_name: o for o in Org.objects.exclude(short_name="")}
    if "柳林县总" not in orgs:
        raise CommandError("请先运行 manage.py demo 生成工会组织")
    if AidProgramme.objects.filter(org=orgs["柳林县总"]).exists():
        stdout.write("帮扶演示数据已存在")
        return
    rng = random.Random(20261015)
    staff = {}
    for phone, name, short, role, title in AID_STAFF:
        user = _user(phone, name)
        Staff.objects.get_or_create(user=user, org=orgs[short], role=role, defaults={"title": title})
        staff[short] = user
    county, drivers = staff["柳林县总"], staff["预石运输工会"]
    for code, name, monthly, since in DIBAO:
        LowIncomeStandard.objects.get_or_create(
            region_code=code, effective_from=since, defaults={"region_name": name, "monthly": monthly}
        )
    people = _people(rng, 44)
    files = _hardship_files(rng, county, orgs, people[:21])
    _jinqiu_2025(rng, county, orgs, people[21:44])
    _jinqiu_2026(rng, county, orgs, people, files)
    _festivals(drivers, orgs, people[:21])
    stdout.write(
        f"已生成帮扶演示数据：{LowIncomeStandard.objects.count()} 条低保标准、{len(files)} 户困难职工档案、"
        f"{AidProgramme.objects.count()} 个帮扶项目"
    )


def print_logins(*, stdout) -> None:
    for phone, name, short, _role, title in AID_STAFF:
        stdout.write(f"  帮扶：{short}{title} {name}  手机号 {phone}")
    stdout.write(f"  帮扶：职工 {DEMO_WORKER[1]}（女儿金秋助学申请公示中）  手机号 {DEMO_WORKER[0]}")


def _people(rng, n):
    """Drivers (parents) with a child each; the first is the demo worker with a login."""
    rows = []
    for i in range(n):
        surname = rng.choice(SURNAMES)
        parent = DEMO_WORKER[1] if i == 0 else surname + rng.choice(GIVEN2)
        child = (parent[0] if i == 0 else surname) + rng.choice(
            ["小雨", "思琪", "浩然", "子涵", "佳怡", "宇航", "欣悦", "俊杰"]
        )
        rows.append(
            {
                "phone": DEMO_WORKER[0] if i == 0 else f"138000150{20 + i:02d}",
                "name": parent,
                "id": make_id_number("141125", dt.date(1972 + i % 12, 1 + i % 12, 3 + i % 25), 101 + 2 * i),
                "child": child,
                "child_id": make_id_number(
                    "141125", dt.date(2006 + i % 3, 1 + (i * 5) % 12, 1 + (i * 7) % 27), 200 + 2 * i
                ),
                "unit": "预石运输有限责任公司"
                if i < 21
                else rng.choice(["柳林县鑫飞煤业有限公司", "柳林县穆村快递物流园"]),
                "org": "柳林县总",
            }
        )
    return rows


def _hardship_files(rng, actor, orgs, people):
    files = []
    with at(t(2026, 1, 8)):
        for i, p in enumerate(people):
            size = rng.choice([3, 4, 4, 5])
            # A spread of households: below 低保, between 1× and 2×, and one accident.
            income = rng.choice([18000, 24000, 30000, 42000, 52000, 60000])
            medical = rng.choice([0, 3000, 8000, 15000])
            data = HardshipData(
                head_name=p["name"],
                head_id_number=p["id"],
                head_phone=p["phone"],
                unit_name=p["unit"],
                region_code="141125",
                household_size=size,
                annual_income=str(income),
                expense_medical=str(medical),
                expense_education=str(rng.choice([0, 4000, 8000])),
                accident_costs="68000" if i == 5 else "0",
                accident_note="2025年11月货车侧翻，本人腰椎骨折" if i == 5 else "",
                migrant=i % 3 == 0,
                urban_long_term=i % 3 == 0,
                employed_months=36,
                household=[{"name": p["child"], "relation": "子女", "health": "在读"}],
            )
            files.append(hardship.hardship_file_create(actor=actor, org=orgs["柳林县总"], data=data))
    with at(t(2026, 1, 15)):
        for f in files[:6]:
            hardship.visit_record(
                actor=actor,
                org=f.org,
                hardship_file=f,
                visited_on="2026-01-15",
                visitors="任晓梅、霍俊峰",
                findings="两节前入户走访：了解家庭收入、子女上学和老人就医情况，送去米面油和慰问金。",
            )
    return files


def _apply_and_approve(rng, actor, programme, p, *, level=None):
    app = applications.application_submit(
        actor=actor,
        programme=programme,
        on_behalf=True,
        files=_docs(),
        data=ApplicationData(
            applicant_name=p["name"],
            applicant_id_number=p["id"],
            applicant_phone=p["phone"],
            unit_name=p["unit"],
            beneficiary_name=p["child"],
            beneficiary_id_number=p["child_id"],
            level=level or rng.choice(["university", "university", "high_school"]),
            school_name=rng.choice(SCHOOLS),
            bank_name="中国农业银行柳林支行",
            bank_account=f"62284801{rng.randrange(10**10, 10**11)}",
        ),
    )
    app = applications.application_check_documents(actor=actor, application=app, complete=True)
    return app


def _visit_approve(actor, app, day):
    app = applications.application_visit(
        actor=actor,
        application=app,
        visited_on=day,
        visitors="任晓梅",
        findings="入户核实：父亲跑货运收入不稳定，家中有老人常年服药，学生学习刻苦。",
    )
    return applications.application_approve(
        actor=actor, application=app, reason="经入户走访核实，家庭困难属实，同意资助"
    )


def _jinqiu_2025(rng, actor, orgs, people):
    with at(t(2025, 7, 10)):
        prog = programmes.programme_create(
            actor=actor,
            org=orgs["柳林县总"],
            kind="jinqiu",
            name="2025年柳林县金秋助学",
            year=2025,
            budget="120000",
            fund_source="县总工会帮扶资金",
        )
        apps = [_apply_and_approve(rng, actor, prog, p) for p in people[:18]]
    with at(t(2025, 7, 21)):
        for app in apps:
            _visit_approve(actor, app, "2025-07-21")
        applications.programme_publish_notice(actor=actor, programme=prog)
    with at(t(2025, 8, 4)):
        batch = payments.batch_create(actor=actor, programme=prog)
        payments.batch_mark_paid(actor=actor, batch=batch)
    with at(t(2025, 8, 5)):
        programmes.programme_close(actor=actor, programme=prog)


def _jinqiu_2026(rng, actor, orgs, people, files):
    with at(t(2026, 7, 6)):
        prog = programmes.programme_create(
            actor=actor,
            org=orgs["柳林县总"],
            kind="jinqiu",
            name="2026年柳林县金秋助学",
            year=2026,
            budget="418000",
            fund_source="县总工会帮扶资金及社会捐赠",
            description="资助柳林县困难职工家庭、因公牺牲职工家庭中2026年考入大学、高中的子女。",
        )
        for i, donor in enumerate(DONORS):
            donations.donation_record(
                actor=actor,
                org=orgs["柳林县总"],
                programme=prog,
                donor_kind="company",
                donor_name=donor,
                amount=str(rng.choice([5000, 8000, 10000, 20000, 30000])),
                received_on=dt.date(2026, 6, 20 + i % 10),
            )
    with at(t(2026, 9, 10)):
        donations.donation_record(
            actor=actor,
            org=orgs["柳林县总"],
            programme=prog,
            donor_kind="campaign",
            donor_name="99公益日·柳林金秋助学",
            campaign="99公益日",
            donors_count=1293,
            amount="57000",
            received_on=dt.date(2026, 9, 9),
        )
    worker = _user(DEMO_WORKER[0], DEMO_WORKER[1])
    with at(t(2026, 7, 20)):
        first = applications.application_submit(
            actor=worker,
            programme=prog,
            files=_docs(),
            data=ApplicationData(
                applicant_name=people[0]["name"],
                applicant_id_number=people[0]["id"],
                unit_name=people[0]["unit"],
                beneficiary_name=people[0]["child"],
                beneficiary_id_number=people[0]["child_id"],
                level="university",
                school_name="太原理工大学",
                bank_name="中国农业银行柳林支行",
                bank_account="6228480123456789012",
            ),
        )
        first = applications.application_check_documents(actor=actor, application=first, complete=True)
        others = [_apply_and_approve(rng, actor, prog, p) for p in people[1:16]]
    with at(t(2026, 7, 27)):
        for app in [first, *others[:11]]:
            _visit_approve(actor, app, "2026-07-27")
        for app in others[11:13]:
            applications.application_visit(
                actor=actor,
                application=app,
                visited_on="2026-07-27",
                visitors="任晓梅",
                findings="入户核实中：家庭收入材料与单位证明不一致，待单位补充说明。",
            )
    # The notice runs from "today" in the demo, so the public board shows it open when the demo starts.
    applications.programme_publish_notice(actor=actor, programme=prog)
    # One line gets an objection (it becomes a case for the county union).
    notice = notices.notices_for_source(source="aid", source_ref=str(prog.pk)).first()
    entry = notice.entries.order_by("position")[3]
    notices.notice_object(
        actor=None,
        notice=notice,
        entry_id=entry.pk,
        name="李师傅",
        phone="13800015099",
        reason="据了解该职工家中另有一辆营运货车在跑，收入不低，请工会核实。",
    )


def _festivals(actor, orgs, people):
    org = orgs["预石运输工会"]
    with at(t(2026, 1, 20)):
        prog = programmes.programme_create(
            actor=actor,
            org=org,
            kind="condolence",
            occasion="festivals",
            name="2026年两节送温暖·困难货车司机家庭走访慰问",
            year=2026,
            budget="21000",
            fund_source="基层工会经费",
            rules={"amount": "800", "goods": "米、面、油各一份"},
        )
        apps = []
        for p in people:
            app = applications.application_submit(
                actor=actor,
                programme=prog,
                on_behalf=True,
                data=ApplicationData(
                    applicant_name=p["name"],
                    applicant_id_number=p["id"],
                    applicant_phone=p["phone"],
                    unit_name=p["unit"],
                ),
            )
            apps.append(
                applications.application_approve(
                    actor=actor, application=app, reason="在档困难职工，两节走访慰问"
                )
            )
        applications.programme_publish_notice(actor=actor, programme=prog, workdays=3)
    with at(t(2026, 1, 26)):
        batch = payments.batch_create(actor=actor, programme=prog)
        payments.batch_mark_paid(actor=actor, batch=batch)
    with at(t(2026, 6, 20)):
        programmes.programme_create(
            actor=actor,
            org=org,
            kind="condolence",
            occasion="summer",
            name="2026年夏送清凉·T恤和水杯",
            year=2026,
            budget="30000",
            fund_source="基层工会经费",
            rules={"amount": "0", "goods": "T恤一件、水杯一个"},
        )
