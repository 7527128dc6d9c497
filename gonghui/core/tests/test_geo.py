import pytest

from gonghui.core import geo
from gonghui.core.errors import DomainError

# Published pairs (googollee/eviltransform's test suite): WGS-84 → GCJ-02.
WGS_GCJ = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # 上海
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # 深圳
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # 北京
]


@pytest.mark.parametrize(("wgs", "gcj"), WGS_GCJ)
def test_wgs84_to_gcj02_matches_published_pairs(wgs, gcj):
    lat, lng = geo.wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9)
    assert lng == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), WGS_GCJ)
def test_gcj02_to_wgs84_inverts_to_better_than_1e6_degrees(wgs, gcj):
    lat, lng = geo.gcj02_to_wgs84(*gcj)
    assert abs(lat - wgs[0]) < 1e-6
    assert abs(lng - wgs[1]) < 1e-6


def test_round_trip_across_the_country():
    for lat in (18.3, 25.0, 33.35, 40.0, 47.5):
        for lng in (80.0, 100.2, 110.8, 120.16, 130.0):
            back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lng))
            assert abs(back[0] - lat) < 1e-6 and abs(back[1] - lng) < 1e-6


def test_bd09_pairs_from_coordtransform():
    # wandergis/coordtransform's published example at 天安门 (lng 116.404, lat 39.915).
    assert geo.bd09_to_gcj02(39.915, 116.404) == pytest.approx(
        (39.90865673957631, 116.39762729119315), abs=1e-9
    )
    assert geo.gcj02_to_bd09(39.915, 116.404) == pytest.approx(
        (39.92133699351021, 116.41036949371029), abs=1e-9
    )
    assert geo.wgs84_to_gcj02(39.915, 116.404) == pytest.approx(
        (39.91640428150164, 116.41024449916938), abs=1e-9
    )
    back = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(33.3479, 120.1633))
    assert back == pytest.approx((33.3479, 120.1633), abs=2e-6)


def test_outside_china_is_left_unshifted():
    assert geo.wgs84_to_gcj02(48.8584, 2.2945) == (48.8584, 2.2945)  # Paris
    assert geo.gcj02_to_wgs84(48.8584, 2.2945) == (48.8584, 2.2945)


def test_haversine_known_distance():
    # 北京 天安门 → 上海 人民广场 ≈ 1,067 km great-circle.
    d = geo.haversine_m(39.9087, 116.3975, 31.2304, 121.4737)
    assert 1_060_000 < d < 1_075_000
    # One thousandth of a degree of latitude is about 111 m everywhere.
    assert geo.haversine_m(33.0, 120.0, 33.001, 120.0) == pytest.approx(111.2, abs=0.2)


def test_check_point_catches_swapped_coordinates_naming_the_field():
    with pytest.raises(DomainError) as exc:
        geo.check_china_point(120.1633, 33.3479)
    assert exc.value.code == "coords_swapped"
    assert exc.value.field == "lat"
    assert "填反" in exc.value.message


def test_check_point_catches_points_outside_china():
    with pytest.raises(DomainError) as exc:
        geo.check_china_point(48.8584, 2.2945, lat_field="gcj_lat", lng_field="gcj_lng")
    assert exc.value.code == "outside_china"
    assert exc.value.field == "gcj_lng"
    assert "不在中国" in exc.value.message
    with pytest.raises(DomainError) as exc:
        geo.check_china_point(-33.86, 151.2)
    assert exc.value.field == "lat"


@pytest.mark.parametrize("bad", ["", "abc", None, "nan", "inf"])
def test_check_point_rejects_non_numbers(bad):
    with pytest.raises(DomainError) as exc:
        geo.check_china_point(bad, 120.0)
    assert exc.value.field == "lat"
    assert "纬度应为数字" in exc.value.message


def test_check_point_accepts_yancheng():
    assert geo.check_china_point("33.3479", "120.1633") == (33.3479, 120.1633)


def test_unknown_coordinate_system_is_refused():
    with pytest.raises(DomainError) as exc:
        geo.to_gcj02(33.0, 120.0, "mercator")
    assert exc.value.field == "coord"
