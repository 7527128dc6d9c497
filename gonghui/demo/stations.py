"""Demo stations: 盐城's 454 stations and 15-minute circle (seed 003), 柳林县 along the coal-truck
routes, and 成都's 24-hour scan-to-enter stations; with visits, closures and observer feedback."""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.audit import audit_record
from gonghui.core.glossary import OCCUPATIONS
from gonghui.orgs.models import Org, Staff, path_segment
from gonghui.stations import index
from gonghui.stations.models import Station, StationClosure, StationFeedback, StationVisit
from gonghui.stations.services import clean_station

# (district, centre lat, centre lng (GCJ-02), spread km, stations, streets)
YANCHENG = [
    (
        "亭湖区",
        33.3905,
        120.1640,
        2.6,
        122,
        [
            "解放北路",
            "建军东路",
            "人民中路",
            "毓龙东路",
            "开放大道",
            "青年东路",
            "新洋港路",
            "黄海中路",
            "文港北路",
            "大庆东路",
        ],
    ),
    (
        "盐都区",
        33.3380,
        120.1350,
        2.4,
        92,
        ["世纪大道", "盐渎西路", "珠江路", "新都路", "青年西路", "潘黄路", "大铜马路", "纬一路"],
    ),
    ("盐城经济技术开发区", 33.3650, 120.2420, 2.0, 48, ["希望大道", "松江路", "湘江路", "东环路", "漓江路"]),
    ("盐南高新区", 33.3160, 120.1880, 2.0, 48, ["迎宾南路", "范公路", "登瀛路", "太阳城大道", "新都东路"]),
    ("大丰区", 33.2010, 120.4630, 1.6, 30, ["健康路", "幸福大道", "常新路", "人民路"]),
    ("东台市", 32.8530, 120.3200, 1.6, 30, ["望海西路", "海陵路", "北海路", "红兰路"]),
    ("建湖县", 33.4650, 119.7990, 1.3, 20, ["冠华路", "湖中路", "秀夫路"]),
    ("射阳县", 33.7740, 120.2580, 1.3, 20, ["解放路", "幸福大道", "振阳街"]),
    ("阜宁县", 33.7590, 119.8020, 1.2, 16, ["阜城大街", "崇湖路", "香港路"]),
    ("滨海县", 33.9900, 119.8200, 1.2, 16, ["振兴路", "八滩大道", "人民路"]),
    ("响水县", 34.1990, 119.5780, 1.0, 12, ["双园路", "灌江路"]),
]
assert sum(d[4] for d in YANCHENG) == 454
CHENGDU = [
    ("锦江区", 30.6570, 104.0830, 1.8, 14, ["春熙路", "东大街", "红星路", "东风路"]),
    ("武侯区", 30.6420, 104.0430, 1.8, 12, ["一环路南四段", "科华北路", "武侯祠大街", "倪家桥路"]),
    ("青羊区", 30.6740, 104.0620, 1.6, 8, ["人民中路", "西玉龙街", "青羊大道"]),
    ("成华区", 30.6600, 104.1010, 1.8, 8, ["建设路", "府青路", "二环路东二段"]),
    ("高新区", 30.5830, 104.0620, 2.0, 10, ["天府大道北段", "天府三街", "益州大道"]),
]
LIULIN = [
    ("柳林县", 37.4297, 110.8896, 1.2, 6, ["龙门街", "青龙路", "滨河北路"]),
    ("柳林县", 37.4682, 110.8259, 0.8, 2, ["穆村镇 G307 国道"]),
]
HOSTS = ["工会户外劳动者服务站", "爱心驿站", "劳动者港湾", "职工驿站", "暖心驿站"]
BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "邮储银行", "江苏银行"]
HOURS = [
    ("每天 08:00-20:00", 30),
    ("周一至周五 08:30-17:30；周六、周日 09:00-16:30", 22),
    ("24小时", 22),
    ("每天 07:00-22:00", 14),
    ("每天 17:00-02:00", 4),
    ("周一至周六 08:00-18:00", 8),
]
AMENITY_ODDS = {
    "rest": 0.98,
    "water": 0.95,
    "heat": 0.7,
    "toilet": 0.75,
    "charge": 0.55,
    "medkit": 0.8,
    "books": 0.45,
    "tools": 0.35,
    "legal": 0.25,
    "aircon": 0.7,
    "wash": 0.1,
    "wifi": 0.6,
}
VISIT_OCCUPATIONS = [
    ("food_delivery", 34),
    ("courier", 26),
    ("ride_hailing", 9),
    ("truck_driver", 6),
    ("security_guard", 4),
    ("other", 6),
    ("", 15),
]
_SEQ: dict[str, int] = {}
AREA_CODES = {"YC": "0515", "LL": "0358", "CD": "028"}
KEEPER_PHONE, OBSERVER_PHONE = "13800000515", "13800000531"


def load(*, stdout, seed: int = 20261012) -> None:
    if Station.objects.exists():
        stdout.write("服务站点演示数据已存在，跳过")
        return
    rng = random.Random(seed)
    _SEQ.clear()
    orgs = {o.short_name: o for o in Org.objects.all()}
    if "盐城市总" not in orgs or "柳林县总" not in orgs:
        raise CommandError("请先运行 manage.py demo 创建工会组织")
    with transaction.atomic():
        chengdu = _chengdu_org(orgs)
        yancheng = orgs["盐城市总"]
        tinghu = orgs.get("亭湖区总", yancheng)
        made = []
        for district, *rest in YANCHENG:
            org = tinghu if district == "亭湖区" else yancheng
            made += _stations(rng, org, "YC", "江苏省盐城市", district, *rest)
        for district, *rest in LIULIN:
            made += _stations(rng, orgs["柳林县总"], "LL", "山西省吕梁市", district, *rest)
        # One station of 柳林 is suspended for renovation: its page and QR say 暂停服务.
        liulin = [s for s in made if s.code.startswith("LL-")]
        if liulin and not any(s.status == "paused" for s in liulin):
            liulin[-1].status = "paused"
            liulin[-1].description = "站点装修改造中，暂停服务。"
        for district, *rest in CHENGDU:
            made += _stations(rng, chengdu, "CD", "四川省成都市", district, *rest, smart=True)
        Station.objects.bulk_create(made, batch_size=500)
        stations = list(Station.objects.all())
        _closures(rng, stations)
        _visits(rng, stations)
        _people_and_feedback(rng, yancheng, stations)
        audit_record(actor=None, action="station.demo_load", org=yancheng, detail={"stations": len(stations)})
        index.bump()
    stdout.write(f"已创建 {len(stations)} 个服务站点（盐城 454 个），到访 {StationVisit.objects.count()} 次")
    stdout.write(f"  驿站管理员（盐城市）手机号 {KEEPER_PHONE}；观察员（盐城市）手机号 {OBSERVER_PHONE}")


def _closures(rng, stations):
    today = timezone.localdate()
    new_year = dt.date(today.year + 1, 1, 1)
    rows = []
    for s in stations:
        if "银行" in s.name:
            rows.append(
                StationClosure(
                    station=s,
                    kind="holiday",
                    start_date=new_year,
                    end_date=new_year + dt.timedelta(days=2),
                    reason="元旦假期网点休息",
                )
            )
        elif rng.random() < 0.02:
            start = today + dt.timedelta(days=rng.randint(-1, 3))
            rows.append(
                StationClosure(
                    station=s,
                    kind="temporary",
                    start_date=start,
                    end_date=start + dt.timedelta(days=rng.randint(0, 4)),
                    reason=rng.choice(["设备维修", "内部装修", "停电检修"]),
                )
            )
    StationClosure.objects.bulk_create(rows)


def _visits(rng, stations):
    today = timezone.localdate()
    occs, weights = zip(*VISIT_OCCUPATIONS, strict=True)
    valid = dict(OCCUPATIONS)
    rows = []
    for s in stations:
        if not s.code.startswith("YC") or rng.random() < 0.5:
            continue
        base = rng.uniform(0.5, 8)
        for back in range(30):
            day = today - dt.timedelta(days=back)
            n = max(0, int(rng.gauss(base * (0.7 if day.weekday() >= 5 else 1), base / 3)))
            for _ in range(n):
                occ = rng.choices(occs, weights)[0]
                rows.append(StationVisit(station=s, occupation=occ if occ in valid else "", visited_on=day))
    StationVisit.objects.bulk_create(rows, batch_size=2000)


def _people_and_feedback(rng, yancheng, stations):
    keeper = User.objects.create_user(KEEPER_PHONE, password="Gonghui@2026", name="陈海燕")
    Staff.objects.create(user=keeper, org=yancheng, role=Staff.Role.STATION_KEEPER, title="驿站管理员")
    observer = User.objects.create_user(OBSERVER_PHONE, password="Gonghui@2026", name="孙小军")
    Staff.objects.create(user=observer, org=yancheng, role=Staff.Role.OBSERVER, title="服务站运行情况观察员")
    problems = [
        "饮水机没有热水",
        "晚上九点就锁门了，牌子上写的是到十点",
        "门口标识被广告挡住，不好找",
        "充电插座有两个坏了",
        "微波炉不能用",
        "",
        "药箱里的创可贴用完了",
    ]
    yc = [s for s in stations if s.code.startswith("YC")]
    rows = []
    for s in rng.sample(yc, 24):
        ratings = {a: rng.choice([2, 3, 4, 4, 5, 5]) for a in s.amenities[:4]}
        rows.append(
            StationFeedback(
                station=s,
                observer=observer,
                ratings=ratings,
                problem=rng.choice(problems),
                status=rng.choice(["open", "open", "resolved"]),
            )
        )
    StationFeedback.objects.bulk_create(rows)


def _chengdu_org(orgs: dict[str, Org]) -> Org:
    """成都 is not in the base tree: add 四川省总工会 → 成都市总工会 under 全总 for the seed's stations."""
    if "成都市总" in orgs:
        return orgs["成都市总"]
    national = orgs["全总"]
    province = _child(national, "province", "四川省总工会", "四川省总", "510000", 30.6517, 104.0758)
    return _child(province, "city", "成都市总工会", "成都市总", "510100", 30.5728, 104.0668)


def _child(parent: Org, kind, name, short, region, lat, lng) -> Org:
    parent.refresh_from_db(fields=["child_seq"])
    path = parent.path + path_segment(parent.child_seq)
    Org.objects.filter(pk=parent.pk).update(child_seq=parent.child_seq + 1)
    return Org.objects.create(
        parent=parent,
        kind=kind,
        name=name,
        short_name=short,
        region_code=region,
        lat=lat,
        lng=lng,
        path=path,
        depth=len(path) // 5,
    )


def _stations(rng, org, prefix, city, district, lat0, lng0, spread_km, count, streets, smart=False):
    out = []
    deg = spread_km / 111.2
    hours_texts, hours_w = zip(*HOURS, strict=True)
    for i in range(count):
        lat = lat0 + rng.gauss(0, deg)
        lng = lng0 + rng.gauss(0, deg) / 0.84
        street = rng.choice(streets)
        no = rng.randint(1, 399)
        roll = rng.random()
        if smart and roll < 0.45:
            kind, name, hours = "smart", f"{district}{street}智慧驿站（扫码刷脸进入）", "24小时"
        elif roll < 0.3:
            bank = rng.choice(BANKS)
            kind, name = "love", f"{bank}{district}{street}支行劳动者港湾"
            hours = "周一至周五 08:30-17:30；周六、周日 09:00-16:30"
        elif roll < 0.36:
            kind, name, hours = "driver_home", f"{district}{street}司机之家", "24小时"
        else:
            kind = rng.choice(["union", "union", "relay"])
            name = f"{district}{street}{rng.choice(HOSTS)}"
            hours = rng.choices(hours_texts, hours_w)[0]
        amenities = [a for a, p in AMENITY_ODDS.items() if rng.random() < p]
        if smart:
            amenities = sorted(set(amenities) | {"charge"}, key=list(AMENITY_ODDS).index)
        data = clean_station(
            {
                "name": f"{name}{'' if i < len(streets) else f'（{no}号）'}",
                "kind": kind,
                "district": district,
                "address": f"{city}{district}{street}{no}号",
                "lat": round(lat, 6),
                "lng": round(lng, 6),
                "service_phone": f"{AREA_CODES[prefix]}-{rng.randint(6000000, 8999999)}",
                "hours_text": hours,
                "amenities": amenities,
                "status": "paused" if rng.random() < 0.015 else "active",
            }
        )
        _SEQ[prefix] = _SEQ.get(prefix, 0) + 1
        data["code"] = f"{prefix}-{_SEQ[prefix]:04d}"
        out.append(Station(org=org, org_path=org.path, **data))
    return out
