import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.errors import Conflict, DomainError
from gonghui.core.models import AuditEvent, Notification
from gonghui.proposals import services
from gonghui.proposals.models import Proposal, Review

from .conftest import at

pytestmark = pytest.mark.django_db
S = Proposal.Status


def test_capture_is_a_draft_with_a_number_and_a_first_timeline_entry(world):
    with at(2026, 3, 12):
        proposal = services.proposal_capture(actor=world.worker, title="  转炉平台照明改造 ", place="炼钢厂")
    assert proposal.status == S.DRAFT
    assert proposal.title == "转炉平台照明改造"
    assert proposal.number == f"GS20260312{proposal.pk:06d}"
    assert proposal.org == world.workshop and proposal.programme == world.programme
    assert [e.title for e in proposal.events.all()] == ["随手拍·草稿"]
    assert AuditEvent.objects.filter(action="proposal.capture", object_id=str(proposal.pk)).exists()


def test_capture_needs_a_title_and_membership(world, personas):
    with pytest.raises(DomainError) as exc:
        services.proposal_capture(actor=world.worker, title="  ")
    assert exc.value.field == "title"
    with pytest.raises(DomainError) as exc:
        services.proposal_capture(actor=personas.county_staffer, title="无会籍的人")
    assert exc.value.code == "not_member"


def test_a_worker_whose_union_runs_no_programme_is_told(personas):
    with pytest.raises(DomainError) as exc:
        services.proposal_capture(actor=personas.worker, title="想法")
    assert exc.value.code == "no_programme"


def test_submit_requires_the_full_proposal(world):
    proposal = services.proposal_capture(actor=world.worker, title="只有标题")
    with pytest.raises(DomainError) as exc:
        services.proposal_submit(actor=world.worker, proposal=proposal)
    assert exc.value.field == "tier"
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT


def test_submit_assigns_the_tier_reviewer_with_a_working_day_limit_over_national_day(world):
    # 2026-09-30 (Wed): 10/1–10/7 are holidays, 10/10 (Sat) is a make-up working day.
    with at(2026, 9, 30):
        proposal = world.submitted()
    review = proposal.reviews.get()
    assert review.reviewer == world.reviewer
    assert review.due_date == dt.date(2026, 10, 13)  # 10/8, 10/9, 10/10, 10/12, 10/13
    assert proposal.status == S.SUBMITTED
    assert Notification.objects.filter(user=world.reviewer, title__contains="待评审").exists()


def test_other_workers_cannot_touch_my_draft(world, personas):
    proposal = world.draft()
    other = personas.worker
    with pytest.raises(DomainError) as exc:
        services.proposal_update(actor=other, proposal=proposal, data=services.ProposalInput(title="改了"))
    assert exc.value.status == 404
    proposal.refresh_from_db()
    assert proposal.title == "皮带机托辊加装防尘罩"


def test_estimated_savings_must_be_an_amount(world):
    proposal = world.draft()
    with pytest.raises(DomainError) as exc:
        services.proposal_update(
            actor=world.worker, proposal=proposal, data=services.ProposalInput(estimated_savings="一万")
        )
    assert exc.value.field == "estimated_savings"
    with pytest.raises(DomainError):
        services.proposal_update(
            actor=world.worker, proposal=proposal, data=services.ProposalInput(estimated_savings="-5")
        )


def test_reject_and_return_need_a_reason_adopt_needs_scores(world):
    proposal = world.submitted()
    for decision in ("reject", "return"):
        with pytest.raises(DomainError) as exc:
            services.review_decide(actor=world.reviewer, proposal=proposal, decision=decision, reason=" ")
        assert exc.value.code == "reason_required"
    with pytest.raises(DomainError) as exc:
        services.review_decide(
            actor=world.reviewer,
            proposal=proposal,
            decision="adopt",
            scores={"innovation": 31, "feasibility": 10, "benefit": 10},
        )
    assert exc.value.field == "innovation" and exc.value.code == "score_range"
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.reviews.get().decided_at is None


def test_only_the_assigned_reviewer_decides(world):
    proposal = world.submitted()
    with pytest.raises(DomainError) as exc:
        services.review_decide(actor=world.reviewer2, proposal=proposal, decision="adopt", scores={})
    assert exc.value.code == "not_reviewer"


def test_return_then_resubmit_opens_a_second_round(world):
    proposal = world.submitted()
    services.review_decide(
        actor=world.reviewer, proposal=proposal, decision="return", reason="请补充节约测算依据"
    )
    proposal.refresh_from_db()
    assert proposal.status == S.RETURNED
    assert Notification.objects.filter(user=world.worker, title__contains="退回完善").exists()
    services.proposal_update(
        actor=world.worker,
        proposal=proposal,
        data=services.ProposalInput(expected_benefit="每年少换 72 个托辊"),
    )
    services.proposal_submit(actor=world.worker, proposal=proposal)
    assert list(proposal.reviews.values_list("round", "decision")) == [(1, "return"), (2, "")]


def test_adopt_records_score_and_sets_the_implementation_due_date(world):
    with at(2026, 4, 1):
        proposal = world.adopted()
    review = proposal.reviews.get()
    assert review.total == 75 and review.decision == Review.Decision.ADOPT
    assert proposal.status == S.ADOPTED
    # 20 working days after 2026-04-01, across 清明 (4/4–4/6).
    assert proposal.due_date == dt.date(2026, 4, 30)


def test_a_reviewer_on_the_team_is_refused_and_skipped(world):
    team = [services.TeamInput(name="刘工", phone=world.reviewer.phone)]
    proposal = world.submitted(team=team)
    # Auto-assignment skipped the conflicted level-1 reviewer.
    assert proposal.reviews.get().reviewer == world.reviewer2
    with pytest.raises(DomainError) as exc:
        services.review_assign(actor=world.admin, proposal=proposal, reviewer=world.reviewer)
    assert exc.value.code == "reviewer_conflict" and exc.value.field == "reviewer"
    assert proposal.reviews.get().reviewer == world.reviewer2


def test_team_phone_must_be_valid_and_unique(world):
    proposal = world.draft()
    bad = [services.TeamInput(name="张伟", phone="12345")]
    with pytest.raises(DomainError) as exc:
        services.proposal_update(actor=world.worker, proposal=proposal, data=services.ProposalInput(team=bad))
    assert exc.value.code == "phone_format"
    twice = [
        services.TeamInput(name="张伟", phone="13800014002"),
        services.TeamInput(name="张伟", phone="13800014002"),
    ]
    with pytest.raises(DomainError) as exc:
        services.proposal_update(
            actor=world.worker, proposal=proposal, data=services.ProposalInput(team=twice)
        )
    assert exc.value.code == "team_duplicate"


def test_follow_through_owner_implementation_and_verified_benefit(world):
    proposal = world.adopted()
    owner = world.reviewer2
    services.proposal_set_owner(actor=world.admin, proposal=proposal, owner=owner)
    with pytest.raises(DomainError) as exc:
        services.proposal_record_implementation(actor=owner, proposal=proposal, evidence="")
    assert exc.value.field == "evidence"
    services.proposal_record_implementation(actor=owner, proposal=proposal, evidence="已加装 36 个防尘罩")
    with pytest.raises(DomainError) as exc:
        services.proposal_verify_benefit(actor=world.admin, proposal=proposal, benefit="abc")
    assert exc.value.field == "verified_benefit"
    services.proposal_verify_benefit(actor=world.admin, proposal=proposal, benefit="18,500.5")
    proposal.refresh_from_db()
    assert proposal.status == S.VERIFIED and proposal.verified_benefit == Decimal("18500.50")
    titles = [e.title for e in proposal.events.all()]
    assert titles[-3:] == ["落实实施", "已实施", "效益已验证"]


def test_a_worker_who_is_not_the_owner_cannot_record_implementation(world, personas):
    proposal = world.adopted()
    with pytest.raises(DomainError) as exc:
        services.proposal_record_implementation(
            actor=personas.sibling_staffer, proposal=proposal, evidence="做了"
        )
    assert exc.value.status == 404
    proposal.refresh_from_db()
    assert proposal.status == S.ADOPTED


def test_overdue_review_is_flagged_once_and_escalated_to_the_union_above(world, personas):
    with at(2026, 9, 30):
        proposal = world.submitted()
    with at(2026, 10, 13, 20):
        assert services.proposals_flag_overdue() == (0, 0)  # the last day still counts
    with at(2026, 10, 14):
        assert services.proposals_flag_overdue() == (1, 0)
        assert services.proposals_flag_overdue() == (0, 0)
    review = proposal.reviews.get()
    assert review.overdue
    # The workshop's parent is the company union: its admin is told, once.
    told = Notification.objects.filter(user=world.admin, title="下级单位改善提案评审超时")
    assert told.count() == 1
    assert proposal.events.filter(title="评审超时").count() == 1


def test_lapsed_adopted_proposal_surfaces_to_the_union(world):
    with at(2026, 4, 1):
        proposal = world.adopted()
    with at(2026, 4, 30, 18):
        assert services.proposals_flag_overdue() == (0, 0)
    with at(2026, 5, 6):
        assert services.proposals_flag_overdue() == (0, 1)
    proposal.refresh_from_db()
    assert proposal.lapsed
    assert Notification.objects.filter(user=world.admin, title="已采纳的改善提案逾期未实施").count() == 1
    services.proposal_record_implementation(actor=world.admin, proposal=proposal, evidence="补做完成")
    proposal.refresh_from_db()
    assert not proposal.lapsed


def test_coaching_by_a_trainer_of_the_programme(world, personas):
    from gonghui.testing.factories import make_user

    teacher = make_user(name="高师傅")
    from gonghui.testing.factories import make_member

    make_member(world.company, user=teacher, name="高师傅")
    trainer = services.trainer_appoint(
        actor=world.admin, org=world.company, user=teacher, level=3, speciality="设备点检"
    )
    proposal = world.draft()
    services.proposal_request_coach(actor=world.worker, proposal=proposal, trainer=trainer)
    proposal.refresh_from_db()
    assert proposal.coach == trainer
    assert Notification.objects.filter(user=teacher, title__contains="请辅导").exists()
    services.trainer_appoint(actor=world.admin, org=world.company, user=teacher, level=2)
    trainer.refresh_from_db()
    assert trainer.get_level_display() == "二级内训师"
    with pytest.raises(DomainError):
        services.trainer_appoint(actor=world.admin, org=world.company, user=teacher, level=4)


def test_submitted_twice_is_a_conflict(world):
    proposal = world.submitted()
    with pytest.raises(Conflict):
        services.proposal_submit(actor=world.worker, proposal=proposal)
    assert proposal.reviews.count() == 1
