"""医疗互助 workbench: claims to review and pay, the 五个一, enrolment by picking members, products, report."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gonghui.core.errors import DomainError
from gonghui.core.xlsx import xlsx_response
from gonghui.members.selectors import members_in_scope
from gonghui.orgs.decorators import workbench_view

from .. import selectors, services
from ..models import Enrolment, MutualAidClaim
from .worker import claim_input, parse_date, send_photo

STATUS_TABS = [("submitted", "待审核"), ("approved", "待支付"), ("paid", "已支付"), ("", "全部")]


@workbench_view
def claims(request):
    status = request.GET.get("status", "submitted")
    q = request.GET.get("q", "")
    page = Paginator(selectors.claim_list(actor=request.user, status=status, q=q), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mutual_aid/bench_claims.html",
        {"page": page, "tabs": STATUS_TABS, "status": status, "q": q, "nav": "mutual_aid"},
    )


def _act(request, claim):
    action, post, user = request.POST.get("action"), request.POST, request.user
    if action == "approve":
        services.claim_approve(actor=user, claim=claim, note=post.get("note", ""))
        return "已审核通过"
    if action == "reject":
        services.claim_reject(actor=user, claim=claim, reason=post.get("reason", ""))
        return "已登记不予给付"
    if action == "pay":
        services.claim_pay(actor=user, claim=claim)
        return "已登记支付，补助短信已发送"
    if action == "withdraw":
        services.claim_withdraw(actor=user, claim=claim, reason=post.get("reason", ""))
        return "已撤回，同年度其余申请已重新计算"
    if action == "update":
        services.claim_update(actor=user, claim=claim, data=claim_input(post), reason=post.get("reason", ""))
        return "已更正，全年重新计算"
    if action == "follow_up":
        follow = services.follow_up_tick(
            actor=user,
            claim=claim,
            item=post.get("item", ""),
            note=post.get("note", ""),
            done_on=parse_date(post.get("done_on")),
        )
        return f"已登记「{follow.get_item_display()}」"
    raise DomainError("未知操作", code="action")


@workbench_view
@require_http_methods(["GET", "POST"])
def claim_detail(request, claim_id):
    claim = selectors.claim_get_for_staff(actor=request.user, claim_id=claim_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            done = _act(request, claim)
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
            claim = selectors.claim_get_for_staff(actor=request.user, claim_id=claim_id)
        else:
            messages.success(request, done)
            return redirect("mutual_aid_bench:claim", claim.pk)
    services.claim_pii_read(actor=request.user, claim=claim, where="workbench")
    follow_ups = selectors.follow_ups(claim)
    return render(
        request,
        "mutual_aid/bench_claim.html",
        {
            "claim": claim,
            "member": claim.enrolment.member,
            "year": selectors.year_of(claim),
            "photos": claim.photos.all(),
            "follow_ups": follow_ups,
            "follow_items": [(f.item, f.get_item_display()) for f in follow_ups if f.done_at is None],
            "kinds": MutualAidClaim.Kind.choices,
            "errors": errors,
            "values": request.POST if errors else {},
            "nav": "mutual_aid",
        },
        status=status,
    )


@workbench_view
def claim_photo(request, claim_id, photo_id):
    claim = selectors.claim_get_for_staff(actor=request.user, claim_id=claim_id)
    return send_photo(claim.photos.filter(pk=photo_id).first())


@workbench_view
@require_http_methods(["GET", "POST"])
def enrol(request):
    products = list(
        selectors.products_for(actor=request.user).filter(is_active=True).order_by("-year", "code")
    )
    product_id = (
        request.POST.get("product") or request.GET.get("product") or (products[0].pk if products else None)
    )
    product = selectors.product_get(actor=request.user, product_id=product_id) if product_id else None
    errors, problems, status = {}, [], 200
    if request.method == "POST" and product is not None and request.FILES.get("file"):
        try:
            count, problems = services.enrolment_import(
                actor=request.user, product=product, data=request.FILES["file"].read()
            )
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            messages.success(request, f"已从表格为 {count} 名会员办理参保")
            if not problems:
                return redirect(f"{request.path}?product={product.pk}")
    elif request.method == "POST" and product is not None:
        try:
            created, problems = services.enrolment_create(
                actor=request.user,
                product=product,
                member_ids=request.POST.getlist("member"),
                paid_by=request.POST.get("paid_by", "union"),
                donated_as=request.POST.get("donated_as", ""),
            )
        except DomainError as exc:
            errors, status = {exc.field or "general": exc.message}, exc.status
        else:
            messages.success(request, f"已为 {len(created)} 名会员办理参保")
            if not problems:
                return redirect(f"{request.path}?product={product.pk}")
    q = request.GET.get("q", "").strip()
    candidates = []
    if product is not None:
        qs = members_in_scope(actor=request.user).filter(
            status="active", org_path__startswith=product.org_path
        )
        if product.eligibility == "new_form":
            qs = qs.filter(employment_form="new")
        if q:
            qs = qs.filter(name__startswith=q)
        qs = (
            qs.exclude(mutual_aid_enrolments__product=product)
            .select_related("org")
            .order_by("org_path", "name")
        )
        candidates = list(qs[:100])
    enrolled = selectors.enrolment_list(actor=request.user, product_id=product.pk)[:50] if product else []
    return render(
        request,
        "mutual_aid/bench_enrol.html",
        {
            "products": products,
            "product": product,
            "candidates": candidates,
            "enrolled": enrolled,
            "q": q,
            "paid_by": Enrolment.PaidBy.choices,
            "donated_as": [c for c in Enrolment.DonatedAs.choices if c[0]],
            "errors": errors,
            "problems": problems,
            "nav": "mutual_aid",
        },
        status=status,
    )


@workbench_view
def products(request):
    return render(
        request,
        "mutual_aid/bench_products.html",
        {
            "products": selectors.products_for(actor=request.user).order_by("-year", "code"),
            "nav": "mutual_aid",
        },
    )


@workbench_view
def report(request):
    year = request.GET.get("year", "")
    data = selectors.report(actor=request.user, year=int(year) if year.isdigit() else None)
    return render(request, "mutual_aid/bench_report.html", {**data, "year": year, "nav": "mutual_aid"})


@workbench_view
def enrol_template(request):
    return xlsx_response(services.enrolment_template(), "医疗互助参保名单模板.xlsx")
