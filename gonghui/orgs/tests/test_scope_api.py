def test_county_staffer_sees_subtree_but_not_sibling_city(personas, api):
    client = api(personas.county_staffer)
    ids = {o["id"] for o in client.get("orgs", {"limit": 500}).json()}
    t = personas.tree
    assert {t.county.pk, t.township.pk, t.grassroots.pk} <= ids
    assert not ids & {t.city.pk, t.province.pk, t.sibling_city.pk, t.sibling_grassroots.pk}
    assert client.get(f"orgs/{t.sibling_grassroots.pk}").status_code == 404
    assert client.get(f"orgs/{t.city.pk}").status_code == 404
    assert client.get(f"orgs/{t.grassroots.pk}").json()["member_count"] == 1


# --- every endpoint against the sibling city's staffer --------------------------------------------

import pytest  # noqa: E402

from gonghui.accounts.models import User  # noqa: E402
from gonghui.core.models import AuditEvent  # noqa: E402
from gonghui.orgs.models import Org, Staff  # noqa: E402


def _state(p):
    g = p.tree.grassroots
    g.refresh_from_db()
    return (
        {f.attname: getattr(g, f.attname) for f in Org._meta.concrete_fields},
        Org.objects.count(),
        Staff.objects.count(),
        User.objects.count(),
        AuditEvent.objects.exclude(action="auth.token_issue").count(),
    )


def _endpoints(p):
    t = p.tree
    return {
        "org_detail": ("get", f"orgs/{t.county.pk}", None),
        "org_create": ("post", "orgs", {"parent_id": t.county.pk, "kind": "grassroots", "name": "越界工会"}),
        "org_update": ("patch", f"orgs/{t.grassroots.pk}", {"name": "被改了"}),
        "staff_list": ("get", f"orgs/{t.grassroots.pk}/staff", None),
        "staff_assign": (
            "post",
            f"orgs/{t.grassroots.pk}/staff",
            {"phone": "13712345678", "role": "admin", "name": "越界"},
        ),
        "member_detail": ("get", f"members/{p.member.pk}", None),
        "member_reveal": (
            "post",
            f"members/{p.member.pk}/reveal",
            {"field": "id_number", "reason": "核对信息"},
        ),
    }


ENDPOINTS = [
    "org_detail",
    "org_create",
    "org_update",
    "staff_list",
    "staff_assign",
    "member_detail",
    "member_reveal",
]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_sibling_city_staffer_gets_404_from_every_endpoint(personas, api, name):
    client = api(personas.sibling_staffer)
    method, path, data = _endpoints(personas)[name]
    before = _state(personas)
    response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "未找到该记录，或不在您的管辖范围内",
        "field": None,
    }
    assert _state(personas) == before


@pytest.mark.parametrize("name", ENDPOINTS)
def test_worker_gets_404_from_every_endpoint(personas, api, name):
    client = api(personas.worker)
    method, path, data = _endpoints(personas)[name]
    before = _state(personas)
    response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    assert response.status_code == 404
    assert _state(personas) == before


@pytest.mark.parametrize("name", ["org_detail", "org_create"])
def test_grassroots_admin_cannot_see_the_county(personas, api, name):
    method, path, data = _endpoints(personas)[name]
    client = api(personas.grassroots_admin)
    response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    assert response.status_code == 404


def test_grassroots_admin_sees_only_its_own_union(personas, api):
    ids = {o["id"] for o in api(personas.grassroots_admin).get("orgs").json()}
    assert ids == {personas.tree.grassroots.pk}


def test_list_endpoints_stay_in_scope(personas, api):
    sibling = api(personas.sibling_staffer)
    t = personas.tree
    assert t.county.pk not in {o["id"] for o in sibling.get("orgs", {"q": "柳林"}).json()}
    assert sibling.get("orgs", {"parent_id": t.county.pk}).status_code == 404
    members = sibling.get("members").json()
    assert [m["member_no"] for m in members] == [personas.sibling_member.member_no]
    assert sibling.post("members/search", {"q": personas.member.id_number}).json() == []
    assert sibling.post("members/search", {"q": personas.member.phone[3:]}).json() == []


def test_audit_api_is_for_auditors_of_the_subtree(personas, api):
    from gonghui.core.audit import audit_record
    from gonghui.testing.factories import make_staff

    audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.grassroots)
    assert api(personas.sibling_staffer).get("audit").status_code == 403
    sibling_auditor = make_staff(personas.tree.sibling_city, Staff.Role.AUDITOR)
    assert [e["action"] for e in api(sibling_auditor).get("audit").json()] == []
    events = api(personas.county_auditor).get("audit", {"action": "org."}).json()
    assert [e["action"] for e in events] == ["org.update"]


# --- the county staffer acts within the county ------------------------------------------------


def test_county_staffer_creates_edits_and_staffs_inside_the_county(personas, api):
    client = api(personas.county_staffer)
    t = personas.tree
    created = client.post(
        "orgs",
        {
            "parent_id": t.township.pk,
            "kind": "grassroots",
            "name": "柳林县顺达物流有限公司工会",
            "contact_phone": "13912345678",
        },
    )
    assert created.status_code == 201, created.content
    org = created.json()
    assert org["parent_id"] == t.township.pk and org["contact_phone"] == "+8613912345678"
    patched = client.patch(f"orgs/{org['id']}", {"chair_name": "刘主席"})
    assert patched.json()["chair_name"] == "刘主席"
    staff = client.post(
        f"orgs/{org['id']}/staff", {"phone": "13712345678", "name": "新干事", "role": "handler"}
    )
    assert staff.status_code == 201
    assert staff.json()["phone_masked"] == "137****5678"
    assert [s["name"] for s in client.get(f"orgs/{org['id']}/staff").json()] == ["新干事"]


def test_invalid_role_creates_no_account(personas, api):
    before = User.objects.count()
    response = api(personas.county_staffer).post(
        f"orgs/{personas.tree.township.pk}/staff", {"phone": "13712345678", "role": "boss"}
    )
    assert response.status_code == 400 and response.json()["field"] == "role"
    assert User.objects.count() == before


def test_non_admin_cannot_write(personas, api):
    auditor = api(personas.county_auditor)
    t = personas.tree
    assert auditor.get(f"orgs/{t.grassroots.pk}").status_code == 200
    assert auditor.patch(f"orgs/{t.grassroots.pk}", {"name": "x"}).status_code == 404
    assert (
        auditor.post("orgs", {"parent_id": t.county.pk, "kind": "grassroots", "name": "x"}).status_code == 404
    )
    assert (
        auditor.post(f"orgs/{t.grassroots.pk}/staff", {"phone": "13712345678", "role": "admin"}).status_code
        == 404
    )
