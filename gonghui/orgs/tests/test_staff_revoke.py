"""撤销 a staff post: asked first, and never the last admin of a union."""

from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Staff
from gonghui.orgs.services import staff_revoke
from gonghui.testing.factories import make_staff


def _post(client, staff, **data):
    return client.post(f"/workbench/orgs/staff/{staff.pk}/revoke/", data)


def test_revoke_asks_for_confirmation_first(personas, client):
    handler = Staff.objects.get(
        user=make_staff(personas.tree.township, Staff.Role.HANDLER, name="柳林镇经办人")
    )
    client.force_login(personas.county_staffer)
    detail = client.get(f"/workbench/orgs/{personas.tree.township.pk}/").content.decode()
    # The list offers a link to the confirmation, not a one-click form.
    assert f'href="/workbench/orgs/staff/{handler.pk}/revoke/"' in detail
    page = client.get(f"/workbench/orgs/staff/{handler.pk}/revoke/")
    html = page.content.decode()
    assert page.status_code == 200 and "确定撤销" in html and "柳林镇经办人" in html and "经办人" in html
    # A bare POST (no confirm) only shows the question again.
    assert _post(client, handler).status_code == 200
    handler.refresh_from_db()
    assert handler.is_active
    assert _post(client, handler, confirm="1").status_code == 302
    handler.refresh_from_db()
    assert not handler.is_active
    assert AuditEvent.objects.filter(action="staff.revoke", org=personas.tree.township).count() == 1


def test_the_last_admin_of_a_union_cannot_be_revoked_even_by_herself(personas, client):
    admin = Staff.objects.get(user=personas.grassroots_admin)
    client.force_login(personas.grassroots_admin)
    page = client.get(f"/workbench/orgs/staff/{admin.pk}/revoke/").content.decode()
    assert "唯一的管理员，不能撤销" in page and "确认撤销" not in page
    response = _post(client, admin, confirm="1")
    assert response.status_code == 409
    assert "唯一的管理员" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(action="staff.revoke").exists()
    # She can still open her union afterwards.
    assert client.get(f"/workbench/orgs/{personas.tree.grassroots.pk}/").status_code == 200


def test_one_of_two_admins_may_go_but_not_the_second(personas, client):
    admin = Staff.objects.get(user=personas.grassroots_admin)
    second = Staff.objects.get(
        user=make_staff(personas.tree.grassroots, Staff.Role.ADMIN, name="第二位管理员")
    )
    client.force_login(personas.county_staffer)
    assert _post(client, admin, confirm="1").status_code == 302
    assert _post(client, second, confirm="1").status_code == 409
    second.refresh_from_db()
    assert second.is_active


def test_a_last_admin_refusal_from_the_service_has_a_code(personas):
    import pytest

    from gonghui.core.errors import DomainError

    admin = Staff.objects.get(user=personas.grassroots_admin)
    with pytest.raises(DomainError) as caught:
        staff_revoke(actor=personas.county_staffer, staff=admin)
    assert caught.value.code == "last_admin" and caught.value.status == 409
