"""走访与协商 on the workbench (desktop): 法律体检 visits, the problem list, consultation forums.
Thin: read through selectors, write through services; a refused form comes back with 422 and its errors."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.forms import form_failed
from gonghui.core.pagination import page_of
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.selectors import staff_holding

from .. import selectors, services
from ..models import CheckItem, Commitment, MeetingKind, Opinion, Participant, Topic

PARTICIPANT_ROWS = 8


def _ctx(**kw) -> dict:
    return {"nav": "outreach", **kw}


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@workbench_view
def home(request):
    actor, today = request.user, timezone.localdate()
    forums = selectors.forums_with_year(actor=actor, year=today.year)[:20]
    return render(
        request,
        "outreach/bench_home.html",
        _ctx(
            totals=selectors.visit_totals(actor=actor),
            funnel=selectors.funnel(actor=actor),
            follow_ups=selectors.follow_ups_open(actor=actor)[:10],
            forums=forums,
            visits=selectors.visits_in_scope(actor=actor)[:8],
            today=today,
        ),
    )


# --- visits --------------------------------------------------------------------------------------------


@workbench_view
def visit_list(request):
    actor = request.user
    q = (request.GET.get("q") or "").strip()[:40]
    qs = (
        selectors.visits_in_scope(actor=actor)
        .annotate(n_problems=Count("items", filter=Q(items__result=CheckItem.Result.PROBLEM)))
        .order_by("-visited_on", "-pk")
    )
    if q:
        qs = qs.filter(enterprise_name__contains=q)
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return render(
        request,
        "outreach/bench_visits.html",
        _ctx(page=page, q=q, totals=selectors.visit_totals(actor=actor)),
    )


def _items_from_post(post) -> list[dict]:
    rows = []
    for topic, _label in Topic.choices:
        result = post.get(f"{topic}-result", "")
        if not result:
            continue
        rows.append(
            {
                "topic": topic,
                "result": result,
                "note": post.get(f"{topic}-note", ""),
                "worker_name": post.get(f"{topic}-worker_name", ""),
                "workers_affected": post.get(f"{topic}-workers_affected", ""),
                "amount": post.get(f"{topic}-amount", ""),
            }
        )
    return rows


@workbench_view
@require_http_methods(["GET", "POST"])
def visit_new(request):
    actor = request.user
    orgs = list(selectors.acting_orgs(actor=actor)[:200])
    context = _ctx(
        orgs=orgs,
        rows=_checklist_rows(None),
        values={"visited_on": timezone.localdate().isoformat(), "org": str(orgs[0].pk) if orgs else ""},
    )
    if request.method == "POST":
        post = request.POST
        context["values"], context["rows"] = post, _checklist_rows(post)
        try:
            visit = services.visit_record(
                actor=actor,
                org_id=post.get("org", ""),
                enterprise_name=post.get("enterprise_name", ""),
                enterprise_credit_code=post.get("enterprise_credit_code", ""),
                visited_on=post.get("visited_on", ""),
                visitors=post.get("visitors", ""),
                rules_advised=post.get("rules_advised", ""),
                rules_improved=post.get("rules_improved", ""),
                disputes_solved=post.get("disputes_solved", ""),
                summary=post.get("summary", ""),
                items=_items_from_post(post),
            )
        except DomainError as exc:
            return form_failed(request, "outreach/bench_visit_new.html", context, _topic_fields(exc, post))
        messages.success(request, "走访记录已保存")
        return redirect("outreach_bench:visit", visit.pk)
    return render(request, "outreach/bench_visit_new.html", context)


CHECK_FIELDS = ("result", "note", "worker_name", "workers_affected", "amount")


def _checklist_rows(post) -> list[dict]:
    """One row per 体检 topic with what was typed (kept after a refused post)."""
    return [
        {"topic": t, "label": label, **{f: (post.get(f"{t}-{f}", "") if post else "") for f in CHECK_FIELDS}}
        for t, label in Topic.choices
    ]


def _topic_fields(exc: DomainError, post) -> DomainError:
    """items.N.note → <topic>-note: the page names checklist fields by topic, not by position."""
    field = exc.field or ""
    if field.startswith("items."):
        _, index, name = [*field.split("."), "", ""][:3]
        chosen = [t for t, _ in Topic.choices if post.get(f"{t}-result")]
        if index.isdigit() and int(index) < len(chosen):
            exc.field = f"{chosen[int(index)]}-{name}"
    return exc


@workbench_view
@require_http_methods(["GET", "POST"])
def visit_detail(request, visit_id: int):
    actor = request.user
    visit = selectors.visit_get(actor=actor, visit_id=visit_id)
    context = _ctx(visit=visit, today=timezone.localdate(), values={})
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        context["values"] = post
        try:
            if action == "case":
                case = services.item_to_case(actor=actor, item_id=post.get("item", "0"))
                messages.success(request, f"已转为维权诉求工单 {case.number}，承办工会已收到待受理通知")
            elif action == "followup":
                services.followup_add(
                    actor=actor,
                    visit_id=visit.pk,
                    action=post.get("followup_action", ""),
                    due_on=post.get("due_on", ""),
                )
                messages.success(request, "跟进事项已添加")
            elif action == "followup_done":
                services.followup_done(
                    actor=actor, followup_id=post.get("followup", "0"), result=post.get("result", "")
                )
                messages.success(request, "跟进结果已记录")
            elif action == "rules":
                services.visit_rules_update(
                    actor=actor,
                    visit_id=visit.pk,
                    rules_advised=post.get("rules_advised", ""),
                    rules_improved=post.get("rules_improved", ""),
                )
                messages.success(request, "制度完善情况已更新")
            elif action == "opinion":
                services.opinion_add(
                    actor=actor,
                    org_id=visit.org_id,
                    source=Opinion.Source.VISIT,
                    visit_id=visit.pk,
                    text=post.get("text", ""),
                    raiser_phone=post.get("raiser_phone", ""),
                    raiser_name=post.get("raiser_name", ""),
                )
                messages.success(request, "职工意见已记录，可在问题清单中归类")
            else:
                raise DomainError("未知操作", code="invalid")
        except DomainError as exc:
            return form_failed(request, "outreach/bench_visit.html", context, exc)
        return redirect("outreach_bench:visit", visit.pk)
    return render(request, "outreach/bench_visit.html", context)


# --- opinions and the problem list ---------------------------------------------------------------------


def _problems_context(actor, **kw):
    orgs = list(selectors.acting_orgs(actor=actor)[:200])
    return _ctx(
        funnel=selectors.funnel(actor=actor),
        problems=selectors.problem_list(actor=actor)[:100],
        opinions=selectors.opinions_in_scope(actor=actor)
        .filter(problem__isnull=True, resolved_on__isnull=True)
        .select_related("raiser")[:200],
        orgs=orgs,
        values={"org": str(orgs[0].pk) if orgs else ""},
        today=timezone.localdate(),
        **kw,
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def problems(request):
    actor = request.user
    context = _problems_context(actor)
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        context["values"] = post
        try:
            if action == "opinion":
                services.opinion_add(
                    actor=actor,
                    org_id=post.get("org", ""),
                    text=post.get("text", ""),
                    raiser_phone=post.get("raiser_phone", ""),
                    raiser_name=post.get("raiser_name", ""),
                )
                messages.success(request, "意见已记录")
            elif action == "import":
                count = services.opinions_import_cases(actor=actor, org_id=post.get("org", ""))
                messages.success(request, f"已从 12351 意见建议工单导入 {count} 条意见")
            elif action == "problem":
                problem = services.problem_create(
                    actor=actor,
                    org_id=post.get("org", ""),
                    title=post.get("title", ""),
                    description=post.get("description", ""),
                    batch=post.get("batch", ""),
                    due_on=post.get("due_on", ""),
                    opinion_ids=post.getlist("opinion"),
                )
                messages.success(request, "已列入问题清单")
                return redirect("outreach_bench:problem", problem.pk)
            elif action == "group":
                count = services.opinions_group(
                    actor=actor, problem_id=post.get("problem", "0"), opinion_ids=post.getlist("opinion")
                )
                messages.success(request, f"已归入 {count} 条意见")
            else:
                raise DomainError("未知操作", code="invalid")
        except DomainError as exc:
            return form_failed(request, "outreach/bench_problems.html", context, exc)
        return redirect("outreach_bench:problems")
    return render(request, "outreach/bench_problems.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def problem_detail(request, problem_id: int):
    actor = request.user
    problem = selectors.problem_get(actor=actor, problem_id=problem_id)
    owners = {
        p.user_id: p.user for p in staff_holding(roles=selectors.WRITE_ROLES, org=problem.org, reach="chain")
    }
    context = _ctx(problem=problem, owners=list(owners.values()), values={}, today=timezone.localdate())
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        context["values"] = post
        try:
            if action == "measure":
                services.measure_add(
                    actor=actor,
                    problem_id=problem.pk,
                    text=post.get("text", ""),
                    owner_user_id=post.get("owner_user_id") or None,
                    owner_department=post.get("owner_department", ""),
                    due_on=post.get("due_on", ""),
                )
                messages.success(request, "措施已添加")
            elif action == "measure_done":
                services.measure_done(
                    actor=actor, measure_id=post.get("measure", "0"), result=post.get("result", "")
                )
                messages.success(request, "落实情况已记录")
            elif action == "close":
                services.problem_close(actor=actor, problem_id=problem.pk, outcome=post.get("outcome", ""))
                messages.success(request, "问题已办结，反映该问题的职工已收到结果通知")
            else:
                raise DomainError("未知操作", code="invalid")
        except DomainError as exc:
            return form_failed(request, "outreach/bench_problem.html", context, exc)
        return redirect("outreach_bench:problem", problem.pk)
    return render(request, "outreach/bench_problem.html", context)


# --- collective consultation ---------------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def forums(request):
    actor, year = request.user, timezone.localdate().year
    orgs = list(selectors.acting_orgs(actor=actor)[:200])
    rows = selectors.forums_with_year(actor=actor, year=year)
    context = _ctx(rows=rows, orgs=orgs, year=year, values={"min_per_year": 1})
    if request.method == "POST":
        post = request.POST
        context["values"] = post
        try:
            forum = services.forum_create(
                actor=actor,
                org_id=post.get("org", ""),
                name=post.get("name", ""),
                counterpart=post.get("counterpart", ""),
                rules=post.get("rules", ""),
                min_per_year=post.get("min_per_year", ""),
            )
        except DomainError as exc:
            return form_failed(request, "outreach/bench_forums.html", context, exc)
        messages.success(request, "协商平台已建立")
        return redirect("outreach_bench:forum", forum.pk)
    return render(request, "outreach/bench_forums.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def forum_detail(request, forum_id: int):
    actor = request.user
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)
    year = _year(request)
    context = _ctx(
        forum=forum,
        year=year,
        status=selectors.year_status(forum, year),
        calendar=selectors.forum_calendar(forum, year),
        follow=selectors.commitments_followup(forum),
        kinds=MeetingKind.choices,
        statuses=[c for c in Commitment.Status.choices if c[0] != Commitment.Status.PENDING],
        remind_by=services.remind_by(year),
        today=timezone.localdate(),
        values={"kind": MeetingKind.COORDINATION},
    )
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        context["values"] = post
        try:
            if action == "schedule":
                meeting = services.meeting_schedule(
                    actor=actor,
                    forum_id=forum.pk,
                    kind=post.get("kind", ""),
                    title=post.get("title", ""),
                    scheduled_on=post.get("scheduled_on", ""),
                    place=post.get("place", ""),
                )
                messages.success(request, f"已排期：{meeting.scheduled_on:%Y-%m-%d} {meeting.title}")
            elif action == "evidence":
                services.evidence_add(
                    actor=actor,
                    commitment_id=post.get("commitment", "0"),
                    note=post.get("note", ""),
                    status=post.get("status", ""),
                    checked_on=post.get("checked_on") or None,
                )
                messages.success(request, "跟进佐证已记录")
            else:
                raise DomainError("未知操作", code="invalid")
        except DomainError as exc:
            return form_failed(request, "outreach/bench_forum.html", context, exc)
        return redirect(f"{request.path}?year={year}")
    return render(request, "outreach/bench_forum.html", context)


@workbench_view
@require_http_methods(["GET", "POST"])
def meeting_detail(request, meeting_id: int):
    actor = request.user
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    existing = list(meeting.participants.all())
    rows = [{"side": p.side, "name": p.name, "unit": p.unit} for p in existing]
    rows += [{"side": "", "name": "", "unit": ""}] * max(PARTICIPANT_ROWS - len(rows), 2)
    context = _ctx(
        meeting=meeting,
        rows=rows,
        sides=Participant.Side.choices,
        values={"minutes": meeting.minutes},
        today=timezone.localdate(),
    )
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        context["values"] = post
        try:
            if action == "minutes":
                people = [
                    {"side": s, "name": n, "unit": u}
                    for s, n, u in zip(
                        post.getlist("side"), post.getlist("name"), post.getlist("unit"), strict=False
                    )
                ]
                context["rows"] = people + [{"side": "", "name": "", "unit": ""}] * 2
                services.meeting_record(
                    actor=actor, meeting_id=meeting.pk, minutes=post.get("minutes", ""), participants=people
                )
                messages.success(request, "会议纪要与参会人员已保存")
            elif action == "agreement":
                services.agreement_sign(
                    actor=actor,
                    meeting_id=meeting.pk,
                    title=post.get("title", ""),
                    parties=post.get("parties", ""),
                    signed_on=post.get("signed_on") or None,
                    commitments=(post.get("commitments") or "").splitlines(),
                )
                messages.success(request, "协议已登记，承诺已逐条编号")
            elif action == "opinion":
                services.opinion_add(
                    actor=actor,
                    org_id=meeting.forum.org_id,
                    source=Opinion.Source.MEETING,
                    meeting_id=meeting.pk,
                    text=post.get("text", ""),
                    raiser_phone=post.get("raiser_phone", ""),
                    raiser_name=post.get("raiser_name", ""),
                )
                messages.success(request, "意见已记录，可在问题清单中归类")
            elif action == "cancel":
                services.meeting_cancel(actor=actor, meeting_id=meeting.pk)
                messages.success(request, "会议已取消")
            else:
                raise DomainError("未知操作", code="invalid")
        except DomainError as exc:
            return form_failed(request, "outreach/bench_meeting.html", context, exc)
        return redirect("outreach_bench:meeting", meeting.pk)
    return render(request, "outreach/bench_meeting.html", context)
