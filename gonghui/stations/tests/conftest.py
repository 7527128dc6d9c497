import pytest

from gonghui.stations import services

# 柳林县城 (GCJ-02): the personas' county, so the county staffer may edit these stations.
LIULIN = (37.4313, 110.8893)


@pytest.fixture
def make_station(personas):
    counter = iter(range(1, 10_000))

    def make(org=None, *, lat=LIULIN[0], lng=LIULIN[1], actor=None, **data):
        n = next(counter)
        fields = {
            "name": f"测试驿站{n}",
            "address": f"柳林县测试路 {n} 号",
            "lat": lat,
            "lng": lng,
            "hours_text": "每天 08:00-20:00",
            "amenities": ["rest", "water"],
            "district": "柳林县",
        }
        fields.update(data)
        return services.station_create(
            actor=actor or personas.county_staffer, org=org or personas.tree.county, data=fields
        )

    return make
