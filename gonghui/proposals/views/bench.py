"""全员改善 in the workbench: the review queue, a proposal's review and follow-through, rewards and the
ledger finance exports, the report by unit/tier/category/quarter, and the 内训师."""

from __future__ import annotations

import datetime as dt
import re

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.core.pagination import page_of
from gonghui.core.xlsx import XlsxWriter, export_audit, xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.models import Org
from gonghui.orgs.scope import in_scope, scope_paths, subtree_q
from gonghui.orgs.selectors import org_get

from .. import selectors, services
from ..models import Proposal, Reward

VIEWS = {
    "mine": "待我评审",
    "all": "全部",
    "overdue": "评审超时",
    "follow": "待实施",
    "lapsed": "逾期未实施",
}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError("日期格式应为 YYYY-MM-DD", code="date_format", field="due_date") from None


@workbench_view
def proposal_list(request):
    view = request.GET.get("view", "mine")
    view = view if view in VIEWS else "mine"
    qs = selectors.proposal_list(
        actor=request.user,
        view="" if view == "all" else view,
        category=request.GET.get("category", ""),
        q=request.GET.get("q", "").strip()[:40],
    )
    page = page_of(qs, request.GET.get("page"), per_page=30)
    return render(
        request,
        "proposals/bench_list.html",
        {
            "page": page,
            "view": view,
            "views": VIEWS.items(),
            "filters": request.GET,
            "categories": Proposal.Category.choices,
            "nav": "proposals",
        },
    )


def _user(request, field: str):
    value = request.POST.get(field, "")
    if not value:
        raise DomainError("请选择人员", code="required", field=field)
    try:
        return selectors.user_in_scope(actor=request.user, user_id=value)
    except NotFound:
        raise DomainError("请选择本单位的人员", code="invalid_choice", field=field) from None


@workbench_view
@require_http_methods(["GET", "POST"])
def detail(request, proposal_id):
    proposal = selectors.proposal_get_for_staff(actor=request.user, proposal_id=proposal_id)
    errors = FormErrors()
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        try:
            if action == "review":
                scores = {k[6:]: v for k, v in post.items() if k.startswith("score_")}
                services.review_decide(
                    actor=request.user,
                    proposal=proposal,
                    decision=post.get("decision", ""),
                    scores=scores,
                    reason=post.get("reason", ""),
                )
            elif action == "assign":
                services.review_assign(
                    actor=request.user, proposal=proposal, reviewer=_user(request, "reviewer")
                )
            elif action == "owner":
                services.proposal_set_owner(
                    actor=request.user,
                    proposal=proposal,
                    owner=_user(request, "owner"),
                    due_date=_date(post.get("due_date", "")),
                )
            elif action == "implement":
                services.proposal_record_implementation(
                    actor=request.user,
                    proposal=proposal,
                    evidence=post.get("evidence", ""),
                    photo=request.FILES.get("evidence_photo"),
                )
            elif action == "verify":
                services.proposal_verify_benefit(
                    actor=request.user, proposal=proposal, benefit=post.get("verified_benefit", "")
                )
            elif action == "reward":
                services.reward_grant(
                    actor=request.user,
                    programme=proposal.programme,
                    kind=post.get("kind", ""),
                    year=post.get("year", ""),
                    quarter=post.get("quarter") or None,
                    amount=post.get("amount", ""),
                    proposal=proposal,
                )
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect("proposals_bench:detail", proposal.pk)
        proposal = selectors.proposal_get_for_staff(actor=request.user, proposal_id=proposal_id)
    review = selectors.open_review(proposal)
    manager = in_scope(request.user, proposal.org, services.MANAGER_ROLES)
    now = timezone.localtime()
    staff = []
    if manager:
        from gonghui.orgs.selectors import staff_in_scope

        staff = list(
            {
                s.user_id: s
                for s in staff_in_scope(actor=request.user).filter(
                    subtree_q(proposal.programme.org.path, "org__path")
                )
            }.values()
        )[:100]
    return render(
        request,
        "proposals/bench_detail.html",
        {
            "proposal": proposal,
            "review": review,
            "is_reviewer": review is not None and review.reviewer_id == request.user.pk,
            "manager": manager,
            "is_owner": proposal.owner_id == request.user.pk,
            "criteria": [
                {
                    **c,
                    "value": request.POST.get(f"score_{c['key']}", "") if errors else "",
                }
                for c in proposal.programme.criteria
            ],
            "reviews": proposal.reviews.select_related("reviewer").all(),
            "events": proposal.events.all(),
            "team": proposal.team.all(),
            "rewards": proposal.rewards.all(),
            "staff": staff,
            "reward_kinds": [(Reward.Kind.QUARTER, "季度优秀提案"), (Reward.Kind.HALL, "年度名人堂")],
            "year": now.year,
            "quarter": (now.month - 1) // 3 + 1,
            "form_errors": errors,
            "values": request.POST if errors else {},
            "nav": "proposals",
        },
        status=FORM_ERROR_STATUS if errors else 200,
    )


@workbench_view
def photo(request, proposal_id, which):
    proposal = selectors.proposal_get_for_staff(actor=request.user, proposal_id=proposal_id)
    file = proposal.photo if which == "photo" else proposal.evidence_photo
    if not file:
        raise Http404
    response = FileResponse(file.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _period(request) -> tuple[int, int | None]:
    now = timezone.localdate()
    try:
        year = int(request.GET.get("year") or now.year)
    except ValueError:
        year = now.year
    quarter = request.GET.get("quarter", str((now.month - 1) // 3 + 1))
    quarter = int(quarter) if quarter in ("1", "2", "3", "4") else None
    return max(2000, min(year, 2100)), quarter


@workbench_view
@require_http_methods(["GET", "POST"])
def ledger(request):
    year, quarter = _period(request)
    errors = FormErrors()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "exemplar":
                programme = selectors.programme_get(
                    actor=request.user, programme_id=request.POST.get("programme")
                )
                services.reward_grant(
                    actor=request.user,
                    programme=programme,
                    kind=Reward.Kind.EXEMPLAR,
                    year=year,
                    quarter=request.POST.get("quarter") or quarter,
                    recipient=_user(request, "recipient"),
                )
            else:
                reward = selectors.reward_get(actor=request.user, reward_id=request.POST.get("reward"))
                services.reward_handover(
                    actor=request.user,
                    reward=reward,
                    note=request.POST.get("note", ""),
                    photo=request.FILES.get("handover_photo"),
                )
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect(request.get_full_path())
    rewards = list(selectors.reward_ledger(actor=request.user, year=year, quarter=quarter))
    return render(
        request,
        "proposals/bench_ledger.html",
        {
            "programmes": list(selectors.programmes_in_scope(actor=request.user)[:20]),
            "candidates": selectors.exemplar_candidates(actor=request.user, year=year),
            "rewards": rewards,
            "total": sum((r.amount for r in rewards), 0),
            "year": year,
            "quarter": quarter,
            "form_errors": errors,
            "nav": "proposals",
        },
        status=FORM_ERROR_STATUS if errors else 200,
    )


LEDGER_HEADER = [
    "期间",
    "奖项",
    "获奖人",
    "提案编号",
    "提案标题",
    "单位",
    "金额(元)",
    "批准人",
    "批准日期",
    "送奖到岗位",
]


def ledger_xlsx(rewards: list[Reward], title: str) -> bytes:
    """The reward ledger for finance (docs/proposals.md): one row per award, then 合计. No phone, no ID."""
    book = XlsxWriter()
    sheet = book.sheet(title, header=LEDGER_HEADER)
    for r in rewards:
        sheet.append(
            [
                r.period_label,
                r.get_kind_display(),
                r.recipient_name,
                r.proposal.number if r.proposal else "",
                r.proposal.title if r.proposal else "",
                r.proposal.org.name if r.proposal else r.programme.org.name,
                r.amount,
                r.approved_by.name,
                timezone.localtime(r.approved_at).strftime("%Y-%m-%d"),
                timezone.localtime(r.handed_over_at).strftime("%Y-%m-%d") if r.handed_over_at else "",
            ]
        )
    sheet.append(["合计", "", "", "", "", "", sum((r.amount for r in rewards), 0)])
    sheet.widths((16, 14, 10, 18, 30, 30, 12, 10, 12, 12))
    return book.to_bytes()


@workbench_view
def ledger_export(request):
    year, quarter = _period(request)
    rewards = list(selectors.reward_ledger(actor=request.user, year=year, quarter=quarter))
    title = f"{year}年第{quarter}季度改善奖励台账" if quarter else f"{year}年改善奖励台账"
    export_audit(
        actor=request.user,
        action="proposal.ledger_export",
        orgs=list(Org.objects.filter(path__in=scope_paths(request.user))),
        detail={"period": title, "rows": len(rewards)},
    )
    return xlsx_response(ledger_xlsx(rewards, title), f"{title}.xlsx")


@workbench_view
def report(request):
    year, _ = _period(request)
    by = request.GET.get("by", "unit")
    by = by if by in selectors.REPORT_GROUPS else "unit"
    roots = scope_paths(request.user)
    org_id = request.GET.get("org")
    org = org_get(actor=request.user, org_id=org_id) if org_id else Org.objects.get(path=roots[0])
    rows = selectors.report(actor=request.user, year=year, by=by, org=org)
    totals = {
        k: sum(r[k] for r in rows) for k in ("submitted", "adopted", "implemented", "savings", "rewards")
    }
    top = selectors.library(root=org, order="benefit").exclude(verified_benefit=None)[:10]
    return render(
        request,
        "proposals/bench_report.html",
        {
            "rows": rows,
            "totals": totals,
            "year": year,
            "by": by,
            "groups": selectors.REPORT_GROUPS.items(),
            "org": org,
            "top": top,
            "nav": "proposals",
        },
    )


def _user_by_phone(request, phone: str, field: str):
    from gonghui.accounts.models import User

    try:
        user = User.objects.get_by_phone(phone)
        return selectors.user_in_scope(actor=request.user, user_id=user.pk)
    except (User.DoesNotExist, NotFound, ValueError, DomainError):
        raise DomainError(
            f"未找到手机号为 {phone or '（空）'} 的本单位会员或干部", code="not_found", field=field
        ) from None


@workbench_view
@require_http_methods(["GET", "POST"])
def trainers(request):
    errors = FormErrors()
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "appoint":
                services.trainer_appoint(
                    actor=request.user,
                    org=org_get(actor=request.user, org_id=post.get("org")),
                    user=_user_by_phone(request, post.get("phone", "").strip(), "phone"),
                    level=_posted_int(request, "level") or 3,
                    speciality=post.get("speciality", ""),
                )
            elif post.get("action") == "session":
                trainer = selectors.trainer_get(actor=request.user, trainer_id=post.get("trainer"))
                phones = [p for p in re.split(r"[\s,，、]+", post.get("attendees", "")) if p][:200]
                held_on = _date(post.get("held_on", ""))
                if held_on is None:
                    raise DomainError("请填写培训日期（YYYY-MM-DD）", code="required", field="held_on")
                services.training_record(
                    actor=request.user,
                    trainer=trainer,
                    title=post.get("title", ""),
                    held_on=held_on,
                    attendees=[_user_by_phone(request, p, "attendees") for p in phones],
                )
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect("proposals_bench:trainers")
    items = selectors.trainers_in_scope(actor=request.user).prefetch_related("sessions")[:200]
    orgs = Org.objects.filter(
        pk__in=selectors.programmes_in_scope(actor=request.user).values("org_id")
    ) | Org.objects.filter(path__in=scope_paths(request.user))
    return render(
        request,
        "proposals/bench_trainers.html",
        {"trainers": items, "orgs": orgs.order_by("path")[:50], "form_errors": errors, "nav": "proposals"},
        status=FORM_ERROR_STATUS if errors else 200,
    )


def _posted_int(request, field: str):
    value = request.POST.get(field, "")
    return int(value) if value.isdigit() else None


@workbench_view
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """活动设置: start the programme; tiers and their review limits; reviewers by tier, unit and level;
    reward ranges."""
    programmes = list(selectors.programmes_in_scope(actor=request.user).prefetch_related("tiers"))
    errors = FormErrors()
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        try:
            if action == "create":
                org = org_get(actor=request.user, org_id=post.get("org"))
                services.programme_create(actor=request.user, org=org, name=post.get("name", "全员改善"))
            else:
                programme = selectors.programme_get(actor=request.user, programme_id=post.get("programme"))
                if action == "tier":
                    tier = programme.tiers.filter(pk=_posted_int(request, "tier") or 0).first()
                    services.tier_save(
                        actor=request.user,
                        programme=programme,
                        tier=tier,
                        name=post.get("name", ""),
                        rank=post.get("rank"),
                        review_days=post.get("review_days"),
                    )
                elif action == "reviewer":
                    tier = programme.tiers.filter(pk=_posted_int(request, "tier") or 0).first()
                    if tier is None:
                        raise DomainError("请选择层级", code="required", field="tier")
                    services.reviewer_add(
                        actor=request.user,
                        programme=programme,
                        tier=tier,
                        org=org_get(actor=request.user, org_id=post.get("org")),
                        user=_user(request, "user"),
                        level=_posted_int(request, "level") or 1,
                    )
                elif action == "remove_reviewer":
                    reviewer = programme.reviewers.filter(pk=_posted_int(request, "reviewer") or 0).first()
                    if reviewer is None:
                        raise NotFound()
                    services.reviewer_remove(actor=request.user, reviewer=reviewer)
                elif action == "rules":
                    keys = ("quarter_min", "quarter_max", "exemplar_amount", "hall_min", "hall_max")
                    services.programme_update_rules(
                        actor=request.user, programme=programme, **{k: post.get(k, "") for k in keys}
                    )
                else:
                    raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect("proposals_bench:settings")
        programmes = list(selectors.programmes_in_scope(actor=request.user).prefetch_related("tiers"))
    from gonghui.orgs.selectors import staff_in_scope

    roots = list(Org.objects.filter(path__in=scope_paths(request.user)).order_by("path"))
    blocks = []
    for programme in programmes:
        units = list(Org.objects.filter(subtree_q(programme.org.path), is_active=True).order_by("path")[:200])
        blocks.append(
            {
                "programme": programme,
                "reviewers": programme.reviewers.filter(is_active=True).select_related("tier", "org", "user"),
                "units": units,
            }
        )
    staff = list({s.user_id: s for s in staff_in_scope(actor=request.user)}.values())[:300]
    return render(
        request,
        "proposals/bench_settings.html",
        {
            "blocks": blocks,
            "roots": [r for r in roots if not any(b["programme"].org_id == r.pk for b in blocks)],
            "staff": staff,
            "form_errors": errors,
            "nav": "proposals",
        },
        status=FORM_ERROR_STATUS if errors else 200,
    )
