"""The people every test talks about (DESIGN.md §4.10): a worker, a grassroots admin, a county
staffer, a city staffer and a sibling city's staffer, on a small but real tree."""

from __future__ import annotations

from dataclasses import dataclass

from gonghui.accounts.models import User
from gonghui.members.models import Member
from gonghui.orgs.models import Org, Staff

from .factories import make_member, make_org, make_staff, make_user


@dataclass
class Tree:
    national: Org
    province: Org
    city: Org  # 吕梁市总工会
    county: Org  # 柳林县总工会
    township: Org  # 柳林镇工会
    grassroots: Org  # 预石运输有限责任公司工会
    sibling_city: Org  # 太原市总工会
    sibling_county: Org
    sibling_grassroots: Org


@dataclass
class Personas:
    tree: Tree
    worker: User
    member: Member
    grassroots_admin: User
    county_staffer: User
    city_staffer: User
    sibling_staffer: User
    county_auditor: User
    sibling_member: Member


def build_tree() -> Tree:
    national = make_org(None, Org.Kind.NATIONAL, "中华全国总工会", short_name="全总")
    province = make_org(national, Org.Kind.PROVINCE, "山西省总工会", region_code="140000")
    city = make_org(province, Org.Kind.CITY, "吕梁市总工会", region_code="141100")
    county = make_org(city, Org.Kind.COUNTY, "柳林县总工会", region_code="141125")
    township = make_org(county, Org.Kind.TOWNSHIP, "柳林镇工会", region_code="141125")
    grassroots = make_org(
        township,
        Org.Kind.GRASSROOTS,
        "山西吕梁柳林县预石运输有限责任公司工会",
        short_name="预石运输工会",
        region_code="141125",
    )
    sibling_city = make_org(province, Org.Kind.CITY, "太原市总工会", region_code="140100")
    sibling_county = make_org(sibling_city, Org.Kind.COUNTY, "小店区总工会", region_code="140105")
    sibling_grassroots = make_org(
        sibling_county, Org.Kind.GRASSROOTS, "太原某物流公司工会", region_code="140105"
    )
    return Tree(
        national,
        province,
        city,
        county,
        township,
        grassroots,
        sibling_city,
        sibling_county,
        sibling_grassroots,
    )


def build_personas() -> Personas:
    tree = build_tree()
    worker = make_user(name="王建军")
    member = make_member(tree.grassroots, user=worker, name="王建军")
    return Personas(
        tree=tree,
        worker=worker,
        member=member,
        grassroots_admin=make_staff(tree.grassroots, Staff.Role.ADMIN, name="李桂兰"),
        county_staffer=make_staff(tree.county, Staff.Role.ADMIN, name="赵县干", can_reveal_pii=True),
        city_staffer=make_staff(tree.city, Staff.Role.ADMIN, name="钱市干"),
        sibling_staffer=make_staff(tree.sibling_city, Staff.Role.ADMIN, name="孙邻市"),
        county_auditor=make_staff(tree.county, Staff.Role.AUDITOR, name="周审计"),
        sibling_member=make_member(tree.sibling_grassroots, name="吴师傅"),
    )
