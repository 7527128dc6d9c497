"""Demo 职工书屋 (idempotent; `manage.py demo --only library`).

铁岭 (seed 004): 9 national, 14 provincial and 372 county-level 职工书屋 plus grassroots rooms in firms, workshops,
villages and a station, reaching 50万+ workers; a 流动电子职工书屋 lent to 50 private firms of 100+ staff; reading
events (经典诵读, 心得交流) at 小青煤矿's room; 职工读书卡; one room's upgrade waiting for the city.
Room names, places and counts per county are 演示假设 (the seed gives totals only). Logins: 13800023001–13800023004."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.library import services
from gonghui.library.models import ReadingRoom
from gonghui.library.samples import make_epub, make_pdf
from gonghui.members.models import Member
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.services import org_create
from gonghui.testing.factories import make_member

# (short, name, region, GCJ-02 centre)
COUNTIES = [
    ("银州区总", "铁岭市银州区总工会", "211202", (42.2863, 123.8424)),
    ("清河区总", "铁岭市清河区总工会", "211204", (42.5460, 124.1590)),
    ("铁岭县总", "铁岭县总工会", "211221", (42.2236, 123.7288)),
    ("西丰县总", "西丰县总工会", "211223", (42.7380, 124.7270)),
    ("昌图县总", "昌图县总工会", "211224", (42.7850, 124.1110)),
    ("调兵山总", "调兵山市总工会", "211281", (42.4675, 123.5670)),
    ("开原市总", "开原市总工会", "211282", (42.5460, 124.0380)),
]
# Grassroots unions named in the seed, and where their rooms are.
FIRMS = [
    ("调兵山总", "铁法煤业（集团）有限责任公司小青煤矿工会", "小青矿工会", (42.4890, 123.5480)),
    ("银州区总", "辽宁华电铁岭发电有限公司工会", "华电铁岭工会", (42.3050, 123.8120)),
    ("银州区总", "铁岭港华燃气有限公司工会", "港华燃气工会", (42.2930, 123.8560)),
]
PRIVATE_FIRMS = 50  # 流动电子职工书屋: 50 private firms of 100+ staff
LEVELS = [("national", 9), ("provincial", 14), ("county", 372)]
PLACES = ["enterprise", "workshop", "village", "office", "site"]
PLACE_WORDS = {
    "enterprise": "职工书屋",
    "workshop": "车间职工书屋",
    "village": "村（社区）职工书屋",
    "office": "机关职工书屋",
    "site": "工地职工书屋",
}
ACCOUNTS = [
    ("13800023001", "张凤军", "铁岭市总", "admin", "副主席", "市总工会（铁岭，书屋命名与电子书屋）"),
    ("13800023002", "刘德明", "调兵山总", "handler", "宣教部", "县级工会（调兵山市总工会，书屋升级初审）"),
    ("13800023003", "王秀英", "小青矿工会", "admin", "工会主席", "基层工会（小青煤矿，阅读活动）"),
    ("13800023004", "李新伟", None, None, "", "职工（小青煤矿高级技师，读电子书）"),
]
BOOKS = [
    ("习近平新时代中国特色社会主义思想学习读本", "politics", "pdf", "学习读本"),
    ("班组长管理实务", "management", "pdf", "班组建设"),
    ("职工健康手册", "health", "epub", "健康生活"),
    ("平凡的世界（选读）", "literature", "epub", "经典选读"),
    ("设备改造与技术革新案例", "skills", "pdf", "技术革新"),
    ("劳动合同法百问百答", "law", "epub", "法律常识"),
]


def _user(phone, name):
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def _near(rng: random.Random, centre, km: float) -> tuple[float, float]:
    return centre[0] + rng.uniform(-km, km) / 111, centre[1] + rng.uniform(-km, km) / 82


def load(*, stdout) -> None:
    root = (
        Staff.objects.filter(org__parent__isnull=True, role=Staff.Role.ADMIN).select_related("user").first()
    )
    province = Org.objects.filter(short_name="辽宁省总").first()
    if root is None or province is None:
        raise CommandError("请先运行 manage.py demo 创建工会组织树")
    if ReadingRoom.objects.filter(name="小青煤矿职工书屋").exists():
        stdout.write("职工书屋演示数据已存在")
        return
    actor = root.user
    rng = random.Random(2021)
    orgs = {o.short_name: o for o in Org.objects.exclude(short_name="")}

    def org(parent, kind, name, short, region, centre=None):
        if short not in orgs:
            fields = {"name": name, "short_name": short, "region_code": region}
            if centre:
                fields.update(lat=centre[0], lng=centre[1])
            orgs[short] = org_create(actor=actor, parent=orgs[parent], kind=kind, **fields)
        return orgs[short]

    city = org("辽宁省总", "city", "铁岭市总工会", "铁岭市总", "211200", (42.2863, 123.8424))
    centres = {}
    for short, name, region, centre in COUNTIES:
        org("铁岭市总", "county", name, short, region, centre)
        centres[short] = centre
    for county, name, short, centre in FIRMS:
        org(county, "grassroots", name, short, orgs[county].region_code, centre)
    private = []
    for i in range(PRIVATE_FIRMS):
        county = COUNTIES[i % len(COUNTIES)][0]
        private.append(
            org(
                county,
                "grassroots",
                f"铁岭民营企业{i + 1:02d}工会",
                f"铁岭民企{i + 1:02d}",
                orgs[county].region_code,
            )
        )
    users = {}
    for phone, name, short, role, title, _label in ACCOUNTS:
        users[phone] = _user(phone, name)
        if role:
            Staff.objects.get_or_create(
                user=users[phone], org=orgs[short], role=role, defaults={"title": title}
            )
    if not Member.objects.filter(user=users["13800023004"]).exists():
        make_member(
            orgs["小青矿工会"],
            user=users["13800023004"],
            name="李新伟",
            occupation="other",
            employment_form="standard",
        )

    # The register: the seed's numbers by level, hosted by the counties and their firms.
    n = 0
    for level, count in LEVELS:
        for _ in range(count):
            n += 1
            county, _name, _region, centre = COUNTIES[n % len(COUNTIES)]
            host = private[n % len(private)] if n % 3 == 0 else orgs[county]
            place = PLACES[n % len(PLACES)]
            lat, lng = _near(rng, centres[county], 12)
            services.room_create(
                actor=actor,
                org=host,
                level=level,
                name=f"{host.short_name.removesuffix('总').removesuffix('工会')}第{n:03d}号{PLACE_WORDS[place]}",
                place=place,
                address=f"{host.name.removesuffix('工会').removesuffix('总')}辖区 {n} 号",
                district=county.removesuffix("总"),
                lat=round(lat, 6),
                lng=round(lng, 6),
                hours="周一至周五 8:30–17:30，周六 9:00–16:00",
                books_count=rng.randrange(1500, 12000, 100),
                workers_reached=rng.randrange(600, 2200, 10),
                contact_name="",
                contact_phone="",
            )
    xiaoqing = services.room_create(
        actor=actor,
        org=orgs["小青矿工会"],
        level="county",
        name="小青煤矿职工书屋",
        place="workshop",
        address="调兵山市小青煤矿机电车间二楼（自助借书、阅览室、文化长廊、休息区）",
        district="调兵山市",
        lat=42.4890,
        lng=123.5480,
        hours="每天 7:30–21:30（倒班职工班前班后均可）",
        books_count=8600,
        workers_reached=2100,
        contact_name="王秀英",
        contact_phone="024-76000000",
    )
    for short, name in (("华电铁岭工会", "华电铁岭发电职工书屋"), ("港华燃气工会", "铁岭港华燃气职工书屋")):
        lat, lng = _near(rng, FIRMS[1][3], 2)
        services.room_create(
            actor=actor,
            org=orgs[short],
            name=name,
            address=f"{orgs[short].name.removesuffix('工会')}办公楼一层",
            district="银州区",
            lat=round(lat, 6),
            lng=round(lng, 6),
            hours="工作日 8:00–18:00",
            books_count=3200,
            workers_reached=800,
        )
    # One room waits for the city to name it (an upgrade with evidence).
    pending = ReadingRoom.objects.get(name="华电铁岭发电职工书屋")
    services.room_create(
        actor=actor,
        org=orgs["华电铁岭工会"],
        name="华电铁岭发电女职工读书角",
        place="office",
        address="华电铁岭发电有限公司工会活动室",
        district="银州区",
        lat=42.3061,
        lng=123.8133,
        hours="工作日 12:00–13:30",
        books_count=600,
        workers_reached=300,
    )
    services.upgrade_apply(
        actor=actor,
        room=pending,
        statement="书屋面积 120 平方米，藏书 3200 册，电子阅读器 20 台；2021 年组织女职工《非暴力沟通》读书活动和"
        "权益保护知识答题（300 余人参加）。申请命名为县级职工书屋。",
        files=[
            SimpleUploadedFile(
                "借阅制度.pdf", make_pdf("华电铁岭发电职工书屋借阅制度", pages=1, chapter="借阅与管理")
            ),
        ],
    )

    # 流动电子职工书屋: the city licenses a collection and lends it to the 50 private firms and 小青矿.
    today = timezone.localdate()
    collection = services.collection_create(
        actor=actor,
        org=city,
        name="铁岭市流动电子职工书屋",
        licensor="全国总工会职工书屋电子书库（演示）",
        licence_until=today + dt.timedelta(days=365),
        description="时政、管理、健康、文学等，送电子书进企业、入工地",
    )
    for i, (title, category, fmt, chapter) in enumerate(BOOKS):
        data = (
            make_pdf(title, pages=3, chapter=chapter, lines=("铁岭市总工会 流动电子职工书屋",))
            if fmt == "pdf"
            else make_epub(title, text=f"{chapter}：多读书、读好书、善读书。", uid=f"tieling-demo-{i}")
        )
        services.ebook_add(
            actor=actor,
            collection=collection,
            title=title,
            author="铁岭市总工会 编",
            category=category,
            file=SimpleUploadedFile(f"book{i}.{fmt}", data),
        )
    for borrower in [orgs["小青矿工会"], *private]:
        services.loan_create(
            actor=actor,
            collection=collection,
            borrower=borrower,
            starts_on=today,
            ends_on=today + dt.timedelta(days=90),
            note="全国读书节送书进企业",
        )
    # Reading events at 小青矿 (8 分享会 in the seed) and the city's reading cards.
    now = timezone.localtime()
    for days, kind, title in (
        (3, "sharing", "技术书籍分享会：李新伟讲设备改造"),
        (10, "recital", "书香工会·经典诵读会"),
    ):
        starts = (now + dt.timedelta(days=days)).replace(hour=18, minute=30, second=0, microsecond=0)
        services.event_create(
            actor=actor, room=xiaoqing, kind=kind, title=title, starts_at=starts, capacity=40
        )
    services.cards_issue(
        actor=actor,
        org=city,
        room=xiaoqing,
        title="书香工会 职工读书卡",
        count=500,
        face_value="100",
        valid_until=today + dt.timedelta(days=180),
    )
    stdout.write(
        f"职工书屋：{ReadingRoom.objects.filter(org_path__startswith=city.path).count()} 个（国家级 9、省级 14、县级 373 …），"
        f"电子书 {len(BOOKS)} 本借给 {PRIVATE_FIRMS + 1} 家企业工会"
    )


def print_logins(*, stdout) -> None:
    stdout.write("职工书屋（铁岭）：")
    for phone, _name, _short, _role, _title, label in ACCOUNTS:
        stdout.write(f"  {phone}  {label}")
