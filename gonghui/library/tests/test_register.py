"""The register of reading rooms and level upgrades: who may register what, the next level approves,
the register and the counts by level move at once; a sibling's staff get 404 and nothing changes."""

import pytest
from django.test import Client

from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.notifications import notifications_for
from gonghui.library import selectors, services
from gonghui.library.models import LevelApplication, ReadingRoom
from gonghui.stations import services as station_services

from .conftest import PNG_1PX, make_pdf, upload

pytestmark = pytest.mark.django_db


def counts(actor) -> dict:
    return {level: n for level, _label, n in selectors.level_counts(actor=actor)["levels"]}


def evidence():
    return [upload(PNG_1PX, "书屋照片.png"), upload(make_pdf("借阅制度"), "借阅制度.pdf")]


def test_a_room_inside_a_station_stands_where_the_station_stands(personas, make_room):
    station = station_services.station_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        data={
            "name": "柳林县城区户外劳动者驿站",
            "address": "柳林县青龙大街 8 号",
            "lat": 37.4329,
            "lng": 110.8921,
            "hours_text": "每天 08:00-20:00",
            "amenities": ["rest", "water"],
            "district": "柳林县",
        },
    )
    room = make_room(
        personas.tree.county, actor=personas.county_staffer, station_id=station.pk, lat="", lng="", address=""
    )
    assert (room.place, room.station_id, room.address) == ("station", station.pk, "柳林县青龙大街 8 号")
    assert (room.gcj_lat, room.gcj_lng) == (station.gcj_lat, station.gcj_lng)


def test_registering_names_the_missing_field(personas, make_room):
    with pytest.raises(DomainError) as exc:
        make_room(hours="")
    assert exc.value.field == "hours"
    with pytest.raises(DomainError) as exc:
        make_room(lat="110.889", lng="37.43")
    assert exc.value.code == "coords_swapped"
    make_room(name="小青煤矿职工书屋")
    with pytest.raises(Conflict):
        make_room(name="小青煤矿职工书屋")


def test_a_high_level_room_is_registered_only_by_the_union_that_names_that_level(personas, make_room):
    with pytest.raises(Forbidden) as exc:
        make_room(level="provincial", actor=personas.county_staffer)
    assert exc.value.code == "level_not_yours"
    room = make_room(level="county", actor=personas.county_staffer)
    assert room.level == "county"


def test_upgrade_goes_to_the_next_level_up_and_moves_the_register(personas, make_room):
    room = make_room()
    before = counts(personas.county_staffer)
    application = services.upgrade_apply(
        actor=personas.grassroots_admin,
        room=room,
        statement="书屋面积 80 平方米，藏书 3000 册，每月开展读书分享会。",
        files=evidence(),
    )
    assert (application.to_level, application.approver) == ("county", personas.tree.county)
    assert application.evidence.count() == 2
    # The applicant's own union cannot approve: the county is outside its scope.
    with pytest.raises(NotFound):
        services.upgrade_decide(actor=personas.grassroots_admin, application=application, approve=True)
    services.upgrade_decide(
        actor=personas.county_staffer, application=application, approve=True, reason="材料齐全"
    )
    room.refresh_from_db()
    assert room.level == "county"
    after = counts(personas.county_staffer)
    assert (after["grassroots"], after["county"]) == (before["grassroots"] - 1, before["county"] + 1)
    assert notifications_for(personas.grassroots_admin).filter(title__contains="已批准").exists()
    # The next step goes to the city union.
    second = services.upgrade_apply(
        actor=personas.grassroots_admin,
        room=room,
        statement="县级书屋运行一年，组织分享会 8 次。",
        files=evidence(),
    )
    assert second.approver == personas.tree.city
    with pytest.raises(NotFound):
        services.upgrade_decide(actor=personas.county_staffer, application=second, approve=True)


def test_refusal_needs_a_reason_and_keeps_the_level(personas, make_room):
    room = make_room()
    application = services.upgrade_apply(
        actor=personas.grassroots_admin,
        room=room,
        statement="申请县级职工书屋，附照片与制度。",
        files=evidence(),
    )
    with pytest.raises(DomainError) as exc:
        services.upgrade_decide(actor=personas.county_staffer, application=application, approve=False)
    assert exc.value.field == "reason"
    services.upgrade_decide(
        actor=personas.county_staffer, application=application, approve=False, reason="藏书不足 1000 册"
    )
    room.refresh_from_db()
    assert room.level == "grassroots"
    with pytest.raises(Conflict):
        services.upgrade_decide(actor=personas.county_staffer, application=application, approve=True)


def test_one_open_application_and_evidence_is_required(personas, make_room):
    room = make_room()
    with pytest.raises(DomainError) as exc:
        services.upgrade_apply(
            actor=personas.grassroots_admin, room=room, statement="没有材料的申请说明文字", files=[]
        )
    assert exc.value.field == "evidence"
    with pytest.raises(DomainError) as exc:
        services.upgrade_apply(
            actor=personas.grassroots_admin,
            room=room,
            statement="附一个文本文件冒充图片的申请",
            files=[upload(b"not an image", "photo.png")],
        )
    assert exc.value.code == "file_type"
    services.upgrade_apply(
        actor=personas.grassroots_admin, room=room, statement="第一次申请县级书屋。", files=evidence()
    )
    with pytest.raises(Conflict) as exc:
        services.upgrade_apply(
            actor=personas.grassroots_admin, room=room, statement="第二次申请县级书屋。", files=evidence()
        )
    assert exc.value.code == "application_open"


def test_nobody_approves_their_own_application(personas, make_room):
    room = make_room(personas.tree.township, actor=personas.county_staffer)
    application = services.upgrade_apply(
        actor=personas.county_staffer,
        room=room,
        statement="乡镇书屋申请县级，县总经办人代报。",
        files=evidence(),
    )
    with pytest.raises(Forbidden):
        services.upgrade_decide(actor=personas.county_staffer, application=application, approve=True)
    services.upgrade_decide(actor=personas.city_staffer, application=application, approve=True)
    room.refresh_from_db()
    assert room.level == "county"


def test_a_sibling_city_gets_404_and_nothing_changes(personas, make_room):
    room = make_room()
    application = services.upgrade_apply(
        actor=personas.grassroots_admin,
        room=room,
        statement="申请县级职工书屋，附照片与制度。",
        files=evidence(),
    )
    sibling = personas.sibling_staffer
    with pytest.raises(NotFound):
        selectors.room_get(actor=sibling, room_id=room.pk)
    with pytest.raises(NotFound):
        services.upgrade_decide(actor=sibling, application=application, approve=True)
    with pytest.raises(NotFound):
        services.room_close(actor=sibling, room=room, reason="越权撤销")
    client = Client()
    client.force_login(sibling)
    for url in (
        f"/workbench/library/rooms/{room.pk}/",
        f"/workbench/library/upgrades/{application.pk}/",
        f"/workbench/library/evidence/{application.evidence.first().pk}/",
    ):
        assert client.get(url).status_code == 404, url
    r = client.post(f"/workbench/library/upgrades/{application.pk}/", {"decision": "approve"})
    assert r.status_code == 404
    r = client.post(f"/workbench/library/rooms/{room.pk}/close/", {"reason": "越权撤销"})
    assert r.status_code == 404
    room.refresh_from_db()
    application.refresh_from_db()
    assert (room.level, room.status, application.status) == ("grassroots", "active", "submitted")
    assert counts(sibling) == dict.fromkeys(["national", "provincial", "city", "county", "grassroots"], 0)
    assert LevelApplication.objects.count() == 1 and ReadingRoom.objects.count() == 1
