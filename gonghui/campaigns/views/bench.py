"""普惠活动 workbench pages under /workbench/campaigns/: list, create/edit, report, 核销 at the door."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, form_failed
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import scoped_orgs

from .. import selectors, services
from ..api import report_response
from ..forms import CampaignForm, OfferRows
from ..models import Campaign


@workbench_view
def bench_list(request):
    campaigns = selectors.campaigns_managed(
        actor=request.user, q=request.GET.get("q", ""), kind=request.GET.get("kind", "")
    )[:200]
    return render(
        request,
        "campaigns/bench_list.html",
        {
            "campaigns": campaigns,
            "filters": request.GET,
            "kinds": Campaign.Kind.choices,
            "nav": "campaigns",
        },
    )


CAMPAIGN_FIELDS = (
    "title",
    "kind",
    "mode",
    "description",
    "venue",
    "opens_at",
    "closes_at",
    "cancel_deadline",
    "real_name_required",
    "new_form_only",
    "occupations",
    "per_member_limit",
    "lottery_weight_losers",
)


def _campaign_form_page(request, *, campaign=None):
    """New campaign, or the edit of one that has not opened: the same form, offers as rows."""
    orgs = list(scoped_orgs(request.user, services.MANAGE_ROLES).order_by("path")[:500])
    if campaign is None:
        initial = {"per_member_limit": 1, "real_name_required": True}
        rows = OfferRows([])
    else:
        initial = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS} | {"org": campaign.org_id}
        initial |= {
            f: timezone.localtime(initial[f])
            for f in ("opens_at", "closes_at", "cancel_deadline")
            if initial[f]
        }
        rows = OfferRows.from_offers(campaign.offers.all())
    form = CampaignForm(request.POST or None, orgs=orgs, initial=initial)
    status = 200
    if request.method == "POST":
        rows = OfferRows.from_post(request.POST)
        adding_or_removing = "add_offer" in request.POST or "remove_offer" in request.POST
        offers = rows.cleaned()
        if not adding_or_removing and form.is_valid() and offers is not None:
            data = {f: form.cleaned_data[f] for f in CAMPAIGN_FIELDS}
            org = next(o for o in orgs if o.pk == form.cleaned_data["org"])
            try:
                if campaign is None:
                    campaign = services.campaign_create(actor=request.user, org=org, offers=offers, **data)
                    messages.success(request, "活动已发布")
                else:
                    services.campaign_update(
                        actor=request.user, campaign=campaign, org=org, offers=offers, **data
                    )
                    messages.success(request, "修改已保存")
                return redirect("campaigns_bench:detail", campaign.pk)
            except DomainError as exc:
                if exc.status in (401, 403, 404) and not getattr(exc, "errors", None):
                    raise
                for error in getattr(exc, "errors", None) or [exc]:
                    field = error.field or ""
                    if not rows.add_service_error(field, error.message):
                        field = field.split(".")[0]
                        form.add_error(
                            field if field in form.fields and field != "offers" else None, error.message
                        )
        if not adding_or_removing:
            if offers is None:
                # The rows carry their own messages; the summary at the top says where to look.
                form.add_error(None, "课程班次 / 券种有填写错误，请修改下方标红的行")
            status = FORM_ERROR_STATUS
    return render(
        request,
        "campaigns/bench_new.html",
        {"form": form, "offer_rows": rows, "campaign": campaign, "nav": "campaigns"},
        status=status,
    )


@workbench_view
def bench_new(request):
    return _campaign_form_page(request)


@workbench_view
def bench_edit(request, campaign_id):
    campaign = selectors.campaign_managed_get(actor=request.user, campaign_id=campaign_id)
    if not services.campaign_editable(campaign):
        messages.error(request, "活动已开始或已撤回，不能再修改（开始前才能修改）")
        return redirect("campaigns_bench:detail", campaign.pk)
    return _campaign_form_page(request, campaign=campaign)


@workbench_view
def bench_detail(request, campaign_id):
    report = selectors.campaign_report(actor=request.user, campaign_id=campaign_id)
    campaign = report["campaign"]
    context = {
        "campaign": campaign,
        "report": report,
        "editable": services.campaign_editable(campaign),
        "withdrawable": campaign.status != Campaign.Status.WITHDRAWN
        and not report["totals"]["issued"]
        and not report["entries"],
        "nav": "campaigns",
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action in {"draw", "withdraw"}:
        try:
            if action == "draw":
                services.campaign_draw(actor=request.user, campaign=campaign)
                messages.success(request, "已开奖，结果已通知参与者")
            else:
                services.campaign_withdraw(actor=request.user, campaign=campaign)
                messages.success(request, "活动已撤回，会员不再能看到和领取")
        except DomainError as exc:
            return form_failed(request, "campaigns/bench_detail.html", context, exc)
        return redirect("campaigns_bench:detail", campaign.pk)
    return render(request, "campaigns/bench_detail.html", context)


@workbench_view
def bench_export(request, campaign_id):
    report = selectors.campaign_report(actor=request.user, campaign_id=campaign_id)
    return report_response(request.user, report)


def redeem_page(request):
    """核销 at the door: staff first say which activity/session they are checking in (kept for the
    next scans), then each code is looked up and shown — with a warning when it is for another
    activity or session, or another day — before 确认核销."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    post = request.POST
    offer_id = post.get("offer") or request.GET.get("offer") or request.session.get("redeem_offer") or ""
    offers = selectors.offers_redeemable(actor=request.user)
    expected = next((o for o in offers if str(o.pk) == str(offer_id)), None)
    if expected is None and offer_id and str(offer_id).isdigit():
        # A session no longer listed (e.g. a week past) may still be chosen explicitly.
        with contextlib.suppress(DomainError):
            expected = services.redeemable_offer_get(actor=request.user, offer_id=offer_id)
    if expected is not None:
        request.session["redeem_offer"] = expected.pk
    context = {
        "nav": "redeem",
        "code": "",
        "place": post.get("place", ""),
        "offers": offers,
        "expected": expected,
        "any_offer": offer_id == "any",
    }
    if offer_id == "any":
        request.session["redeem_offer"] = "any"
    status = 200
    if request.method == "POST":
        context["code"] = post.get("code", "")
        try:
            if post.get("step") == "confirm":
                context["ticket"] = services.ticket_redeem(
                    actor=request.user,
                    code=context["code"],
                    place=context["place"],
                    expected_offer_id=expected.pk if expected else None,
                    acknowledged=post.get("acknowledged") == "1",
                )
                context["code"] = ""
            else:
                ticket = services.ticket_for_redeem(actor=request.user, code=context["code"])
                context["preview"] = ticket
                context["warnings"] = services.redeem_warnings(
                    ticket=ticket, expected_offer=expected, today=timezone.localdate()
                )
        except DomainError as exc:
            context["error"] = exc
            status = 200 if request.htmx else exc.status
    template = "campaigns/_redeem_result.html" if request.htmx else "campaigns/redeem.html"
    return render(request, template, context, status=status)
