"""Demo data for 劳模工匠: 预石运输 truck drivers' union rewards the three drivers with the most trips and
the fewest accidents (the award computed from the imported 2026 trip/accident table, then 公示 and award);
the register holds the 2025 山西省五一劳动奖章 of 柳林's driver 韩建辉; a 师带徒 agreement with two
apprentices and an electrical problem taken, solved and confirmed.

Events are replayed at their dates through the services. Idempotent. Demo logins 13800019001–13800019099."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.db import transaction
from openpyxl import Workbook

from gonghui.accounts.models import User
from gonghui.core.validators import make_id_number
from gonghui.demo.cases import at as _at
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.funds import services as funds
from gonghui.honours import services
from gonghui.honours.models import Selection
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_member, make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPANY = "山西吕梁柳林县预石运输有限责任公司工会"
REGION = "141125"
# phone, name, trips, accidents in 2026
DRIVERS = [
    ("13800019011", "郝永刚", 436, 0),
    ("13800019012", "白志强", 512, 1),
    ("13800019013", "薛海平", 401, 0),
    ("13800019014", "贺春生", 401, 0),
    ("13800019015", "武二虎", 388, 0),
    ("13800019016", "高建国", 297, 2),
]


def _t(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, tzinfo=SHANGHAI)


def _user(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name)


def load(*, stdout) -> None:
    company = Org.objects.filter(name=COMPANY).first()
    if company is None or Selection.objects.filter(org=company).exists():
        return
    with transaction.atomic():
        admin = make_staff(
            company, Staff.Role.ADMIN, user=_user("13800019001", "李卫东"), title="工会主席（劳模工匠）"
        )
        members = []
        for i, (phone, name, _trips, _acc) in enumerate(DRIVERS):
            user = _user(phone, name)
            member = getattr(user, "member", None) or make_member(
                company,
                user=user,
                name=name,
                id_number=make_id_number(REGION, dt.date(1978 + i, 3 + i, 10 + i), 301 + 2 * i),
                occupation="truck_driver",
                employment_form="standard",
                joined_at=dt.date(2015, 5, 1),
            )
            members.append(member)
        book = Workbook()
        sheet = book.active
        sheet.append(services.DRIVER_HEADER)
        for member, (_p, name, trips, acc) in zip(members, DRIVERS, strict=True):
            sheet.append([member.member_no, name, trips, acc])
        buf = io.BytesIO()
        book.save(buf)
        with _at(_t(2027, 1, 5)):
            prize_scheme = funds.scheme_create(
                actor=admin,
                org=company,
                code="YS-ZM",
                name="预石运输“最美货车司机”奖励",
                category="award",
                period_start=dt.date(2027, 1, 1),
                period_end=dt.date(2027, 12, 31),
                formula={"type": "fixed", "amount": "2000"},
                once_per="none",
                note="工会经费列支，每人 2,000 元（演示假设）。",
            )
            funds.budget_set(actor=admin, scheme=prize_scheme, year=2027, amount="6000")
        with _at(_t(2027, 1, 11)):
            sel = services.selection_open(
                actor=admin,
                org=company,
                data=services.SelectionInput(
                    title="2026年度预石运输“最美货车司机”评选",
                    honour_title="最美货车司机",
                    level="enterprise",
                    quota=3,
                    opens_on=dt.date(2027, 1, 4),
                    closes_on=dt.date(2027, 1, 29),
                    criteria="全年趟数最多、事故最少的三名司机（事故少者优先，再比趟数；并列同名次）",
                    nominators="units",
                    prize="2000",
                    prize_scheme_id=prize_scheme.pk,
                ),
            )
            services.driver_award_import(actor=admin, selection=sel, data=buf.getvalue())
        with _at(_t(2027, 1, 25)):
            services.selection_award(actor=admin, selection=sel, year=2026)
        with _at(_t(2026, 3, 2)):
            services.agreement_sign(
                actor=admin,
                org=company,
                master_id=members[0].pk,
                apprentice_ids=[members[4].pk, members[5].pk],
                plan="一年内掌握重载车辆电气故障排查与节油驾驶",
                starts_on=dt.date(2026, 3, 2),
                ends_on=dt.date(2027, 3, 1),
            )
            problem = services.problem_post(
                actor=admin,
                org=company,
                title="车队配电柜雨季频繁跳闸",
                category="electrical",
                description="雨季车队停车场配电柜每周跳闸 3 次，影响夜间充电",
            )
            services.problem_take(actor=members[0].user, problem=problem)
        with _at(_t(2026, 3, 20)):
            services.problem_propose(
                actor=members[0].user,
                problem=problem,
                solution="更换防潮断路器，柜内加装除湿加热器",
                follow_up="一个月后回访，未再跳闸",
            )
        with _at(_t(2026, 4, 24)):
            services.problem_confirm(actor=admin, problem=problem)
        _studio_contest_training(admin, company, members)
    stdout.write(
        "劳模工匠：工作室 1 个（2 个项目、2026 年度考评）、驾驶技能竞赛（2 队×2 人，同分同名次）、培训取证 2 条；"
        "最美货车司机评选（导入趟数/事故表→公示→表彰）、师带徒 1 对 2、技术难题 1 项已解决\n"
    )


def _studio_contest_training(admin, company, members) -> None:
    """A 劳模创新工作室 led by 郝永刚 with two projects and its 2026 review; the company's driving contest (two teams
    of two, results with a shared rank); two certificates (one from the contest)."""
    with _at(_t(2026, 5, 6)):
        studio = services.studio_register(
            actor=admin,
            org=company,
            name="郝永刚劳模创新工作室",
            kind="model_worker",
            level="enterprise",
            named_year=2026,
            leader_id=members[0].pk,
            member_ids=[members[4].pk, members[5].pk],
        )
        services.studio_project_add(
            actor=admin,
            studio=studio,
            title="重载车辆节油驾驶法",
            goal="百公里油耗降低 2 升",
            year=2026,
            status="done",
            benefit="186000",
            benefit_basis="财务部按 2026 年全车队油费对比核定",
        )
        services.studio_project_add(
            actor=admin,
            studio=studio,
            title="停车场配电柜防潮改造",
            goal="雨季不跳闸",
            year=2026,
            status="done",
            benefit="42000",
            benefit_basis="设备科核定停驶损失",
        )
    with _at(_t(2026, 12, 20)):
        services.studio_review(
            actor=admin, studio=studio, year=2026, result="excellent", comment="两项成果全车队推广"
        )
    with _at(_t(2026, 9, 12)):
        contest = services.contest_open(
            actor=admin,
            org=company,
            title="2026年预石运输驾驶员技能比武",
            level="enterprise",
            held_on=dt.date(2026, 9, 12),
            events=["安全驾驶理论", ("场地实操", 100)],
            advance_count=2,
            team_size=2,
        )
        services.team_add(
            actor=admin, contest=contest, name="一车队", org=company, member_ids=[m.pk for m in members[:2]]
        )
        services.team_add(
            actor=admin, contest=contest, name="二车队", org=company, member_ids=[m.pk for m in members[2:4]]
        )
        events = list(contest.events.all())
        marks = [(92, 95), (90, 97), (88, 90), (85, 80.5)]
        for entrant, (a, b) in zip(contest.entrants.order_by("id"), marks, strict=True):
            services.score_record(actor=admin, entrant=entrant, event=events[0], score=a)
            services.score_record(actor=admin, entrant=entrant, event=events[1], score=b)
        services.contest_results(actor=admin, contest=contest)
    with _at(_t(2026, 10, 15)):
        services.training_record(
            actor=admin,
            member_id=members[1].pk,
            course="汽车维修工技师研修班",
            trade="汽车维修工",
            level="technician",
            certificate_no="JS2026-141125-0012",
            issued_on=dt.date(2026, 10, 10),
            hours=160,
            contest=contest,
        )
        services.training_record(
            actor=admin,
            member_id=members[4].pk,
            course="货车司机高级工培训",
            trade="道路货运汽车驾驶员",
            level="senior",
            certificate_no="GJ2026-141125-0203",
            issued_on=dt.date(2026, 10, 12),
            hours=96,
        )
