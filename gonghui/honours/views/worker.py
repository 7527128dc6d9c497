"""劳模工匠 on the phone (360 px): the worker's own honours and nominations, self-nomination to an open
selection, and the technical-problem board a master takes problems from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import form_failed
from gonghui.members.selectors import member_of_user

from .. import selectors, services
from ..models import TechProblem


@login_required
def mine(request):
    member = member_of_user(request.user)
    return render(
        request,
        "honours/mine.html",
        {
            "honours": selectors.honours_for_user(request.user)[:200],
            "nominations": selectors.my_nominations(member)[:50],
            "open_selections": selectors.open_selections_for(member)[:20],
            "training": selectors.training_for(member)[:50],
            "tab": "services",
        },
    )


@login_required
def nominate_self(request, selection_id: int):
    member = member_of_user(request.user)
    sel = selectors.open_selections_for(member).filter(pk=selection_id).first()
    if sel is None:
        raise NotFound("未找到可自荐的评选")
    ctx = {"sel": sel, "values": request.POST, "tab": "services"}
    if request.method == "POST":
        try:
            services.nominate(
                actor=request.user,
                selection=sel,
                member_id=member.pk,
                evidence=request.POST.get("evidence", ""),
            )
            messages.success(request, f"已提交自荐：{sel.title}")
            return redirect("honours:mine")
        except DomainError as exc:
            return form_failed(request, "honours/nominate.html", ctx, exc)
    return render(request, "honours/nominate.html", ctx)


@login_required
def problems(request):
    member = member_of_user(request.user)

    def ctx():
        return {
            "posted": TechProblem.objects.filter(status=TechProblem.Status.POSTED).select_related("org")[
                :100
            ],
            "mine": selectors.problems_taken_by(member)[:50],
            "member": member,
            "values": request.POST,
            "tab": "services",
        }

    if request.method == "POST":
        p = request.POST
        problem = TechProblem.objects.filter(
            pk=int(p.get("problem") or 0) if str(p.get("problem", "")).isdigit() else 0
        ).first()
        if problem is None:
            raise NotFound()
        try:
            if p.get("action") == "take":
                services.problem_take(actor=request.user, problem=problem)
                messages.success(request, f"已揭榜：{problem.title}")
            else:
                services.problem_propose(
                    actor=request.user,
                    problem=problem,
                    solution=p.get("solution", ""),
                    follow_up=p.get("follow_up", ""),
                )
                messages.success(request, "方案已提交，等待企业确认")
            return redirect("honours:problems")
        except DomainError as exc:
            return form_failed(request, "honours/problems.html", ctx(), exc)
    return render(request, "honours/problems.html", ctx())
