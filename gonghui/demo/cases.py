"""Demo 诉求工单 on top of the demo tree (idempotent; `manage.py demo --only cases`).

The centrepiece is the 阳江 case from the seed article: 67 construction workers at a 阳春市 mall site
owed the balance of their wages; the city union passes it to the 阳春市 union under territorial and
tiered management and supervises; a joint meeting with the labour bureau, housing bureau and the
township; written payment commitments the next day; every worker paid by 22 August, including those
who had gone home. Dates are replayed through the services so time limits and the timeline are real."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.cases import services
from gonghui.cases.models import Case
from gonghui.core.validators import make_credit_code
from gonghui.demo.data import DEMO_PASSWORD, GIVEN2, SURNAMES
from gonghui.orgs.models import Org, Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
MALL_EMPLOYER = "阳春市某商贸城项目劳务分包单位"

# phone, name, org short name, role, title
CASE_STAFF = [
    ("13800000011", "黄志明", "阳江市总", Staff.Role.ADMIN, "副主席（维权工作部）"),
    ("13800000012", "林婷玉", "阳春市总", Staff.Role.HANDLER, "维权工作部"),
    ("13800000013", "陈律师", "阳春市总", Staff.Role.EXPERT, "合作律师事务所律师"),
    ("13800000014", "吴春燕", "柳林镇", Staff.Role.HANDLER, "乡镇工会专干"),
    ("13800000015", "朱海涛", "义乌市总", Staff.Role.HANDLER, "职工服务中心"),
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@contextlib.contextmanager
def at(moment: dt.datetime):
    """Replays a past event: services and auto_now fields read timezone.now()."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


def t(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def load(*, stdout) -> None:
    if not Org.objects.filter(short_name="阳春市总").exists():
        raise CommandError("请先运行 manage.py demo 生成工会组织")
    if Case.objects.filter(employer_name=MALL_EMPLOYER).exists():
        stdout.write("诉求工单演示数据已存在")
        return
    rng = random.Random(20260720)
    orgs = {o.short_name: o for o in Org.objects.exclude(short_name="")}
    staff = {}
    for phone, name, short, role, title in CASE_STAFF:
        user = _worker(phone, name)
        Staff.objects.get_or_create(user=user, org=orgs[short], role=role, defaults={"title": title})
        staff[name] = user
    with transaction.atomic():
        _yangjiang(rng, orgs, staff)
        _others(rng, orgs, staff)
    stdout.write(f"已生成 {Case.objects.count()} 件诉求工单")
    for phone, name, short, _role, title in CASE_STAFF:
        stdout.write(f"  {short}{title} {name}  手机号 {phone}")


def _worker(phone: str, name: str) -> User:
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name, real_name_verified=True)


def _yangjiang(rng, orgs, staff):
    city_admin, handler, lawyer = staff["黄志明"], staff["林婷玉"], staff["陈律师"]
    workers = []
    for i in range(67):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN2)
        # Wages accrued since 20 April at an agreed daily rate, minus 3,000 元 a month advanced.
        owed = rng.choice([6800, 7200, 8400, 9600, 10800, 12600, 13500, 15200, 16800])
        workers.append(services.ClaimantInput(name, f"1390762{i:04d}", str(owed)))
    with at(t(2026, 7, 20, 9, 30)):
        case = services.case_file(
            actor=city_admin,
            channel=Case.Channel.PHONE,
            data=services.CaseInput(
                category="wages",
                title="阳春市某商贸城工地拖欠67名建筑工人工资",
                description=(
                    "阳春市某商贸城工地4月20日开工，约定每月预支每人3000元生活费。因开发商与承包商的工程合同及"
                    "工程款支付节点存在纠纷，工人的剩余工资迟迟未付，共67名工人被拖欠工资。工人代表陈某来电求助。"
                ),
                employer_name=MALL_EMPLOYER,
                employer_credit_code=make_credit_code("91441781MA55Q8K3T"),
                workplace_region="441781",
                workplace_address="阳春市某镇商贸城项目工地",
                claimant_name="陈永强",
                claimant_phone="13907620001",
                claimants=workers,
            ),
        )
    with at(t(2026, 7, 20, 15)):
        services.case_accept(
            actor=handler,
            case=case,
            difficulty=Case.Difficulty.HARD,
            message="阳春市总工会已受理，正在核实工地用工和工资拖欠情况。",
        )
    with at(t(2026, 7, 22, 10)):
        services.case_message(
            actor=handler,
            case=case,
            internal=True,
            body="核实：开发商与承包商工程款支付节点纠纷，劳务分包单位称无力垫付。",
        )
        services.case_assign_lawyer(actor=handler, case=case, lawyer_id=lawyer.pk)
    with at(t(2026, 7, 29, 9)):
        services.case_joint_step(
            actor=handler,
            case=case,
            department="人社局（劳动保障监察）",
            body=(
                "阳江市总工会副主席带领维权工作部深入工地所在镇，联合阳春市人社局、市总工会、市住建局、镇委镇政府，"
                "召集业主单位、施工单位、劳务用工单位及职工代表召开专题协调会，并个别约谈。"
            ),
        )
        services.case_joint_step(
            actor=handler,
            case=case,
            department="住建局",
            visible=False,
            body="住建局将该项目纳入欠薪重点监控，暂停办理后续工程款支付节点前须先清偿工资。",
        )
    with at(t(2026, 7, 30, 16)):
        services.case_joint_step(
            actor=handler,
            case=case,
            department="用人单位",
            body="业主单位、施工单位、劳务用工单位签署支付工资书面承诺书，承诺8月22日前付清。",
            files=[SimpleUploadedFile("支付工资书面承诺书.pdf", PDF, "application/pdf")],
        )
        services.case_message(
            actor=handler,
            case=case,
            internal=False,
            body="三方已签署支付工资书面承诺书，承诺8月22日前付清，工会将跟踪到每一位工人。",
        )
    claimants = list(case.claimants.order_by("pk"))
    for day, batch in ((t(2026, 8, 12), claimants[:40]), (t(2026, 8, 22), claimants[40:])):
        with at(day):
            for c in batch:
                services.case_record_payment(
                    actor=handler,
                    case=case,
                    claimant_id=c.pk,
                    amount_paid=c.amount_claimed,
                    paid_on=day.date(),
                    note="已回老家，经人社局核实后直接转账到卡" if c.pk % 9 == 0 else "",
                )
    with at(t(2026, 8, 22, 18)):
        services.case_resolve(
            actor=handler,
            case=case,
            outcome=Case.Outcome.SOLVED,
            summary="留在工地的工人已全部收到被拖欠的工资；已回老家的工人经工会和人社局联系、核实后直接打卡。",
        )
    with at(t(2026, 8, 25, 10)):
        # Filed by phone on the workers' behalf, so the 回访 is a call, recorded as a note.
        services.case_message(
            actor=handler,
            case=Case.objects.get(pk=case.pk),
            internal=True,
            body="电话回访工人代表陈某：67名工人均表示满意，感谢工会帮忙要回工资。",
        )


def _others(rng, orgs, staff):
    driver = User.objects.filter(pk__in=[_worker("13800000001", "韩建辉").pk]).first()
    township_handler = staff["吴春燕"]
    # 柳林: a truck driver's injury claim, in progress and waiting for his material.
    if driver:
        with at(t(2026, 11, 9, 20)):
            injury = services.case_file(
                actor=driver,
                data=services.CaseInput(
                    category="injury",
                    description="10月卸货时从车厢摔下，左腿骨折，公司不给申报工伤，说我是挂靠车辆司机。",
                    employer_name="山西吕梁柳林县预石运输有限责任公司",
                    workplace_region="141125",
                    workplace_township_id=orgs["柳林镇"].pk,
                    amount_claimed="0",
                    confidential=True,
                ),
            )
        with at(t(2026, 11, 10, 9)):
            services.case_accept(actor=township_handler, case=injury)
        with at(t(2026, 11, 12, 15)):
            services.case_pause(
                actor=township_handler, case=injury, request_text="请上传诊断证明和挂靠协议照片"
            )
    # 穆村: a contract dispute nobody accepted — escalated to the county as overdue.
    worker = _worker("13800000021", "刘晓东")
    with at(t(2026, 11, 13, 11)):
        services.case_file(
            actor=worker,
            data=services.CaseInput(
                category="contract",
                description="快递物流园入职三个月一直不签劳动合同，要求补签并支付二倍工资。",
                employer_name="柳林县穆村某快递网点",
                workplace_region="141125",
                workplace_township_id=orgs["穆村镇"].pk,
                amount_claimed="12000",
            ),
        )
    with at(t(2026, 11, 23, 8)):
        services.cases_escalate_overdue()
    # 义乌: 金地瓜-style online claim, partly solved, worker rates 3.
    yiwu = staff["朱海涛"]
    worker = _worker("13800000022", "何建军")
    with at(t(2026, 10, 12, 14)):
        wage = services.case_file(
            actor=worker,
            data=services.CaseInput(
                category="wages",
                description="从某装饰材料公司离职后，公司一直没有发放在岗时最后两个月的工资。",
                employer_name="义乌市某装饰材料有限公司",
                workplace_region="330782",
                amount_claimed="11600",
            ),
        )
    with at(t(2026, 10, 13, 9)):
        services.case_accept(actor=yiwu, case=wage)
    with at(t(2026, 10, 20, 10)):
        services.case_joint_step(
            actor=yiwu,
            case=wage,
            department="用人单位",
            body="“劳动用工法律体检”走访时向公司负责人讲解有关法律规定，公司同意先付一个月。",
        )
    with at(t(2026, 10, 21, 17)):
        services.case_resolve(
            actor=yiwu,
            case=wage,
            outcome=Case.Outcome.PARTIAL,
            amount_recovered="5800",
            summary="公司已支付5800元，余款已指导职工申请劳动仲裁。",
        )
    with at(t(2026, 10, 23, 12)):
        services.case_rate(
            actor=worker, case=Case.objects.get(pk=wage.pk), rating=3, comment="拿回了一半，仲裁还在等"
        )
    # A legal question answered the same week, and a suggestion just filed.
    worker = _worker("13800000023", "张丽娟")
    with at(t(2026, 11, 2, 19)):
        legal = services.case_file(
            actor=worker,
            data=services.CaseInput(
                category="legal",
                description="外卖平台说我是众包骑手不算劳动关系，受伤了能不能找平台赔偿？",
                employer_name="某外卖平台",
                workplace_region="330782",
            ),
        )
    with at(t(2026, 11, 3, 9)):
        services.case_accept(actor=yiwu, case=legal)
        services.case_message(
            actor=yiwu,
            case=legal,
            internal=False,
            body="众包骑手可通过平台购买的职业伤害保障申请赔付，工会律师可陪同办理。",
        )
    with at(t(2026, 11, 4, 16)):
        services.case_resolve(
            actor=yiwu, case=legal, outcome=Case.Outcome.SOLVED, summary="已解答并指导申请职业伤害保障"
        )
    with at(t(2026, 11, 5, 8)):
        services.case_rate(actor=worker, case=Case.objects.get(pk=legal.pk), rating=5, comment="讲得很清楚")
    if driver:
        services.case_file(
            actor=driver,
            data=services.CaseInput(
                category="suggestion",
                description="建议在柳林县城东加油站附近增设货车司机驿站，夜里有地方热饭休息。",
                workplace_region="141125",
            ),
        )
