"""走访与协商 services: each public function is keyword-only, one transaction, validated and audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.accounts.models import phone_index
from gonghui.cases.selectors import staff_cases
from gonghui.cases.services import case_open_for_org
from gonghui.core.audit import audit_record
from gonghui.core.cleaners import clean_date, clean_money, clean_text
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.notifications import notify
from gonghui.core.validators import normalize_mobile
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import staff_users

from . import selectors
from .models import (
    Agreement,
    CheckItem,
    Commitment,
    Evidence,
    FollowUp,
    Forum,
    Measure,
    Meeting,
    MeetingKind,
    Opinion,
    Participant,
    Problem,
    Topic,
    Visit,
    YearReminder,
)
from .selectors import WRITE_ROLES

# A problem found on a visit becomes a 诉求工单 of this category (cases' own category values).
CASE_CATEGORY = {
    Topic.WAGES: "wages",
    Topic.CONTRACT: "contract",
    Topic.SOCIAL_INSURANCE: "social_insurance",
    Topic.SAFETY: "safety",
    Topic.HOURS: "legal",
    Topic.RULES: "legal",
}
CASE_SUGGESTION = "suggestion"  # cases' 意见建议
MAX_COMMITMENTS = 50


def _today() -> dt.date:
    return timezone.localdate()


def _org(actor, org_id) -> Org:
    org = selectors.acting_orgs(actor=actor).filter(pk=org_id).first() if str(org_id).isdigit() else None
    if org is None:
        raise NotFound()
    return org


def _count(value, *, field: str, label: str) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        raise DomainError(f"{label}应为 0 或正整数", code="count_invalid", field=field)
    return number


def _phone_match(actor, phone: str):
    """A raiser named by phone: the member in the actor's scope with that number, if any."""
    from gonghui.members.selectors import members_in_scope

    if not (phone or "").strip():
        return None, ""
    try:
        e164 = normalize_mobile(phone)
    except ValidationError as exc:
        raise DomainError.from_validation(exc, field="raiser_phone") from exc
    member = (
        members_in_scope(actor=actor).filter(phone_index=phone_index(e164)).select_related("user").first()
    )
    return (member.user if member else None), (member.name if member else "")


def _own_union(actor, union):
    from gonghui.orgs.scope import in_scope

    return union if union is not None and in_scope(actor, union, WRITE_ROLES) else None


# --- 法律体检 visits -------------------------------------------------------------------------------


def _clean_items(items) -> list[dict]:
    cleaned, seen = [], set()
    for i, raw in enumerate(items or []):
        topic, result = raw.get("topic", ""), raw.get("result", "")
        if topic not in Topic.values:
            raise DomainError("请选择体检项目", code="topic_invalid", field=f"items.{i}.topic")
        if topic in seen:
            raise DomainError("同一体检项目只能记录一次", code="topic_duplicate", field=f"items.{i}.topic")
        seen.add(topic)
        if result not in CheckItem.Result.values:
            raise DomainError(
                f"请为“{Topic(topic).label}”选择合规或有问题",
                code="result_invalid",
                field=f"items.{i}.result",
            )
        problem = result == CheckItem.Result.PROBLEM
        note = clean_text(
            raw.get("note", ""),
            field=f"items.{i}.note",
            label=f"“{Topic(topic).label}”的问题说明",
            max_length=500,
            required=problem,
            multiline=True,
        )
        cleaned.append(
            {
                "topic": topic,
                "result": result,
                "note": note,
                "worker_name": clean_text(
                    raw.get("worker_name", ""),
                    field=f"items.{i}.worker_name",
                    label="涉及职工",
                    max_length=40,
                    required=False,
                ),
                "workers_affected": _count(
                    raw.get("workers_affected"), field=f"items.{i}.workers_affected", label="涉及人数"
                ),
                "amount": clean_money(
                    raw.get("amount"), field=f"items.{i}.amount", label="涉及金额", required=False
                ),
            }
        )
    if not cleaned:
        raise DomainError("请至少记录一项体检结果", code="items_required", field="items")
    return cleaned


def visit_record(
    *,
    actor,
    org_id,
    enterprise_name: str,
    visited_on,
    items: list[dict],
    enterprise_credit_code: str = "",
    visitors: str = "",
    rules_advised=0,
    rules_improved=0,
    disputes_solved=0,
    summary: str = "",
) -> Visit:
    org = _org(actor, org_id)
    name = clean_text(enterprise_name, field="enterprise_name", label="企业名称", max_length=120)
    day = clean_date(visited_on, field="visited_on", label="走访日期", not_after=_today())
    code = (enterprise_credit_code or "").strip().upper()
    if code:
        from gonghui.core.validators import validate_credit_code

        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise DomainError.from_validation(exc, field="enterprise_credit_code") from exc
    advised = _count(rules_advised, field="rules_advised", label="建议完善制度数")
    improved = _count(rules_improved, field="rules_improved", label="已完善制度数")
    disputes = _count(disputes_solved, field="disputes_solved", label="现场化解纠纷数")
    cleaned = _clean_items(items)
    from gonghui.orgs.selectors import employer_union

    with transaction.atomic():
        visit = Visit.objects.create(
            org=org,
            org_path=org.path,
            enterprise_name=name,
            enterprise_credit_code=code,
            enterprise_union=_own_union(actor, employer_union(name, region=org.region_code or "")),
            visited_on=day,
            visitors=clean_text(visitors, field="visitors", label="走访人员", max_length=120, required=False),
            rules_advised=advised,
            rules_improved=improved,
            disputes_solved=disputes,
            summary=clean_text(
                summary, field="summary", label="走访小结", max_length=2000, required=False, multiline=True
            ),
            created_by=actor,
        )
        CheckItem.objects.bulk_create(CheckItem(visit=visit, **row) for row in cleaned)
        audit_record(
            actor=actor,
            action="outreach.visit_record",
            obj=visit,
            org=org,
            detail={"problems": sum(r["result"] == CheckItem.Result.PROBLEM for r in cleaned)},
        )
    return visit


def visit_rules_update(*, actor, visit_id, rules_advised, rules_improved) -> Visit:
    """After a follow-up the enterprise has improved more of the advised rules (170 after 120 visits)."""
    advised = _count(rules_advised, field="rules_advised", label="建议完善制度数")
    improved = _count(rules_improved, field="rules_improved", label="已完善制度数")
    with transaction.atomic():
        visit = selectors.visits_in_scope(actor=actor, roles=WRITE_ROLES).select_for_update(of=("self",))
        visit = visit.filter(pk=visit_id).first()
        if visit is None:
            raise NotFound()
        visit.rules_advised, visit.rules_improved = advised, improved
        visit.save(update_fields=["rules_advised", "rules_improved"])
        audit_record(actor=actor, action="outreach.visit_rules", obj=visit, detail={"improved": improved})
    return visit


def item_to_case(*, actor, item_id):
    """One step from a problem found on a visit (wages not paid, say) to a 诉求工单 of the visiting union,
    the facts of the visit filled in. Returns the case; the item keeps the case number."""
    with transaction.atomic():
        item = (
            selectors.items_in_scope(actor=actor).select_for_update(of=("self",)).filter(pk=item_id).first()
        )
        if item is None:
            raise NotFound()
        if item.result != CheckItem.Result.PROBLEM:
            raise DomainError("该项体检结果为合规，无需转为诉求", code="item_not_problem", field="item")
        if item.case_id:
            raise Conflict(f"该问题已转为诉求工单 {item.case_number}", code="already_escalated")
        visit = item.visit
        facts = [
            f"法律体检走访：{visit.enterprise_name}"
            + (
                f"（统一社会信用代码 {visit.enterprise_credit_code}）" if visit.enterprise_credit_code else ""
            ),
            f"走访日期：{visit.visited_on:%Y-%m-%d}；走访人员：{visit.visitors or '未填'}",
            f"体检项目：{item.get_topic_display()}；发现问题：{item.note}",
        ]
        if item.worker_name or item.workers_affected:
            facts.append(f"涉及职工：{item.worker_name or '—'}，共 {item.workers_affected or 1} 人")
        if item.amount:
            facts.append(f"涉及金额：{item.amount} 元")
        case = case_open_for_org(
            actor=actor,
            org=visit.org,
            category=CASE_CATEGORY[item.topic],
            title=f"法律体检发现{item.get_topic_display()}问题：{visit.enterprise_name}"[:80],
            description="\n".join(facts),
            claimant_name=item.worker_name or f"{visit.enterprise_name}职工",
            source="法律体检走访",
        )
        item.case_id, item.case_number = case.pk, case.number
        item.save(update_fields=["case_id", "case_number"])
        audit_record(
            actor=actor,
            action="outreach.item_to_case",
            obj=visit,
            org=visit.org,
            detail={"case": case.number},
        )
    return case


def followup_add(*, actor, visit_id, action: str, due_on) -> FollowUp:
    text = clean_text(action, field="action", label="跟进事项", max_length=200)
    day = clean_date(due_on, field="due_on", label="跟进期限", not_before=_today())
    with transaction.atomic():
        visit = selectors.visits_in_scope(actor=actor, roles=WRITE_ROLES).filter(pk=visit_id).first()
        if visit is None:
            raise NotFound()
        follow = FollowUp.objects.create(visit=visit, action=text, due_on=day)
        audit_record(actor=actor, action="outreach.followup_add", obj=visit, org=visit.org)
    return follow


def followup_done(*, actor, followup_id, result: str) -> FollowUp:
    text = clean_text(result, field="result", label="跟进结果", max_length=300)
    with transaction.atomic():
        follow = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("visit", "visit__org")
            .filter(pk=followup_id, visit__in=selectors.visits_in_scope(actor=actor, roles=WRITE_ROLES))
            .first()
        )
        if follow is None:
            raise NotFound()
        if follow.done_on:
            raise Conflict("该跟进事项已完成", code="followup_done", field="result")
        follow.done_on, follow.result = _today(), text
        follow.save(update_fields=["done_on", "result"])
        audit_record(actor=actor, action="outreach.followup_done", obj=follow.visit, org=follow.visit.org)
    return follow


def followups_remind(*, today: dt.date | None = None) -> int:
    """The scheduled job: a follow-up past its day reminds the staffer who recorded the visit, once."""
    today = today or _today()
    sent = 0
    for follow in FollowUp.objects.filter(
        done_on__isnull=True, due_on__lt=today, reminded_on__isnull=True
    ).select_related("visit", "visit__created_by"):
        with transaction.atomic():
            if FollowUp.objects.filter(pk=follow.pk, reminded_on__isnull=True).update(reminded_on=today):
                notify(
                    user=follow.visit.created_by,
                    title=f"法律体检跟进逾期：{follow.visit.enterprise_name}",
                    body=f"{follow.action}（期限 {follow.due_on:%Y-%m-%d}）",
                    link=f"/workbench/outreach/visits/{follow.visit_id}/",
                    kind="outreach",
                )
                sent += 1
    return sent


# --- opinions and the problem list ---------------------------------------------------------------------


def opinion_add(
    *,
    actor,
    org_id,
    text: str,
    source: str = Opinion.Source.MANUAL,
    raiser_phone: str = "",
    raiser_name: str = "",
    visit_id=None,
    meeting_id=None,
) -> Opinion:
    """An opinion heard on a 蹲点, a visit or at a meeting. Named by phone, the worker who raised it
    (a member in the actor's scope) will hear the outcome in their inbox."""
    org = _org(actor, org_id)
    if source not in (Opinion.Source.MANUAL, Opinion.Source.VISIT, Opinion.Source.MEETING):
        raise DomainError("请选择意见来源", code="source_invalid", field="source")
    body = clean_text(text, field="text", label="意见内容", max_length=500, multiline=True)
    name = clean_text(raiser_name, field="raiser_name", label="反映人", max_length=40, required=False)
    raiser, member_name = _phone_match(actor, raiser_phone)
    visit = meeting = None
    if source == Opinion.Source.VISIT:
        visit = selectors.visits_in_scope(actor=actor, roles=WRITE_ROLES).filter(pk=visit_id or 0).first()
        if visit is None:
            raise DomainError("请选择意见来自哪次走访", code="visit_required", field="visit_id")
    if source == Opinion.Source.MEETING:
        meeting = (
            selectors.meetings_in_scope(actor=actor, roles=WRITE_ROLES).filter(pk=meeting_id or 0).first()
        )
        if meeting is None:
            raise DomainError("请选择意见来自哪次会议", code="meeting_required", field="meeting_id")
    with transaction.atomic():
        opinion = Opinion.objects.create(
            org=org,
            org_path=org.path,
            source=source,
            text=body,
            raiser=raiser,
            raiser_name=name or member_name,
            visit=visit,
            meeting=meeting,
        )
        audit_record(
            actor=actor, action="outreach.opinion_add", obj=opinion, org=org, detail={"source": source}
        )
    return opinion


def opinion_submit(*, actor, text: str) -> Opinion:
    """A member raises an opinion from the phone; it goes to their own union's list."""
    member = getattr(actor, "member", None)
    if member is None:
        raise DomainError("请先入会后再向工会反映意见", code="not_member", field="member", status=403)
    body = clean_text(text, field="text", label="意见内容", max_length=500, min_length=5, multiline=True)
    org = member.org
    with transaction.atomic():
        opinion = Opinion.objects.create(
            org=org,
            org_path=org.path,
            source=Opinion.Source.WORKER,
            text=body,
            raiser=actor,
            raiser_name=member.name,
        )
        audit_record(actor=actor, action="outreach.opinion_submit", obj=opinion, org=org)
    return opinion


def opinions_import_cases(*, actor, org_id) -> int:
    """Every 意见建议 case of the union's subtree the actor can read becomes an opinion, once each
    (the case id is unique on the opinion); the filer is the raiser."""
    org = _org(actor, org_id)
    from gonghui.orgs.scope import subtree_q

    cases = (
        staff_cases(actor=actor)
        .filter(subtree_q(org.path, "org_path"), category=CASE_SUGGESTION)
        .exclude(pk__in=Opinion.objects.filter(case_id__isnull=False).values("case_id"))
        .select_related("org")
    )
    created = 0
    for case in cases.iterator():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Opinion.objects.create(
                        org=case.org,
                        org_path=case.org_path,
                        source=Opinion.Source.CASE,
                        text=f"{case.title}：{case.description}"[:500],
                        raiser=case.filer,
                        raiser_name=getattr(case.filer, "name", "")[:40],
                        case_id=case.pk,
                    )
            except IntegrityError:
                continue
            created += 1
    if created:
        audit_record(actor=actor, action="outreach.opinions_import", org=org, detail={"count": created})
    return created


def _opinions_for_grouping(actor, opinion_ids, problem: Problem):
    ids = [int(i) for i in opinion_ids or [] if str(i).isdigit()]
    if not ids:
        return []
    found = list(
        selectors.opinions_in_scope(actor=actor, roles=WRITE_ROLES)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
    )
    if len(found) != len(set(ids)):
        raise NotFound()
    for op in found:
        if not op.org_path.startswith(problem.org_path):
            raise DomainError(
                "只能归入本工会及下级工会收集的意见", code="opinion_outside", field="opinion_ids"
            )
    return found


def problem_create(
    *, actor, org_id, title: str, description: str = "", batch: str = "", due_on=None, opinion_ids=()
) -> Problem:
    org = _org(actor, org_id)
    name = clean_text(title, field="title", label="问题", max_length=120)
    with transaction.atomic():
        problem = Problem.objects.create(
            org=org,
            org_path=org.path,
            title=name,
            description=clean_text(
                description,
                field="description",
                label="问题说明",
                max_length=2000,
                required=False,
                multiline=True,
            ),
            batch=clean_text(batch, field="batch", label="批次", max_length=40, required=False),
            due_on=clean_date(due_on, field="due_on", label="解决期限", required=False),
        )
        for op in _opinions_for_grouping(actor, opinion_ids, problem):
            op.problem = problem
            op.save(update_fields=["problem"])
        audit_record(actor=actor, action="outreach.problem_create", obj=problem, org=org)
    return problem


def _problem_locked(actor, problem_id) -> Problem:
    problem = (
        selectors.problems_in_scope(actor=actor, roles=WRITE_ROLES)
        .select_for_update(of=("self",))
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound()
    return problem


def opinions_group(*, actor, problem_id, opinion_ids) -> int:
    with transaction.atomic():
        problem = _problem_locked(actor, problem_id)
        if problem.status == Problem.Status.CLOSED:
            raise Conflict("问题已办结，不能再归入意见", code="problem_closed", field="opinion_ids")
        found = _opinions_for_grouping(actor, opinion_ids, problem)
        if not found:
            raise DomainError("请勾选要归入该问题的意见", code="opinions_required", field="opinion_ids")
        for op in found:
            op.problem = problem
            op.save(update_fields=["problem"])
        audit_record(actor=actor, action="outreach.opinions_group", obj=problem, detail={"count": len(found)})
    return len(found)


def measure_add(
    *, actor, problem_id, text: str, owner_user_id=None, owner_department: str = "", due_on=None
) -> Measure:
    body = clean_text(text, field="text", label="措施", max_length=300)
    department = clean_text(
        owner_department, field="owner_department", label="责任部门", max_length=60, required=False
    )
    day = clean_date(due_on, field="due_on", label="完成期限", required=False)
    with transaction.atomic():
        problem = _problem_locked(actor, problem_id)
        if problem.status == Problem.Status.CLOSED:
            raise Conflict("问题已办结，不能再添加措施", code="problem_closed", field="text")
        owner = None
        if owner_user_id not in (None, ""):
            from gonghui.orgs.selectors import staff_holding

            position = (
                staff_holding(roles=WRITE_ROLES, org=problem.org, reach="chain")
                .filter(user_id=owner_user_id if str(owner_user_id).isdigit() else 0)
                .first()
            )
            if position is None:
                raise DomainError(
                    "责任人应为本工会或上级工会的管理员/经办人", code="owner_invalid", field="owner_user_id"
                )
            owner = position.user
        if owner is None and not department:
            raise DomainError(
                "请指定责任人，或填写负责落实的外部门（如 交通运输、市场监管、公安）",
                code="owner_required",
                field="owner_department",
            )
        measure = Measure.objects.create(
            problem=problem, text=body, owner_user=owner, owner_department=department, due_on=day
        )
        audit_record(actor=actor, action="outreach.measure_add", obj=problem)
    return measure


def measure_done(*, actor, measure_id, result: str) -> Measure:
    text = clean_text(result, field="result", label="落实情况", max_length=300)
    with transaction.atomic():
        measure = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("problem")
            .filter(
                pk=measure_id,
                problem__in=selectors.problems_in_scope(actor=actor, roles=WRITE_ROLES),
            )
            .first()
        )
        if measure is None:
            raise NotFound()
        if measure.done_on:
            raise Conflict("该措施已落实", code="measure_done", field="result")
        measure.done_on, measure.result = _today(), text
        measure.save(update_fields=["done_on", "result"])
        audit_record(actor=actor, action="outreach.measure_done", obj=measure.problem)
    return measure


def problem_close(*, actor, problem_id, outcome: str) -> Problem:
    """The problem is solved: its opinions count as solved and every worker who raised one hears the
    outcome in their inbox (once each, however many of its opinions they raised)."""
    text = clean_text(
        outcome, field="outcome", label="办理结果", max_length=2000, min_length=4, multiline=True
    )
    with transaction.atomic():
        problem = _problem_locked(actor, problem_id)
        if problem.status == Problem.Status.CLOSED:
            raise Conflict("该问题已办结", code="problem_closed", field="outcome")
        today = _today()
        problem.status, problem.outcome, problem.closed_at = Problem.Status.CLOSED, text, timezone.now()
        problem.save(update_fields=["status", "outcome", "closed_at"])
        problem.opinions.filter(resolved_on__isnull=True).update(resolved_on=today)
        raisers = {
            op.raiser_id: op.raiser for op in problem.opinions.select_related("raiser") if op.raiser_id
        }
        for user in raisers.values():
            notify(
                user=user,
                title=f"您反映的问题有了结果：{problem.title}"[:120],
                body=text[:500],
                link="/outreach/",
                kind="outreach",
            )
        audit_record(
            actor=actor, action="outreach.problem_close", obj=problem, detail={"notified": len(raisers)}
        )
    return problem


def opinion_resolve(*, actor, opinion_id, outcome: str) -> Opinion:
    """A single difficulty solved on the spot, without a problem of its own; its raiser hears it."""
    text = clean_text(outcome, field="outcome", label="解决情况", max_length=300)
    with transaction.atomic():
        opinion = (
            selectors.opinions_in_scope(actor=actor, roles=WRITE_ROLES)
            .select_for_update(of=("self",))
            .filter(pk=opinion_id)
            .first()
        )
        if opinion is None:
            raise NotFound()
        if opinion.resolved_on:
            raise Conflict("该意见已解决", code="opinion_resolved", field="outcome")
        opinion.resolved_on = _today()
        opinion.save(update_fields=["resolved_on"])
        if opinion.raiser_id:
            notify(
                user=opinion.raiser,
                title=f"您反映的意见已解决：{opinion.text[:30]}",
                body=text,
                link="/outreach/",
                kind="outreach",
            )
        audit_record(actor=actor, action="outreach.opinion_resolve", obj=opinion, org=opinion.org)
    return opinion


# --- collective consultation ---------------------------------------------------------------------------


def forum_create(*, actor, org_id, name: str, counterpart: str, rules: str = "", min_per_year=1) -> Forum:
    org = _org(actor, org_id)
    minimum = _count(min_per_year, field="min_per_year", label="每年至少协商协调会次数")
    if minimum < 1:
        raise DomainError(
            "议事规则要求每年至少开展一次协商协调会", code="minimum_too_low", field="min_per_year"
        )
    with transaction.atomic():
        forum = Forum.objects.create(
            org=org,
            org_path=org.path,
            name=clean_text(name, field="name", label="协商平台名称", max_length=120),
            counterpart=clean_text(counterpart, field="counterpart", label="企业方/服务单位", max_length=300),
            rules=clean_text(
                rules, field="rules", label="议事规则要点", max_length=5000, required=False, multiline=True
            ),
            min_per_year=minimum,
        )
        audit_record(actor=actor, action="outreach.forum_create", obj=forum, org=org)
    return forum


def meeting_schedule(*, actor, forum_id, kind: str, title: str, scheduled_on, place: str = "") -> Meeting:
    if kind not in MeetingKind.values:
        raise DomainError("请选择会议形式", code="kind_invalid", field="kind")
    name = clean_text(title, field="title", label="会议名称", max_length=120)
    day = clean_date(scheduled_on, field="scheduled_on", label="会议日期")
    with transaction.atomic():
        forum = selectors.forums_in_scope(actor=actor, roles=WRITE_ROLES).filter(pk=forum_id).first()
        if forum is None:
            raise NotFound()
        meeting = Meeting.objects.create(
            forum=forum,
            kind=kind,
            title=name,
            scheduled_on=day,
            place=clean_text(place, field="place", label="地点", max_length=120, required=False),
        )
        audit_record(actor=actor, action="outreach.meeting_schedule", obj=meeting, org=forum.org)
    return meeting


def _meeting_locked(actor, meeting_id) -> Meeting:
    meeting = (
        selectors.meetings_in_scope(actor=actor, roles=WRITE_ROLES)
        .select_for_update(of=("self",))
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_record(*, actor, meeting_id, minutes: str, participants: list[dict]) -> Meeting:
    """The meeting took place: who sat at the table (each side) and the minutes."""
    text = clean_text(
        minutes, field="minutes", label="会议纪要", max_length=20000, min_length=10, multiline=True
    )
    rows = []
    for i, raw in enumerate(participants or []):
        name = clean_text(
            raw.get("name", ""),
            field=f"participants.{i}.name",
            label="参会人姓名",
            max_length=40,
            required=False,
        )
        if not name:
            continue
        side = raw.get("side", "")
        if side not in Participant.Side.values:
            raise DomainError(
                f"请选择“{name}”代表哪一方", code="side_invalid", field=f"participants.{i}.side"
            )
        unit = clean_text(
            raw.get("unit", ""),
            field=f"participants.{i}.unit",
            label="单位/职务",
            max_length=120,
            required=False,
        )
        rows.append({"side": side, "name": name, "unit": unit})
    sides = {r["side"] for r in rows}
    if not {Participant.Side.UNION, Participant.Side.EMPLOYER} <= sides:
        raise DomainError(
            "协商会议至少要有工会方和企业方参会人，请补充参会人员",
            code="participants_required",
            field="participants",
        )
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        if meeting.status == Meeting.Status.CANCELLED:
            raise Conflict("会议已取消", code="meeting_cancelled", field="minutes")
        if meeting.scheduled_on > _today():
            raise DomainError(
                f"会议定于 {meeting.scheduled_on:%Y-%m-%d} 召开，召开后才能记录纪要",
                code="meeting_not_yet",
                field="minutes",
            )
        meeting.participants.all().delete()
        Participant.objects.bulk_create(Participant(meeting=meeting, **r) for r in rows)
        meeting.status, meeting.minutes = Meeting.Status.HELD, text
        meeting.save(update_fields=["status", "minutes"])
        audit_record(
            actor=actor,
            action="outreach.meeting_record",
            obj=meeting,
            org=meeting.forum.org,
            detail={"participants": len(rows)},
        )
    return meeting


def meeting_cancel(*, actor, meeting_id) -> Meeting:
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Conflict("只有未召开的会议可以取消", code="meeting_not_scheduled")
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        audit_record(actor=actor, action="outreach.meeting_cancel", obj=meeting, org=meeting.forum.org)
    return meeting


def agreement_sign(
    *, actor, meeting_id, title: str, parties: str, commitments: list[str], signed_on=None
) -> Agreement:
    """An agreement signed at a held meeting, its commitments numbered 1…n in the order given."""
    name = clean_text(title, field="title", label="协议名称", max_length=120)
    who = clean_text(parties, field="parties", label="签约各方", max_length=300)
    items = [" ".join(str(c).split()) for c in commitments or [] if str(c).strip()]
    if not items:
        raise DomainError("请逐条填写协议承诺（每行一条）", code="commitments_required", field="commitments")
    if len(items) > MAX_COMMITMENTS:
        raise DomainError(f"承诺最多 {MAX_COMMITMENTS} 条", code="commitments_too_many", field="commitments")
    for i, text in enumerate(items, 1):
        if len(text) > 300:
            raise DomainError(f"第 {i} 条承诺超过 300 字，请精简", code="too_long", field="commitments")
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        if meeting.status != Meeting.Status.HELD:
            raise DomainError(
                "会议召开并记录纪要后才能登记签订的协议", code="meeting_not_held", field="title"
            )
        day = clean_date(
            signed_on or meeting.scheduled_on,
            field="signed_on",
            label="签订日期",
            not_before=meeting.scheduled_on,
            not_after=_today(),
        )
        agreement = Agreement.objects.create(
            forum=meeting.forum, meeting=meeting, title=name, parties=who, signed_on=day
        )
        Commitment.objects.bulk_create(
            Commitment(agreement=agreement, number=i, text=text) for i, text in enumerate(items, 1)
        )
        audit_record(
            actor=actor,
            action="outreach.agreement_sign",
            obj=agreement,
            org=meeting.forum.org,
            detail={"commitments": len(items)},
        )
    return agreement


def evidence_add(*, actor, commitment_id, note: str, status: str, checked_on=None) -> Evidence:
    """A follow-up of one commitment: what was checked and what proves it; the commitment takes its status."""
    text = clean_text(
        note, field="note", label="核查情况与佐证", max_length=500, min_length=4, multiline=True
    )
    if status not in Commitment.Status.values or status == Commitment.Status.PENDING:
        raise DomainError("请选择核查结论：落实中、已落实或未落实", code="status_invalid", field="status")
    with transaction.atomic():
        commitment = (
            selectors.commitments_in_scope(actor=actor)
            .select_for_update(of=("self",))
            .filter(pk=commitment_id)
            .first()
        )
        if commitment is None:
            raise NotFound()
        day = clean_date(
            checked_on or _today(),
            field="checked_on",
            label="核查日期",
            not_before=commitment.agreement.signed_on,
            not_after=_today(),
        )
        evidence = Evidence.objects.create(
            commitment=commitment, checked_on=day, note=text, status=status, recorded_by=actor
        )
        commitment.status = status
        commitment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="outreach.evidence_add",
            obj=commitment.agreement,
            org=commitment.agreement.forum.org,
            detail={"number": commitment.number, "status": status},
        )
    return evidence


def remind_by(year: int) -> dt.date:
    """The day by which a forum should have scheduled its yearly minimum (setting "MM-DD")."""
    month, day = (int(x) for x in settings.GONGHUI_OUTREACH_REMIND_BY.split("-"))
    return dt.date(year, month, day)


def yearly_reminders_send(*, today: dt.date | None = None) -> int:
    """The scheduled job (`manage.py outreach_remind`, daily): from the configured day on, a forum whose
    协商协调会 for this year are fewer than its minimum (scheduled or held) reminds its union's admins and
    handlers — once per forum and year. Safe to run as often as you like."""
    today = today or _today()
    if today < remind_by(today.year):
        return 0
    sent = 0
    for forum in Forum.objects.select_related("org").exclude(
        pk__in=YearReminder.objects.filter(year=today.year).values("forum_id")
    ):
        status = selectors.year_status(forum, today.year)
        if not status["short"]:
            continue
        try:
            with transaction.atomic():
                YearReminder.objects.create(forum=forum, year=today.year)
                for user in staff_users(roles=WRITE_ROLES, org=forum.org, reach="nearest"):
                    notify(
                        user=user,
                        title=f"{forum.name}：{today.year} 年协商协调会尚未排期",
                        body=(
                            f"议事规则要求每年至少召开 {forum.min_per_year} 次协商协调会，"
                            f"目前已排期 {status['planned']} 次，请尽快排期。"
                        ),
                        link=f"/workbench/outreach/forums/{forum.pk}/",
                        kind="outreach",
                        sms=True,
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent
