"""Reading rooms near me (the one nearest search, beside the stations), the API and the workbench pages."""

import pytest
from django.test import Client

from gonghui.core.geo import bounding_box, haversine_m, nearest
from gonghui.library import services
from gonghui.library.models import ReadingRoom
from gonghui.stations import services as station_services

from .conftest import LIULIN, PNG_1PX, make_pdf, upload

pytestmark = pytest.mark.django_db

# Points north of 柳林 at ~0.5 km, ~1.5 km and ~8 km.
NEAR, MIDDLE, FAR = (37.4362, 110.8890), (37.4452, 110.8890), (37.5037, 110.8890)


def test_nearest_is_the_brute_force_answer_and_the_box_holds_the_circle():
    points = [(i, 37.40 + i * 0.003, 110.85 + (i % 7) * 0.004) for i in range(40)]
    hits = nearest(points, *LIULIN, radius_m=3000, limit=50)
    expected = sorted((haversine_m(*LIULIN, lat, lng), pid) for pid, lat, lng in points)
    assert hits == [h for h in expected if h[0] <= 3000]
    lat_min, lat_max, lng_min, lng_max = bounding_box(*LIULIN, 3000)
    assert haversine_m(*LIULIN, lat_max, LIULIN[1]) == pytest.approx(3000, rel=1e-6)
    assert haversine_m(*LIULIN, lat_min, LIULIN[1]) == pytest.approx(3000, rel=1e-6)
    assert min(haversine_m(*LIULIN, LIULIN[0], lng) for lng in (lng_min, lng_max)) >= 3000


def test_rooms_near_me_nearest_first_open_only(personas, make_room):
    far = make_room(name="远处书屋", lat=FAR[0], lng=FAR[1])
    middle = make_room(name="车间职工书屋", lat=MIDDLE[0], lng=MIDDLE[1], place="workshop")
    near = make_room(name="村社区职工书屋", lat=NEAR[0], lng=NEAR[1], place="village")
    closed = make_room(name="已撤销书屋", lat=NEAR[0], lng=NEAR[1] + 0.001)
    services.room_close(actor=personas.grassroots_admin, room=closed, reason="搬迁合并")
    r = Client().get("/api/v1/library/rooms/nearby", {"lat": LIULIN[0], "lng": LIULIN[1], "radius_m": 5000})
    assert r.status_code == 200, r.json()
    rows = r.json()
    assert [row["id"] for row in rows] == [near.pk, middle.pk]
    assert rows[0]["distance_m"] == pytest.approx(500, abs=10)
    assert far.pk not in [row["id"] for row in rows]
    r = Client().get("/api/v1/library/rooms/nearby", {"lat": LIULIN[1], "lng": LIULIN[0]})
    assert (r.status_code, r.json()["code"]) == (400, "coords_swapped")


def test_the_worker_page_shows_rooms_and_the_stations_beside_them(personas, make_room):
    station_services.station_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data={
            "name": "青龙大街驿站",
            "address": "柳林县青龙大街 8 号",
            "lat": NEAR[0],
            "lng": NEAR[1] + 0.002,
            "hours_text": "每天 08:00-20:00",
            "amenities": ["rest", "water"],
            "district": "柳林县",
        },
    )
    make_room(name="村社区职工书屋", lat=NEAR[0], lng=NEAR[1])
    html = Client().get("/library/nearby/", {"lat": LIULIN[0], "lng": LIULIN[1]}).content.decode()
    assert "村社区职工书屋" in html and "青龙大街驿站" in html and "5000 米内找到 1 个职工书屋" in html
    partial = Client().get("/library/nearby/list/", {"lat": "abc", "lng": LIULIN[1]})
    assert partial.status_code == 200 and "纬度应为数字" in partial.content.decode()


def test_register_upgrade_and_decide_over_the_api(personas, api):
    grassroots, county = api(personas.grassroots_admin), api(personas.county_staffer)
    r = grassroots.post(
        "library/rooms",
        {
            "org_id": personas.tree.grassroots.pk,
            "name": "预石运输职工书屋",
            "address": "柳林县预石运输公司二楼",
            "lat": LIULIN[0],
            "lng": LIULIN[1],
            "hours": "每天 8:00–20:00",
            "books_count": 2600,
        },
    )
    assert r.status_code == 201, r.json()
    room_id = r.json()["id"]
    r = grassroots.post(
        "library/rooms", {"org_id": personas.tree.grassroots.pk, "name": "缺开放时间", "hours": ""}
    )
    assert (r.status_code, r.json()["field"]) == (400, "hours")
    # Evidence goes up as multipart.
    r = grassroots.client.post(
        f"/api/v1/library/rooms/{room_id}/upgrade",
        {
            "statement": "书屋面积 60 平方米，藏书 2600 册，每月读书分享会。",
            "evidence": [upload(PNG_1PX, "photo.png"), upload(make_pdf(), "rules.pdf")],
        },
        headers=grassroots.headers,
    )
    assert r.status_code == 201, r.json()
    application_id = r.json()["id"]
    assert r.json()["approver_id"] == personas.tree.county.pk
    assert [row["id"] for row in county.get("library/upgrades").json()] == [application_id]
    assert grassroots.get("library/upgrades").json() == []
    r = api(personas.sibling_staffer).post(f"library/upgrades/{application_id}/decision", {"approve": True})
    assert r.status_code == 404
    r = county.post(f"library/upgrades/{application_id}/decision", {"approve": True, "reason": "同意"})
    assert r.json()["status"] == "approved"
    counts = county.get("library/rooms/counts").json()
    assert {c["level"]: c["rooms"] for c in counts["levels"]}["county"] == 1
    assert counts["books"] == 2600
    assert api(personas.sibling_staffer).get(f"library/rooms/{room_id}").status_code == 404


def test_loans_and_my_shelf_over_the_api(personas, api, collection, pdf_book):
    county = api(personas.county_staffer)
    r = county.post(
        "library/loans",
        {
            "collection_id": collection.pk,
            "borrower_id": personas.tree.grassroots.pk,
            "starts_on": "2026-04-23",
            "ends_on": "2026-07-22",
        },
    )
    assert r.status_code == 201, r.json()
    assert (r.json()["state"], r.json()["readers"]) == ("running", 0)
    shelf = api(personas.worker).get("library/my/shelf").json()
    assert shelf[0]["books"][0]["read_url"] == f"/library/read/{r.json()['id']}/{pdf_book.pk}/"
    assert api(personas.sibling_staffer).get(f"library/loans/{r.json()['id']}").status_code == 404
    assert api(personas.worker).delete("library/my/history").json() == {"deleted": 0}


def test_workbench_pages_render_and_a_failed_form_answers_422(personas, make_room, collection, pdf_book):
    room = make_room()
    client = Client()
    client.force_login(personas.county_staffer)
    for url in (
        "/workbench/library/",
        "/workbench/library/rooms/new/",
        f"/workbench/library/rooms/{room.pk}/",
        f"/workbench/library/rooms/{room.pk}/edit/",
        "/workbench/library/upgrades/",
        "/workbench/library/ebooks/",
        f"/workbench/library/ebooks/{collection.pk}/",
        "/workbench/library/cards/",
    ):
        assert client.get(url).status_code == 200, url
    r = client.post(
        "/workbench/library/rooms/new/",
        {
            "org": personas.tree.county.pk,
            "name": "县总机关职工书屋",
            "level": "grassroots",
            "place": "office",
            "hours": "",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "请填写开放时间" in html and 'value="县总机关职工书屋"' in html
    r = client.post(
        "/workbench/library/rooms/new/",
        {
            "org": personas.tree.county.pk,
            "name": "县总机关职工书屋",
            "level": "grassroots",
            "place": "office",
            "address": "柳林县政府街 1 号",
            "lat": LIULIN[0],
            "lng": LIULIN[1],
            "hours": "工作日 8:30–17:30",
        },
    )
    assert r.status_code == 302
    assert ReadingRoom.objects.filter(name="县总机关职工书屋", org=personas.tree.county).exists()
    r = client.post(
        f"/workbench/library/ebooks/{collection.pk}/", {"action": "book", "title": "", "file": ""}
    )
    assert r.status_code == 422 and "请填写书名" in r.content.decode()
