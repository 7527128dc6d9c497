import pytest

from gonghui.accounts.services import api_token_revoke, user_set_password
from gonghui.core.audit import audit_record, scrub
from gonghui.core.models import AppendOnlyError, AuditEvent
from gonghui.members.services import member_reveal
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_user


def test_an_event_cannot_be_changed(personas):
    event = audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.county)
    event.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")
    assert AuditEvent.objects.get(pk=event.pk).action == "org.update"


def test_an_event_cannot_be_deleted(personas):
    event = audit_record(actor=personas.county_staffer, action="org.update", obj=personas.tree.county)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_an_account_keeps_its_events(db):
    user = make_user(name="临时")
    audit_record(actor=user, action="user.register", obj=user)
    user.delete()
    event = AuditEvent.objects.get(action="user.register")
    assert event.actor is None
    assert event.actor_label.startswith("临时（")


def test_the_actor_label_never_shows_the_full_phone(db):
    user = make_user(phone="13912345678", name="王建军")
    event = audit_record(actor=user, action="x", obj=user)
    assert event.actor_label == "王建军（139****5678）"


def test_scrub_masks_numbers_hidden_in_free_text():
    detail = {
        "reason": "核实 11010519491231002X 与 13800138000 是否一致",
        "nested": ["+8613800138000"],
        "n": 3,
    }
    assert scrub(detail) == {
        "reason": "核实 1101**********002X 与 138****8000 是否一致",
        "nested": ["138****8000"],
        "n": 3,
    }


def _one_event(action):
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [e.action for e in AuditEvent.objects.all()]
    return events[0]


@pytest.fixture
def request_ip():
    from gonghui.core.context import current_ip

    token = current_ip.set("10.1.2.3")
    yield "10.1.2.3"
    current_ip.reset(token)


def test_org_create_writes_one_event_with_actor_org_and_ip(personas, request_ip):
    org = org_services.org_create(
        actor=personas.county_staffer,
        parent=personas.tree.county,
        kind=Org.Kind.GRASSROOTS,
        name="柳林县顺达物流有限公司工会",
    )
    event = _one_event("org.create")
    assert (event.actor, event.org, event.org_path, event.ip) == (
        personas.county_staffer,
        org,
        org.path,
        request_ip,
    )
    assert event.object_type == "orgs.org" and event.object_id == str(org.pk)


def test_org_update_records_which_fields_changed(personas, request_ip):
    org_services.org_update(
        actor=personas.county_staffer,
        org=personas.tree.grassroots,
        address="柳林县青龙路88号",
        name=personas.tree.grassroots.name,
    )
    event = _one_event("org.update")
    assert event.detail == {"fields": ["address"]}
    assert (event.actor, event.org, event.ip) == (
        personas.county_staffer,
        personas.tree.grassroots,
        request_ip,
    )


def test_staff_assign_and_revoke_are_audited(personas, request_ip):
    newcomer = make_user(name="新干事")
    staff = org_services.staff_assign(
        actor=personas.county_staffer, org=personas.tree.township, user=newcomer, role=Staff.Role.HANDLER
    )
    org_services.staff_revoke(actor=personas.county_staffer, staff=staff)
    for action in ("staff.assign", "staff.revoke"):
        event = _one_event(action)
        assert (event.actor, event.org, event.ip, event.detail) == (
            personas.county_staffer,
            personas.tree.township,
            request_ip,
            {"role": "handler"},
        )


def test_reveal_reason_is_kept_without_the_number_it_mentions(personas, request_ip):
    member = personas.member
    member_reveal(
        actor=personas.county_staffer,
        member=member,
        field="id_number",
        reason=f"核对身份证 {member.id_number} 的入会材料",
    )
    event = _one_event("pii.reveal")
    assert member.id_number not in str(event.detail)
    assert event.detail["reason"] == f"核对身份证 {member.id_masked} 的入会材料"
    assert (event.actor, event.org, event.ip, event.result) == (
        personas.county_staffer,
        member.org,
        request_ip,
        "ok",
    )


def test_password_change_and_token_revoke_are_audited(personas, request_ip):
    from gonghui.accounts.services import api_token_issue

    user_set_password(user=personas.worker, password="Lvliang#2027x")
    raw = api_token_issue(user=personas.worker)
    api_token_revoke(raw=raw)
    for action in ("user.password_change", "auth.token_issue", "auth.token_revoke"):
        event = _one_event(action)
        assert (event.actor, event.ip) == (personas.worker, request_ip)
        assert event.detail == {}


def test_no_event_holds_raw_personal_data(personas, api):
    """Drive the audited writes through the API and scan every stored event for PII."""
    county = api(personas.county_staffer)
    county.post(
        "orgs",
        {
            "parent_id": personas.tree.county.pk,
            "kind": "grassroots",
            "name": "某快递站工会",
            "contact_phone": "13912345678",
        },
    )
    county.post(
        f"orgs/{personas.tree.township.pk}/staff",
        {"phone": "13712345678", "name": "新干事", "role": "handler"},
    )
    county.post(
        f"members/{personas.member.pk}/reveal", {"field": "phone", "reason": "回访 " + personas.member.phone}
    )
    api(personas.city_staffer).post(
        f"members/{personas.member.pk}/reveal",
        {"field": "id_number", "reason": "核对 " + personas.member.id_number},
    )
    rows = list(AuditEvent.objects.values_list("actor_label", "detail", "object_id"))
    assert len(rows) >= 6
    text = repr(rows)
    for secret in (personas.member.id_number, personas.member.phone[3:], "13912345678", "13712345678"):
        assert secret not in text
