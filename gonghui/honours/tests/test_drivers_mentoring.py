import datetime as dt

import pytest

from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.models import PublicNotice
from gonghui.honours import selectors, services
from gonghui.honours.models import Nomination, TechProblem
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_member, make_staff, make_user

from .conftest import at, xlsx

HEADER = ["会员编号", "姓名", "趟数", "事故次数"]


def _drivers(world):
    org = world.tree.grassroots
    names = ["张一", "张二", "张三", "张四", "张五"]
    return [make_member(org, user=make_user(name=n), name=n) for n in names]


def _sel(world, quota=3):
    return services.selection_open(
        actor=world.p.grassroots_admin,
        org=world.tree.grassroots,
        data=services.SelectionInput(
            title="2026年度预石运输最美货车司机",
            honour_title="最美货车司机",
            level="enterprise",
            quota=quota,
            opens_on=dt.date(2027, 1, 4),
            closes_on=dt.date(2027, 1, 29),
            nominators="units",
        ),
    )


def test_drivers_award_ranks_fewest_accidents_then_most_trips_and_keeps_ties(world):
    d = _drivers(world)
    cadre = make_member(world.tree.grassroots, user=world.p.grassroots_admin, name="李桂兰")
    rows = [
        HEADER,
        [d[0].member_no, "张一", 412, 0],
        [d[1].member_no, "张二", 530, 1],  # most trips but an accident
        [d[2].member_no, "张三", 398, 0],
        [d[3].member_no, "张四", 398, 0],  # tied with 张三 on both: both shortlisted
        [d[4].member_no, "张五", 120, 0],
        [cadre.member_no, "李桂兰", 999, 0],  # a cadre: never ranked
    ]
    with at(2027, 1, 11):
        sel = _sel(world)
        ranked = services.driver_award_import(actor=world.p.grassroots_admin, selection=sel, data=xlsx(rows))
    assert [(r.member.name, r.rank) for r in ranked] == [
        ("张一", 1),
        ("张三", 2),
        ("张四", 2),
        ("张五", 4),
        ("张二", 5),
    ]
    notice = PublicNotice.objects.get(pk=sel.notice_id)
    assert list(notice.entries.values_list("name_masked", flat=True)) == ["张*", "张*", "张*"]
    assert Nomination.objects.filter(selection=sel, status="shortlisted").count() == 3
    assert Nomination.objects.get(member=d[2]).figures == {"trips": 398, "accidents": 0, "rank": 2}


@pytest.mark.parametrize(
    "rows,code",
    [
        ([["编号", "姓名", "趟数", "事故"]], "header_invalid"),
        ([HEADER, ["T000000000", "无此人", 1, 0]], "member_unknown"),
        ([HEADER, [None, "张一", "很多", 0]], "member_unknown"),
    ],
)
def test_driver_table_bad_input(world, rows, code):
    with at(2027, 1, 11):
        sel = _sel(world)
        with pytest.raises(DomainError) as err:
            services.driver_award_import(actor=world.p.grassroots_admin, selection=sel, data=xlsx(rows))
    assert err.value.code == code and err.value.field == "file"
    assert not Nomination.objects.exists()


def test_driver_table_bad_number_and_not_a_spreadsheet(world):
    d = _drivers(world)
    with at(2027, 1, 11):
        sel = _sel(world)
        with pytest.raises(DomainError) as err:
            services.driver_award_import(
                actor=world.p.grassroots_admin,
                selection=sel,
                data=xlsx([HEADER, [d[0].member_no, "张一", -3, 0]]),
            )
        assert err.value.code == "cell_invalid"
        with pytest.raises(DomainError) as err:
            services.driver_award_import(actor=world.p.grassroots_admin, selection=sel, data=b"not a zip")
        assert err.value.field == "file"
        with pytest.raises(NotFound):
            services.driver_award_import(actor=world.p.sibling_staffer, selection=sel, data=xlsx([HEADER]))


def test_master_with_two_apprentices_and_a_problem_taken_solved_confirmed(world):
    tree = world.tree
    master = world.member  # 王建军, a 劳模 at 预石运输
    far = make_member(tree.sibling_grassroots, name="马徒弟")  # another city's union
    near = make_member(tree.grassroots, name="赵徒弟")
    with at(2027, 3, 1):
        agreement = services.agreement_sign(
            actor=world.admin,
            org=tree.county,
            master_id=master.pk,
            apprentice_ids=[far.pk, near.pk],
            plan="一年内掌握重载车辆电气故障排查",
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2028, 2, 29),
        )
        assert sorted(agreement.apprentices.values_list("member__name", flat=True)) == ["赵徒弟", "马徒弟"]
        enterprise_admin = world.p.grassroots_admin
        problem = services.problem_post(
            actor=enterprise_admin,
            org=tree.grassroots,
            title="车载配电柜频繁跳闸",
            category="electrical",
            description="雨季车队配电柜每周跳闸 3 次",
        )
        services.problem_take(actor=world.worker, problem=problem)
        rival = make_member(tree.grassroots, user=make_user(name="周师傅"), name="周师傅")
        with pytest.raises(Conflict):
            services.problem_take(actor=rival.user, problem=problem)
        with pytest.raises(Conflict):
            services.problem_confirm(actor=enterprise_admin, problem=problem)
        services.problem_propose(
            actor=world.worker,
            problem=problem,
            solution="更换防潮断路器并加装除湿",
            follow_up="一个月后回访无跳闸",
        )
        with pytest.raises(NotFound):
            services.problem_confirm(actor=world.p.sibling_staffer, problem=problem)
        problem = services.problem_confirm(actor=enterprise_admin, problem=problem)
    assert problem.status == TechProblem.Status.SOLVED
    assert problem.solver == master
    assert selectors.problem_counts(world.admin) == {"电气设备": 1}
    assert selectors.problem_counts(world.p.sibling_staffer) == {}


def test_agreement_bad_input(world):
    with at(2027, 3, 1):
        with pytest.raises(DomainError) as err:
            services.agreement_sign(
                actor=world.admin,
                org=world.tree.county,
                master_id=world.member.pk,
                apprentice_ids=[],
                plan="计划",
                starts_on=dt.date(2027, 3, 1),
                ends_on=dt.date(2028, 3, 1),
            )
        assert err.value.field == "apprentice_ids"
        with pytest.raises(NotFound):
            services.agreement_sign(
                actor=make_staff(world.tree.sibling_city, Staff.Role.ADMIN),
                org=world.tree.county,
                master_id=world.member.pk,
                apprentice_ids=[world.other.pk],
                plan="计划",
                starts_on=dt.date(2027, 3, 1),
                ends_on=dt.date(2028, 3, 1),
            )
