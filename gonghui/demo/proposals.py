"""Demo data for 全员改善 (seed 001): 山东钢铁股份有限公司莱芜分公司 (济南市钢城区) merges QC活动, 六源, 五小 and
合理化建议 into one action with three tiers. 炼钢厂 worker 李洋洋 filed six proposals the way the article tells it
(noted on the shop floor, tidied up on a break), received 5,000 元 and a trophy at his workplace and was named
改善标兵; 90-odd key workers attended the first 内训师 class on 22 July and the best were appointed 三级内训师.

Events are replayed at their dates through the services, so due dates, overdue flags and the ledger are real.
Idempotent: does nothing when the programme exists. Demo logins use phones 13800014001–13800014099."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from gonghui.accounts.models import User
from gonghui.core.validators import make_id_number
from gonghui.demo.cases import at as _at
from gonghui.demo.data import DEMO_PASSWORD, GIVEN2, SURNAMES
from gonghui.members.services import next_member_numbers
from gonghui.orgs.models import Org, Staff
from gonghui.proposals import services
from gonghui.proposals.models import Programme, Proposal, Reward
from gonghui.testing.factories import make_member, make_org, make_staff, random_credit_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
REGION = "370117"  # 济南市钢城区 (莱芜 joined 济南 in 2019)
COMPANY = "山东钢铁股份有限公司莱芜分公司工会"

# phone, name, unit key, role, title
STAFF = [
    ("13800014001", "刘建华", "company", Staff.Role.ADMIN, "工会主席"),
    ("13800014002", "张立新", "company", Staff.Role.EXPERT, "设备管理部 评审专家"),
    ("13800014003", "王海燕", "company", Staff.Role.EXPERT, "技术中心 评审专家"),
    ("13800014004", "赵志刚", "炼钢厂", Staff.Role.HANDLER, "炼钢厂设备主任（实施负责人）"),
]
WORKERS = [
    ("13800014011", "李洋洋", "炼钢厂"),
    ("13800014012", "孙国庆", "炼钢厂"),
    ("13800014013", "周红梅", "能源动力厂"),
    ("13800014014", "马超", "型钢厂"),
    ("13800014015", "陈晓东", "型钢厂"),
    ("13800014016", "高玉兰", "能源动力厂"),
    ("13800014017", "吕志强", "炼钢厂"),
    ("13800014018", "韩冬梅", "型钢厂"),
]
IDEAS = [
    ("转炉煤气回收阀门密封改进", "六源", "煤气回收阀门泄漏，回收率偏低", "更换耐高温密封并增加巡检点"),
    ("型钢冷床拨爪防卡改造", "五小", "冷床拨爪每班卡钢 2 次", "拨爪加装导向斜板"),
    ("空压机余热回收用于浴室供暖", "合理化建议", "空压机余热直接排放", "加装板式换热器供浴室热水"),
    ("轧机导卫快速更换工装", "QC活动", "更换导卫需 40 分钟", "设计快换卡槽，缩短到 15 分钟"),
    ("除尘风机变频改造", "六源", "风机长期工频运行", "按工况变频调速"),
    ("行车吊钩防脱装置", "五小", "吊钩偶有脱钩隐患", "加装弹簧防脱扣"),
    ("循环水泵叶轮涂层修复", "合理化建议", "叶轮汽蚀效率下降", "采用高分子涂层修复"),
    ("连铸结晶器液位波动控制优化", "QC活动", "液位波动导致表面缺陷", "优化塞棒控制参数"),
]
CATEGORY = {"QC活动": "qc", "六源": "liuyuan", "五小": "wuxiao", "合理化建议": "suggestion"}


def _t(m, d, hh=10, y=2026):
    return dt.datetime(y, m, d, hh, 0, tzinfo=SHANGHAI)


def _user(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name)


def _tree() -> dict[str, Org]:
    province = Org.objects.filter(name="山东省总工会").first()
    city = Org.objects.filter(name="济南市总工会").first() or make_org(
        province, Org.Kind.CITY, "济南市总工会", short_name="济南市总", region_code="370100"
    )
    county = Org.objects.filter(name="济南市钢城区总工会").first() or make_org(
        city, Org.Kind.COUNTY, "济南市钢城区总工会", short_name="钢城区总", region_code=REGION
    )
    company = make_org(
        county,
        Org.Kind.GRASSROOTS,
        COMPANY,
        short_name="山钢莱芜分公司工会",
        region_code=REGION,
        credit_code=random_credit_code(random.Random(14), region=REGION),
        address="山东省济南市钢城区府前大街99号",
        lat=36.2086,
        lng=117.8153,
    )
    units = {"company": company}
    for name in ("炼钢厂", "型钢厂", "能源动力厂"):
        units[name] = make_org(
            company, Org.Kind.GRASSROOTS, f"{name}分工会", short_name=name, region_code=REGION
        )
    return units


def _worker(units, phone, name, unit, seq) -> User:
    user = _user(phone, name)
    if getattr(user, "member", None) is None:
        org = units[unit]
        birth = dt.date(1985 + seq % 12, 1 + seq % 12, 1 + seq % 28)
        member = make_member(
            org,
            user=user,
            name=name,
            id_number=make_id_number(REGION, birth, 101 + 2 * seq),
            occupation="other",
            employment_form="standard",
            # Nobody joins before 16.
            joined_at=max(dt.date(2012, 7, 1), birth.replace(year=birth.year + 16)),
        )
        member.member_no = next_member_numbers(org)[0]
        member.save(update_fields=["member_no"])
    return user


def _draft(worker, title, when, *, tier, category, problem, solution, savings="", team=None, show_name=True):
    with _at(when):
        proposal = services.proposal_capture(actor=worker, title=title, place="")
    with _at(when + dt.timedelta(hours=3)):
        return services.proposal_update(
            actor=worker,
            proposal=proposal,
            data=services.ProposalInput(
                tier_id=tier.pk,
                category=category,
                problem=problem,
                solution=solution,
                expected_benefit="降低消耗、减少停机" if savings else "",
                estimated_savings=savings,
                show_name=show_name,
                team=team,
            ),
        )


def _submit(worker, proposal, when):
    with _at(when):
        return services.proposal_submit(actor=worker, proposal=proposal)


def _adopt(reviewer, proposal, when, scores=(24, 26, 34)):
    with _at(when):
        services.review_decide(
            actor=reviewer,
            proposal=proposal,
            decision="adopt",
            scores=dict(zip(("innovation", "feasibility", "benefit"), scores, strict=True)),
            reason="措施可行，效益明显",
        )
    proposal.refresh_from_db()
    return proposal


def load(*, stdout) -> None:
    if (
        Programme.objects.filter(org__name=COMPANY).exists()
        or not Org.objects.filter(name="山东省总工会").exists()
    ):
        return
    with transaction.atomic():
        units = _tree()
        company = units["company"]
        staff = {}
        for phone, name, unit, role, title in STAFF:
            staff[phone] = make_staff(units[unit], role, user=_user(phone, name), title=title)
        admin, reviewer, reviewer2, owner = (staff[p] for p, *_ in STAFF)
        workers = {
            name: _worker(units, phone, name, unit, i) for i, (phone, name, unit) in enumerate(WORKERS)
        }
        rng = random.Random(1401)
        for i in range(24):  # colleagues for the library and the report
            unit = ("炼钢厂", "型钢厂", "能源动力厂")[i % 3]
            name = rng.choice(SURNAMES) + rng.choice(GIVEN2)
            workers.setdefault(name, _worker(units, f"138000140{30 + i:02d}", name, unit, 20 + i))

        with _at(_t(3, 2)):
            programme = services.programme_create(actor=admin, org=company, name="2026年全员改善行动")
        tiers = {t.name: t for t in programme.tiers.all()}
        for tier in tiers.values():
            services.reviewer_add(actor=admin, programme=programme, tier=tier, org=company, user=reviewer)
            services.reviewer_add(
                actor=admin, programme=programme, tier=tier, org=company, user=reviewer2, level=2
            )

        # 内训师: two senior trainers, then the first class on 22 July and a 三级 appointment after it.
        senior = services.trainer_appoint(
            actor=admin,
            org=units["炼钢厂"],
            user=workers["孙国庆"],
            level=1,
            speciality="炼钢工艺",
            on=dt.date(2025, 3, 1),
        )
        services.trainer_appoint(
            actor=admin,
            org=units["能源动力厂"],
            user=workers["周红梅"],
            level=2,
            speciality="设备点检",
            on=dt.date(2025, 9, 1),
        )
        services.training_record(
            actor=admin,
            trainer=senior,
            title="首期内训师基础培训班",
            held_on=dt.date(2026, 7, 22),
            attendees=list(workers.values())[2:],
        )
        services.trainer_appoint(
            actor=admin,
            org=units["型钢厂"],
            user=workers["马超"],
            level=3,
            speciality="轧钢导卫",
            on=dt.date(2026, 7, 25),
        )

        # 李洋洋's six proposals, each noted on the shop floor and finished on a break.
        li = workers["李洋洋"]
        mate = workers["吕志强"]
        p1 = _draft(
            li,
            "转炉氧枪口结渣清理工具改进",
            _t(4, 8, 9),
            tier=tiers["改善提案"],
            category="wuxiao",
            problem="氧枪口结渣靠人工钎子清理，每次 40 分钟，有烫伤风险",
            solution="自制长柄液压清渣器，单人 10 分钟完成",
            savings="60000",
            team=[services.TeamInput(name="吕志强", phone="13800014017")],
        )
        _submit(li, p1, _t(4, 8, 13))
        p1 = _adopt(reviewer, p1, _t(4, 13))
        with _at(_t(4, 14)):
            services.proposal_set_owner(actor=admin, proposal=p1, owner=owner)
        with _at(_t(5, 20)):
            services.proposal_record_implementation(
                actor=owner, proposal=p1, evidence="2号、3号转炉配备液压清渣器，清渣时间由40分钟降到10分钟"
            )
        with _at(_t(6, 18)):
            services.proposal_verify_benefit(actor=admin, proposal=p1, benefit="86000")
        with _at(_t(7, 8)):
            award = services.reward_grant(
                actor=admin,
                programme=programme,
                kind="quarter",
                year=2026,
                quarter=2,
                amount="5000",
                proposal=p1,
            )
            services.reward_grant(
                actor=admin,
                programme=programme,
                kind="quarter",
                year=2026,
                quarter=2,
                amount="2000",
                proposal=p1,
                recipient=mate,
            )
            services.reward_grant(
                actor=admin, programme=programme, kind="exemplar", year=2026, quarter=2, recipient=li
            )
        with _at(_t(7, 10, 15)):
            services.reward_handover(
                actor=admin, reward=award, note="首座“全员改善送奖到岗位”：奖杯一座、奖金5000元，炼钢厂操作室"
            )

        p2 = _draft(
            li,
            "提升轧钢成材率的工艺优化",
            _t(5, 6, 8),
            tier=tiers["攻关项目"],
            category="qc",
            problem="型钢切头切尾偏长，成材率 96.1%",
            solution="优化飞剪定尺控制与切头长度模型",
            savings="400000",
        )
        with _at(_t(5, 7)):
            services.proposal_request_coach(actor=li, proposal=p2, trainer=senior)
        _submit(li, p2, _t(5, 9))
        p2 = _adopt(reviewer, p2, _t(5, 20), (28, 27, 38))
        with _at(_t(5, 21)):
            services.proposal_set_owner(actor=admin, proposal=p2, owner=owner)
        with _at(_t(8, 28)):
            services.proposal_record_implementation(
                actor=owner, proposal=p2, evidence="成材率提升至 96.8%，连续三个月稳定"
            )
        with _at(_t(9, 30)):
            services.proposal_verify_benefit(actor=admin, proposal=p2, benefit="420000")
        with _at(_t(10, 12)):
            services.reward_grant(
                actor=admin,
                programme=programme,
                kind="quarter",
                year=2026,
                quarter=3,
                amount="20000",
                proposal=p2,
            )

        p3 = _draft(
            li,
            "钢包烘烤器节能改造",
            _t(8, 3),
            tier=tiers["改善课题"],
            category="liuyuan",
            problem="烘烤器燃烧不充分，煤气消耗高",
            solution="改蓄热式烧嘴并加装温度闭环",
            savings="150000",
        )
        _submit(li, p3, _t(8, 4))
        p3 = _adopt(reviewer, p3, _t(8, 10))
        with _at(_t(8, 11)):
            services.proposal_set_owner(actor=admin, proposal=p3, owner=owner, due_date=dt.date(2026, 9, 30))

        p4 = _draft(
            li,
            "2号转炉平台照明改造",
            _t(11, 2),
            tier=tiers["改善提案"],
            category="suggestion",
            problem="平台照明不足，夜班巡检看不清",
            solution="更换 LED 投光灯并加装声光控制",
            savings="8000",
        )
        _submit(li, p4, _t(11, 3))

        p5 = _draft(
            li,
            "中间包覆盖剂加料方式改进",
            _t(10, 20),
            tier=tiers["改善提案"],
            category="wuxiao",
            problem="人工加覆盖剂不均匀",
            solution="加装简易布料槽",
        )
        _submit(li, p5, _t(10, 21))
        with _at(_t(10, 23)):
            services.review_decide(
                actor=reviewer, proposal=p5, decision="return", reason="请补充覆盖剂节约量的测算和布料槽草图"
            )
        with _at(_t(11, 16, 14)):
            services.proposal_capture(
                actor=li, title="铁水罐口护板加厚", note="罐口护板烧损快，一月一换", place="炼钢厂铁水跨"
            )

        # Colleagues' proposals, for the library and the report.
        others = [w for n, w in workers.items() if n not in ("李洋洋",)]
        for i in range(40):
            title, cat, problem, solution = IDEAS[i % len(IDEAS)]
            worker = others[i % len(others)]
            month = 3 + i % 9
            proposal = _draft(
                worker,
                f"{title}（{i // len(IDEAS) + 1}）",
                _t(month, 2 + i % 20),
                tier=tiers[("改善提案", "改善提案", "改善课题", "攻关项目")[i % 4]],
                category=CATEGORY[cat],
                problem=problem,
                solution=solution,
                savings=str(rng.randint(5, 200) * 1000),
                show_name=i % 5 != 0,
            )
            if i % 7 == 6:
                continue  # left as a draft
            _submit(worker, proposal, _t(month, 3 + i % 20))
            if month >= 11:
                continue  # still under review
            if i % 6 == 5:
                with _at(_t(month, 8 + i % 20)):
                    services.review_decide(
                        actor=reviewer,
                        proposal=proposal,
                        decision="reject",
                        reason="与已实施项目重复",
                        scores={},
                    )
                continue
            proposal = _adopt(
                reviewer,
                proposal,
                _t(month, 8 + i % 20),
                (rng.randint(15, 28), rng.randint(15, 28), rng.randint(20, 38)),
            )
            if month <= 8:
                with _at(_t(month + 1, 10 + i % 15)):
                    services.proposal_record_implementation(
                        actor=admin, proposal=proposal, evidence="已按措施完成改造并投入使用"
                    )
                if i % 2 == 0:
                    with _at(_t(month + 2, 10)):
                        services.proposal_verify_benefit(
                            actor=admin, proposal=proposal, benefit=str(rng.randint(5, 300) * 1000)
                        )
                    if i % 4 == 0:
                        quarter = (month + 1) // 3 + 1 if month + 2 <= 12 else 4
                        with _at(_t(min(month + 2, 12), 20)):
                            services.reward_grant(
                                actor=admin,
                                programme=programme,
                                kind="quarter",
                                year=2026,
                                quarter=min(quarter, 4),
                                amount=str(rng.choice([1000, 2000, 3000, 5000, 8000])),
                                proposal=proposal,
                            )
        # The daily job: the 照明改造 review has waited past its limit, the 烘烤器 is past its due date.
        services.proposals_flag_overdue()
    stdout.write(
        f"全员改善：{Proposal.objects.filter(programme__org=company).count()} 项提案，"
        f"{Reward.objects.filter(programme__org=company).count()} 笔奖励（山钢莱芜分公司）"
    )


def print_logins(*, stdout) -> None:
    stdout.write(
        "全员改善（山钢莱芜分公司）：工会主席 13800014001，评审专家 13800014002，"
        "实施负责人 13800014004（工作台）；职工 李洋洋 13800014011（手机端）"
    )
