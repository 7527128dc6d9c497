"""蹲点 and listening: opinions from every source → a problem list with measures → an outcome the workers
who raised it hear in their inbox."""

import pytest

from gonghui.cases.services import case_open_for_org
from gonghui.core.errors import DomainError, NotFound
from gonghui.core.models import Notification
from gonghui.outreach import selectors, services
from gonghui.outreach.models import Opinion, Problem

pytestmark = pytest.mark.django_db


def _inbox(user):
    return list(Notification.objects.filter(user=user, kind="outreach").values_list("title", "body"))


def test_closing_a_problem_tells_each_worker_who_raised_it_once(personas, clock):
    clock(2027, 5, 6)
    county, staffer = personas.tree.county, personas.county_staffer
    from gonghui.testing.factories import make_member, make_user

    colleague = make_user(name="张业建")
    make_member(personas.tree.grassroots, user=colleague, name="张业建")

    mine1 = services.opinion_submit(actor=personas.worker, text="恶劣天气接单超时被投诉，希望合理免责")
    mine2 = services.opinion_add(
        actor=staffer, org_id=county.pk, text="雨雪天订单超时申诉难", raiser_phone=personas.worker.phone
    )
    theirs = services.opinion_add(
        actor=staffer, org_id=county.pk, text="超时订单应允许线上申诉", raiser_phone=colleague.phone
    )
    anonymous = services.opinion_add(actor=staffer, org_id=county.pk, text="座谈会上有司机提到申诉渠道不畅")
    unrelated = services.opinion_submit(actor=colleague, text="驿站希望增加微波炉")
    assert mine2.raiser == personas.worker and theirs.raiser == colleague and anonymous.raiser is None

    problem = services.problem_create(
        actor=staffer,
        org_id=county.pk,
        title="恶劣天气超时订单申诉难",
        batch="第一批",
        opinion_ids=[mine1.pk, mine2.pk, theirs.pk, anonymous.pk],
    )
    services.measure_add(
        actor=staffer,
        problem_id=problem.pk,
        text="协调平台开通恶劣天气免责申诉",
        owner_department="交通运输局",
    )
    measure = services.measure_add(
        actor=staffer, problem_id=problem.pk, text="工会跟踪申诉结果", owner_user_id=staffer.pk
    )
    services.measure_done(actor=staffer, measure_id=measure.pk, result="两天内答复")
    assert _inbox(personas.worker) == [] and _inbox(colleague) == []

    services.problem_close(
        actor=staffer, problem_id=problem.pk, outcome="平台已开通线上线下申诉，因天气超时可免责"
    )

    mine = _inbox(personas.worker)
    assert len(mine) == 1 and "恶劣天气超时订单申诉难" in mine[0][0] and "可免责" in mine[0][1]
    assert len(_inbox(colleague)) == 1  # the unrelated opinion of the colleague is not closed
    assert Opinion.objects.filter(problem=problem, resolved_on__isnull=True).count() == 0
    unrelated.refresh_from_db()
    assert unrelated.resolved_on is None
    assert selectors.funnel(actor=staffer) == {
        "opinions": 5,
        "problems": 1,
        "measures": 2,
        "solved": 4,
        "closed_problems": 1,
    }
    # the worker's page shows the outcome
    rows = list(selectors.opinions_of_worker(user=personas.worker))
    assert {r.pk for r in rows} == {mine1.pk, mine2.pk}
    with pytest.raises(DomainError) as exc:
        services.problem_close(actor=staffer, problem_id=problem.pk, outcome="再次办结")
    assert exc.value.code == "problem_closed"
    assert len(_inbox(personas.worker)) == 1


def test_a_phone_outside_scope_is_not_matched(personas):
    from gonghui.testing.factories import make_member, make_user

    other = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=other, name="吴师傅")
    staffer, county = personas.county_staffer, personas.tree.county
    op = services.opinion_add(actor=staffer, org_id=county.pk, text="某意见", raiser_phone=other.phone)
    assert op.raiser is None and op.raiser_name == ""
    # control: the same call with a member of our own subtree names them
    ours = services.opinion_add(
        actor=staffer, org_id=county.pk, text="某意见", raiser_phone=personas.worker.phone
    )
    assert ours.raiser == personas.worker and ours.raiser_name == "王建军"


def test_a_measure_needs_an_owner(personas):
    problem = services.problem_create(
        actor=personas.county_staffer, org_id=personas.tree.county.pk, title="午休无处"
    )
    with pytest.raises(DomainError) as exc:
        services.measure_add(actor=personas.county_staffer, problem_id=problem.pk, text="增设休息点")
    assert exc.value.code == "owner_required" and exc.value.field == "owner_department"
    with pytest.raises(DomainError) as exc:
        services.measure_add(
            actor=personas.county_staffer,
            problem_id=problem.pk,
            text="增设休息点",
            owner_user_id=personas.sibling_staffer.pk,
        )
    assert exc.value.code == "owner_invalid"


def test_suggestion_cases_become_opinions_once_and_their_filer_hears_the_outcome(personas, clock):
    clock(2027, 5, 6)
    grassroots = personas.tree.grassroots
    suggestion = case_open_for_org(
        actor=personas.worker,
        org=grassroots,
        category="suggestion",
        title="食堂晚餐供应太早",
        description="夜班职工吃不上热饭",
        claimant_name="王建军",
    )
    case_open_for_org(
        actor=personas.worker,
        org=grassroots,
        category="wages",
        title="欠薪",
        description="三月工资未发",
        claimant_name="王建军",
    )
    staffer = personas.county_staffer
    assert services.opinions_import_cases(actor=staffer, org_id=personas.tree.county.pk) == 1
    assert services.opinions_import_cases(actor=staffer, org_id=personas.tree.county.pk) == 0
    op = Opinion.objects.get()
    assert op.case_id == suggestion.pk and op.source == "case" and op.raiser == personas.worker
    assert "夜班职工" in op.text
    problem = services.problem_create(
        actor=staffer, org_id=grassroots.pk, title="夜班吃饭难", opinion_ids=[op.pk]
    )
    services.problem_close(actor=staffer, problem_id=problem.pk, outcome="食堂增开夜宵窗口至 23 点")
    assert len(_inbox(personas.worker)) == 1
    # the sibling city imports nothing of ours
    assert (
        services.opinions_import_cases(actor=personas.sibling_staffer, org_id=personas.tree.sibling_city.pk)
        == 0
    )


def test_sibling_staff_get_404_and_nothing_changes(personas):
    staffer, sibling = personas.county_staffer, personas.sibling_staffer
    op = services.opinion_add(actor=staffer, org_id=personas.tree.county.pk, text="工地没有饮水点")
    problem = services.problem_create(
        actor=staffer, org_id=personas.tree.county.pk, title="饮水难", opinion_ids=[op.pk]
    )
    for call in (
        lambda: services.problem_close(actor=sibling, problem_id=problem.pk, outcome="已解决了的"),
        lambda: services.measure_add(actor=sibling, problem_id=problem.pk, text="x", owner_department="公安"),
        lambda: services.opinion_add(actor=sibling, org_id=personas.tree.county.pk, text="冒名意见"),
        lambda: services.opinion_resolve(actor=sibling, opinion_id=op.pk, outcome="已解决"),
        lambda: services.problem_create(
            actor=sibling, org_id=personas.tree.sibling_city.pk, title="抢意见", opinion_ids=[op.pk]
        ),
        lambda: selectors.problem_get(actor=sibling, problem_id=problem.pk),
    ):
        with pytest.raises(NotFound):
            call()
    problem.refresh_from_db()
    op.refresh_from_db()
    assert problem.status == Problem.Status.OPEN and not problem.measures.exists()
    assert op.problem == problem and op.resolved_on is None
    assert Opinion.objects.count() == 1 and Problem.objects.count() == 1


def test_a_worker_without_membership_is_told_to_join(personas):
    from gonghui.testing.factories import make_user

    with pytest.raises(DomainError) as exc:
        services.opinion_submit(actor=make_user(name="路人"), text="希望多开几个驿站")
    assert exc.value.code == "not_member"
