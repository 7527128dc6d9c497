"""全员改善 on the phone: capture in one screen, finish on a break, submit, follow, rewards, library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, FormErrors
from gonghui.orgs.scope import subtree_q

from .. import selectors, services
from ..models import Proposal, Trainer


def _team_lines(text: str) -> list[services.TeamInput]:
    """One colleague per line: "姓名 手机号" (phone optional)."""
    rows = []
    for line in (text or "").splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            rows.append(services.TeamInput(name=parts[0], phone=parts[1] if len(parts) > 1 else ""))
    return rows


@login_required
def mine(request):
    proposals = selectors.worker_proposals(actor=request.user)[:100]
    return render(
        request,
        "proposals/mine.html",
        {"proposals": proposals, "counts": selectors.worker_counts(actor=request.user), "tab": "services"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def capture(request):
    errors = FormErrors()
    if request.method == "POST":
        try:
            proposal = services.proposal_capture(
                actor=request.user,
                title=request.POST.get("title", ""),
                note=request.POST.get("note", ""),
                place=request.POST.get("place", ""),
                photo=request.FILES.get("photo"),
            )
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect("proposals:detail", proposal.pk)
    return render(
        request,
        "proposals/capture.html",
        {"form_errors": errors, "values": request.POST, "tab": "services"},
        status=FORM_ERROR_STATUS if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, proposal_id):
    proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    errors = FormErrors()
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                post = request.POST
                services.proposal_update(
                    actor=request.user,
                    proposal=proposal,
                    data=services.ProposalInput(
                        title=post.get("title"),
                        place=post.get("place"),
                        tier_id=post.get("tier") or None,
                        category=post.get("category") or None,
                        problem=post.get("problem"),
                        solution=post.get("solution"),
                        expected_benefit=post.get("expected_benefit"),
                        estimated_savings=post.get("estimated_savings"),
                        show_name=post.get("show_name") == "on",
                        team=_team_lines(post.get("team", "")),
                    ),
                    photo=request.FILES.get("photo"),
                )
                if action == "submit":
                    services.proposal_submit(actor=request.user, proposal=proposal)
            elif action == "coach":
                trainer = Trainer.objects.filter(pk=request.POST.get("trainer") or 0).first()
                if trainer is None:
                    raise DomainError("请选择内训师", code="required", field="trainer")
                services.proposal_request_coach(actor=request.user, proposal=proposal, trainer=trainer)
            else:
                raise DomainError("未知操作", code="action")
        except DomainError as exc:
            errors = FormErrors.from_exc(exc)
        else:
            return redirect("proposals:detail", proposal.pk)
        proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    editable = proposal.status in (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
    team_text = "\n".join(m.name for m in proposal.team.all())
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "events": proposal.events.all(),
            "editable": editable,
            "tiers": proposal.programme.tiers.all(),
            "categories": Proposal.Category.choices,
            "trainers": Trainer.objects.filter(
                subtree_q(proposal.programme.org.path, "org_path"), is_active=True
            )[:50],
            "rewards": proposal.rewards.filter(recipient=request.user),
            "team_text": request.POST.get("team", team_text) if errors else team_text,
            "form_errors": errors,
            "values": request.POST if errors else None,
            "tab": "services",
        },
        status=FORM_ERROR_STATUS if errors else 200,
    )


@login_required
def photo(request, proposal_id):
    proposal = selectors.proposal_get_for_worker(actor=request.user, proposal_id=proposal_id)
    if not proposal.photo:
        raise Http404
    response = FileResponse(proposal.photo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def rewards(request):
    items = list(selectors.worker_rewards(actor=request.user)[:200])
    return render(
        request,
        "proposals/rewards.html",
        {"rewards": items, "total": sum((r.amount for r in items), 0), "tab": "services"},
    )


@login_required
def library(request):
    member = getattr(request.user, "member", None)
    programme = services.programme_for_org(member.org) if member else None
    items, q = [], request.GET.get("q", "").strip()[:40]
    if programme is not None:
        items = selectors.library(
            root=programme.org,
            q=q,
            category=request.GET.get("category", ""),
            order=request.GET.get("order", ""),
        )[:50]
    return render(
        request,
        "proposals/library.html",
        {
            "programme": programme,
            "items": items,
            "q": q,
            "categories": Proposal.Category.choices,
            "filters": request.GET,
            "tab": "services",
        },
    )
