"""Factories for tests and demo data: valid identifiers, real tree shapes, no shortcuts around services
except where a test needs a fixture that no user action could produce."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.utils import timezone

from gonghui.accounts.models import User, phone_index
from gonghui.core.validators import make_credit_code, make_id_number, normalize_mobile
from gonghui.members.models import Member, id_index
from gonghui.orgs.models import Org, Staff, path_segment

_phone_seq = itertools.count(1)
_id_seq = itertools.count(1)
_member_seq = itertools.count(1)

PASSWORD = "Gonghui#2026"


def next_phone() -> str:
    # 199 numbers are valid mobile numbers in phonenumbers' metadata; the sequence keeps them unique.
    return f"+86199{next(_phone_seq):08d}"


def make_org(parent: Org | None, kind: str, name: str, **fields) -> Org:
    """Creates a node directly (tests need trees without an admin actor); mirrors services._new_child."""
    if parent is None:
        path = path_segment(Org.objects.filter(parent__isnull=True).count())
    else:
        parent.refresh_from_db(fields=["child_seq"])
        path = parent.path + path_segment(parent.child_seq)
        Org.objects.filter(pk=parent.pk).update(child_seq=parent.child_seq + 1)
    return Org.objects.create(parent=parent, kind=kind, name=name, path=path, depth=len(path) // 5, **fields)


def make_user(*, phone: str | None = None, name: str = "", password: str | None = PASSWORD, **extra) -> User:
    phone = normalize_mobile(phone) if phone else next_phone()
    user = User.objects.create_user(phone, password=password, name=name, **extra)
    return user


def make_staff(
    org: Org,
    role: str = Staff.Role.ADMIN,
    *,
    user: User | None = None,
    name: str = "",
    can_reveal_pii: bool = False,
    title: str = "",
) -> User:
    user = user or make_user(name=name or f"{org.display_name}{Staff.Role(role).label}")
    Staff.objects.create(user=user, org=org, role=role, can_reveal_pii=can_reveal_pii, title=title)
    return user


def make_id(birth: dt.date | None = None, region: str = "141125", male: bool | None = None) -> str:
    birth = birth or dt.date(1988, 5, 17)
    seq = next(_id_seq) % 500 * 2
    if male is None or male:
        seq += 1
    return make_id_number(region, birth, seq % 1000)


def make_member(
    org: Org,
    *,
    user: User | None = None,
    name: str = "张师傅",
    id_number: str | None = None,
    occupation: str = "truck_driver",
    employment_form: str = "new",
    status: str = Member.Status.ACTIVE,
    joined_at: dt.date | None = None,
    phone: str | None = None,
) -> Member:
    id_number = id_number or make_id()
    phone = normalize_mobile(phone) if phone else (user.phone if user else next_phone())
    birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return Member.objects.create(
        user=user,
        org=org,
        org_path=org.path,
        # One length with the real ones (region + 9 digits); the 9xxxxxxxx block never meets the counter.
        member_no=f"{org.region_code or '000000'}9{next(_member_seq):08d}",
        name=name,
        id_number=id_number,
        id_index=id_index(id_number),
        phone=phone,
        phone_index=phone_index(phone),
        gender="M" if int(id_number[16]) % 2 else "F",
        birth_date=birth,
        occupation=occupation,
        employment_form=employment_form,
        status=status,
        joined_at=joined_at or timezone.localdate(),
    )


def random_credit_code(rng: random.Random, prefix: str = "81", region: str = "141125") -> str:
    from gonghui.core.validators import CREDIT_ALPHABET

    body = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return make_credit_code(prefix + region + body)
