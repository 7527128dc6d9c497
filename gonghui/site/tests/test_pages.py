"""Every page for every persona: the right answer, and never a 500."""

import pytest

PERSONAS = [
    "worker",
    "grassroots_admin",
    "county_staffer",
    "city_staffer",
    "sibling_staffer",
    "county_auditor",
]


def page_paths(p):
    t = p.tree
    return [
        "/",
        "/services/",
        "/me/",
        "/inbox/",
        "/accounts/login/",
        "/accounts/login/?mode=password",
        "/accounts/staff-login/",
        "/accounts/password/",
        "/workbench/",
        "/workbench/inbox/",
        "/workbench/orgs/",
        "/workbench/orgs/?q=工会",
        f"/workbench/orgs/{t.grassroots.pk}/",
        f"/workbench/orgs/{t.county.pk}/children/",
        f"/workbench/orgs/{t.township.pk}/new/",
        f"/workbench/orgs/{t.grassroots.pk}/edit/",
        "/workbench/members/",
        "/workbench/members/?status=active&occupation=truck_driver&page=99",
        f"/workbench/members/{p.member.pk}/",
        "/workbench/audit/?result=denied&from=2026-01-01&to=2026-12-31",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_fails(personas, client, persona):
    client.force_login(getattr(personas, persona))
    for path in page_paths(personas):
        response = client.get(path)
        assert response.status_code in {200, 302, 403, 404}, (path, response.status_code)


def test_anonymous_pages(personas, client):
    for path in ("/", "/services/", "/accounts/login/", "/accounts/staff-login/"):
        assert client.get(path).status_code == 200
    for path in page_paths(personas):
        assert client.get(path).status_code in {200, 302}, path


def test_worker_home_shows_the_member_card_area(personas, client):
    client.force_login(personas.worker)
    home = client.get("/").content.decode()
    assert "我要入会" in home and "附近驿站" in home
    me = client.get("/me/").content.decode()
    assert personas.member.id_number not in me and personas.member.phone[3:] not in me


def test_pages_are_chinese_and_protected_by_csp(db, client):
    response = client.get("/accounts/login/")
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
