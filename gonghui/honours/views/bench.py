"""劳模工匠 on the workbench (1366 px): the register (search, filter, xlsx export), selections (open, nominate,
panel scoring, 公示, award), studios, 师带徒, technical problems, contests, training records and services for
honour holders. Reads go through the selectors (scope: others' → 404), writes through the services; a refused
form comes back with its errors (core.forms, 422) and what was typed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils import timezone

from gonghui.core.errors import DomainError
from gonghui.core.forms import form_failed
from gonghui.core.models import PublicNotice
from gonghui.core.pagination import page_of
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import scoped_orgs
from gonghui.orgs.selectors import org_get

from .. import exports, selectors, services
from ..models import (
    CertLevel,
    Contest,
    HonourService,
    Level,
    Selection,
    Studio,
    StudioProject,
    StudioReview,
    TechProblem,
)

NAV = "honours"


def _ctx(sub: str, **extra) -> dict:
    return {"nav": NAV, "sub": sub, "levels": Level.choices, **extra}


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _orgs(user):
    return list(scoped_orgs(user).order_by("path")[:300])


def _org(request, field: str = "org_id"):
    try:
        return org_get(actor=request.user, org_id=int(request.POST.get(field) or 0))
    except (TypeError, ValueError):
        raise DomainError("请选择工会", code="required", field=field) from None


def _members(numbers: str) -> list[int]:
    return selectors.member_ids_by_no(
        [n for n in (numbers or "").replace("，", ",").replace("\n", ",").split(",")]
    )


def _member(number: str, field: str) -> int:
    ids = _members(number)
    if len(ids) != 1 or not ids[0]:
        raise DomainError("请填写一个有效的会员编号", code="member_unknown", field=field)
    return ids[0]


# --- register --------------------------------------------------------------------------------


@workbench_view
def register(request):
    g = request.GET
    q = (g.get("q") or "").strip()[:40]
    level = g.get("level") if g.get("level") in Level.values else ""
    holder = g.get("holder") if g.get("holder") in ("person", "collective") else ""
    year = int(g["year"]) if str(g.get("year", "")).isdigit() and 1950 <= int(g["year"]) <= 2100 else None
    qs = selectors.honours_in_scope(request.user, q=q, level=level, year=year, holder=holder)
    if g.get("export") == "xlsx":
        content, name = exports.register_xlsx(actor=request.user, honours=qs, filters=dict(g.items()))
        return xlsx_response(content, name)
    return render(
        request,
        "honours/bench_register.html",
        _ctx(
            "register",
            page=page_of(qs, g.get("page"), per_page=50),
            q=q,
            level=level,
            holder=holder,
            year=year or "",
            query=g.urlencode(),
            orgs=_orgs(request.user),
        ),
    )


@workbench_view
def honour_add(request):
    ctx = _ctx("register", orgs=_orgs(request.user), values=request.POST)
    if request.method == "POST":
        p = request.POST
        try:
            holder = p.get("holder_kind")
            data = services.HonourInput(
                title=p.get("title", ""),
                level=p.get("level", ""),
                year=p.get("year", ""),
                awarding_body=p.get("awarding_body", ""),
                certificate_no=p.get("certificate_no", ""),
                member_id=_member(p.get("member_no", ""), "member_no") if holder == "person" else None,
                collective_id=int(p.get("collective_id") or 0) or None if holder == "collective" else None,
            )
            services.honour_record(actor=request.user, org=_org(request), data=data)
            messages.success(request, "已登记")
            return redirect("honours_bench:register")
        except DomainError as exc:
            return form_failed(request, "honours/bench_honour_form.html", ctx, exc)
    return render(request, "honours/bench_honour_form.html", ctx)


# --- selections ------------------------------------------------------------------------------


def _prize_schemes(user):
    from .. import ports

    return selectors.prize_schemes(user) if ports.money() is not None else []


@workbench_view
def selections(request):
    orgs = [
        o for o in scoped_orgs(request.user, (Staff.Role.ADMIN, Staff.Role.APPROVER)).order_by("path")[:300]
    ]
    ctx = _ctx(
        "selections",
        selections=selectors.selections_in_scope(request.user).order_by("-id")[:100],
        orgs=orgs,
        nominators=Selection.Nominators.choices,
        experts=selectors.panel_candidates(request.user),
        schemes=_prize_schemes(request.user),
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            data = services.SelectionInput(
                title=p.get("title", ""),
                honour_title=p.get("honour_title", ""),
                level=p.get("level", ""),
                quota=p.get("quota", ""),
                opens_on=_date(p.get("opens_on")),
                closes_on=_date(p.get("closes_on")),
                criteria=p.get("criteria", ""),
                nominators=p.get("nominators", ""),
                prize=p.get("prize") or "0",
                prize_scheme_id=p.get("prize_scheme_id") or None,
            )
            ids = [int(x) for x in p.getlist("panel") if x.isdigit()]
            panel = list(
                get_user_model().objects.filter(pk__in=[u.pk for u in ctx["experts"] if u.pk in ids])
            )
            sel = services.selection_open(actor=request.user, org=_org(request), data=data, panel=panel)
            messages.success(request, f"已发起评选「{sel.title}」")
            return redirect("honours_bench:selection", selection_id=sel.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_selections.html", ctx, exc)
    return render(request, "honours/bench_selections.html", ctx)


def _selection_ctx(request, sel, **extra):
    notice = PublicNotice.objects.filter(pk=sel.notice_id).first() if sel.notice_id else None
    ranking = services.ranking(sel)
    on_panel = sel.panel.filter(pk=request.user.pk).exists()
    if on_panel:
        mine = set(sel.nominations.filter(scores__panelist=request.user).values_list("pk", flat=True))
        for n in ranking:
            n.scored = n.pk in mine
            n.conflict = services.conflict_of_interest(request.user, n)
    return _ctx(
        "selections",
        sel=sel,
        ranking=ranking,
        notice=notice,
        entries=list(notice.entries.all()) if notice else [],
        on_panel=on_panel,
        panel=list(sel.panel.all()),
        values=request.POST,
        **extra,
    )


@workbench_view
def selection(request, selection_id: int):
    sel = selectors.selection_get(request.user, selection_id)
    if request.method == "POST":
        p = request.POST
        action = p.get("action")
        try:
            if action == "nominate":
                services.nominate(
                    actor=request.user,
                    selection=sel,
                    member_id=_member(p.get("member_no", ""), "member_no"),
                    evidence=p.get("evidence", ""),
                )
                messages.success(request, "已推荐")
            elif action == "score":
                nomination = (
                    sel.nominations.select_related("member", "selection")
                    .filter(pk=int(p.get("nomination") or 0))
                    .first()
                )
                if nomination is None:
                    raise DomainError("请选择人选", code="required", field="score")
                services.score_submit(actor=request.user, nomination=nomination, score=p.get("score"))
                messages.success(request, f"已为{nomination.member.name}评分")
            elif action == "publish":
                workdays = int(p["workdays"]) if str(p.get("workdays", "")).isdigit() else None
                services.selection_publish(actor=request.user, selection=sel, workdays=workdays)
                messages.success(request, "已发布公示")
            elif action == "award":
                honours = services.selection_award(actor=request.user, selection=sel)
                messages.success(request, f"已表彰 {len(honours)} 人，荣誉已记入名册")
            return redirect("honours_bench:selection", selection_id=sel.pk)
        except DomainError as exc:
            sel.refresh_from_db()
            return form_failed(request, "honours/bench_selection.html", _selection_ctx(request, sel), exc)
    return render(request, "honours/bench_selection.html", _selection_ctx(request, sel))


# --- studios ---------------------------------------------------------------------------------


@workbench_view
def studios(request):
    ctx = _ctx(
        "studios",
        studios=selectors.studios_in_scope(request.user).prefetch_related("projects")[:200],
        totals=selectors.studio_totals(request.user),
        orgs=_orgs(request.user),
        kinds=Studio.Kind.choices,
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            studio = services.studio_register(
                actor=request.user,
                org=_org(request),
                name=p.get("name", ""),
                kind=p.get("kind", ""),
                level=p.get("level", ""),
                named_year=p.get("named_year", ""),
                leader_id=_member(p.get("leader_no", ""), "leader_no"),
                member_ids=_members(p.get("member_nos", "")),
            )
            return redirect("honours_bench:studio", studio_id=studio.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_studios.html", ctx, exc)
    return render(request, "honours/bench_studios.html", ctx)


@workbench_view
def studio(request, studio_id: int):
    st = selectors.studio_get(request.user, studio_id)

    def ctx():
        return _ctx(
            "studios",
            st=st,
            projects=list(st.projects.all()),
            fundings=list(st.fundings.all()),
            reviews=list(st.reviews.all()),
            team=list(st.members.all()),
            statuses=StudioProject.Status.choices,
            results=StudioReview.Result.choices,
            this_year=timezone.localdate().year,
            values=request.POST,
        )

    if request.method == "POST":
        p = request.POST
        action = p.get("action")
        try:
            if action == "project":
                services.studio_project_add(
                    actor=request.user,
                    studio=st,
                    title=p.get("title", ""),
                    goal=p.get("goal", ""),
                    year=p.get("year", ""),
                    status=p.get("status", ""),
                    benefit=p.get("benefit") or "0",
                    benefit_basis=p.get("benefit_basis", ""),
                )
            elif action == "project_update":
                project = selectors.studio_project_get(request.user, p.get("project"))
                services.studio_project_update(
                    actor=request.user,
                    project=project,
                    status=p.get("status", ""),
                    benefit=p.get("benefit") or "0",
                    benefit_basis=p.get("benefit_basis", ""),
                )
            elif action == "funding":
                services.studio_funding_link(
                    actor=request.user, studio=st, application_number=p.get("application_number", "")
                )
            elif action == "review":
                services.studio_review(
                    actor=request.user,
                    studio=st,
                    year=p.get("year", ""),
                    result=p.get("result", ""),
                    comment=p.get("comment", ""),
                )
            messages.success(request, "已保存")
            return redirect("honours_bench:studio", studio_id=st.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_studio.html", ctx(), exc)
    return render(request, "honours/bench_studio.html", ctx())


# --- 师带徒 and technical problems ------------------------------------------------------------


@workbench_view
def agreements(request):
    ctx = _ctx(
        "agreements",
        agreements=selectors.agreements_in_scope(request.user).prefetch_related("apprentices__member")[:200],
        orgs=_orgs(request.user),
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            agreement = services.agreement_sign(
                actor=request.user,
                org=_org(request),
                master_id=_member(p.get("master_no", ""), "master_no"),
                apprentice_ids=_members(p.get("apprentice_nos", "")),
                plan=p.get("plan", ""),
                starts_on=_date(p.get("starts_on")),
                ends_on=_date(p.get("ends_on")),
            )
            return redirect("honours_bench:agreement", agreement_id=agreement.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_agreements.html", ctx, exc)
    return render(request, "honours/bench_agreements.html", ctx)


@workbench_view
def agreement(request, agreement_id: int):
    ag = selectors.agreement_get(request.user, agreement_id)

    def ctx():
        return _ctx(
            "agreements",
            ag=ag,
            apprentices=[a.member for a in ag.apprentices.all()],
            milestones=list(ag.milestones.all()),
            values=request.POST,
        )

    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "milestone":
                services.milestone_add(
                    actor=request.user, agreement=ag, title=p.get("title", ""), due_on=_date(p.get("due_on"))
                )
            elif p.get("action") == "done":
                services.milestone_done(
                    actor=request.user,
                    milestone=selectors.milestone_get(request.user, p.get("milestone")),
                    note=p.get("note", ""),
                )
            elif p.get("action") == "review":
                services.agreement_review(actor=request.user, agreement=ag, review=p.get("end_review", ""))
            messages.success(request, "已保存")
            return redirect("honours_bench:agreement", agreement_id=ag.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_agreement.html", ctx(), exc)
    return render(request, "honours/bench_agreement.html", ctx())


@workbench_view
def problems(request):
    ctx = _ctx(
        "problems",
        problems=selectors.problems_in_scope(request.user).select_related("org", "solver")[:300],
        counts=selectors.problem_counts(request.user),
        orgs=_orgs(request.user),
        categories=TechProblem.Category.choices,
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "confirm":
                services.problem_confirm(
                    actor=request.user, problem=selectors.problem_get(request.user, p.get("problem"))
                )
                messages.success(request, "已确认解决")
            else:
                services.problem_post(
                    actor=request.user,
                    org=_org(request),
                    title=p.get("title", ""),
                    category=p.get("category", ""),
                    description=p.get("description", ""),
                )
                messages.success(request, "已发布难题")
            return redirect("honours_bench:problems")
        except DomainError as exc:
            return form_failed(request, "honours/bench_problems.html", ctx, exc)
    return render(request, "honours/bench_problems.html", ctx)


# --- contests and training -------------------------------------------------------------------


@workbench_view
def contests(request):
    ctx = _ctx(
        "contests",
        contests=selectors.contests_in_scope(request.user)[:200],
        orgs=_orgs(request.user),
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            contest = services.contest_open(
                actor=request.user,
                org=_org(request),
                title=p.get("title", ""),
                level=p.get("level", ""),
                held_on=_date(p.get("held_on")),
                events=[e for e in (p.get("events") or "").replace("，", ",").replace("、", ",").split(",")],
                advance_count=p.get("advance_count") or 0,
                team_size=p.get("team_size") or 0,
            )
            return redirect("honours_bench:contest", contest_id=contest.pk)
        except DomainError as exc:
            return form_failed(request, "honours/bench_contests.html", ctx, exc)
    return render(request, "honours/bench_contests.html", ctx)


@workbench_view
def contest(request, contest_id: int):
    ct = selectors.contest_get(request.user, contest_id)

    def ctx():
        events = list(ct.events.all())
        entrants = list(ct.entrants.select_related("member__org", "team").prefetch_related("scores"))
        for e in entrants:
            got = {s.event_id: s.score for s in e.scores.all()}
            e.cells = [(ev, got.get(ev.pk)) for ev in events]
        return _ctx(
            "contests",
            ct=ct,
            events=events,
            entrants=entrants,
            teams=list(ct.teams.select_related("org")),
            orgs=_orgs(request.user),
            values=request.POST,
        )

    if request.method == "POST":
        p = request.POST
        action = p.get("action")
        try:
            if action == "team":
                services.team_add(
                    actor=request.user,
                    contest=ct,
                    name=p.get("name", ""),
                    org=_org(request),
                    member_ids=_members(p.get("member_nos", "")),
                )
            elif action == "entrant":
                services.entrant_add(
                    actor=request.user, contest=ct, member_id=_member(p.get("member_no", ""), "member_no")
                )
            elif action == "scores":
                events = {str(e.pk): e for e in ct.events.all()}
                for entrant in ct.entrants.select_related("contest"):
                    for key, event in events.items():
                        raw = (p.get(f"s{entrant.pk}_{key}") or "").strip()
                        if raw:
                            services.score_record(actor=request.user, entrant=entrant, event=event, score=raw)
            elif action == "results":
                services.contest_results(actor=request.user, contest=ct)
            messages.success(request, "已保存")
            return redirect("honours_bench:contest", contest_id=ct.pk)
        except DomainError as exc:
            ct.refresh_from_db()
            return form_failed(request, "honours/bench_contest.html", ctx(), exc)
    return render(request, "honours/bench_contest.html", ctx())


@workbench_view
def training(request):
    ctx = _ctx(
        "training",
        records=selectors.training_in_scope(request.user)[:300],
        cert_levels=CertLevel.choices,
        contests=list(selectors.contests_in_scope(request.user).filter(status=Contest.Status.CLOSED)[:50]),
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            contest_obj = selectors.contest_get(request.user, p["contest"]) if p.get("contest") else None
            services.training_record(
                actor=request.user,
                member_id=_member(p.get("member_no", ""), "member_no"),
                course=p.get("course", ""),
                trade=p.get("trade", ""),
                level=p.get("level", ""),
                certificate_no=p.get("certificate_no", ""),
                issued_on=_date(p.get("issued_on")),
                hours=p.get("hours") or 0,
                contest=contest_obj,
            )
            messages.success(request, "已登记培训取证记录")
            return redirect("honours_bench:training")
        except DomainError as exc:
            return form_failed(request, "honours/bench_training.html", ctx, exc)
    return render(request, "honours/bench_training.html", ctx)


# --- services for honour holders -------------------------------------------------------------


@workbench_view
def outreach(request):
    ctx = _ctx(
        "outreach",
        rows=selectors.services_in_scope(request.user)[:100],
        orgs=_orgs(request.user),
        kinds=HonourService.Kind.choices,
        values=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        levels = p.getlist("levels")
        try:
            if p.get("action") == "cover":
                row, created, problems = services.honour_cover_donate(
                    actor=request.user,
                    org=_org(request),
                    product_id=p.get("product_id") or 0,
                    levels=levels,
                    donated_as=p.get("donated_as", "model_worker"),
                )
                messages.success(request, f"已为 {len(created)} 位荣誉获得者赠送互助保障")
                for problem in problems[:10]:
                    messages.warning(request, problem)
            else:
                row = services.honour_campaign_target(
                    actor=request.user,
                    org=_org(request),
                    campaign_id=p.get("campaign_id") or 0,
                    levels=levels,
                )
                messages.success(request, f"「{row.target_label}」已面向 {row.reached} 位荣誉获得者")
            return redirect("honours_bench:outreach")
        except DomainError as exc:
            return form_failed(request, "honours/bench_outreach.html", ctx, exc)
    return render(request, "honours/bench_outreach.html", ctx)
