"""Writes of 劳模工匠. Every function: keyword-only, one transaction, validates, audits.

Selection flow: open → nominate (unit or self) → panel scores (conflicts of interest refused) →
公示 of the shortlist through gonghui.core.notices (masked names, working days, objections become
cases) → award of the entries the notice cleared: each becomes an Honour in the register."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone

from gonghui.core import notices
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.money import parse_amount, yuan
from gonghui.core.notifications import notify
from gonghui.core.xlsx import read_first_sheet
from gonghui.members.models import Member
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, require_scope

from .. import ports
from ..models import (
    Agreement,
    Apprentice,
    Honour,
    Level,
    Milestone,
    Nomination,
    Score,
    Selection,
    TechProblem,
)

MAX_DRIVER_ROWS = 5000


def _text(value, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = re.sub(r"[ \t]+", " ", str(value or "")).strip()
    if required and not value:
        raise DomainError(f"请填写{label}", code="required", field=field)
    if len(value) > max_len:
        raise DomainError(f"{label}不能超过{max_len}个字，请精简后再提交", code="too_long", field=field)
    return value


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(f"请选择{label}", code="choice", field=field)
    return value


def _member_in_scope(actor, member_id, field: str) -> Member:
    """A member the actor's scope covers (404 otherwise, never 403)."""
    try:
        member = Member.objects.select_related("org", "user").get(pk=int(member_id))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该会员", field=field) from None
    require_scope(actor, member.org)
    return member


# --- honours register ------------------------------------------------------------------------


@dataclass
class HonourInput:
    title: str
    level: str
    year: int
    awarding_body: str
    certificate_no: str = ""
    member_id: int | None = None
    collective_id: int | None = None


def honour_record(*, actor, org: Org, data: HonourInput) -> Honour:
    require_scope(actor, org)
    title = _text(data.title, "title", "荣誉称号", 60)
    level = _choice(data.level, Level, "level", "级别")
    try:
        year = int(data.year)
    except (TypeError, ValueError):
        year = 0
    if not 1950 <= year <= timezone.localdate().year:
        raise DomainError("年度应为 1950 年至今的四位年份", code="year_invalid", field="year")
    body = _text(data.awarding_body, "awarding_body", "授予单位", 80)
    cert = _text(data.certificate_no, "certificate_no", "证书编号", 40, required=False)
    if bool(data.member_id) == bool(data.collective_id):
        raise DomainError("请选择获得者：个人或集体二选一", code="holder_required", field="member_id")
    member = collective = None
    if data.member_id:
        member = _member_in_scope(actor, data.member_id, "member_id")
    else:
        collective = Org.objects.filter(pk=data.collective_id).first()
        require_scope(actor, collective)
    with transaction.atomic():
        honour = Honour.objects.create(
            title=title,
            level=level,
            year=year,
            awarding_body=body,
            certificate_no=cert,
            member=member,
            collective=collective,
            org=org,
            org_path=org.path,
        )
        audit_record(actor=actor, action="honours.record", obj=honour, org=org, detail={"title": title})
    return honour


# --- selections ------------------------------------------------------------------------------


@dataclass
class SelectionInput:
    title: str
    honour_title: str
    level: str
    quota: int
    opens_on: dt.date
    closes_on: dt.date
    criteria: str = ""
    nominators: str = Selection.Nominators.BOTH
    prize: str = "0"
    prize_scheme_id: int | None = None


def selection_open(*, actor, org: Org, data: SelectionInput, panel=()) -> Selection:
    require_scope(actor, org, (Staff.Role.ADMIN, Staff.Role.APPROVER))
    title = _text(data.title, "title", "评选名称", 80)
    honour_title = _text(data.honour_title, "honour_title", "授予称号", 60)
    level = _choice(data.level, Level, "level", "级别")
    nominators = _choice(data.nominators, Selection.Nominators, "nominators", "推荐方式")
    try:
        quota = int(data.quota)
    except (TypeError, ValueError):
        quota = 0
    if not 1 <= quota <= 1000:
        raise DomainError("名额应为 1–1000 的整数", code="quota_invalid", field="quota")
    if not data.opens_on or not data.closes_on or data.closes_on < data.opens_on:
        raise DomainError("推荐截止日期不能早于开始日期", code="dates_invalid", field="closes_on")
    prize = parse_amount(data.prize or "0", "prize")
    scheme_id = int(data.prize_scheme_id) if str(data.prize_scheme_id or "").isdigit() else None
    if prize and ports.money() is not None:
        if not scheme_id:
            raise DomainError(
                "设了奖金，请选择支付奖金的经费项目", code="prize_scheme_required", field="prize_scheme_id"
            )
        ports.money().prize_scheme_check(actor=actor, payer=org, scheme_id=scheme_id)
    with transaction.atomic():
        selection = Selection.objects.create(
            org=org,
            org_path=org.path,
            title=title,
            honour_title=honour_title,
            level=level,
            quota=quota,
            criteria=_text(data.criteria, "criteria", "评选条件", 2000, required=False),
            nominators=nominators,
            opens_on=data.opens_on,
            closes_on=data.closes_on,
            prize=prize,
            prize_scheme_id=scheme_id if prize else None,
            created_by=actor,
        )
        if panel:
            selection.panel.set(panel)
        audit_record(actor=actor, action="honours.selection_open", obj=selection, org=org)
    return selection


def nominate(
    *, actor, selection: Selection, member_id, evidence: str, figures: dict | None = None
) -> Nomination:
    """A unit (staff in scope of the member) nominates, or a worker nominates themself."""
    try:
        member = Member.objects.select_related("org").get(pk=int(member_id))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该会员", field="member_id") from None
    is_self = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if is_self:
        if selection.nominators == Selection.Nominators.UNITS:
            raise Forbidden("本次评选只接受单位推荐，请联系所在工会推荐", code="self_not_allowed")
    else:
        require_scope(actor, member.org)
        if selection.nominators == Selection.Nominators.SELF:
            raise Forbidden("本次评选只接受个人自荐", code="units_not_allowed")
    if not member.org_path.startswith(selection.org_path):
        raise DomainError("被推荐人不在本次评选的工会范围内", code="out_of_range", field="member_id")
    today = timezone.localdate()
    if selection.status != Selection.Status.OPEN or not selection.opens_on <= today <= selection.closes_on:
        raise DomainError(
            f"推荐时间为 {selection.opens_on:%Y-%m-%d} 至 {selection.closes_on:%Y-%m-%d}",
            code="not_open",
            field="selection",
        )
    evidence = _text(evidence, "evidence", "事迹材料", 5000)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                selection=selection,
                member=member,
                nominated_by=actor,
                is_self=is_self,
                evidence=evidence,
                figures=figures or {},
            )
            audit_record(actor=actor, action="honours.nominate", obj=nomination, org=member.org)
    except IntegrityError:
        raise Conflict("该会员已被推荐参加本次评选", code="already_nominated") from None
    return nomination


def conflict_of_interest(panelist, nomination: Nomination) -> str:
    """Why the panelist may not score this nomination ('' when they may)."""
    if nomination.member.user_id == panelist.pk:
        return "评审人不能为自己评分"
    if nomination.nominated_by_id == panelist.pk:
        return "评审人不能为自己推荐的人选评分"
    own = Member.objects.filter(user=panelist).values_list("org_id", flat=True).first()
    if own is not None and own == nomination.member.org_id:
        return "评审人与被推荐人同在一个基层单位，应当回避"
    return ""


def score_submit(*, actor, nomination: Nomination, score) -> Score:
    selection = nomination.selection
    if not selection.panel.filter(pk=actor.pk).exists():
        raise NotFound()
    if selection.status != Selection.Status.OPEN:
        raise DomainError("评选已进入公示，不能再评分", code="scoring_closed", field="score")
    reason = conflict_of_interest(actor, nomination)
    if reason:
        audit_record(
            actor=actor,
            action="honours.score_refused",
            obj=nomination,
            org=selection.org,
            result="denied",
            detail={"reason": reason},
        )
        raise Forbidden(reason, code="conflict_of_interest")
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 100:
        raise DomainError("评分应为 0–100 的整数", code="score_invalid", field="score")
    try:
        with transaction.atomic():
            row = Score.objects.create(nomination=nomination, panelist=actor, score=value)
            audit_record(actor=actor, action="honours.score", obj=nomination, org=selection.org)
    except IntegrityError:
        raise Conflict("您已为该人选评分", code="already_scored") from None
    return row


def ranking(selection: Selection) -> list[Nomination]:
    """Nominations by average panel score (highest first); ties by earlier nomination."""
    rows = list(
        selection.nominations.select_related("member__org").annotate(avg=Avg("scores__score")).order_by("id")
    )
    return sorted(rows, key=lambda n: -(n.avg if n.avg is not None else -1))


def selection_publish(
    *, actor, selection: Selection, workdays: int | None = None, shortlist: list[Nomination] | None = None
) -> Selection:
    """Shortlist (top `quota` by score unless given) and publish the 公示 through core.notices."""
    require_scope(actor, selection.org, (Staff.Role.ADMIN, Staff.Role.APPROVER))
    if selection.status != Selection.Status.OPEN:
        raise Conflict("本次评选已公示", code="already_published")
    if shortlist is None:
        shortlist = [n for n in ranking(selection) if n.avg is not None][: selection.quota]
    if not shortlist:
        raise DomainError("还没有评分的人选，无法公示", code="shortlist_empty", field="shortlist")
    with transaction.atomic():
        notice = notices.notice_publish(
            actor=actor,
            org=selection.org,
            source="honours",
            source_ref=str(selection.pk),
            title=f"{selection.title}拟表彰名单公示",
            body=selection.criteria,
            workdays=workdays,
            lines=[
                notices.NoticeLine(
                    name=n.member.name,
                    unit=n.member.org.short_name or n.member.org.name,
                    detail=selection.honour_title,
                    ref=str(n.pk),
                )
                for n in shortlist
            ],
        )
        Nomination.objects.filter(pk__in=[n.pk for n in shortlist]).update(
            status=Nomination.Status.SHORTLISTED
        )
        selection.status = Selection.Status.NOTICE
        selection.notice_id = notice.pk
        selection.save(update_fields=["status", "notice_id"])
        audit_record(
            actor=actor,
            action="honours.selection_publish",
            obj=selection,
            org=selection.org,
            detail={"notice": notice.pk, "shortlist": len(shortlist)},
        )
    return selection


def objection_to_case(objection) -> str:
    """core.notices hook: an objection to an honours notice becomes a case for the selecting union."""
    from gonghui.cases.services import case_open_for_org

    notice = objection.notice
    who = objection.entry.name_masked if objection.entry_id else "全部名单"
    case = case_open_for_org(
        actor=objection.user,
        org=notice.org,
        category="suggestion",
        title=f"评选公示异议：{who}"[:80],
        description=f"{notice.title}\n{objection.reason}",
        claimant_name=objection.reporter_name,
        claimant_phone=objection.reporter_phone,
        source="评选表彰公示",
    )
    return case.number


def selection_award(*, actor, selection: Selection, year: int | None = None) -> list[Honour]:
    """Award the entries the notice cleared; each goes into the register and the person is told.
    Entries whose objection was upheld (or still pending) are not awarded."""
    require_scope(actor, selection.org, (Staff.Role.ADMIN, Staff.Role.APPROVER))
    from gonghui.core.models import PublicNotice

    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        if selection.status != Selection.Status.NOTICE:
            raise Conflict("本次评选不在公示阶段，不能表彰", code="not_in_notice")
        notice = PublicNotice.objects.get(pk=selection.notice_id)
        if not notices.notice_is_over(notice):
            raise DomainError(
                f"公示期至 {notice.ends_on:%Y-%m-%d}，期满后才能表彰",
                code="notice_running",
                field="selection",
            )
        cleared = {int(ref) for ref in notices.notice_cleared_refs(notice)}
        year = year or timezone.localdate().year
        money = ports.money()
        if selection.prize and (money is None or not selection.prize_scheme_id):
            raise Conflict("奖金未指定经费项目，无法记入经费台账", code="prize_unbooked")
        honours = []
        for nomination in selection.nominations.filter(status=Nomination.Status.SHORTLISTED).select_related(
            "member__user"
        ):
            if nomination.pk not in cleared:
                nomination.status = Nomination.Status.NOT_AWARDED
                nomination.save(update_fields=["status"])
                continue
            honours.append(
                Honour.objects.create(
                    title=selection.honour_title,
                    level=selection.level,
                    year=year,
                    awarding_body=selection.org.name,
                    member=nomination.member,
                    org=selection.org,
                    org_path=selection.org.path,
                    selection=selection,
                )
            )
            nomination.status = Nomination.Status.AWARDED
            if selection.prize:
                nomination.prize_ref = money.prize_book(
                    actor=actor,
                    payer=selection.org,
                    scheme_id=selection.prize_scheme_id,
                    member=nomination.member,
                    amount=selection.prize,
                    title=f"{selection.title}：{selection.honour_title}",
                    ref=f"honours:{selection.pk}:{nomination.pk}",
                )
            nomination.save(update_fields=["status", "prize_ref"])
            if nomination.member.user:
                prize = f"，奖金 {yuan(selection.prize)} 元" if selection.prize else ""
                notify(
                    user=nomination.member.user,
                    title=f"恭喜您获得“{selection.honour_title}”称号",
                    body=f"{selection.title}{prize}",
                    link="/honours/",
                    kind="honours",
                )
        selection.status = Selection.Status.AWARDED
        selection.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="honours.selection_award",
            obj=selection,
            org=selection.org,
            detail={"awarded": len(honours), "cleared": len(cleared)},
        )
    return honours


# --- drivers' award: most trips, fewest accidents -------------------------------------------


@dataclass
class DriverRow:
    member: Member
    trips: int
    accidents: int
    rank: int = 0


DRIVER_HEADER = ["会员编号", "姓名", "趟数", "事故次数"]


def _int_cell(value, row_no: int, label: str, field: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100000:
        raise DomainError(f"第{row_no}行「{label}」应为 0–100000 的整数", code="cell_invalid", field=field)
    return value


def driver_table_read(*, actor, selection: Selection, data: bytes) -> list[DriverRow]:
    """Parse the trips/accidents xlsx (DRIVER_HEADER), match members of the selection's subtree by
    会员编号 and name. Cadres (anyone holding a staff position) are never ranked."""
    rows = read_first_sheet(data, max_rows=MAX_DRIVER_ROWS)
    if not rows or [str(c).strip() for c in rows[0][:4]] != DRIVER_HEADER:
        raise DomainError(
            "表头应为：会员编号、姓名、趟数、事故次数（请使用模板）", code="header_invalid", field="file"
        )
    cadres = set(Staff.objects.filter(is_active=True).values_list("user_id", flat=True))
    out, seen = [], set()
    for i, row in enumerate(rows[1:], start=2):
        row = list(row) + [""] * 4
        if all(str(c).strip() == "" for c in row[:4]):
            continue
        member_no, name = str(row[0]).strip(), str(row[1]).strip()
        member = Member.objects.filter(member_no=member_no, org_path__startswith=selection.org_path).first()
        if member is None or member.name != name:
            raise DomainError(
                f"第{i}行：会员编号 {member_no[:20]} 与姓名不符，或不在本评选的工会范围内",
                code="member_unknown",
                field="file",
            )
        if member.pk in seen:
            raise DomainError(f"第{i}行：会员 {member_no} 重复出现", code="duplicate_row", field="file")
        seen.add(member.pk)
        trips = _int_cell(row[2], i, "趟数", "file")
        accidents = _int_cell(row[3], i, "事故次数", "file")
        if member.user_id in cadres:
            continue
        out.append(DriverRow(member, trips, accidents))
    return out


def driver_rank(rows: list[DriverRow]) -> list[DriverRow]:
    """The published rule: fewer accidents first, then more trips. Drivers equal on both share a rank
    (competition ranking 1, 2, 2, 4); a tie at the last place is not broken — all tied drivers are
    shortlisted and the 公示 says so (docs/honours.md)."""
    ordered = sorted(rows, key=lambda r: (r.accidents, -r.trips, r.member.member_no))
    for i, row in enumerate(ordered):
        prev = ordered[i - 1] if i else None
        same = prev and (prev.accidents, prev.trips) == (row.accidents, row.trips)
        row.rank = prev.rank if same else i + 1
    return ordered


def driver_award_import(*, actor, selection: Selection, data: bytes) -> list[DriverRow]:
    """Import the table, rank, nominate everyone and publish the 公示 of those ranked within the quota."""
    require_scope(actor, selection.org, (Staff.Role.ADMIN, Staff.Role.APPROVER))
    if selection.status != Selection.Status.OPEN:
        raise Conflict("本次评选已公示", code="already_published")
    ranked = driver_rank(driver_table_read(actor=actor, selection=selection, data=data))
    winners = [r for r in ranked if r.rank <= selection.quota]
    with transaction.atomic():
        shortlist = []
        for r in winners:
            nomination, _ = Nomination.objects.get_or_create(
                selection=selection,
                member=r.member,
                defaults={
                    "nominated_by": actor,
                    "evidence": f"全年 {r.trips} 趟，事故 {r.accidents} 次，排名第 {r.rank}",
                    "figures": {"trips": r.trips, "accidents": r.accidents, "rank": r.rank},
                },
            )
            nomination.member = r.member
            shortlist.append(nomination)
        audit_record(
            actor=actor,
            action="honours.driver_import",
            obj=selection,
            org=selection.org,
            detail={"rows": len(ranked), "shortlist": len(shortlist)},
        )
        selection_publish(actor=actor, selection=selection, shortlist=shortlist)
    return ranked


# --- 师带徒 and technical problems ------------------------------------------------------------


def agreement_sign(
    *, actor, org: Org, master_id, apprentice_ids, plan: str, starts_on: dt.date, ends_on: dt.date
) -> Agreement:
    """Master and apprentices may sit in other unions and regions (大连 master, 石河子 apprentice):
    the signing union must hold the master in scope; apprentices are looked up by id, not scope."""
    require_scope(actor, org)
    master = _member_in_scope(actor, master_id, "master_id")
    ids = [int(x) for x in (apprentice_ids or []) if str(x).isdigit()]
    apprentices = list(Member.objects.filter(pk__in=ids))
    if not apprentices or len(apprentices) != len(set(ids)):
        raise DomainError("请选择至少一名徒弟（会员）", code="apprentices_required", field="apprentice_ids")
    if master.pk in ids:
        raise DomainError("师傅不能同时是自己的徒弟", code="self_apprentice", field="apprentice_ids")
    plan = _text(plan, "plan", "带徒计划", 2000)
    if not starts_on or not ends_on or ends_on <= starts_on:
        raise DomainError("结束日期应晚于开始日期", code="dates_invalid", field="ends_on")
    with transaction.atomic():
        agreement = Agreement.objects.create(
            org=org, org_path=org.path, master=master, plan=plan, starts_on=starts_on, ends_on=ends_on
        )
        Apprentice.objects.bulk_create([Apprentice(agreement=agreement, member=m) for m in apprentices])
        audit_record(
            actor=actor,
            action="honours.agreement_sign",
            obj=agreement,
            org=org,
            detail={"apprentices": len(ids)},
        )
    return agreement


def _agreement_manage(actor, agreement: Agreement) -> None:
    require_scope(actor, agreement.org)
    if agreement.status != Agreement.Status.ACTIVE:
        raise Conflict("协议已结业", code="agreement_closed")


def milestone_add(*, actor, agreement: Agreement, title: str, due_on: dt.date) -> Milestone:
    _agreement_manage(actor, agreement)
    if not due_on or not agreement.starts_on <= due_on <= agreement.ends_on:
        raise DomainError(
            f"节点日期应在协议期内（{agreement.starts_on:%Y-%m-%d} 至 {agreement.ends_on:%Y-%m-%d}）",
            code="dates_invalid",
            field="due_on",
        )
    with transaction.atomic():
        milestone = Milestone.objects.create(
            agreement=agreement, title=_text(title, "title", "节点名称", 80), due_on=due_on
        )
        audit_record(actor=actor, action="honours.milestone_add", obj=agreement, org=agreement.org)
    return milestone


def milestone_done(*, actor, milestone: Milestone, note: str) -> Milestone:
    _agreement_manage(actor, milestone.agreement)
    if milestone.done_on:
        raise Conflict("该节点已完成", code="milestone_done")
    with transaction.atomic():
        milestone.note = _text(note, "note", "完成情况", 300)
        milestone.done_on = timezone.localdate()
        milestone.save(update_fields=["note", "done_on"])
        audit_record(
            actor=actor, action="honours.milestone_done", obj=milestone.agreement, org=milestone.agreement.org
        )
    return milestone


def agreement_review(*, actor, agreement: Agreement, review: str) -> Agreement:
    """The end review: the agreement is completed; open milestones are named in the refusal."""
    _agreement_manage(actor, agreement)
    open_steps = list(agreement.milestones.filter(done_on__isnull=True).values_list("title", flat=True))
    if open_steps:
        raise DomainError(
            f"还有未完成的节点：{'、'.join(open_steps)[:60]}", code="milestones_open", field="end_review"
        )
    with transaction.atomic():
        agreement.end_review = _text(review, "end_review", "结业评价", 2000)
        agreement.status = Agreement.Status.COMPLETED
        agreement.save(update_fields=["end_review", "status"])
        audit_record(actor=actor, action="honours.agreement_review", obj=agreement, org=agreement.org)
    return agreement


def problem_post(*, actor, org: Org, title: str, category: str, description: str) -> TechProblem:
    require_scope(actor, org)
    with transaction.atomic():
        problem = TechProblem.objects.create(
            org=org,
            org_path=org.path,
            title=_text(title, "title", "难题名称", 80),
            category=_choice(category, TechProblem.Category, "category", "类别"),
            description=_text(description, "description", "难题描述", 3000),
        )
        audit_record(actor=actor, action="honours.problem_post", obj=problem, org=org)
    return problem


def _actor_member(actor) -> Member:
    member = Member.objects.filter(user=actor).first()
    if member is None:
        raise Forbidden("请先绑定会员身份", code="member_required")
    return member


def problem_take(*, actor, problem: TechProblem) -> TechProblem:
    """A master takes a posted problem; decided in the DB so two masters cannot both take it."""
    member = _actor_member(actor)
    with transaction.atomic():
        taken = TechProblem.objects.filter(pk=problem.pk, status=TechProblem.Status.POSTED).update(
            status=TechProblem.Status.TAKEN, solver=member
        )
        if not taken:
            raise Conflict("该难题已被揭榜", code="already_taken")
        audit_record(actor=actor, action="honours.problem_take", obj=problem, org=problem.org)
    problem.refresh_from_db()
    return problem


def problem_propose(*, actor, problem: TechProblem, solution: str, follow_up: str = "") -> TechProblem:
    member = _actor_member(actor)
    if problem.solver_id != member.pk:
        raise NotFound()
    if problem.status not in (TechProblem.Status.TAKEN, TechProblem.Status.PROPOSED):
        raise Conflict("该难题已确认解决", code="already_solved")
    with transaction.atomic():
        problem.solution = _text(solution, "solution", "解决方案", 3000)
        problem.follow_up = _text(follow_up, "follow_up", "跟踪回访", 2000, required=False)
        problem.status = TechProblem.Status.PROPOSED
        problem.save(update_fields=["solution", "follow_up", "status"])
        audit_record(actor=actor, action="honours.problem_propose", obj=problem, org=problem.org)
    return problem


def problem_confirm(*, actor, problem: TechProblem) -> TechProblem:
    """The posting enterprise's union confirms the problem solved."""
    require_scope(actor, problem.org)
    with transaction.atomic():
        done = TechProblem.objects.filter(pk=problem.pk, status=TechProblem.Status.PROPOSED).update(
            status=TechProblem.Status.SOLVED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if not done:
            raise Conflict("师傅提交解决方案后才能确认", code="not_proposed")
        audit_record(actor=actor, action="honours.problem_confirm", obj=problem, org=problem.org)
    problem.refresh_from_db()
    return problem


def may_manage(actor, org: Org) -> bool:
    return in_scope(actor, org)
