"""Demo 职工医疗互助保障 (`manage.py demo --only mutual_aid`; idempotent).

The 广西 seed (工人日报): the regional union runs the "second medical insurance" with the 广西职工保障互助协会.
李某, a worker in 灵川县 (桂林), was in hospital twice between March and August — 207万元 of costs, 125万 self-paid —
and received 100万, the year's maximum. Around him: a 灵川 union's members enrolled for 2026 (union-paid, a few
paying themselves, 劳模/工匠/困难职工 covered by donation), stays paid by the allowance, the 100 元 minimum and the
bands, a few waiting for review, and the 五个一 ticked after each payout. Dates are replayed through the services.

Demo sign-ins (password DEMO_PASSWORD): 13800016001 李某 (member, two paid stays), 13800016002 韦秀兰 (member, a
stay waiting for review), 13800016090 区总工会保障部, 13800016091 桂林市总工会, 13800016092 灵川县总工会经办人.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import struct
import zlib
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.core.validators import make_id_number
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.members.models import Member, id_index
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import MutualAidClaim, MutualAidProduct
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Org, Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_BANDS = [
    {"lower": "0", "upper": "10000", "rate": "0.30"},
    {"lower": "10000", "upper": "50000", "rate": "0.40"},
    {"lower": "50000", "upper": "200000", "rate": "0.60"},
    {"lower": "200000", "upper": None, "rate": "0.95"},
]
# phone, name, org key, role, title
STAFF = [
    ("13800016090", "覃海燕", "gx", Staff.Role.ADMIN, "职工保障互助协会"),
    ("13800016091", "蒋志刚", "gl", Staff.Role.ADMIN, "保障工作部"),
    ("13800016092", "莫丽萍", "lc", Staff.Role.HANDLER, "职工服务中心经办人"),
]
# name, occupation, employment form, union key, how covered
MEMBERS = [
    ("李建明", "truck_driver", "new", "wl", "union"),  # the seed's 李某
    ("韦秀兰", "caregiver", "new", "yy", "union"),
    ("黄德福", "factory_worker", "standard", "ny", "union"),
    ("蒙春燕", "courier", "new", "wl", "member"),
    ("唐志强", "factory_worker", "standard", "ny", "union"),
    ("陆桂英", "service", "standard", "yy", "union"),
    ("周永生", "factory_worker", "standard", "ny", "donated:model_worker"),
    ("粟玉兰", "caregiver", "new", "yy", "donated:hardship"),
    ("廖建华", "factory_worker", "standard", "ny", "donated:craftsman"),
    ("罗海涛", "truck_driver", "new", "wl", "union"),
    ("秦丽娟", "service", "standard", "yy", "member"),
    ("全宏伟", "courier", "new", "wl", "union"),
]


def receipt_png(width: int = 120, height: int = 160) -> bytes:
    """A small real PNG (a pale slip with red lines) standing in for a photo of a hospital bill."""
    rows = b"".join(
        b"\x00" + (b"\xc8\x16\x1d" if y % 20 == 10 else b"\xfa\xf6\xee") * width for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@contextlib.contextmanager
def at(moment: dt.datetime):
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


def t(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, 0, tzinfo=SHANGHAI)


def load(*, stdout) -> None:
    national = Org.objects.filter(kind=Org.Kind.NATIONAL).first()
    root_admin = User.objects.filter(positions__org=national, positions__role=Staff.Role.ADMIN).first()
    if national is None or root_admin is None:
        raise CommandError("请先运行 manage.py demo 生成工会组织")
    if MutualAidProduct.objects.filter(code="GXZGHZ").exists():
        stdout.write("医疗互助演示数据已存在")
        return
    with transaction.atomic():
        orgs = _tree(national, root_admin)
        staff = _staff(orgs)
        members = _members(orgs)
        products = _products(orgs["gx"], staff["覃海燕"])
        _enrol(products, members, staff)
        _claims(members, staff)
    paid = MutualAidClaim.objects.filter(status=MutualAidClaim.Status.PAID).count()
    stdout.write(
        f"已生成医疗互助保障：{len(members)} 名参保会员、{MutualAidClaim.objects.count()} 笔申请（已支付 {paid} 笔）"
    )
    stdout.write("  职工 李建明（两次住院共获 100 万元）手机号 13800016001；职工 韦秀兰（待审核）13800016002")
    for phone, name, _key, _role, title in STAFF:
        stdout.write(f"  {title} {name}  手机号 {phone}")


def _tree(national: Org, actor) -> dict[str, Org]:
    gx = org_services.org_create(
        actor=actor,
        parent=national,
        kind="province",
        name="广西壮族自治区总工会",
        short_name="广西区总",
        region_code="450000",
    )
    gl = org_services.org_create(
        actor=actor, parent=gx, kind="city", name="桂林市总工会", short_name="桂林市总", region_code="450300"
    )
    lc = org_services.org_create(
        actor=actor,
        parent=gl,
        kind="county",
        name="灵川县总工会",
        short_name="灵川县总",
        region_code="450323",
    )
    unions = {
        "wl": ("灵川县八里街物流园联合工会", "八里街物流园工会", "joint"),
        "ny": ("桂林某农产品加工有限公司工会", "农产品加工工会", "grassroots"),
        "yy": ("灵川县人民医院护工联合工会", "护工联合工会", "joint"),
    }
    orgs = {"gx": gx, "gl": gl, "lc": lc}
    for key, (name, short, kind) in unions.items():
        orgs[key] = org_services.org_create(
            actor=actor, parent=lc, kind=kind, name=name, short_name=short, region_code="450323"
        )
    return orgs


def _user(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def _staff(orgs) -> dict[str, User]:
    people = {}
    for phone, name, key, role, title in STAFF:
        user = _user(phone, name)
        Staff.objects.get_or_create(user=user, org=orgs[key], role=role, defaults={"title": title})
        people[name] = user
    return people


def _members(orgs) -> list[Member]:
    members = []
    for i, (name, occupation, form, key, _cover) in enumerate(MEMBERS, start=1):
        phone = f"+86138000160{i:02d}"
        user = _user(phone, name) if i <= 2 else None
        birth = dt.date(1972 + i, (i % 12) + 1, 8 + i)
        id_number = make_id_number("450323", birth, 100 + 2 * i + 1)
        org = orgs[key]
        members.append(
            Member.objects.create(
                user=user,
                org=org,
                org_path=org.path,
                member_no=f"45032316{i:04d}",
                name=name,
                id_number=id_number,
                id_index=id_index(id_number),
                phone=phone,
                phone_index=phone_index(phone),
                gender="M" if int(id_number[16]) % 2 else "F",
                birth_date=birth,
                occupation=occupation,
                employment_form=form,
                employer_name=org.short_name.replace("工会", ""),
                joined_at=dt.date(2019, 5, 1) + dt.timedelta(days=97 * i),
            )
        )
    return members


def _products(gx: Org, actor) -> dict[int, MutualAidProduct]:
    products = {}
    for year in (2025, 2026):
        with at(t(year - 1, 11, 20)):
            products[year] = services.product_create(
                actor=actor,
                org=gx,
                data=services.ProductInput(
                    code="GXZGHZ",
                    name="广西职工住院医疗互助保障",
                    year=year,
                    period_start=dt.date(year, 1, 1),
                    period_end=dt.date(year, 12, 31),
                    premium="60",
                    deductible="1000",
                    bands=DEFAULT_BANDS,
                    minimum_payout="100",
                    allowance_per_day="30",
                    allowance_max_days=180,
                    yearly_cap="1000000",
                ),
            )
    with at(t(2025, 11, 20)):
        services.product_create(
            actor=actor,
            org=gx,
            data=services.ProductInput(
                code="GXXJYHZ",
                name="新就业形态劳动者住院医疗互助保障",
                year=2026,
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 12, 31),
                premium="30",
                eligibility="new_form",
                deductible="1000",
                bands=[*DEFAULT_BANDS[:2], {"lower": "50000", "upper": None, "rate": "0.50"}],
                minimum_payout="100",
                allowance_per_day="30",
                allowance_max_days=90,
                yearly_cap="200000",
            ),
        )
    return products


def _enrol(products, members, staff) -> None:
    clerk = staff["莫丽萍"]
    with at(t(2025, 1, 6)):
        services.enrolment_create(actor=clerk, product=products[2025], member_ids=[m.pk for m in members[:6]])
    groups: dict[tuple[str, str], list[int]] = {}
    for member, (*_rest, cover) in zip(members, MEMBERS, strict=True):
        paid_by, _, donated_as = cover.partition(":")
        groups.setdefault((paid_by, donated_as), []).append(member.pk)
    with at(t(2026, 1, 5)):
        for (paid_by, donated_as), ids in groups.items():
            services.enrolment_create(
                actor=clerk, product=products[2026], member_ids=ids, paid_by=paid_by, donated_as=donated_as
            )


def _stay(kind, hospital, admitted, discharged, total, insured, diagnosis=""):
    return services.ClaimInput(
        kind=kind,
        hospital=hospital,
        diagnosis=diagnosis,
        admitted_on=admitted,
        discharged_on=discharged,
        total_cost=total,
        insured_part=insured,
    )


def _photo(name="住院发票.png"):
    return SimpleUploadedFile(name, receipt_png(), content_type="image/png")


def _claims(members, staff) -> None:
    clerk, county = staff["莫丽萍"], staff["莫丽萍"]
    li, wei, huang, meng, tang, lu, zhou, su, liao, luo = members[:10]
    d = dt.date

    def member_files(member, stay, when):
        with at(when):
            return services.claim_file(actor=member.user, data=stay, files=[_photo(), _photo("费用清单.png")])

    def union_files(member, stay, when):
        with at(when):
            return services.claim_file(actor=clerk, data=stay, member_id=member.pk)

    def approve_pay(claim, approved, paid, ticks=()):
        with at(approved):
            services.claim_approve(actor=county, claim=claim, note="票据齐全，金额核对无误")
        with at(paid):
            services.claim_pay(actor=county, claim=claim)
        for item, note, day in ticks:
            with at(t(day.year, day.month, day.day, 15)):
                services.follow_up_tick(actor=county, claim=claim, item=item, note=note)

    # 李某: two stays, 207万 of costs, 125万 self-paid → 678,050 + 321,950 = the 100万 cap.
    first = member_files(
        li,
        _stay(
            "illness",
            "广西医科大学第一附属医院",
            d(2026, 3, 4),
            d(2026, 4, 18),
            "1320000",
            "520000",
            "恶性肿瘤",
        ),
        t(2026, 4, 22),
    )
    approve_pay(
        first,
        t(2026, 4, 27),
        t(2026, 4, 30),
        [
            ("call", "电话问候，已转入康复治疗", d(2026, 5, 2)),
            ("gift", "送慰问品（米、油、牛奶）", d(2026, 5, 8)),
            ("money", "县总工会慰问金 2,000 元", d(2026, 5, 8)),
            ("policy", "讲解年度封顶与住院津贴政策", d(2026, 5, 8)),
        ],
    )
    second = member_files(
        li,
        _stay(
            "illness",
            "广西医科大学第一附属医院",
            d(2026, 6, 10),
            d(2026, 8, 6),
            "750000",
            "300000",
            "恶性肿瘤",
        ),
        t(2026, 8, 12),
    )
    approve_pay(
        second, t(2026, 8, 17), t(2026, 8, 20), [("call", "电话问候，已转至康复医院", d(2026, 8, 24))]
    )

    # Allowance: a 5-day stay under the deductible.
    c = member_files(
        wei, _stay("illness", "灵川县人民医院", d(2026, 2, 9), d(2026, 2, 14), "2600", "1900"), t(2026, 2, 20)
    )
    approve_pay(c, t(2026, 2, 24), t(2026, 2, 27))
    # …then the rest of her deductible and 200 元 over it: 60 元 raised to the 100 元 minimum.
    member_files(
        wei,
        _stay("illness", "灵川县人民医院", d(2026, 10, 12), d(2026, 10, 14), "1700", "1200"),
        t(2026, 10, 20),
    )

    c = union_files(
        huang,
        _stay("accident", "桂林市人民医院", d(2026, 5, 3), d(2026, 5, 21), "96000", "58000", "工伤骨折"),
        t(2026, 5, 26),
    )
    approve_pay(
        c,
        t(2026, 5, 28),
        t(2026, 6, 2),
        [("call", "电话问候", d(2026, 6, 3)), ("gift", "送慰问品", d(2026, 6, 10))],
    )
    c = union_files(
        tang,
        _stay("illness", "灵川县中医医院", d(2026, 7, 1), d(2026, 7, 9), "14800", "9100"),
        t(2026, 7, 14),
    )
    approve_pay(c, t(2026, 7, 16), t(2026, 7, 20))
    c = union_files(
        zhou,
        _stay("illness", "桂林医学院附属医院", d(2026, 9, 2), d(2026, 9, 20), "68000", "39000"),
        t(2026, 9, 25),
    )
    approve_pay(c, t(2026, 9, 28), t(2026, 10, 9))
    c = union_files(
        su, _stay("illness", "灵川县人民医院", d(2026, 8, 3), d(2026, 8, 10), "5300", "3300"), t(2026, 8, 14)
    )
    with at(t(2026, 8, 18)):
        services.claim_approve(actor=county, claim=c)
    union_files(
        liao,
        _stay("illness", "桂林市第二人民医院", d(2026, 11, 2), d(2026, 11, 12), "31000", "19500"),
        t(2026, 11, 16),
    )
    union_files(
        luo,
        _stay("accident", "灵川县人民医院", d(2026, 11, 8), d(2026, 11, 15), "12000", "7000", "交通事故"),
        t(2026, 11, 18),
    )
    c = union_files(
        lu, _stay("illness", "灵川县人民医院", d(2026, 6, 1), d(2026, 6, 3), "900", "600"), t(2026, 6, 5)
    )
    with at(t(2026, 6, 8)):
        services.claim_withdraw(actor=county, claim=c, reason="职工已在原单位另行报销，申请撤回")
    # Last year: one stay under the 2025 rules.
    c = union_files(
        meng,
        _stay("illness", "灵川县人民医院", d(2025, 9, 8), d(2025, 9, 16), "21000", "12500"),
        t(2025, 9, 22),
    )
    approve_pay(c, t(2025, 9, 24), t(2025, 9, 30))
