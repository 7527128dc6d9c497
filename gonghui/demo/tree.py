"""The demo's ground: the union tree, one sign-in per role and about 5,000 members (idempotent).
Every other part of the demo stands on it."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import transaction

from gonghui.accounts.models import User, phone_index
from gonghui.core.validators import make_id_number
from gonghui.demo.data import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    GIVEN,
    GIVEN2,
    NEW_FORM,
    OCCUPATION_MIX,
    SURNAMES,
    TREE,
)
from gonghui.members.models import Counter, Member, id_index
from gonghui.orgs.models import Org, Staff, path_segment
from gonghui.testing.factories import random_credit_code

DEFAULT_MEMBERS = 5000
ID_SLOTS = 39 * 365 * 1000  # ages 19–58 × order codes 000–999
ID_SCRAMBLE = 2_654_435_761  # odd and not a multiple of 5 or 73: coprime with ID_SLOTS
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]


def load(*, stdout, members: int = DEFAULT_MEMBERS, seed: int = 20261123) -> None:
    rng = random.Random(seed)
    if not Org.objects.exists():
        with transaction.atomic():
            orgs = _build_tree(rng)
            _build_accounts(orgs)
        stdout.write(f"已创建 {Org.objects.count()} 个工会组织和 {len(DEMO_ACCOUNTS)} 个演示账号")
    existing = Member.objects.count()
    if members > existing:
        started = time.perf_counter()
        _build_members(rng, members - existing, start=existing, stdout=stdout)
        stdout.write(f"已生成 {members - existing} 名会员，用时 {time.perf_counter() - started:.1f} 秒")


# --- tree ------------------------------------------------------------------------------


def _build_tree(rng: random.Random) -> dict[str, Org]:
    by_short: dict[str, Org] = {}

    def add(node, parent: Org | None, index: int):
        kind, name, short, region, lat, lng, children = node
        path = (parent.path if parent else "") + path_segment(index)
        org = Org.objects.create(
            parent=parent,
            kind=kind,
            name=name,
            short_name=short,
            region_code=region,
            lat=lat,
            lng=lng,
            path=path,
            depth=len(path) // 5,
            child_seq=len(children),
            credit_code=random_credit_code(rng, "81", region)
            if kind in {"grassroots", "joint", "industry"}
            else None,
            address=f"{name.replace('工会', '').replace('总', '')}工会服务中心",
            chair_name=rng.choice(SURNAMES) + rng.choice(GIVEN2),
            contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN2),
            contact_phone=f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}",
        )
        by_short[short] = org
        for i, child in enumerate(children):
            add(child, org, i)

    add(TREE, None, 0)
    return by_short


def _build_accounts(orgs: dict[str, Org]) -> None:
    for phone, name, org_short, role, title, reveal, _label in DEMO_ACCOUNTS:
        user = User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)
        if role:
            Staff.objects.create(
                user=user, org=orgs[org_short], role=role, title=title, can_reveal_pii=reveal
            )
    root = User.objects.get_by_phone(DEMO_ACCOUNTS[-1][0])
    root.is_staff = root.is_superuser = True
    root.save(update_fields=["is_staff", "is_superuser"])


# --- members ---------------------------------------------------------------------------


def _build_members(rng: random.Random, count: int, *, start: int, stdout) -> None:
    grassroots = list(Org.objects.filter(kind="grassroots").order_by("path"))
    # The 柳林 transport company gets the most drivers, as in the seed story.
    weights = [6 if "预石" in o.name else 1 for o in grassroots]
    worker = User.objects.get_by_phone(DEMO_ACCOUNTS[0][0])
    today = dt.date.today()
    batch: list[Member] = []
    sequence = start
    made = 0
    if start == 0:
        batch.append(
            _member(
                rng,
                next(o for o in grassroots if "预石" in o.name),
                0,
                today,
                name=worker.name,
                user=worker,
                phone=worker.phone,
                occupation="truck_driver",
            )
        )
        sequence, made = 1, 1
    while made < count:
        org = rng.choices(grassroots, weights)[0]
        batch.append(_member(rng, org, sequence, today))
        sequence += 1
        made += 1
        if len(batch) >= 2000:
            Member.objects.bulk_create(batch)
            batch.clear()
            if made % 50000 < 2000:
                stdout.write(f"  … {made} / {count}")
    if batch:
        Member.objects.bulk_create(batch)
    # Numbers handed out from now on (approvals, imports) continue after the demo's own.
    Counter.objects.get_or_create(name="member_no")
    Counter.objects.filter(name="member_no", value__lt=sequence).update(value=sequence)


def _member(
    rng,
    org: Org,
    sequence: int,
    today: dt.date,
    *,
    name=None,
    user=None,
    phone=None,
    occupation=None,
) -> Member:
    mix = next(m for key, m in OCCUPATION_MIX if key in org.name)
    occupation = occupation or rng.choices([o for o, _ in mix], [w for _, w in mix])[0]
    # A bijection of the sequence onto (birth day, 3-digit order code): every demo 身份证号 is
    # unique without a lookup, even at a million members.
    slot = (sequence * ID_SCRAMBLE) % ID_SLOTS
    day, seq3 = divmod(slot, 1000)
    birth = today.replace(month=1, day=1, year=today.year - 19) - dt.timedelta(days=day)
    male = seq3 % 2 == 1
    region = org.region_code if org.region_code[2:] != "0000" else org.region_code[:2] + "0101"
    id_number = make_id_number(region, birth, seq3)
    phone = phone or f"+86{rng.choice(MOBILE_PREFIXES)}{sequence:08d}"
    name = name or rng.choice(SURNAMES) + (rng.choice(GIVEN2) if rng.random() < 0.6 else rng.choice(GIVEN))
    # Joined in the last eight years, never before the 16th birthday (the minimum age to join).
    sixteenth = (
        birth.replace(year=birth.year + 16)
        if (birth.month, birth.day) != (2, 29)
        else birth.replace(year=birth.year + 16, day=28)
    )
    joined = today - dt.timedelta(days=rng.randint(0, min(365 * 8, (today - sixteenth).days)))
    return Member(
        user=user,
        org=org,
        org_path=org.path,
        # The same shape as members.services.next_member_numbers: region code + 9-digit sequence.
        member_no=f"{org.region_code or '000000'}{sequence + 1:09d}",
        name=name,
        id_number=id_number,
        id_index=id_index(id_number),
        phone=phone,
        phone_index=phone_index(phone),
        gender="M" if male else "F",
        birth_date=birth,
        occupation=occupation,
        employment_form="new" if occupation in NEW_FORM else "standard",
        employer_name=org.short_name.replace("工会", "") or org.name,
        joined_at=joined,
    )


def print_logins(*, stdout) -> None:
    stdout.write("")
    stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for phone, _name, _org, _role, _title, _reveal, label in DEMO_ACCOUNTS:
        stdout.write(f"  {label:<24} 手机号 {phone}")
    stdout.write(
        "  职工端 http://127.0.0.1:8000/accounts/login/   （也可用验证码登录，演示环境直接显示验证码）"
    )
    stdout.write("  工作台 http://127.0.0.1:8000/accounts/staff-login/")
    stdout.write("  系统后台 http://127.0.0.1:8000/admin/ （全国总工会管理员账号）")
