import pytest

from gonghui.stations.coverage import coverage, greedy_sites, grid_points
from gonghui.stations.selectors import walk_radius_m

# On a meridian 0.001° of latitude is 111.195 m (mean Earth radius), so distances below are exact enough.
M = 0.001 / 111.195


def pt(north_m, east_m=0.0, w=1.0, lat0=33.0, lng0=120.0):
    return (lat0 + north_m * M, lng0 + east_m * M / 0.8386705679454239, w)  # cos(33°)


def test_fifteen_minute_walk_radius_uses_speed_and_detour(settings):
    settings.STATIONS_WALK_SPEED_MPS = 1.2
    settings.STATIONS_WALK_DETOUR = 1.3
    assert walk_radius_m(15) == pytest.approx(15 * 60 * 1.2 / 1.3)  # 830.8 m straight-line


def test_hand_computed_share_and_weights():
    # Station at the origin, radius 800 m. Points at 0, 500, 799 m are covered; 801 and 2000 m are not.
    station = pt(0)[:2]
    points = [pt(0), pt(500), pt(799), pt(801), pt(2000, w=3.0)]
    result = coverage([station], points, 800)
    assert result.points == 5 and result.covered_points == 3
    assert result.total_weight == 7.0 and result.covered_weight == 3.0
    assert result.share == pytest.approx(3 / 7)
    assert sorted(round(p[0], 6) for p in result.uncovered) == sorted(
        round(p[0], 6) for p in (pt(801), pt(2000))
    )


def test_greedy_picks_the_site_covering_most_then_the_rest():
    # Uncovered: a cluster of 4 points 5 km north spanning 850 m, so no demand point reaches all four
    # within 520 m but a site between them does; and a lone point 10 km north.
    cluster = [pt(5050), pt(5300), pt(5600), pt(5900)]
    lone = [pt(10000, w=1.0)]
    picks = greedy_sites(cluster + lone, 520, 3, covered_before=0, total=5)
    assert len(picks) == 2  # everything is covered after two sites; no third pick with zero gain
    first_lat = picks[0]["lat"]
    assert pt(5380)[0] <= first_lat <= pt(5570)[0]  # between the points, not on one of them
    assert picks[0]["gain"] == 4 and picks[1]["gain"] == 1
    assert picks[1]["share_after"] == pytest.approx(1.0)


def test_grid_points_cover_a_box_evenly():
    pts = grid_points(33.0, 120.0, 33.0 + 1000 * M, 120.0 + 1000 * M / 0.8386705679454239, 250)
    assert len(pts) == 16
    assert all(w == 1.0 for _, _, w in pts)


def test_cross_coverage_counts_demand_within_two_or_more_stations():
    # Stations at 0 and 1000 m, radius 800 m: the point at 500 m is reached by both; 100 m and
    # 1700 m by one each; 3000 m by none. Weights make the share differ from the count.
    stations = [pt(0)[:2], pt(1000)[:2]]
    points = [pt(100), pt(500, w=2.0), pt(1700), pt(3000)]
    result = coverage(stations, points, 800)
    assert result.covered_points == 3 and result.multi_points == 1
    assert result.multi_weight == 2.0 and result.multi_share == pytest.approx(2 / 5)
    # One station alone: nothing is covered twice.
    assert coverage(stations[:1], points, 800).multi_points == 0
