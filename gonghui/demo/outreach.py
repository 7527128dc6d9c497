"""Demo data for 走访与协商 (issue 22, seeds 002 and 004).

- 义乌市总工会 法律体检: 120 enterprise visits that helped firms build or improve 170 labour rules and settled
  3 disputes on the spot; one visit found 何某军's unpaid wages and became a 诉求工单 in one step.
- 中铁上海工程局集团市政环保公司工会 蹲点: 136 opinions → a first list of 8 problems → 15 measures → 52
  difficulties solved (the workers who raised them were told in their inbox).
- 柳林县总工会 with outside departments (as 益阳's 蹲点 did with 交通运输, 市场监管, 公安): drivers' night-parking
  problem, raised by 韩建辉 (13800000001), closed with an outcome he sees on his phone under 我提的意见.
- 浦东新区网约车行业工会联合会 ("六个一"): the 协商恳谈会 that adopted the 议事规则 (at least one 协商协调会 a
  year) and signed the agreement with 12 numbered commitments, followed up with evidence; this year's
  协商协调会 is not yet scheduled, so the forum shows the shortfall the reminder job acts on.
Idempotent: does nothing when the 浦东 forum exists. Phones 13800022001–13800022099."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Org, Staff
from gonghui.outreach import services
from gonghui.outreach.models import Forum
from gonghui.testing.factories import make_member

STAFF = [
    # phone, name, org key, role, title
    ("13800022001", "楼晓燕", "yiwu", "handler", "义乌市总职工服务中心"),
    ("13800022002", "倪文杰", "pd_ride", "admin", "浦东新区网约车行业工会联合会"),
    ("13800022003", "沈建华", "crec", "admin", "中铁上海工程局市政环保公司工会主席"),
]
WORKERS = [("13800022011", "陈国强"), ("13800022012", "周丽萍"), ("13800022013", "黄志明")]

ENTERPRISE_WORDS = [
    "小商品",
    "饰品",
    "针织",
    "拉链",
    "五金",
    "电子商务",
    "文具",
    "袜业",
    "化妆品",
    "工艺品",
    "物流",
    "印刷",
    "玩具",
    "毛纺",
    "服装",
]
TWELVE = [
    "为网约车驾驶员提供定期检修车辆服务",
    "合理设置充电价格，价格调整提前公示",
    "在重点区域提供便利安心的休息环境",
    "确保驾驶员就餐场所餐饮安全卫生",
    "公开计价规则与抽成比例，调整前听取驾驶员意见",
    "建立驾驶员申诉渠道，7 日内答复",
    "恶劣天气超时订单合理免责",
    "保障驾驶员连续驾驶后的休息时间",
    "为驾驶员购买意外伤害保险",
    "支持和引导驾驶员加入工会",
    "夏季在司机驿站提供防暑降温用品",
    "每季度向行业工会通报协议落实情况",
]
PROBLEMS = [
    # title, measures [(text, department or "")], opinions grouped, solved (closed)
    (
        "一线工地夏季高温午休场所不足",
        [("工地增设带空调的休息室", ""), ("调整高温时段作业安排", "")],
        14,
        True,
    ),
    (
        "夜班职工下班后通勤不便",
        [("开通夜班通勤班车", ""), ("与公交公司协调加开末班车", "交通运输局")],
        9,
        True,
    ),
    ("项目部食堂菜品单一", [("食堂每周更新菜谱", ""), ("引入职工评价", "")], 8, True),
    ("职工子女暑期无人照看", [("开办职工子女暑托班", "")], 6, True),
    (
        "异地项目职工看病报销慢",
        [("工会协助集中办理异地就医备案", "人力资源和社会保障局"), ("每月集中报销一次", "")],
        7,
        True,
    ),
    ("宿舍洗衣晾晒条件差", [("宿舍区加装洗衣机和烘干机", ""), ("增设晾晒区", "")], 8, True),
    (
        "技能等级晋升渠道不清楚",
        [("编印技能晋升指南", ""), ("组织技能等级认定和群安员技能大赛", "")],
        5,
        False,
    ),
    (
        "工地周边夜间照明不足影响出行安全",
        [("协调增设路灯", "住房和城乡建设局"), ("项目部自建临时照明", "")],
        4,
        False,
    ),
]


def load(*, stdout) -> None:
    if Forum.objects.filter(name__startswith="浦东新区网约车行业").exists():
        return
    national = Org.objects.filter(kind=Org.Kind.NATIONAL).first()
    root_admin = User.objects.filter(positions__org=national, positions__role=Staff.Role.ADMIN).first()
    yiwu = Org.objects.filter(short_name="义乌市总").first()
    liulin = Org.objects.filter(short_name="柳林县总").first()
    if national is None or root_admin is None or yiwu is None or liulin is None:
        return
    rng = random.Random(22)
    today = timezone.localdate()
    with transaction.atomic():
        orgs = _tree(national, root_admin)
        orgs["yiwu"] = yiwu
        staff = _staff(orgs)
        _visits(yiwu, staff["楼晓燕"], today, rng)
        _crec(orgs["crec"], staff["沈建华"], today, rng)
        _liulin(liulin, today)
        _pudong(orgs["pd_ride"], staff["倪文杰"], today)
    stdout.write(
        "已生成走访与协商：义乌 120 家企业法律体检、中铁上海 136 条意见→8 个问题→15 条措施→52 项解决、浦东网约车协商协议 12 条承诺"
    )
    for phone, name, _key, _role, title in STAFF:
        stdout.write(f"  {title} {name}  手机号 {phone}")


def _tree(national: Org, actor) -> dict[str, Org]:
    sh = org_services.org_create(
        actor=actor,
        parent=national,
        kind="province",
        name="上海市总工会",
        short_name="上海市总",
        region_code="310000",
    )
    # A municipality's district union sits on the tree's city level.
    pd = org_services.org_create(
        actor=actor,
        parent=sh,
        kind="city",
        name="浦东新区总工会",
        short_name="浦东新区总",
        region_code="310115",
    )
    ride = org_services.org_create(
        actor=actor,
        parent=pd,
        kind="industry",
        name="浦东新区网约车行业工会联合会",
        short_name="浦东网约车工联会",
        region_code="310115",
    )
    crec = org_services.org_create(
        actor=actor,
        parent=pd,
        kind="grassroots",
        name="中铁上海工程局集团市政环保工程有限公司工会",
        short_name="中铁上海市政环保工会",
        region_code="310115",
    )
    return {"sh": sh, "pd": pd, "pd_ride": ride, "crec": crec}


def _user(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def _staff(orgs) -> dict[str, User]:
    people = {}
    for phone, name, key, role, title in STAFF:
        user = _user(phone, name)
        Staff.objects.get_or_create(user=user, org=orgs[key], role=role, defaults={"title": title})
        people[name] = user
    return people


def _visits(yiwu: Org, actor, today: dt.date, rng: random.Random) -> None:
    """120 visits; 170 rules improved in all (1–2 each, a few 3), 3 disputes settled on the spot."""
    improved = [1] * 120
    for i in rng.sample(range(120), 50):
        improved[i] += 1
    extra = 170 - sum(improved)
    for i in rng.sample(range(120), extra):
        improved[i] += 1
    disputes = set(rng.sample(range(1, 120), 2))
    for n in range(120):
        day = today - dt.timedelta(days=3 + n * 2)
        problem = n == 0 or rng.random() < 0.3
        items = [
            {"topic": "contract", "result": "ok"},
            {"topic": "hours", "result": "ok"},
            {"topic": "social_insurance", "result": "ok"},
            {"topic": "rules", "result": "problem", "note": "劳动用工规章制度不健全，未经民主程序"},
        ]
        if n == 0:
            items.insert(
                0,
                {
                    "topic": "wages",
                    "result": "problem",
                    "note": "离职职工何某军在岗期间工资未发放",
                    "worker_name": "何某军",
                    "workers_affected": 1,
                    "amount": "7800",
                },
            )
        elif problem:
            items.insert(
                0,
                {
                    "topic": "wages",
                    "result": "problem",
                    "note": "工资支付台账不全，加班费计算不规范",
                    "workers_affected": rng.randint(3, 40),
                },
            )
        else:
            items.insert(0, {"topic": "wages", "result": "ok"})
        word = ENTERPRISE_WORDS[n % len(ENTERPRISE_WORDS)]
        visit = services.visit_record(
            actor=actor,
            org_id=yiwu.pk,
            enterprise_name=f"义乌市{'稠城佛堂苏溪廿三里北苑'[n % 5 * 2 : n % 5 * 2 + 2]}{word}有限公司"
            + ("" if n < 15 else f"（{n // 15 + 1}号厂区）"),
            visited_on=day,
            visitors="职工服务中心 楼晓燕、法律顾问 吴律师",
            rules_advised=improved[n] + rng.randint(0, 1),
            rules_improved=improved[n],
            disputes_solved=1 if (n == 0 or n in disputes) else 0,
            summary="讲解劳动合同法和工资支付规定，指导企业完善劳动用工制度"
            if n
            else "企业负责人听取意见，当日发放了拖欠何某军的工资。",
            items=items,
        )
        if n == 0:
            services.item_to_case(actor=actor, item_id=visit.items.get(topic="wages").pk)
        elif n < 5:
            services.followup_add(
                actor=actor,
                visit_id=visit.pk,
                action="复查规章制度民主程序履行情况",
                due_on=today + dt.timedelta(days=7 * n),
            )


def _crec(union: Org, actor, today: dt.date, rng: random.Random) -> None:
    """136 opinions → 8 problems → 15 measures → 52 solved."""
    workers = []
    for phone, name in WORKERS:
        user = _user(phone, name)
        if getattr(user, "member", None) is None:
            make_member(union, user=user, name=name, occupation="other", employment_form="standard")
        workers.append(user)
    opinions = []
    for i in range(136):
        raiser = workers[i % 3] if i < 9 else None
        opinions.append(
            services.opinion_add(
                actor=actor,
                org_id=union.pk,
                text=f"一线蹲点听取意见第 {i + 1} 条："
                + rng.choice(
                    [
                        "午休没地方",
                        "下夜班回家难",
                        "食堂口味单一",
                        "孩子暑假没人管",
                        "看病报销慢",
                        "宿舍洗衣不方便",
                        "想考技能等级",
                        "工地晚上太暗",
                    ]
                ),
                raiser_phone=raiser.phone if raiser else "",
                raiser_name="" if raiser else rng.choice(["钢筋班职工", "群安员", "项目部职工", "夜班职工"]),
            )
        )
    start = 0
    for title, measures, count, solved in PROBLEMS:
        grouped = opinions[start : start + count]
        start += count
        problem = services.problem_create(
            actor=actor,
            org_id=union.pk,
            title=title,
            batch="第一批",
            opinion_ids=[o.pk for o in grouped],
            due_on=today + dt.timedelta(days=60),
        )
        for text, department in measures:
            measure = services.measure_add(
                actor=actor,
                problem_id=problem.pk,
                text=text,
                owner_user_id=None if department else actor.pk,
                owner_department=department,
                due_on=today + dt.timedelta(days=30),
            )
            if solved:
                services.measure_done(actor=actor, measure_id=measure.pk, result="已落实")
        if solved:
            services.problem_close(
                actor=actor,
                problem_id=problem.pk,
                outcome=f"“{title}”已解决：{'；'.join(m for m, _ in measures)}。",
            )


def _liulin(county: Org, today: dt.date) -> None:
    """柳林县总's 蹲点 with outside departments; 韩建辉 raised the problem and sees the outcome."""
    staffer = (
        User.objects.filter(positions__org=county, positions__role=Staff.Role.ADMIN).order_by("pk").first()
    )
    han = User.objects.filter(name="韩建辉").first()
    if staffer is None:
        return
    op = services.opinion_add(
        actor=staffer,
        org_id=county.pk,
        text="国道 307 沿线夜间没有安全的货车停车休息点，常被罚停",
        raiser_phone=han.phone if han else "",
    )
    other = services.opinion_add(actor=staffer, org_id=county.pk, text="停车场收费不透明，希望统一标准")
    problem = services.problem_create(
        actor=staffer,
        org_id=county.pk,
        title="货车司机夜间停车休息难",
        batch="蹲点第一批",
        opinion_ids=[op.pk, other.pk],
        due_on=today + dt.timedelta(days=30),
    )
    for text, dept in [
        ("协调在国道 307 沿线设置货车临时停车休息区", "交通运输局"),
        ("规范停车场收费并公示标准", "市场监督管理局"),
        ("夜间临时停车区加强巡逻，不予随意处罚", "公安局交警大队"),
    ]:
        m = services.measure_add(actor=staffer, problem_id=problem.pk, text=text, owner_department=dept)
        services.measure_done(actor=staffer, measure_id=m.pk, result="已落实")
    services.problem_close(
        actor=staffer,
        problem_id=problem.pk,
        outcome="经与交通运输、市场监管、公安部门协调，国道 307 柳林段已设 2 处货车临时停车休息区，收费标准已公示，夜间有交警巡逻。",
    )
    services.opinion_add(
        actor=staffer, org_id=county.pk, text="驿站希望增加洗澡间", raiser_phone=han.phone if han else ""
    )


def _pudong(ride: Org, actor, today: dt.date) -> None:
    forum = services.forum_create(
        actor=actor,
        org_id=ride.pk,
        name="浦东新区网约车行业协商协调",
        min_per_year=1,
        counterpart="浦东新区网约车行业相关服务单位（出行平台、汽车租赁、充电运营企业）",
        rules="协商协调形式包括职工代表（扩大）会议、集体协商、协商协调会、协商恳谈会等；各方加强沟通联系，"
        "每年至少开展一次协商协调会；就重大事项和涉及网约车驾驶员劳动权益的相关问题进行通报、协商。",
    )
    held_on = today - dt.timedelta(days=75)
    talk = services.meeting_schedule(
        actor=actor,
        forum_id=forum.pk,
        kind="talk",
        title="网约车行业劳动者权益协商恳谈会",
        scheduled_on=held_on,
        place="浦东新区总工会职工服务中心",
    )
    services.meeting_record(
        actor=actor,
        meeting_id=talk.pk,
        minutes="会议通过上海市首份网约车行业协商协调议事规则；驾驶员代表就车辆检修、充电价格、休息场所、就餐等提出诉求；"
        "行业工会与相关服务单位签署行业自律和关心关爱协议，确定 12 条具体举措。",
        participants=[
            {"side": "union", "name": "倪文杰", "unit": "浦东新区网约车行业工会联合会"},
            {"side": "worker", "name": "张师傅", "unit": "网约车驾驶员代表"},
            {"side": "worker", "name": "李师傅", "unit": "网约车驾驶员代表"},
            {"side": "employer", "name": "王经理", "unit": "某出行平台上海分公司"},
            {"side": "employer", "name": "赵经理", "unit": "某充电运营企业"},
            {"side": "government", "name": "钱科长", "unit": "浦东新区交通委"},
        ],
    )
    services.opinion_add(
        actor=actor,
        org_id=ride.pk,
        source="meeting",
        meeting_id=talk.pk,
        text="夏天希望司机驿站能提供绿豆汤",
        raiser_name="张师傅",
    )
    agreement = services.agreement_sign(
        actor=actor,
        meeting_id=talk.pk,
        title="浦东新区网约车行业自律和关心关爱协议",
        parties="浦东新区网约车行业工会联合会；浦东新区网约车行业相关服务单位",
        commitments=TWELVE,
    )
    for number, note, status in [
        (1, "抽查 3 家合作检修点，检修台账齐全", "kept"),
        (2, "充电价格已在 App 公示，调价前 7 日通知", "kept"),
        (3, "新增 2 处司机驿站休息区", "progress"),
        (11, "夏季驿站提供免费绿豆汤和防暑药品", "kept"),
    ]:
        services.evidence_add(
            actor=actor,
            commitment_id=agreement.commitments.get(number=number).pk,
            note=note,
            status=status,
            checked_on=held_on + dt.timedelta(days=20 + number),
        )
    # next year's 协商协调会 is on the calendar; this year's is not (the page shows the shortfall)
    services.meeting_schedule(
        actor=actor,
        forum_id=forum.pk,
        kind="coordination",
        title=f"{today.year + 1} 年网约车行业协商协调会",
        scheduled_on=dt.date(today.year + 1, 3, 20),
        place="浦东新区总工会",
    )
