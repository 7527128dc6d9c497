"""The one door for "which staff hold which roles" and for appointing staff by phone and name."""

import pytest

from gonghui.accounts.models import User
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.models import AuditEvent
from gonghui.orgs import selectors, services
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff

pytestmark = pytest.mark.django_db
APPROVER = Staff.Role.APPROVER


def test_here_chain_and_nearest(personas):
    t = personas.tree
    city_approver = make_staff(t.city, APPROVER, name="市审批")
    county_approver = make_staff(t.county, APPROVER, name="县审批")
    assert selectors.staff_users(org=t.grassroots, roles=[APPROVER]) == []
    assert set(selectors.staff_users(org=t.grassroots, roles=[APPROVER], reach="chain")) == {
        city_approver,
        county_approver,
    }
    # Nothing lands unread: the nearest union above that has an approver.
    assert selectors.staff_users(org=t.grassroots, roles=[APPROVER], reach="nearest") == [county_approver]
    assert selectors.staff_users(org_ids=[t.city.pk, t.county.pk], roles=[APPROVER]) == [
        city_approver,
        county_approver,
    ]


def test_revoked_posts_and_disabled_accounts_are_not_staff(personas):
    t = personas.tree
    gone = make_staff(t.county, APPROVER, name="已离任")
    Staff.objects.filter(user=gone).update(is_active=False)
    disabled = make_staff(t.county, APPROVER, name="已停用")
    User.objects.filter(pk=disabled.pk).update(is_active=False)
    assert selectors.staff_users(org=t.county, roles=[APPROVER]) == []
    assert selectors.staff_users(org=t.grassroots, roles=[APPROVER], reach="nearest") == []


def test_appointing_a_new_phone_opens_the_account_names_it_and_audits_every_write(personas):
    county = personas.tree.county
    staff = services.staff_assign_by_phone(
        actor=personas.county_staffer, org=county, phone="139 1234 5678", name=" 陈 晓 ", role="handler"
    )
    assert staff.user.name == "陈 晓" and staff.role == "handler" and staff.org == county
    events = AuditEvent.objects.filter(org=county).order_by("id")
    assert list(events.values_list("action", flat=True)) == ["user.register", "user.name_set", "staff.assign"]
    assert {e.actor_id for e in events} == {personas.county_staffer.pk}


def test_a_name_the_person_already_has_is_kept(personas):
    worker = personas.worker
    staff = services.staff_assign_by_phone(
        actor=personas.grassroots_admin,
        org=personas.tree.grassroots,
        phone=worker.phone,
        name="别的名字",
        role="handler",
    )
    assert staff.user == worker and User.objects.get(pk=worker.pk).name == worker.name
    assert not AuditEvent.objects.filter(action="user.name_set").exists()


def test_bad_phone_names_the_field_and_nothing_is_written(personas):
    before = User.objects.count()
    with pytest.raises(DomainError) as exc:
        services.staff_assign_by_phone(
            actor=personas.county_staffer, org=personas.tree.county, phone="12345", role="handler"
        )
    assert exc.value.field == "phone"
    assert User.objects.count() == before and not AuditEvent.objects.filter(action="staff.assign").exists()


def test_a_sibling_admin_cannot_appoint_and_opens_no_account(personas):
    before = User.objects.count()
    with pytest.raises(NotFound):
        services.staff_assign_by_phone(
            actor=personas.sibling_staffer, org=personas.tree.county, phone="13912345678", role="admin"
        )
    assert User.objects.count() == before


def test_the_page_and_the_api_appoint_the_same_way(personas, client, api):
    county = personas.tree.county
    client.force_login(personas.county_staffer)
    page = client.post(
        f"/workbench/orgs/{county.pk}/staff/", {"phone": "13912340001", "name": "页面", "role": "handler"}
    )
    assert page.status_code in {200, 302}
    response = api(personas.county_staffer).post(
        f"orgs/{county.pk}/staff", {"phone": "13912340002", "name": "接口", "role": "handler"}
    )
    assert response.status_code == 201, response.content
    names = set(Staff.objects.filter(org=county, role="handler").values_list("user__name", flat=True))
    assert names == {"页面", "接口"}
    assert AuditEvent.objects.filter(action="user.name_set", org=county).count() == 2
