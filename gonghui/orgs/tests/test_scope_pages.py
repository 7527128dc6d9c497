"""Every workbench page against every persona: siblings get 404 and change nothing."""

import pytest

from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_staff

NOT_FOUND = "不在您的管辖范围内"


def signed_in(client, user):
    client.force_login(user)
    return client


def org_state(org):
    org.refresh_from_db()
    return {f.attname: getattr(org, f.attname) for f in Org._meta.concrete_fields}


@pytest.fixture
def county_handler(personas):
    """A position the sibling staffer will try to revoke."""
    user = make_staff(personas.tree.township, Staff.Role.HANDLER, name="柳林镇经办人")
    return Staff.objects.get(user=user)


def pages(p, handler_pk):
    t = p.tree
    return {
        "detail": ("get", f"/workbench/orgs/{t.county.pk}/", None),
        "children": ("get", f"/workbench/orgs/{t.county.pk}/children/", None),
        "new_form": ("get", f"/workbench/orgs/{t.county.pk}/new/", None),
        "new": ("post", f"/workbench/orgs/{t.county.pk}/new/", {"kind": "grassroots", "name": "越界工会"}),
        "edit_form": ("get", f"/workbench/orgs/{t.grassroots.pk}/edit/", None),
        "edit": ("post", f"/workbench/orgs/{t.grassroots.pk}/edit/", {"name": "被改了"}),
        "staff_add": (
            "post",
            f"/workbench/orgs/{t.township.pk}/staff/",
            {"phone": "13712345678", "role": "admin", "name": "越界"},
        ),
        "staff_revoke": ("post", f"/workbench/orgs/staff/{handler_pk}/revoke/", {"confirm": "1"}),
        "member_detail": ("get", f"/workbench/members/{p.member.pk}/", None),
        "member_reveal": (
            "post",
            f"/workbench/members/{p.member.pk}/reveal/",
            {"field": "id_number", "reason": "核对"},
        ),
    }


PAGE_NAMES = [
    "detail",
    "children",
    "new_form",
    "new",
    "edit_form",
    "edit",
    "staff_add",
    "staff_revoke",
    "member_detail",
    "member_reveal",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_sibling_city_staffer_gets_404_and_changes_nothing(personas, county_handler, client, name):
    method, url, data = pages(personas, county_handler.pk)[name]
    before = (
        org_state(personas.tree.grassroots),
        Org.objects.count(),
        Staff.objects.count(),
        AuditEvent.objects.count(),
    )
    response = getattr(signed_in(client, personas.sibling_staffer), method)(url, data or {})
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()
    assert personas.member.id_number not in response.content.decode()
    after = (
        org_state(personas.tree.grassroots),
        Org.objects.count(),
        Staff.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    county_handler.refresh_from_db()
    assert county_handler.is_active


@pytest.mark.parametrize("name", ["detail", "children", "new_form", "new"])
def test_grassroots_admin_cannot_reach_the_county(personas, county_handler, client, name):
    method, url, data = pages(personas, county_handler.pk)[name]
    before = Org.objects.count()
    response = getattr(signed_in(client, personas.grassroots_admin), method)(url, data or {})
    assert response.status_code == 404
    assert Org.objects.count() == before


def test_grassroots_admin_cannot_manage_township_staff(personas, county_handler, client):
    signed_in(client, personas.grassroots_admin)
    assert (
        client.post(f"/workbench/orgs/staff/{county_handler.pk}/revoke/", {"confirm": "1"}).status_code == 404
    )
    assert (
        client.post(
            f"/workbench/orgs/{personas.tree.township.pk}/staff/", {"phone": "13712345678", "role": "admin"}
        ).status_code
        == 404
    )
    county_handler.refresh_from_db()
    assert county_handler.is_active


@pytest.mark.parametrize(
    "path",
    [
        "/workbench/",
        "/workbench/orgs/",
        "/workbench/members/",
        "/workbench/audit/",
        "/workbench/inbox/",
        "/workbench/orgs/1/",
        "/workbench/members/1/",
    ],
)
def test_a_worker_gets_the_not_staff_page(personas, client, path):
    response = signed_in(client, personas.worker).get(path)
    assert response.status_code == 403
    assert "您的账号还没有工会岗位" in response.content.decode()


def test_tree_and_home_show_only_the_actors_roots(personas, client):
    for path in ("/workbench/", "/workbench/orgs/"):
        sibling = signed_in(client, personas.sibling_staffer).get(path).content.decode()
        assert "太原市总工会" in sibling
        assert "柳林县总工会" not in sibling and "吕梁市总工会" not in sibling
        county = signed_in(client, personas.county_staffer).get(path).content.decode()
        assert "柳林县总工会" in county
        assert "太原市总工会" not in county and "吕梁市总工会" not in county


def test_tree_search_stays_in_scope(personas, client):
    page = signed_in(client, personas.sibling_staffer).get("/workbench/orgs/", {"q": "柳林"}).content.decode()
    assert "没有找到名称包含“柳林”的工会" in page


def test_breadcrumbs_stop_at_the_top_of_the_scope(personas, client):
    page = (
        signed_in(client, personas.county_staffer)
        .get(f"/workbench/orgs/{personas.tree.grassroots.pk}/")
        .content.decode()
    )
    assert "柳林镇工会" in page
    assert "吕梁市总工会" not in page and "山西省总工会" not in page


def test_member_list_shows_only_the_actors_subtree(personas, client):
    sibling = signed_in(client, personas.sibling_staffer).get("/workbench/members/").content.decode()
    assert personas.sibling_member.member_no in sibling
    assert personas.member.member_no not in sibling
    # Even searching for the exact ID number finds nothing outside the scope.
    found = client.post("/workbench/members/", {"q": personas.member.id_number}).content.decode()
    assert personas.member.member_no not in found


def test_member_list_for_the_county(personas, client):
    page = signed_in(client, personas.county_staffer).get("/workbench/members/").content.decode()
    assert personas.member.member_no in page
    assert personas.sibling_member.member_no not in page


# --- the county staffer acts within the county --------------------------------------------------


def test_county_staffer_creates_a_union_under_the_township(personas, client):
    response = signed_in(client, personas.county_staffer).post(
        f"/workbench/orgs/{personas.tree.township.pk}/new/",
        {"kind": "grassroots", "name": "柳林县顺达物流有限公司工会", "region_code": "141125"},
    )
    org = Org.objects.get(name="柳林县顺达物流有限公司工会")
    assert response["Location"] == f"/workbench/orgs/{org.pk}/"
    assert org.parent == personas.tree.township and org.path.startswith(personas.tree.township.path)


def test_county_staffer_edits_a_grassroots_union(personas, client):
    response = signed_in(client, personas.county_staffer).post(
        f"/workbench/orgs/{personas.tree.grassroots.pk}/edit/",
        {"name": personas.tree.grassroots.name, "address": "柳林县青龙路88号", "chair_name": "刘主席"},
    )
    assert response.status_code == 302
    personas.tree.grassroots.refresh_from_db()
    assert (personas.tree.grassroots.address, personas.tree.grassroots.chair_name) == (
        "柳林县青龙路88号",
        "刘主席",
    )


def test_edit_form_keeps_what_was_typed_when_it_fails(personas, client):
    before = org_state(personas.tree.grassroots)
    page = signed_in(client, personas.county_staffer).post(
        f"/workbench/orgs/{personas.tree.grassroots.pk}/edit/",
        {"name": "预石运输工会（改）", "address": "柳林县青龙路88号", "credit_code": "91440300708461136U"},
    )
    html = page.content.decode()
    assert page.status_code == 422
    assert "统一社会信用代码校验位不正确" in html
    assert "柳林县青龙路88号" in html and "预石运输工会（改）" in html
    assert org_state(personas.tree.grassroots) == before


def test_county_staffer_assigns_and_revokes_staff(personas, client):
    signed_in(client, personas.county_staffer)
    response = client.post(
        f"/workbench/orgs/{personas.tree.township.pk}/staff/",
        {"phone": "13712345678", "name": "新干事", "role": "handler", "title": "组织干事"},
    )
    assert response.status_code == 302
    staff = Staff.objects.get(org=personas.tree.township, role="handler")
    assert staff.user.name == "新干事" and staff.title == "组织干事"
    assert client.post(f"/workbench/orgs/staff/{staff.pk}/revoke/", {"confirm": "1"}).status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active


def test_staff_form_error_is_shown_next_to_the_field(personas, client):
    page = signed_in(client, personas.county_staffer).post(
        f"/workbench/orgs/{personas.tree.township.pk}/staff/",
        {"phone": "12345", "role": "handler"},
        headers={"HX-Request": "true"},
    )
    assert "手机号应为11位数字" in page.content.decode()
    assert not Staff.objects.filter(org=personas.tree.township).exists()


def test_non_admin_roles_cannot_edit(personas, client):
    signed_in(client, personas.county_auditor)
    assert client.get(f"/workbench/orgs/{personas.tree.grassroots.pk}/").status_code == 200
    assert (
        client.post(f"/workbench/orgs/{personas.tree.grassroots.pk}/edit/", {"name": "x"}).status_code == 404
    )
    assert client.get(f"/workbench/orgs/{personas.tree.county.pk}/new/").status_code == 404


# --- audit page -----------------------------------------------------------------------------------


def test_audit_page_is_for_auditors(personas, client):
    page = signed_in(client, personas.sibling_staffer).get("/workbench/audit/")
    assert page.status_code == 403
    assert "审计日志仅对审计员开放" in page.content.decode()


def test_auditor_sees_the_county_events_only(personas, client):
    from gonghui.core.audit import audit_record

    audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.grassroots)
    audit_record(actor=personas.sibling_staffer, action="org.update", obj=personas.tree.sibling_grassroots)
    sibling_auditor = make_staff(personas.tree.sibling_city, Staff.Role.AUDITOR, name="太原审计")
    county = signed_in(client, personas.county_auditor).get("/workbench/audit/").content.decode()
    assert "赵县干" in county and "孙邻市" not in county
    sibling = signed_in(client, sibling_auditor).get("/workbench/audit/").content.decode()
    assert "孙邻市" in sibling and "赵县干" not in sibling
    assert client.get("/workbench/audit/", {"org": personas.tree.county.pk}).status_code == 404
    assert client.get("/workbench/audit/", {"org": "abc"}).status_code == 404


def test_auditor_filters_by_org_inside_the_scope(personas, client):
    from gonghui.core.audit import audit_record

    audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.grassroots)
    audit_record(actor=personas.county_staffer, action="org.create", obj=personas.tree.township)
    signed_in(client, personas.county_auditor)
    page = client.get("/workbench/audit/", {"org": personas.tree.grassroots.pk}).content.decode()
    assert "<code>org.update</code>" in page and "<code>org.create</code>" not in page


def test_audit_filters(personas, client):
    from gonghui.core.audit import audit_record

    audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.grassroots)
    audit_record(actor=personas.county_staffer, action="pii.reveal", obj=personas.member, result="denied")
    signed_in(client, personas.county_auditor)
    page = client.get("/workbench/audit/", {"result": "denied"}).content.decode()
    assert "<code>pii.reveal</code>" in page and "<code>org.update</code>" not in page
    page = client.get(
        "/workbench/audit/", {"action": "org.", "from": "不是日期", "page": "x"}
    ).content.decode()
    assert "<code>org.update</code>" in page and "<code>pii.reveal</code>" not in page


def test_sign_in_redirect_keeps_the_whole_address(db, client):
    response = client.get("/workbench/members/", {"q": "王", "status": "active"})
    assert (
        response["Location"]
        == "/accounts/staff-login/?next=%2Fworkbench%2Fmembers%2F%3Fq%3D%25E7%258E%258B%26status%3Dactive"
    )


def test_oversized_page_post_is_a_400_page_and_changes_nothing(personas, client):
    before = org_state(personas.tree.grassroots)
    response = signed_in(client, personas.county_staffer).post(
        f"/workbench/orgs/{personas.tree.grassroots.pk}/edit/",
        {"name": "新名称", "address": "地" * (1024 * 1024)},
    )
    assert response.status_code == 400
    assert "请求格式不正确或内容过大" in response.content.decode()
    assert org_state(personas.tree.grassroots) == before
