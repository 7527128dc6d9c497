"""统计看板 workbench pages (desktop): the dashboard of one union (own union by default; ?org= drills down,
breadcrumbs go back up), its xlsx, and the union's own targets, denominators and public page settings.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.forms import form_failed
from gonghui.core.xlsx import XlsxWriter, export_audit, xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import org_get, org_roots, visible_ancestors

from .. import selectors, services
from ..definitions import BY_KEY, FIGURES, PUBLIC_CHOICES
from ..models import Target

TEMPLATE = "stats/bench_overview.html"


def _org(request, value=None):
    value = value if value is not None else request.GET.get("org", "")
    if value:
        return org_get(actor=request.user, org_id=value)
    root = org_roots(actor=request.user).first()
    if root is None:
        raise NotFound()
    return root


def _period(request):
    return selectors.period(request.GET.get("from") or None, request.GET.get("to") or None)


def _context(request, org, m0, m1) -> dict:
    data = selectors.overview(org, m0, m1)
    targets = selectors.targets_progress(Target.objects.filter(org=org))
    charts = {
        "series": data["series"],
        "breakdowns": data["breakdowns"],
        "target_share": selectors.target_line(org),
    }
    figures = data["figures"]
    extras = {
        "new_form_share": f"{figures['new_form']} 人",
        "join_rate": "未录入应入会职工数"
        if figures["eligible"] is None
        else f"应入会 {figures['eligible']} 人",
        "approval_within": f"时限 {data['approval_limit']} 个工作日",
        "cases_on_time": f"办结 {figures['cases_closed']} 件",
        "orders_served": f"点单 {figures['orders_placed']} · 服务 {figures['orders_people']} 人次",
        "tickets_issued": f"核销 {figures['tickets_redeemed']} 张",
        "stations": f"到站 {figures['station_visits']} 人次",
        "aid_paid": f"{figures['aid_people']} 人次",
    }
    return {
        "extras": extras,
        "nav": "stats",
        "org": org,
        "data": data,
        "f": figures,
        "defs": BY_KEY,
        "figure_list": FIGURES,
        "crumbs": visible_ancestors(actor=request.user, org=org),
        "children": selectors.children_progress(org),
        "targets": targets,
        "charts": charts,
        "can_manage": in_scope(request.user, org, services.MANAGE_ROLES),
        "denominators": selectors.denominators_for(org),
        "board": selectors.board_for(org),
        "public_choices": PUBLIC_CHOICES,
        "period_from": data["from"],
        "period_to": data["to"],
        "today": timezone.localdate(),
        "target_kinds": Target.Kind.choices,
    }


@workbench_view
def overview(request):
    org = _org(request)
    try:
        m0, m1 = _period(request)
    except DomainError as exc:
        m0, m1 = selectors.period()
        return form_failed(request, TEMPLATE, _context(request, org, m0, m1), exc)
    return _render(request, _context(request, org, m0, m1))


def _render(request, context, status=200):
    return render(request, TEMPLATE, context, status=status)


def _back(org, anchor=""):
    return redirect(f"{reverse('stats_bench:overview')}?org={org.pk}{anchor}")


def _failed(request, org, exc: DomainError):
    m0, m1 = selectors.period()
    return form_failed(request, TEMPLATE, _context(request, org, m0, m1), exc)


@workbench_view
def export(request):
    org = _org(request)
    m0, m1 = _period(request)
    data = selectors.overview(org, m0, m1)
    book = XlsxWriter()
    sheet = book.sheet("概览", header=["指标", "数值", "单位", "口径"])
    sheet.append(["工会", org.name, "", ""])
    sheet.append(["统计期间", f"{data['from']} 至 {data['to']}", "", "按整月统计"])
    sheet.append(["数据截至", data["as_of"] or "尚未汇总", "", "每日汇总任务最近一次汇总的日期"])
    for fig in FIGURES:
        value = data["figures"][fig.key]
        sheet.append([fig.label, "" if value is None else value, fig.unit, fig.definition])
    months = book.sheet(
        "按月",
        header=[
            "月份",
            "新入会",
            "转入",
            "转出",
            "退会",
            "恢复会籍",
            "净增长",
            "期末在册",
            "新就业形态占比(%)",
        ],
    )
    for row in data["series"]:
        months.append(
            [
                row["month"],
                row["joins"],
                row["xfer_in"],
                row["xfer_out"],
                row["leaves"],
                row["returns"],
                row["net_growth"],
                row["members"],
                "" if row["new_form_share"] is None else row["new_form_share"],
            ]
        )
    parts = book.sheet("分类", header=["分类", "项目", "数量", "金额(元)"])
    titles = {
        "join_channel": "入会渠道",
        "join_occupation": "入会职业",
        "join_form": "就业形态",
        "leave_reason": "退会原因",
        "approval_decision": "审批结果",
        "case_category": "工单类别",
        "ticket_kind": "发放（按活动类型）",
        "ticket_redeemed_kind": "核销（按活动类型）",
        "aid_kind": "帮扶（按项目类别）",
        "fund_category": "补贴（按类别）",
    }
    for key, title in titles.items():
        for row in data["breakdowns"][key]:
            parts.append([title, row["name"], row["value"], row.get("money") or ""])
    export_audit(
        actor=request.user,
        action="stats.export",
        orgs=org,
        detail={"from": data["from"], "to": data["to"]},
    )
    return xlsx_response(book.to_bytes(), f"统计看板-{org.display_name}-{data['from']}至{data['to']}.xlsx")


def _submit(request, anchor: str, write):
    """A settings form of the union in POST["org"]: write(org) through a service, then back to the dashboard;
    a refused value renders the dashboard again with the message (422), another union stays a 404."""
    org = _org(request, request.POST.get("org", ""))
    try:
        write(org)
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _failed(request, org, exc)
    return _back(org, anchor)


@workbench_view
@require_POST
def target_new(request):
    p = request.POST
    return _submit(
        request,
        "#targets",
        lambda org: services.target_set(
            actor=request.user,
            org=org,
            kind=p.get("kind", ""),
            value=p.get("value", ""),
            start=p.get("start", ""),
            due=p.get("due", ""),
            note=p.get("note", ""),
        ),
    )


@workbench_view
@require_POST
def target_delete(request, target_id: int):
    target = Target.objects.select_related("org").filter(pk=target_id).first()
    if target is None or not in_scope(request.user, target.org):
        raise NotFound()
    services.target_delete(actor=request.user, target_id=target_id)
    return _back(target.org, "#targets")


@workbench_view
@require_POST
def denominator_new(request):
    p = request.POST
    return _submit(
        request,
        "#denominator",
        lambda org: services.denominator_set(
            actor=request.user,
            org=org,
            eligible=p.get("eligible", ""),
            as_of=p.get("as_of", ""),
            source=p.get("source", ""),
        ),
    )


@workbench_view
@require_POST
def board(request):
    p = request.POST
    return _submit(
        request,
        "#public",
        lambda org: services.board_set(
            actor=request.user, org=org, enabled=p.get("enabled") == "on", figures=p.getlist("figures")
        ),
    )
