import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Staff
from gonghui.stations.models import Station, StationFeedback, StationVisit
from gonghui.testing.factories import make_staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client_for(user):
    c = Client()
    c.force_login(user, backend="gonghui.accounts.backends.PhonePasswordBackend")
    return c


def station_form(org, **over):
    data = {
        "org": org.pk,
        "name": "柳林县城关驿站",
        "code": "",
        "kind": "union",
        "district": "柳林县",
        "address": "柳林县城关镇龙门街 18 号",
        "lat": "37.4313",
        "lng": "110.8893",
        "coord": "gcj02",
        "service_phone": "0358-4412351",
        "keeper_name": "张站长",
        "keeper_phone": "13912345678",
        "hours_text": "周一至周五 08:00-20:00；周六、周日 09:00-17:00",
        "amenities": ["rest", "water", "charge"],
        "description": "",
        "status": "active",
    }
    data.update(over)
    return data


def test_staff_create_station_through_the_form(personas):
    c = client_for(personas.county_staffer)
    r = c.post("/workbench/stations/new/", station_form(personas.tree.county))
    assert r.status_code == 302, r.content.decode()[:2000]
    s = Station.objects.get()
    assert s.code.startswith("ST141125-")
    assert s.keeper_phone == "+8613912345678"
    assert (s.wgs_lat, s.wgs_lng) != (s.gcj_lat, s.gcj_lng)  # stored both ways
    assert s.hours["5"] == [["09:00", "17:00"]]
    page = c.get(r["Location"]).content.decode()
    assert "柳林县城关驿站" in page and "139****5678" in page and "13912345678" not in page
    assert AuditEvent.objects.filter(action="station.create").exists()


def test_form_errors_show_next_to_the_field_and_keep_input(personas):
    c = client_for(personas.county_staffer)
    r = c.post("/workbench/stations/new/", station_form(personas.tree.county, lat="110.8893", lng="37.4313"))
    assert r.status_code == 422
    html = r.content.decode()
    assert "填反" in html and "柳林县城关镇龙门街 18 号" in html
    assert not Station.objects.exists()
    r = c.post("/workbench/stations/new/", station_form(personas.tree.county, hours_text="早八晚八"))
    assert r.status_code == 422 and "08:00-20:00" in r.content.decode()


def test_duplicate_code_is_a_conflict_on_the_code_field(personas, make_station):
    make_station(code="LL-0001")
    c = client_for(personas.county_staffer)
    r = c.post("/workbench/stations/new/", station_form(personas.tree.county, code="LL-0001"))
    assert r.status_code == 422 and "已被使用" in r.content.decode()


def test_scan_records_one_visit_per_browser_and_day_and_welcomes(personas, make_station):
    s = make_station(amenities=["rest", "water", "heat"])
    c = Client()
    r = c.get(f"/stations/scan/{s.code}/")
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "欢迎来到" in page and "我要入会" in page and "热饭" in page
    c.get(f"/stations/scan/{s.code}/")
    assert StationVisit.objects.count() == 1
    c.post(f"/stations/s/{s.code}/occupation/", {"occupation": "food_delivery"})
    assert StationVisit.objects.get().occupation == "food_delivery"
    assert StationVisit.objects.get().user is None
    Client().get(f"/stations/scan/{s.code}/")
    assert StationVisit.objects.count() == 2


def test_visit_stats_by_day_and_occupation_on_the_workbench(personas, make_station):
    s = make_station()
    for occ in ["courier", "courier", "food_delivery", ""]:
        c = Client()
        c.get(f"/stations/scan/{s.code}/")
        if occ:
            c.post(f"/stations/s/{s.code}/occupation/", {"occupation": occ})
    r = client_for(personas.county_staffer).get(f"/workbench/stations/{s.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "快递员" in html and "网约送餐员" in html and "未填写" in html
    api_r = client_for(personas.county_staffer).get(f"/api/v1/stations/{s.pk}/visits")
    body = api_r.json()
    assert body["total"] == 4
    assert body["occupations"][0] == {"occupation": "快递员", "visits": 2}


def test_observer_feedback_with_photo_and_keeper_resolves(personas, make_station):
    s = make_station(amenities=["water", "charge"])
    observer = make_staff(personas.tree.county, Staff.Role.OBSERVER, name="观察员老周")
    c = client_for(observer)
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    r = c.post(
        f"/stations/s/{s.code}/feedback/",
        {"rating_water": "2", "rating_charge": "5", "problem": "饮水机坏了", "photo": photo},
    )
    assert r.status_code == 200 and "反馈已提交" in r.content.decode()
    fb = StationFeedback.objects.get()
    assert fb.ratings == {"water": 2, "charge": 5} and fb.photo.name.endswith(".png")
    keeper = client_for(personas.county_staffer)
    assert (
        '<strong id="open-issues">1</strong>' in keeper.get(f"/workbench/stations/{s.pk}/").content.decode()
    )
    assert "待处理 1 条" in Client().get(f"/stations/s/{s.code}/").content.decode()
    r = keeper.post(f"/workbench/stations/feedback/{fb.pk}/resolve/", {"resolution": "已更换饮水机"})
    assert r.status_code == 302
    fb.refresh_from_db()
    assert fb.status == "resolved" and fb.resolved_by == personas.county_staffer
    assert (
        '<strong id="open-issues">0</strong>' in keeper.get(f"/workbench/stations/{s.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"problem": ""}, "problem", "至少"),
        ({"rating_water": "9"}, "rating_water", "1–5"),
        ({"problem": "x", "photo": ("a.gif", b"GIF89a" + b"\x00" * 20)}, "photo", "JPG、PNG 或 WebP"),
    ],
)
def test_feedback_bad_input(personas, make_station, payload, field, fragment):
    s = make_station(amenities=["water"])
    observer = make_staff(personas.tree.county, Staff.Role.OBSERVER)
    data = dict(payload)
    if "photo" in data:
        name, content = data["photo"]
        data["photo"] = SimpleUploadedFile(name, content, content_type="image/gif")
    r = client_for(observer).post(f"/stations/s/{s.code}/feedback/", data)
    assert r.status_code == 422
    assert fragment in r.content.decode()
    assert not StationFeedback.objects.exists()


def test_feedback_page_is_404_for_someone_who_is_not_an_observer_here(personas, make_station):
    s = make_station()
    assert client_for(personas.worker).get(f"/stations/s/{s.code}/feedback/").status_code == 404
    assert client_for(personas.sibling_staffer).get(f"/stations/s/{s.code}/feedback/").status_code == 404


def test_closure_form_and_bad_dates(personas, make_station):
    s = make_station()
    c = client_for(personas.county_staffer)
    r = c.post(
        f"/workbench/stations/{s.pk}/closures/",
        {"start_date": "2026-02-16", "end_date": "2026-02-10", "kind": "holiday"},
    )
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.content.decode()
    r = c.post(
        f"/workbench/stations/{s.pk}/closures/",
        {"start_date": "2026-02-16", "end_date": "2026-02-22", "kind": "holiday", "reason": "春节"},
    )
    assert r.status_code == 302
    assert s.closures.get().reason == "春节"


SIBLING_DAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _in_days(n: int) -> str:
    """A date n days after the stood clock, as the closure form takes it."""
    return (SIBLING_DAY.date() + dt.timedelta(days=n)).isoformat()


@time_machine.travel(SIBLING_DAY, tick=False)
def test_sibling_staff_get_404_on_every_page_and_endpoint_and_change_nothing(personas, make_station, api):
    s = make_station()
    observer = make_staff(personas.tree.county, Staff.Role.OBSERVER)
    from gonghui.stations import services

    fb = services.feedback_submit(actor=observer, station=s, ratings={"rest": 3}, problem="灯坏了")
    closure = services.closure_add(
        actor=personas.county_staffer, station=s, start=_in_days(2), end=_in_days(2)
    )
    c = client_for(personas.sibling_staffer)
    for url in [
        f"/workbench/stations/{s.pk}/",
        f"/workbench/stations/{s.pk}/edit/",
        f"/workbench/stations/{s.pk}/poster/",
        f"/workbench/stations/{s.pk}/qr.svg",
        "/workbench/stations/coverage/?district=柳林县",
    ]:
        assert c.get(url).status_code == 404, url
    for url, data in [
        (f"/workbench/stations/{s.pk}/edit/", station_form(personas.tree.county, name="改名")),
        (f"/workbench/stations/{s.pk}/closures/", {"start_date": _in_days(5)}),
        (f"/workbench/stations/{s.pk}/closures/{closure.pk}/delete/", {}),
        (f"/workbench/stations/feedback/{fb.pk}/resolve/", {"resolution": "已处理好了"}),
        ("/workbench/stations/new/", station_form(personas.tree.county)),
    ]:
        assert c.post(url, data).status_code == 404, url
    assert s.name not in c.get("/workbench/stations/").content.decode()
    export = load_workbook(io.BytesIO(c.get("/workbench/stations/export.xlsx").content))
    assert export.active.max_row == 1  # the header only
    a = api(personas.sibling_staffer)
    assert a.get(f"stations/{s.pk}").status_code == 404
    assert a.get(f"stations/{s.pk}/visits").status_code == 404
    assert a.get(f"stations/{s.pk}/feedback").status_code == 404
    assert a.post(f"stations/{s.pk}/closures", {"start_date": _in_days(9)}).status_code == 404
    assert a.post(f"stations/feedback/{fb.pk}/resolve", {"resolution": "已处理"}).status_code == 404
    assert (
        a.patch(
            f"stations/{s.pk}",
            {"org_id": personas.tree.county.pk, "name": "x", "address": "y", "lat": 37.43, "lng": 110.88},
        ).status_code
        == 404
    )
    assert (
        a.post(
            "stations",
            {"org_id": personas.tree.county.pk, "name": "x", "address": "y", "lat": 37.43, "lng": 110.88},
        ).status_code
        == 404
    )
    assert a.get("stations").json() == []
    s.refresh_from_db()
    fb.refresh_from_db()
    assert s.name != "改名" and fb.status == "open" and Station.objects.count() == 1
    assert s.closures.count() == 1


def test_api_create_and_read_station(personas, api):
    a = api(personas.county_staffer)
    r = a.post(
        "stations",
        {
            "org_id": personas.tree.county.pk,
            "name": "柳林司机之家",
            "kind": "driver_home",
            "address": "柳林县 G307 国道旁",
            "lat": 37.42,
            "lng": 110.85,
            "hours_text": "24小时",
            "amenities": ["rest", "wash"],
            "keeper_phone": "13912345678",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["is_24h"] is True and body["hours_text"] == "24小时"
    assert body["keeper_phone_masked"] == "139****5678" and "keeper_phone" not in body
    assert a.get(f"stations/{body['id']}").json()["name"] == "柳林司机之家"
    r = a.post(
        "stations",
        {
            "org_id": personas.tree.county.pk,
            "name": "x",
            "address": "y",
            "lat": 37.42,
            "lng": 110.85,
            "amenities": ["sauna"],
        },
    )
    assert r.status_code == 400 and r.json()["field"] == "amenities"


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = [
    "站点名称",
    "站点编码",
    "类型",
    "所在区县",
    "地址",
    "纬度",
    "经度",
    "服务电话",
    "站长",
    "站长手机",
    "营业时间",
    "服务设施",
    "主管工会",
]


def test_import_lists_row_errors_and_saves_nothing(personas):
    content = _xlsx(
        [
            HEADER,
            [
                "好站",
                "LL-1",
                "工会驿站",
                "柳林县",
                "城关",
                37.43,
                110.88,
                "",
                "",
                "",
                "24小时",
                "歇脚、饮水",
                "",
            ],
            ["坐标反了", "LL-2", "工会驿站", "柳林县", "城关", 110.88, 37.43, "", "", "", "", "", ""],
            ["重复编码", "LL-1", "爱心驿站", "柳林县", "城关", 37.44, 110.88, "", "", "", "", "", ""],
            ["时间错", "LL-3", "工会驿站", "柳林县", "城关", 37.44, 110.88, "", "", "", "早上", "", ""],
        ]
    )
    c = client_for(personas.county_staffer)
    r = c.post(
        "/workbench/stations/import/",
        {"org": personas.tree.county.pk, "file": SimpleUploadedFile("s.xlsx", content)},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "有 3 处错误" in html and "填反" in html and "第 2 行重复" in html and "没有时间段" in html
    assert not Station.objects.exists()


def test_import_then_export_in_map_platform_columns(personas):
    content = _xlsx(
        [
            HEADER,
            [
                "城关驿站",
                "LL-1",
                "工会驿站",
                "柳林县",
                "城关镇龙门街",
                37.43,
                110.88,
                "0358-4412351",
                "张三",
                13912345678,
                "每天 08:00-20:00",
                "歇脚、饮水、充电",
                "",
            ],
            [
                "司机之家",
                "",
                "司机之家",
                "柳林县",
                "G307 国道",
                37.42,
                110.85,
                "",
                "",
                "",
                "24小时",
                "如厕",
                "",
            ],
        ]
    )
    c = client_for(personas.county_staffer)
    r = c.post(
        "/workbench/stations/import/",
        {"org": personas.tree.county.pk, "file": SimpleUploadedFile("s.xlsx", content)},
    )
    assert r.status_code == 200 and "已导入 2 个站点" in r.content.decode()
    assert Station.objects.get(code="LL-1").keeper_phone == "+8613912345678"
    ws = load_workbook(io.BytesIO(c.get("/workbench/stations/export.xlsx").content)).active
    rows = list(ws.values)
    assert rows[0][:8] == (
        "名称",
        "地址",
        "纬度(GCJ-02)",
        "经度(GCJ-02)",
        "纬度(WGS-84)",
        "经度(WGS-84)",
        "电话",
        "营业时间",
    )
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["城关驿站"][7] == "每天 08:00-20:00" and by_name["司机之家"][7] == "24小时"
    assert all("13912345678" not in str(cell) for row in rows for cell in row)  # no personal data


def test_import_rejects_a_file_that_is_not_xlsx(personas):
    c = client_for(personas.county_staffer)
    r = c.post(
        "/workbench/stations/import/",
        {"org": personas.tree.county.pk, "file": SimpleUploadedFile("s.xlsx", b"not a spreadsheet")},
    )
    assert r.status_code == 422 and "无法读取" in r.content.decode()


def test_poster_has_a_qr_svg_pointing_at_the_scan_url(personas, make_station):
    s = make_station()
    html = client_for(personas.county_staffer).get(f"/workbench/stations/{s.pk}/poster/").content.decode()
    assert "<svg" in html and f"/stations/scan/{s.code}/" in html
    r = client_for(personas.county_staffer).get(f"/workbench/stations/{s.pk}/qr.svg")
    assert r["Content-Type"] == "image/svg+xml" and r.content.startswith(b"<?xml")


def test_coverage_page_computes_share_and_suggestions(personas, make_station):
    make_station(lat=37.4313, lng=110.8893)
    make_station(lat=37.4500, lng=110.9100)
    r = client_for(personas.county_staffer).get(
        "/workbench/stations/coverage/", {"district": "柳林县", "spacing_m": "200", "suggest": "3"}
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="cov-share"' in html and "建议新增站点" in html and 'id="cov-data"' in html
    r = client_for(personas.county_staffer).get(
        "/workbench/stations/coverage/", {"district": "柳林县", "spacing_m": "5"}
    )
    assert r.status_code == 400 and "网格间距" in r.content.decode()


def test_worker_map_page_lists_nearest_by_district_and_tab_links_here(personas, make_station):
    make_station(lat=37.4313, lng=110.8893, name="近的驿站", hours_text="24小时", amenities=["charge"])
    make_station(lat=37.4330, lng=110.8893, name="远一点的驿站")
    c = Client()
    html = c.get("/stations/", {"lat": "37.4310", "lng": "110.8893"}).content.decode()
    assert html.index("近的驿站") < html.index("远一点的驿站")
    assert "远一点的驿站" in c.get("/stations/", {"district": "柳林县"}).content.decode()
    assert "步行" in html and "高德导航" in html and "uri.amap.com" in html
    html = c.get("/stations/list/", {"district": "柳林县", "is_24h": "1"}).content.decode()
    assert "近的驿站" in html and "远一点的驿站" not in html
    home = c.get("/").content.decode()
    assert 'href="/stations/"' in home


def test_worker_map_bad_coordinates_show_the_message(db):
    html = Client().get("/stations/list/", {"lat": "120.1", "lng": "33.3"}).content.decode()
    assert "填反" in html


def test_coverage_page_reports_cross_coverage_and_never_claims_full_coverage_when_no_suggestions_asked(
    personas, make_station
):
    make_station(name="城关驿站")
    make_station(name="龙门驿站", lat=37.4353, lng=110.8893)  # 445 m north: circles overlap
    c = client_for(personas.county_staffer)
    html = c.get(
        "/workbench/stations/coverage/", {"district": "柳林县", "spacing_m": "200", "suggest": "0"}
    ).content.decode()
    assert "交叉覆盖" in html and "两个及以上站点的服务圈内" in html
    assert 'id="cov-multi">0.0%' not in html
    assert "已全部覆盖" not in html
    assert "建议新站数为 0，未计算建议选址" in html


def test_map_tiles_come_from_the_setting(personas, settings):
    from config.settings import tile_img_sources

    page = Client().get("/stations/").content.decode()
    assert "webrd0{s}.is.autonavi.com" in page and 'data-tile-subdomains="1234"' in page
    settings.TILE_URL = "http://tiles.gonghui.local:8080/gcj02/{z}/{x}/{y}.png"
    settings.TILE_ATTRIBUTION = "地图 © 省总工会内网"
    page = Client().get("/stations/").content.decode()
    assert 'data-tile-url="http://tiles.gonghui.local:8080/gcj02/{z}/{x}/{y}.png"' in page
    assert 'data-tile-attribution="地图 © 省总工会内网"' in page and 'data-tile-subdomains=""' in page
    assert tile_img_sources(settings.TILE_URL) == ["http://tiles.gonghui.local:8080"]
    assert tile_img_sources("https://webrd0{s}.is.autonavi.com/x") == []  # https: is allowed already
