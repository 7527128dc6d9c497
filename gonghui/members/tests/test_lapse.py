"""The six-month rule (会籍管理办法): no dues and no union activity → 视为自动退会, confirmed by staff."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.core.notifications import Notification
from gonghui.members import selectors, services
from gonghui.members.models import DuesPayment, Member, MemberCard, StatusChange
from gonghui.testing.factories import make_id, make_member, make_user

TODAY = dt.date(2026, 11, 23)  # six whole months back: from 2026-05-01


@pytest.fixture
def old_member(personas):
    member = make_member(personas.tree.grassroots, id_number=make_id(), user=make_user(name="赵师傅"))
    Member.objects.filter(pk=member.pk).update(joined_at=dt.date(2025, 3, 1))
    member.refresh_from_db()
    return member


def candidates(personas, **kw):
    return list(selectors.lapse_candidates(actor=personas.county_staffer, today=TODAY, **kw))


def pay(member, period):
    DuesPayment.objects.create(
        member=member, org=member.org, org_path=member.org_path, period=period, amount=1
    )


def test_only_members_with_neither_dues_nor_activity_since_the_cutoff_are_listed(personas, old_member):
    assert selectors.lapse_cutoff(TODAY) == dt.date(2026, 5, 1)
    assert old_member in candidates(personas)
    pay(old_member, "2026-04")  # before the cutoff month: still listed
    assert old_member in candidates(personas)
    pay(old_member, "2026-05")
    assert old_member not in candidates(personas)


def test_taking_part_keeps_the_membership(personas, old_member):
    services.member_took_part(member_id=old_member.pk, day=dt.date(2026, 4, 30))
    assert old_member in candidates(personas)
    services.member_took_part(member_id=old_member.pk, day=dt.date(2026, 5, 1))
    assert old_member not in candidates(personas)
    services.member_took_part(
        member_id=old_member.pk, day=dt.date(2026, 3, 1)
    )  # an older date never moves it back
    old_member.refresh_from_db()
    assert old_member.last_active_on == dt.date(2026, 5, 1)


def test_recent_joiners_retired_and_unemployed_members_are_not_listed(personas, old_member):
    Member.objects.filter(pk=old_member.pk).update(joined_at=dt.date(2026, 5, 1))
    assert old_member not in candidates(personas)
    Member.objects.filter(pk=old_member.pk).update(joined_at=dt.date(2025, 3, 1))
    for status in (Member.Status.RETIRED, Member.Status.UNEMPLOYED, Member.Status.TRANSFERRING):
        Member.objects.filter(pk=old_member.pk).update(status=status)
        assert old_member not in candidates(personas), status


def test_the_rule_can_be_turned_off(personas, old_member, settings):
    settings.GONGHUI_LAPSE_MONTHS = 0
    assert candidates(personas) == []
    settings.GONGHUI_LAPSE_MONTHS = 12
    assert selectors.lapse_cutoff(TODAY) == dt.date(2025, 11, 1)
    assert old_member in candidates(personas)


def test_confirming_lapses_revokes_the_card_and_tells_the_member(
    personas, old_member, sms_outbox, django_capture_on_commit_callbacks
):
    services.card_issue(actor=None, member=old_member)
    with django_capture_on_commit_callbacks(execute=True):
        lapsed, errors = services.members_lapse(
            actor=personas.county_staffer, member_ids=[old_member.pk], today=TODAY
        )
    assert (lapsed, errors) == (1, [])
    old_member.refresh_from_db()
    assert old_member.status == Member.Status.LAPSED
    assert "连续6个月未交会费、未参加工会活动" in old_member.status_reason
    assert not MemberCard.objects.filter(member=old_member, revoked_at__isnull=True).exists()
    assert StatusChange.objects.filter(member=old_member, to_status=Member.Status.LAPSED).count() == 1
    assert Notification.objects.filter(user=old_member.user, body__contains="视为自动退会").exists()
    assert len(sms_outbox) == 1


def test_a_member_who_paid_since_the_list_was_shown_is_kept(personas, old_member):
    pay(old_member, "2026-11")
    lapsed, errors = services.members_lapse(
        actor=personas.county_staffer, member_ids=[old_member.pk], today=TODAY
    )
    assert lapsed == 0 and errors == [
        f"{old_member.member_no}：已缴费、参加过活动或会籍状态已变，不再符合条件"
    ]
    old_member.refresh_from_db()
    assert old_member.status == Member.Status.ACTIVE


def test_staff_of_another_subtree_can_neither_see_nor_lapse(personas, old_member):
    assert old_member not in selectors.lapse_candidates(actor=personas.sibling_staffer, today=TODAY)
    lapsed, errors = services.members_lapse(
        actor=personas.sibling_staffer, member_ids=[old_member.pk], today=TODAY
    )
    assert lapsed == 0 and errors == ["有 1 名所选会员不在您的管辖范围内，未处理"]
    old_member.refresh_from_db()
    assert old_member.status == Member.Status.ACTIVE


def test_the_workbench_page_lists_and_confirms(personas, old_member, client):
    client.force_login(personas.county_staffer)
    page = client.get("/workbench/members/lapse/").content.decode()
    assert old_member.member_no in page and old_member.name_masked in page and "从未缴纳" in page
    assert old_member.name not in page
    response = client.post("/workbench/members/lapse/", {"ids": [str(old_member.pk), "x"]}, follow=True)
    assert "已确认 1 名会员视为自动退会" in response.content.decode()
    old_member.refresh_from_db()
    assert old_member.status == Member.Status.LAPSED
    empty = client.post("/workbench/members/lapse/", {}, follow=True).content.decode()
    assert "请先勾选要确认的会员" in empty


def test_redeeming_a_ticket_counts_as_taking_part(personas, old_member):
    from gonghui.campaigns import services as campaigns

    now = timezone.now()
    campaign = campaigns.campaign_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        title="柳林县货车司机免费体检",
        kind="event",
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
        real_name_required=False,
        offers=[{"name": "体检名额", "capacity": 5}],
    )
    offer = campaign.offers.get()
    outcome = campaigns.offer_grab(actor=old_member.user, campaign_id=campaign.pk, offer_id=offer.pk)
    assert old_member in candidates(personas)  # claiming alone is not taking part
    campaigns.ticket_redeem(actor=personas.county_staffer, code=outcome.ticket.code)
    old_member.refresh_from_db()
    assert old_member.last_active_on == timezone.localdate()
