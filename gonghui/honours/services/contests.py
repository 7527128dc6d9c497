"""Skills competitions (events, teams, entrants from the member registry, scores, results, who advances) and
training records with certificate levels (read by the funds app's training subsidy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.members.models import Member
from gonghui.orgs.models import Org
from gonghui.orgs.scope import require_scope

from ..models import CertLevel, Contest, ContestEvent, Entrant, EntrantScore, Level, Team, TrainingRecord
from .selections import _choice, _member_in_scope, _text


def _small_int(value, field: str, label: str, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = lo - 1
    if not lo <= n <= hi:
        raise DomainError(f"{label}应为 {lo}–{hi} 的整数", code="number_invalid", field=field)
    return n


def contest_open(
    *, actor, org: Org, title: str, level: str, held_on: dt.date, events, advance_count=0, team_size=0
) -> Contest:
    """events: names (理论知识, 实际操作 …) or (name, max_score) pairs."""
    require_scope(actor, org)
    title = _text(title, "title", "竞赛名称", 80)
    level = _choice(level, Level, "level", "级别")
    if not held_on:
        raise DomainError("请填写比赛日期", code="required", field="held_on")
    rows = []
    for e in events or []:
        name, top = (e, 100) if isinstance(e, str) else (e[0], e[1])
        name = str(name).strip()
        if name:
            rows.append((_text(name, "events", "竞赛项目", 60), _small_int(top, "events", "满分", 1, 1000)))
    if not rows:
        raise DomainError(
            "请至少填写一个竞赛项目（如：理论知识、实际操作）", code="events_required", field="events"
        )
    if len({n for n, _ in rows}) != len(rows):
        raise DomainError("竞赛项目名称重复", code="events_duplicate", field="events")
    with transaction.atomic():
        contest = Contest.objects.create(
            org=org,
            org_path=org.path,
            title=title,
            level=level,
            held_on=held_on,
            advance_count=_small_int(advance_count or 0, "advance_count", "晋级名额", 0, 100000),
            team_size=_small_int(team_size or 0, "team_size", "每队人数", 0, 50),
        )
        ContestEvent.objects.bulk_create(
            [ContestEvent(contest=contest, name=n, max_score=m) for n, m in rows]
        )
        audit_record(actor=actor, action="honours.contest_open", obj=contest, org=org)
    return contest


def _contest_open_for_changes(contest: Contest) -> None:
    if contest.status != Contest.Status.OPEN:
        raise Conflict("成绩已公布，不能再修改", code="contest_closed")


def team_add(*, actor, contest: Contest, name: str, org: Org, member_ids) -> Team:
    """A unit sends a team; its entrants come from the member registry (members of that unit's subtree)."""
    require_scope(actor, contest.org)
    require_scope(actor, org)
    _contest_open_for_changes(contest)
    if not org.path.startswith(contest.org_path):
        raise DomainError("选派单位不在主办工会的范围内", code="out_of_range", field="org_id")
    ids = list(dict.fromkeys(int(x) for x in member_ids or [] if str(x).isdigit()))
    if contest.team_size and len(ids) != contest.team_size:
        raise DomainError(
            f"每队应为 {contest.team_size} 人，现为 {len(ids)} 人", code="team_size", field="member_ids"
        )
    if not ids:
        raise DomainError("请选择队员", code="members_required", field="member_ids")
    members = list(Member.objects.filter(pk__in=ids, org_path__startswith=org.path))
    if len(members) != len(ids):
        raise DomainError("队员须是选派单位的会员", code="member_unknown", field="member_ids")
    try:
        with transaction.atomic():
            team = Team.objects.create(contest=contest, name=_text(name, "name", "代表队名称", 60), org=org)
            Entrant.objects.bulk_create([Entrant(contest=contest, member=m, team=team) for m in members])
            audit_record(
                actor=actor, action="honours.team_add", obj=contest, org=org, detail={"members": len(ids)}
            )
    except IntegrityError:
        raise Conflict(
            "队名重复，或有队员已报名本次竞赛", code="entrant_exists", field="member_ids"
        ) from None
    return team


def entrant_add(*, actor, contest: Contest, member_id) -> Entrant:
    require_scope(actor, contest.org)
    _contest_open_for_changes(contest)
    member = _member_in_scope(actor, member_id, "member_id")
    if not member.org_path.startswith(contest.org_path):
        raise DomainError("选手不在主办工会的范围内", code="out_of_range", field="member_id")
    try:
        with transaction.atomic():
            entrant = Entrant.objects.create(contest=contest, member=member)
            audit_record(actor=actor, action="honours.entrant_add", obj=contest, org=contest.org)
    except IntegrityError:
        raise Conflict("该会员已报名本次竞赛", code="entrant_exists", field="member_id") from None
    return entrant


def score_record(*, actor, entrant: Entrant, event: ContestEvent, score) -> EntrantScore:
    contest = Contest.objects.select_related("org").get(pk=entrant.contest_id)  # as it stands now
    require_scope(actor, contest.org)
    _contest_open_for_changes(contest)
    if event.contest_id != contest.pk:
        raise DomainError("该项目不属于本次竞赛", code="event_unknown", field="event_id")
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= event.max_score or value != value.quantize(Decimal("0.1")):
        raise DomainError(
            f"「{event.name}」得分应为 0–{event.max_score}，最多一位小数", code="score_invalid", field="score"
        )
    with transaction.atomic():
        row, _ = EntrantScore.objects.update_or_create(
            entrant=entrant, event=event, defaults={"score": value}
        )
        audit_record(actor=actor, action="honours.contest_score", obj=contest, org=contest.org)
    return row


def contest_results(*, actor, contest: Contest) -> list[Entrant]:
    """Totals, competition ranking (equal totals share a rank: 1, 2, 2, 4), and who advances: everyone ranked
    within the advance count. Every entrant needs a score in every event first."""
    require_scope(actor, contest.org)
    _contest_open_for_changes(contest)
    events = contest.events.count()
    entrants = list(contest.entrants.select_related("member").annotate(sum=Sum("scores__score")))
    missing = [e.member.name for e in entrants if e.scores.count() != events]
    if not entrants:
        raise DomainError("还没有选手", code="no_entrants", field="contest")
    if missing:
        raise DomainError(
            f"以下选手还有项目未评分：{'、'.join(missing)[:60]}", code="scores_missing", field="contest"
        )
    ordered = sorted(entrants, key=lambda e: (-e.sum, e.member.member_no))
    with transaction.atomic():
        for i, e in enumerate(ordered):
            prev = ordered[i - 1] if i else None
            e.total = e.sum
            e.rank = prev.rank if prev is not None and prev.sum == e.sum else i + 1
            e.advances = bool(contest.advance_count) and e.rank <= contest.advance_count
        Entrant.objects.bulk_update(ordered, ["total", "rank", "advances"])
        contest.status = Contest.Status.CLOSED
        contest.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="honours.contest_results",
            obj=contest,
            org=contest.org,
            detail={"entrants": len(ordered), "advance": sum(e.advances for e in ordered)},
        )
    return ordered


def training_record(
    *,
    actor,
    member_id,
    course: str,
    trade: str,
    level: str,
    certificate_no: str,
    issued_on: dt.date,
    hours=0,
    contest: Contest | None = None,
) -> TrainingRecord:
    member = _member_in_scope(actor, member_id, "member_id")
    level = _choice(level, CertLevel, "level", "证书等级")
    if not issued_on or issued_on > timezone.localdate():
        raise DomainError("发证日期不能晚于今天", code="date_invalid", field="issued_on")
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.create(
                member=member,
                org=member.org,
                org_path=member.org_path,
                course=_text(course, "course", "培训项目", 80),
                trade=_text(trade, "trade", "职业（工种）", 40),
                hours=_small_int(hours or 0, "hours", "学时", 0, 10000),
                level=level,
                certificate_no=_text(certificate_no, "certificate_no", "证书编号", 40),
                issued_on=issued_on,
                contest=contest,
            )
            audit_record(actor=actor, action="honours.training_record", obj=record, org=member.org)
    except IntegrityError:
        raise Conflict("该证书已登记", code="certificate_exists", field="certificate_no") from None
    return record
