import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.core.geo import gcj02_to_wgs84
from gonghui.stations import index, selectors
from gonghui.stations.hours import Schedule
from gonghui.stations.index import Entry, GridIndex
from gonghui.stations.models import AMENITY_BITS, Station

SH = ZoneInfo("Asia/Shanghai")


def test_grid_index_equals_brute_force_on_random_queries():
    rng = random.Random(7)
    now = dt.datetime(2026, 11, 23, 21, 30, tzinfo=SH)
    day = Schedule.compile({str(d): [["08:00", "20:00"]] for d in range(7)}, False)
    always = Schedule.compile({}, True)
    entries = []
    for i in range(3000):
        # Two dense "cities" and scattered points, including exact duplicates (ties broken by id).
        cx, cy = rng.choice([(33.35, 120.16), (30.66, 104.06), (37.43, 110.89)])
        lat, lng = cx + rng.gauss(0, 0.03), cy + rng.gauss(0, 0.03)
        if i % 50 == 0 and entries:
            lat, lng = entries[-1].lat, entries[-1].lng
        mask = rng.getrandbits(len(AMENITY_BITS))
        is24 = rng.random() < 0.2
        entries.append(Entry(i + 1, lat, lng, mask, is24, always if is24 else day))
    grid = GridIndex(entries)
    for _ in range(300):
        cx, cy = rng.choice([(33.35, 120.16), (30.66, 104.06), (37.43, 110.89)])
        lat, lng = cx + rng.gauss(0, 0.04), cy + rng.gauss(0, 0.04)
        radius = rng.choice([300, 1000, 2500, 8000])
        filters = {
            "mask": rng.choice([0, AMENITY_BITS["charge"], AMENITY_BITS["heat"] | AMENITY_BITS["water"]]),
            "open_now": rng.random() < 0.3,
            "only_24h": rng.random() < 0.2,
            "now": now,
        }
        expected = selectors.brute_force_ids(entries, lat, lng, radius, 10, **filters)
        assert grid.nearest(lat, lng, radius_m=radius, limit=10, **filters) == expected


def test_index_handles_a_huge_radius_without_walking_empty_cells():
    always = Schedule.compile({}, True)
    entries = [Entry(1, 33.35, 120.16, 0, True, always), Entry(2, 30.66, 104.06, 0, True, always)]
    grid = GridIndex(entries)
    hits = grid.nearest(33.0, 120.0, radius_m=2_000_000, limit=5)
    assert [sid for _, sid in hits] == [1, 2]


def test_nearby_index_and_database_agree_and_respect_filters(make_station):
    a = make_station(lat=37.4313, lng=110.8893, amenities=["rest", "charge"], hours_text="24小时")
    b = make_station(lat=37.4350, lng=110.8893, amenities=["rest"])
    c = make_station(lat=37.4400, lng=110.8893, amenities=["charge"], hours_text="每天 22:00-06:00")
    far = make_station(lat=37.6, lng=110.8893)
    now = dt.datetime(2026, 11, 23, 23, 0, tzinfo=SH)
    q = selectors.nearby_query(lat=37.4313, lng=110.8893, radius_m=2000, limit=10, now=now)
    ids = [sid for _, sid in selectors.nearby_ids(q)]
    assert ids == [a.pk, b.pk, c.pk]
    assert far.pk not in ids
    assert selectors.nearby_ids(q, use_index=True) == selectors.nearby_ids(q, use_index=False)
    q = selectors.nearby_query(
        lat=37.4313, lng=110.8893, radius_m=2000, amenity="charge", open_now=True, now=now
    )
    assert [sid for _, sid in selectors.nearby_ids(q)] == [a.pk, c.pk]  # b lacks charging; c opens at 22:00
    assert selectors.nearby_ids(q, use_index=False) == selectors.nearby_ids(q, use_index=True)
    q = selectors.nearby_query(lat=37.4313, lng=110.8893, radius_m=2000, only_24h=True, now=now)
    assert [sid for _, sid in selectors.nearby_ids(q)] == [a.pk]


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False)
def test_index_sees_writes_closures_and_withdrawals(make_station, personas):
    # A closure for a past day is refused, so the clock stands on the closed day.
    from gonghui.stations import services

    a = make_station(lat=37.4313, lng=110.8893)
    q = selectors.nearby_query(
        lat=37.4313,
        lng=110.8893,
        radius_m=500,
        now=dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH),
        open_now=True,
    )
    assert [sid for _, sid in selectors.nearby_ids(q)] == [a.pk]
    services.closure_add(
        actor=personas.county_staffer,
        station=a,
        start="2026-11-23",
        end="2026-11-23",
        kind="holiday",
        reason="测试闭站",
    )
    assert selectors.nearby_ids(q) == []
    b = make_station(lat=37.4314, lng=110.8893)
    q.open_now = False
    assert [sid for _, sid in selectors.nearby_ids(q)] == [a.pk, b.pk]
    data = {"name": b.name, "address": b.address, "lat": b.gcj_lat, "lng": b.gcj_lng, "status": "paused"}
    services.station_update(actor=personas.county_staffer, station=b, data=data)
    assert [sid for _, sid in selectors.nearby_ids(q)] == [a.pk]


def test_index_rebuilds_when_another_process_bumps_the_token(make_station):
    a = make_station(lat=37.4313, lng=110.8893)
    first = index.current_index()
    assert index.current_index() is first  # no write, no rebuild
    Station.objects.filter(pk=a.pk).update(gcj_lat=37.50)  # a write that bypassed this process
    index.bump()
    assert index.current_index() is not first
    assert index.current_index().entries[0].lat == 37.50


def test_api_nearby_returns_distance_walk_minutes_and_nav_links(api, make_station):
    s = make_station(
        lat=37.4400, lng=110.8893, amenities=["charge", "water"], hours_text="24小时", name="柳林县城关驿站"
    )
    r = api().get("stations/nearby", {"lat": "37.4313", "lng": "110.8893", "radius_m": "2000"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == s.pk and row["name"] == "柳林县城关驿站"
    assert 960 < row["distance_m"] < 975  # 0.0087° of latitude ≈ 967 m
    assert row["walk_minutes"] == 18  # 967 m × 1.3 detour ÷ 1.2 m/s = 17.5 min → 18
    assert row["open_now"] is True and row["status_label"] == "24小时开放"
    assert row["amenity_labels"] == ["饮水", "充电/换电"]
    assert row["amap_url"].startswith("https://uri.amap.com/navigation?to=110.889300,37.440000,")
    assert "coord_type=gcj02" in row["baidu_url"]


def test_api_nearby_in_wgs84_converts_both_ways(api, make_station):
    s = make_station(lat=37.4400, lng=110.8893)
    wlat, wlng = gcj02_to_wgs84(37.4313, 110.8893)
    r = api().get("stations/nearby", {"lat": wlat, "lng": wlng, "coord": "wgs84", "radius_m": 2000})
    row = r.json()["results"][0]
    assert row["id"] == s.pk
    assert 960 < row["distance_m"] < 975  # same place, so same distance as in GCJ-02
    assert (row["lat"], row["lng"]) == pytest.approx(gcj02_to_wgs84(37.44, 110.8893), abs=1e-6)
    assert (row["gcj_lat"], row["gcj_lng"]) == (37.44, 110.8893)


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"lat": "110.8893", "lng": "37.4313"}, "lat", "填反"),
        ({"lat": "48.85", "lng": "2.29"}, "lng", "不在中国"),
        ({"lat": "abc", "lng": "110.9"}, "lat", "纬度应为数字"),
        ({"lat": "37.43", "lng": "110.9", "radius_m": "0"}, "radius_m", "radius_m"),
        ({"lat": "37.43", "lng": "110.9", "radius_m": "x"}, "radius_m", "radius_m"),
        ({"lat": "37.43", "lng": "110.9", "limit": "500"}, "limit", "limit"),
        ({"lat": "37.43", "lng": "110.9", "amenity": "spa"}, "amenity", "amenity"),
        ({"lat": "37.43", "lng": "110.9", "coord": "mars"}, "coord", "coord"),
    ],
)
def test_api_nearby_bad_input_is_a_400_naming_the_field(api, db, params, field, fragment):
    r = api().get("stations/nearby", params)
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == field
    assert fragment in body["message"]


def test_api_nearby_missing_lat_is_422(api, db):
    r = api().get("stations/nearby", {"lng": "110.9"})
    assert r.status_code == 422
    assert r.json()["field"] == "lat"
