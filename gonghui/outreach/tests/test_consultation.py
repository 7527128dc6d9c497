"""Collective consultation: the yearly minimum of 协商协调会 and its reminder on a controlled clock,
meetings with participants and minutes, agreements with numbered commitments followed up with evidence."""

import pytest
from django.core.management import call_command

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.models import Notification
from gonghui.outreach import selectors, services
from gonghui.outreach.models import Commitment, Meeting

pytestmark = pytest.mark.django_db

PEOPLE = [
    {"side": "union", "name": "郝行业", "unit": "行业工会联合会"},
    {"side": "worker", "name": "张业建", "unit": "网约车驾驶员代表"},
    {"side": "employer", "name": "李经理", "unit": "某出行平台"},
]
TWELVE = [
    "为驾驶员提供定期检修车辆服务",
    "合理设置充电价格",
    "提供便利安心的休息环境",
    "确保餐饮安全卫生",
    "公开计价规则",
    "不随意调整抽成比例",
    "建立申诉渠道",
    "恶劣天气合理免责",
    "保障驾驶员休息时间",
    "为驾驶员购买意外伤害保险",
    "支持驾驶员入会",
    "每季度通报协议落实情况",
]


def _forum(industry):
    org, admin = industry
    return services.forum_create(
        actor=admin, org_id=org.pk, name="柳林县货运行业协商协调", counterpart="县内货运平台及物流企业"
    )


def _reminders(user):
    return Notification.objects.filter(user=user, kind="outreach", title__contains="协商协调会").count()


def test_yearly_minimum_reminder_goes_once_from_the_configured_day(
    industry, clock, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.GONGHUI_OUTREACH_REMIND_BY = "09-30"
    _org, admin = industry
    forum = _forum(industry)
    clock(2027, 3, 1)
    # a 恳谈会 is not the 协商协调会 the rules ask for
    services.meeting_schedule(
        actor=admin, forum_id=forum.pk, kind="talk", title="驾驶员恳谈会", scheduled_on="2027-06-01"
    )
    clock(2027, 9, 29)
    assert services.yearly_reminders_send() == 0
    clock(2027, 9, 30)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outreach_remind")
    assert _reminders(admin) == 1
    assert any("协商协调会" in text for _phone, text in sms_outbox)
    clock(2027, 10, 15)
    assert services.yearly_reminders_send() == 0  # once a year
    assert _reminders(admin) == 1


def test_no_reminder_when_the_minimum_is_scheduled(industry, clock, settings):
    settings.GONGHUI_OUTREACH_REMIND_BY = "09-30"
    _org, admin = industry
    forum = _forum(industry)
    clock(2028, 2, 1)
    services.meeting_schedule(
        actor=admin,
        forum_id=forum.pk,
        kind="coordination",
        title="2028 年协商协调会",
        scheduled_on="2028-11-20",
    )
    clock(2028, 10, 1)
    assert services.yearly_reminders_send() == 0
    assert selectors.year_status(forum, 2028) == {
        "year": 2028,
        "minimum": 1,
        "planned": 1,
        "held": 0,
        "short": 0,
    }
    # cancelled, it no longer counts, and the reminder follows
    services.meeting_cancel(actor=admin, meeting_id=forum.meetings.get().pk)
    assert services.yearly_reminders_send() == 1
    assert _reminders(admin) == 1


def test_meeting_agreement_and_commitments_followed_up_until_the_next_meeting(industry, clock):
    _org, admin = industry
    forum = _forum(industry)
    clock(2027, 9, 1)
    meeting = services.meeting_schedule(
        actor=admin,
        forum_id=forum.pk,
        kind="coordination",
        title="网约车行业协商协调会",
        scheduled_on="2027-09-20",
    )
    with pytest.raises(DomainError) as exc:
        services.meeting_record(
            actor=admin, meeting_id=meeting.pk, minutes="会议通过议事规则……", participants=PEOPLE
        )
    assert exc.value.code == "meeting_not_yet"
    clock(2027, 9, 20)
    with pytest.raises(DomainError) as exc:
        services.meeting_record(
            actor=admin, meeting_id=meeting.pk, minutes="会议通过议事规则与协议", participants=PEOPLE[:2]
        )
    assert exc.value.code == "participants_required"
    services.meeting_record(
        actor=admin, meeting_id=meeting.pk, minutes="会议通过议事规则，签订关心关爱协议", participants=PEOPLE
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.participants.count() == 3

    agreement = services.agreement_sign(
        actor=admin,
        meeting_id=meeting.pk,
        title="行业自律和关心关爱协议",
        parties="行业工会；货运平台",
        commitments=["", *TWELVE, "  "],
    )
    assert list(agreement.commitments.values_list("number", flat=True)) == list(range(1, 13))
    assert agreement.commitments.get(number=2).text == "合理设置充电价格"

    next_meeting = services.meeting_schedule(
        actor=admin,
        forum_id=forum.pk,
        kind="coordination",
        title="2028 年协商协调会",
        scheduled_on="2028-03-20",
    )
    clock(2027, 12, 1)
    first = agreement.commitments.get(number=1)
    services.evidence_add(
        actor=admin, commitment_id=first.pk, note="抽查 3 个检修点，台账齐全", status="kept"
    )
    follow = selectors.commitments_followup(forum)
    assert follow["next_meeting"] == next_meeting and follow["last_held"].isoformat() == "2027-09-20"
    waiting = [r["commitment"].number for r in follow["rows"] if r["needs_followup"]]
    assert waiting == list(range(2, 13))
    assert Commitment.objects.get(pk=first.pk).status == "kept"

    # a commitment followed up only "in progress" before a later meeting needs new evidence after it
    second = agreement.commitments.get(number=2)
    services.evidence_add(actor=admin, commitment_id=second.pk, note="充电价格公示中", status="progress")
    clock(2028, 3, 20)
    services.meeting_record(
        actor=admin, meeting_id=next_meeting.pk, minutes="通报十二条承诺落实情况", participants=PEOPLE
    )
    follow = selectors.commitments_followup(forum)
    rows = {r["commitment"].number: r for r in follow["rows"]}
    assert rows[2]["needs_followup"] and not rows[1]["needs_followup"]


def test_agreement_needs_a_held_meeting_and_commitments(industry, clock):
    _org, admin = industry
    forum = _forum(industry)
    clock(2027, 9, 1)
    meeting = services.meeting_schedule(
        actor=admin, forum_id=forum.pk, kind="coordination", title="会", scheduled_on="2027-09-20"
    )
    with pytest.raises(DomainError) as exc:
        services.agreement_sign(
            actor=admin, meeting_id=meeting.pk, title="协议", parties="双方", commitments=TWELVE
        )
    assert exc.value.code == "meeting_not_held"
    clock(2027, 9, 20)
    services.meeting_record(
        actor=admin, meeting_id=meeting.pk, minutes="会议纪要内容十字以上", participants=PEOPLE
    )
    with pytest.raises(DomainError) as exc:
        services.agreement_sign(
            actor=admin, meeting_id=meeting.pk, title="协议", parties="双方", commitments=[" "]
        )
    assert exc.value.code == "commitments_required"


def test_forum_minimum_at_least_one(industry):
    org, admin = industry
    with pytest.raises(DomainError) as exc:
        services.forum_create(actor=admin, org_id=org.pk, name="x", counterpart="y", min_per_year=0)
    assert exc.value.field == "min_per_year"


def test_sibling_staff_get_404_on_consultation_and_nothing_changes(industry, personas, clock):
    _org, admin = industry
    forum = _forum(industry)
    clock(2027, 9, 20)
    meeting = services.meeting_schedule(
        actor=admin, forum_id=forum.pk, kind="coordination", title="会", scheduled_on="2027-09-20"
    )
    services.meeting_record(
        actor=admin, meeting_id=meeting.pk, minutes="会议纪要内容十字以上", participants=PEOPLE
    )
    agreement = services.agreement_sign(
        actor=admin, meeting_id=meeting.pk, title="协议", parties="双方", commitments=TWELVE
    )
    c = agreement.commitments.first()
    sibling = personas.sibling_staffer
    for call in (
        lambda: services.meeting_schedule(
            actor=sibling, forum_id=forum.pk, kind="coordination", title="x", scheduled_on="2027-10-01"
        ),
        lambda: services.meeting_record(
            actor=sibling, meeting_id=meeting.pk, minutes="篡改纪要内容十字以上", participants=PEOPLE
        ),
        lambda: services.meeting_cancel(actor=sibling, meeting_id=meeting.pk),
        lambda: services.agreement_sign(
            actor=sibling, meeting_id=meeting.pk, title="x", parties="y", commitments=["z"]
        ),
        lambda: services.evidence_add(actor=sibling, commitment_id=c.pk, note="伪造佐证材料", status="kept"),
        lambda: selectors.forum_get(actor=sibling, forum_id=forum.pk),
    ):
        with pytest.raises(NotFound):
            call()
    meeting.refresh_from_db()
    assert meeting.minutes == "会议纪要内容十字以上" and forum.meetings.count() == 1
    assert forum.agreements.count() == 1 and not c.evidence.exists()
    # the county above the industry union sees it all
    assert selectors.forum_get(actor=personas.county_staffer, forum_id=forum.pk) == forum
