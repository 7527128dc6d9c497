"""Issue 11, worker journeys at the page level: a platform driver joins with the 省/市/县 picker,
a form shows every mistake at once, a station-QR join reaches the station's union, and 实名认证
is reachable (approval, card pickup, staff check, online verifier) and named on refusal."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.accounts.realname import MemoryRealNameVerifier
from gonghui.accounts.services import login_code_issue
from gonghui.campaigns import services as campaign_services
from gonghui.core.models import AuditEvent
from gonghui.members import services
from gonghui.members.models import Enrollment
from gonghui.stations import services as station_services
from gonghui.testing.factories import make_id, make_member, make_user


def driver_form(**overrides):
    data = {
        "name": "韩建辉",
        "id_number": make_id(dt.date(1990, 3, 4), region="110105"),  # a Beijing ID
        "employer_name": "货拉拉",
        "occupation": "truck_driver",
        "work_province": "140000",
        "work_city": "141100",
        "work_county": "141125",
    }
    data.update(overrides)
    return data


def test_a_platform_driver_with_a_beijing_id_joins_with_the_picker(personas, client):
    code = login_code_issue(phone="13800011001")
    response = client.post(reverse("members:join"), driver_form(phone="13800011001", code=code))
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.org == personas.tree.county and enrollment.work_region == "141125"
    assert "工作地" in enrollment.route_reason


def test_without_javascript_the_picker_goes_one_level_down(personas, client):
    response = client.post(
        reverse("members:join"), {"action": "region", "work_province": "140000", "name": "韩"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and '<option value="141100">吕梁市</option>' in html
    assert 'value="韩"' in html and not Enrollment.objects.exists()


def test_the_picker_follows_htmx_and_my_location(personas, client):
    html = client.get(
        reverse("members:join_regions"), {"work_province": "140000", "work_city": "141100"}
    ).content
    assert "柳林县" in html.decode()
    personas.tree.county.lat, personas.tree.county.lng = 37.4316, 110.8893
    personas.tree.county.save()
    # The browser's WGS-84 position near 柳林 selects 山西 / 吕梁 / 柳林.
    html = client.get(reverse("members:join_regions"), {"lat": "37.430", "lng": "110.883"}).content.decode()
    assert '<option value="141125" selected>' in html and "已按您的位置选好" in html


def test_three_mistakes_are_shown_at_once_and_the_input_is_kept(personas, client):
    login_code_issue(phone="13800011002")
    data = driver_form(
        phone="13800011002", code="123456", name="", id_number="110105199003040011", occupation=""
    )
    response = client.post(reverse("members:join"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "有 3 处需要修改" in html
    for anchor in ("#err-name", "#err-id_number", "#err-occupation"):
        assert f'href="{anchor}"' in html
    assert 'value="110105199003040011"' in html and 'value="货拉拉"' in html
    assert '<option value="141125" selected>' in html
    assert not Enrollment.objects.exists()


def test_a_typed_employer_with_a_suffix_offers_did_you_mean(personas, client):
    html = client.get(reverse("members:join_employers"), {"employer_name": "柳林预石物流"}).content.decode()
    assert "您是不是指" in html and "预石运输工会" in html


def test_a_station_qr_join_is_recorded_and_the_station_union_sees_it(personas, client):
    station = station_services.station_create(
        actor=personas.sibling_staffer,
        org=personas.tree.sibling_county,
        data={
            "name": "小店区户外劳动者驿站",
            "address": "太原市小店区测试路 1 号",
            "lat": 37.74,
            "lng": 112.56,
            "hours_text": "每天 08:00-20:00",
            "amenities": ["rest", "water"],
            "district": "小店区",
        },
    )
    page = client.get(reverse("members:join"), {"channel": "station_qr", "station": station.code})
    assert "小店区户外劳动者驿站" in page.content.decode()
    code = login_code_issue(phone="13800011003")
    data = driver_form(phone="13800011003", code=code, station=station.code, work_province="", work_city="")
    data["work_county"] = ""
    response = client.post(reverse("members:join"), data)
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.channel == Enrollment.Channel.STATION and enrollment.station_code == station.code
    # 先服务后入会: no employer union, so the station's union takes it.
    assert enrollment.org == personas.tree.sibling_county
    client.force_login(personas.sibling_staffer)
    listing = client.get(reverse("members_bench:enrollments")).content.decode()
    assert "驿站扫码：小店区户外劳动者驿站" in listing


def test_a_station_join_for_a_worker_whose_employer_has_a_union_is_seen_by_the_station_union(
    personas, client, make_station=None
):
    station = station_services.station_create(
        actor=personas.sibling_staffer,
        org=personas.tree.sibling_county,
        data={
            "name": "小店驿站",
            "address": "小店区 2 号",
            "lat": 37.74,
            "lng": 112.56,
            "hours_text": "每天 08:00-20:00",
        },
    )
    worker = make_user()
    enrollment = services.enrollment_submit(
        actor=worker,
        name="韩建辉",
        id_number=make_id(dt.date(1991, 1, 1)),
        employer_name="山西吕梁柳林县预石运输有限公司",
        occupation="truck_driver",
        station_code=station.code,
    )
    assert enrollment.org == personas.tree.grassroots  # one membership: the employer's union
    client.force_login(personas.sibling_staffer)
    detail = client.get(reverse("members_bench:enrollment", args=[enrollment.pk])).content.decode()
    assert "本会可查看办理进度" in detail and "批准入会" not in detail
    # A union with neither the application nor the station sees nothing.
    client.force_login(make_user())
    assert client.get(reverse("members_bench:enrollment", args=[enrollment.pk])).status_code in (
        302,
        403,
        404,
    )


@pytest.fixture
def applied(personas):
    worker = make_user(phone="13800011010")
    enrollment = services.enrollment_submit(
        actor=worker,
        name="韩建辉",
        id_number=make_id(dt.date(1990, 3, 4)),
        employer_name="山西吕梁柳林县预石运输有限责任公司",
        occupation="truck_driver",
    )
    return worker, enrollment


def test_approval_certifies_the_applicant_with_how_and_by_whom(personas, applied):
    worker, enrollment = applied
    assert not worker.real_name_verified
    services.enrollment_approve(actor=personas.grassroots_admin, enrollment=enrollment)
    worker.refresh_from_db()
    assert worker.real_name_verified and worker.real_name_method == "approval"
    assert worker.real_name_by == personas.grassroots_admin and worker.real_name_at is not None
    event = AuditEvent.objects.get(action="realname.certify")
    assert event.org_id == personas.tree.grassroots.pk and event.detail["method"] == "approval"


def test_card_pickup_certifies_a_member_registered_offline(personas):
    worker = make_user()
    member = make_member(personas.tree.grassroots, user=worker, name="李师傅")
    card = services.card_issue(actor=None, member=member)
    services.card_handover(actor=personas.grassroots_admin, card=card)
    worker.refresh_from_db()
    assert worker.real_name_verified and worker.real_name_method == "card_pickup"


def test_staff_check_is_scoped(personas):
    from gonghui.core.errors import DomainError

    worker = make_user()
    member = make_member(personas.tree.grassroots, user=worker, name="李师傅")
    with pytest.raises(DomainError):
        services.member_certify(actor=personas.sibling_staffer, member=member)
    worker.refresh_from_db()
    assert not worker.real_name_verified
    services.member_certify(actor=personas.county_staffer, member=member)
    worker.refresh_from_db()
    assert worker.real_name_method == "staff" and worker.real_name_by == personas.county_staffer


def test_online_verification_through_the_pluggable_backend(personas, client, settings):
    settings.GONGHUI_REALNAME_BACKEND = "gonghui.accounts.realname.MemoryRealNameVerifier"
    worker = make_user()
    id_number = make_id(dt.date(1985, 6, 1))
    make_member(personas.tree.grassroots, user=worker, name="李师傅", id_number=id_number)
    client.force_login(worker)
    page = client.get(reverse("members:realname")).content.decode()
    assert "未实名认证" in page and "在线核验" in page and personas.tree.grassroots.name in page
    wrong = client.post(reverse("members:realname"), {"name": "李四", "id_number": make_id()})
    assert wrong.status_code == 422 and "有 2 处需要修改" in wrong.content.decode()
    MemoryRealNameVerifier.refuse = {id_number}
    refused = client.post(reverse("members:realname"), {"name": "李师傅", "id_number": id_number})
    assert refused.status_code == 422 and "实名核验未通过" in refused.content.decode()
    MemoryRealNameVerifier.refuse = set()
    done = client.post(reverse("members:realname"), {"name": "李师傅", "id_number": id_number})
    assert done.status_code == 302
    worker.refresh_from_db()
    assert worker.real_name_verified and worker.real_name_method == "verifier" and worker.real_name_by is None
    assert "已实名认证" in client.get(reverse("members:realname")).content.decode()


def test_me_shows_the_state_and_the_campaign_refusal_says_what_to_do(personas, client):
    client.force_login(personas.worker)
    me = client.get(reverse("site:me")).content.decode()
    assert "实名认证" in me and "去认证" in me
    now = dt.datetime.now(dt.UTC)
    campaign = campaign_services.campaign_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        title="宁波职工消费券",
        kind="coupon",
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
        real_name_required=True,
        venue="",
        offers=[{"name": "50元券", "capacity": 5, "valid_until": dt.date(2099, 12, 31)}],
    )
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "我的 → 实名认证" in page and "带身份证到所属工会或附近驿站" in page
    assert reverse("members:realname") in page


def test_the_api_takes_a_station_code_and_certifies_online(personas, settings):
    from gonghui.accounts.services import api_token_issue

    settings.GONGHUI_REALNAME_BACKEND = "gonghui.accounts.realname.MemoryRealNameVerifier"
    worker = make_user()
    id_number = make_id(dt.date(1983, 2, 2))
    make_member(personas.tree.grassroots, user=worker, name="李师傅", id_number=id_number)
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=worker)}")
    bad = api.post(
        "/api/v1/members/me/realname",
        {"name": "李师傅", "id_number": make_id()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "id_number"
    ok = api.post(
        "/api/v1/members/me/realname",
        {"name": "李师傅", "id_number": id_number},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["real_name_method"] == "verifier"
    assert api.get("/api/v1/auth/me").json()["real_name_verified"] is True
