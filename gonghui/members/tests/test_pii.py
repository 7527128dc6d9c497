import pytest

from gonghui.core.models import AuditEvent
from gonghui.members.services import member_reveal
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_id, make_member, make_staff


def test_permitted_staff_sees_the_full_number_and_the_reveal_is_audited(personas, api):
    member = personas.member
    response = api(personas.county_staffer).post(
        f"members/{member.pk}/reveal", {"field": "id_number", "reason": "核对入会材料"}
    )
    assert response.json() == {"field": "id_number", "value": member.id_number}
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.org, event.result) == (personas.county_staffer, member.org, "ok")
    assert event.detail == {"field": "id_number", "reason": "核对入会材料"}
    assert (event.object_type, event.object_id) == ("members.member", str(member.pk))


def test_phone_reveal(personas, api):
    response = api(personas.county_staffer).post(
        f"members/{personas.member.pk}/reveal", {"field": "phone", "reason": "电话回访"}
    )
    assert response.json()["value"] == personas.member.phone


def test_staff_without_the_grant_are_refused_and_the_attempt_is_kept(personas, api):
    response = api(personas.city_staffer).post(
        f"members/{personas.member.pk}/reveal", {"field": "id_number", "reason": "想看看"}
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "您没有查看完整个人信息的权限，请联系上级工会授权",
        "field": None,
    }
    assert personas.member.id_number not in response.content.decode()
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.result) == (personas.city_staffer, "denied")


@pytest.mark.django_db(transaction=True)
def test_a_refused_reveal_stays_on_record_after_the_request_fails(api):
    from gonghui.testing.personas import build_personas

    p = build_personas()
    api(p.grassroots_admin).post(f"members/{p.member.pk}/reveal", {"field": "phone", "reason": "核对"})
    assert list(AuditEvent.objects.filter(action="pii.reveal").values_list("result", flat=True)) == ["denied"]


def test_reason_is_required(personas, api):
    response = api(personas.county_staffer).post(
        f"members/{personas.member.pk}/reveal", {"field": "id_number", "reason": " 看 "}
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "reason_required",
        "message": "请填写查看原因（至少2个字）",
        "field": "reason",
    }
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_only_the_listed_fields_can_be_revealed(personas, api):
    response = api(personas.county_staffer).post(
        f"members/{personas.member.pk}/reveal", {"field": "password", "reason": "核对"}
    )
    assert response.status_code == 400 and response.json()["field"] == "field"


def test_the_grant_covers_the_subtree_only(personas):
    from gonghui.core.errors import NotFound

    with pytest.raises(NotFound):
        member_reveal(
            actor=personas.county_staffer, member=personas.sibling_member, field="id_number", reason="越界"
        )
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_revoked_position_loses_the_grant(personas, api):
    Staff.objects.filter(user=personas.county_staffer).update(is_active=False)
    response = api(personas.county_staffer).post(
        f"members/{personas.member.pk}/reveal", {"field": "id_number", "reason": "核对"}
    )
    assert response.status_code == 404


# --- pages ------------------------------------------------------------------------------------


def test_reveal_on_the_page(personas, client):
    client.force_login(personas.county_staffer)
    detail = client.get(f"/workbench/members/{personas.member.pk}/").content.decode()
    assert personas.member.id_masked in detail and personas.member.id_number not in detail
    assert "查看完整" in detail
    shown = client.post(
        f"/workbench/members/{personas.member.pk}/reveal/", {"field": "id_number", "reason": "核对入会材料"}
    ).content.decode()
    assert personas.member.id_number in shown and "已记录查看" in shown
    assert AuditEvent.objects.get(action="pii.reveal").result == "ok"


def test_refused_reveal_on_the_page(personas, client):
    client.force_login(personas.city_staffer)
    detail = client.get(f"/workbench/members/{personas.member.pk}/").content.decode()
    assert "查看完整" not in detail
    refused = client.post(
        f"/workbench/members/{personas.member.pk}/reveal/", {"field": "id_number", "reason": "想看看"}
    ).content.decode()
    assert "您没有查看完整个人信息的权限" in refused
    assert personas.member.id_number not in refused
    assert AuditEvent.objects.get(action="pii.reveal").result == "denied"


def test_member_list_never_shows_full_numbers(personas, client, api):
    for _ in range(5):
        make_member(personas.tree.grassroots, id_number=make_id())
    client.force_login(personas.county_staffer)
    page = client.get("/workbench/members/").content.decode()
    rows = list(personas.tree.grassroots.members.all())
    assert len(rows) == 6
    for m in rows:
        assert m.id_masked in page
        assert m.id_number not in page and m.phone[3:] not in page
    body = api(personas.county_staffer).get("members").content.decode()
    for m in rows:
        assert m.id_number not in body and m.phone[3:] not in body and m.name not in body
        assert m.id_masked in body


@pytest.mark.parametrize("number", ["id_number", "phone"])
def test_search_by_full_number_is_posted_and_never_lands_in_a_url(personas, client, number):
    client.force_login(personas.county_staffer)
    value = getattr(personas.member, number)
    response = client.post("/workbench/members/", {"q": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert personas.member.member_no in page
    assert personas.member.id_masked in page
    assert f"?q={value}" not in page and "Location" not in response


def test_name_search_goes_back_to_a_shareable_url(personas, client):
    client.force_login(personas.county_staffer)
    response = client.post("/workbench/members/", {"q": "王建", "status": "active", "occupation": ""})
    assert response.status_code == 302
    assert response["Location"] == "/workbench/members/?q=%E7%8E%8B%E5%BB%BA&status=active"
    assert personas.member.member_no in client.get(response["Location"]).content.decode()


def test_member_list_query_count_does_not_grow(personas, client, django_assert_max_num_queries):
    for i in range(30):
        make_member(personas.tree.grassroots if i % 2 else personas.tree.township, id_number=make_id())
    client.force_login(personas.county_staffer)
    # A fixed set: session, scope, the page's rows, the capped count, the union filter and export rights.
    with django_assert_max_num_queries(12):
        assert client.get("/workbench/members/").status_code == 200


def test_api_member_list_query_count(personas, api, django_assert_max_num_queries):
    for _ in range(30):
        make_member(personas.tree.grassroots, id_number=make_id())
    client = api(personas.county_staffer)
    with django_assert_max_num_queries(6):
        assert len(client.get("members").json()) == 31


def test_reveal_grant_can_be_given_at_a_lower_level(personas, api):
    keeper = make_staff(personas.tree.grassroots, Staff.Role.HANDLER, can_reveal_pii=True)
    response = api(keeper).post(f"members/{personas.member.pk}/reveal", {"field": "phone", "reason": "回访"})
    assert response.status_code == 200


@pytest.mark.parametrize("number", ["id_number", "phone"])
def test_api_search_by_full_number_is_a_post_and_a_get_is_refused(personas, api, number):
    client = api(personas.county_staffer)
    value = getattr(personas.member, number).removeprefix("+86")
    found = client.post("members/search", {"q": value, "status": "active"})
    assert found.status_code == 200
    assert [m["member_no"] for m in found.json()] == [personas.member.member_no]
    assert value not in found.content.decode()
    # In a query string the number would sit in every proxy's access log: refused, with the way out.
    refused = client.get("members", {"q": value})
    assert refused.status_code == 422
    body = refused.json()
    assert body["field"] == "q" and "POST /api/v1/members/search" in body["message"]
    # Names and member numbers are not personal numbers: those searches stay shareable GETs.
    assert [m["id"] for m in client.get("members", {"q": "王建"}).json()] == [personas.member.pk]
    assert client.post("members/search", {"org_id": personas.tree.sibling_grassroots.pk}).status_code == 404
