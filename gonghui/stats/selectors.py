"""Reads for the dashboards, always through the actor's scope (another subtree's union is a 404).

Every figure of a period comes from MonthFact rows of ONE union (its whole subtree, rolled up): one
index range, a few thousand rows at most, whatever the size of the tree below. Stations are counted live
(a province has thousands, not millions); targets and denominators are small tables of their own."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from gonghui.campaigns.models import Campaign
from gonghui.cases.models import Case
from gonghui.core.errors import DomainError
from gonghui.core.glossary import OCCUPATION_LABELS
from gonghui.core.money import yuan
from gonghui.members.models import Member
from gonghui.orgs.models import Org
from gonghui.orgs.scope import subtree_q
from gonghui.orgs.selectors import org_get, visible_ancestors
from gonghui.stations.models import Station

from .facts import bucket_days
from .models import Denominator, MonthFact, PublicBoard, Target
from .rollup import last_rolled_day, month_of

CHANNELS = dict(Member._meta.get_field("source").choices)
FORMS = dict(Member.EmploymentForm.choices)
LEAVE_REASONS = {s: Member.Status(s).label for s in Member.LEAVING}
CASE_CATEGORIES = dict(Case.Category.choices)
CAMPAIGN_KINDS = dict(Campaign.Kind.choices)
AID_KINDS = {
    "jinqiu": "金秋助学",
    "medical": "医疗救助",
    "living": "生活救助",
    "accident": "意外致困救助",
    "condolence": "慰问",
}
FUND_CATEGORIES = {
    "new_form": "新就业形态",
    "station": "服务站点/驿站",
    "social_worker": "社会化工会工作者",
    "grassroots": "基层工会建设",
    "project": "服务项目",
    "training": "技能培训",
    "award": "奖励/工作室",
    "other": "其他",
}
DEFAULT_MONTHS = 12
MAX_MONTHS = 120


def approval_limit() -> int:
    return int(getattr(settings, "GONGHUI_ENROLLMENT_LIMIT_WORKING_DAYS", 15))


# --- the period ------------------------------------------------------------------------------------


def _parse_month(value: str, field: str) -> dt.date:
    text = (value or "").strip()
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return month_of(dt.date.fromisoformat(text))
    except ValueError:
        raise DomainError(
            "日期格式应为 YYYY-MM-DD 或 YYYY-MM，例如 2026-01-01", code="stats_date_format", field=field
        ) from None


def add_months(month: dt.date, n: int) -> dt.date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def period(date_from: str | None = None, date_to: str | None = None, *, today: dt.date | None = None):
    """Whole months: `from` opens its month, `to` closes its month. Default: the last 12 months."""
    today = today or timezone.localdate()
    m1 = _parse_month(date_to, "to") if date_to else month_of(today)
    m0 = _parse_month(date_from, "from") if date_from else add_months(m1, -(DEFAULT_MONTHS - 1))
    if m0 > m1:
        raise DomainError("开始月份不能晚于结束月份", code="stats_period_order", field="from")
    if not (dt.date(2000, 1, 1) <= m0 and m1 <= dt.date(2100, 12, 1)):
        raise DomainError("月份应在 2000 年至 2100 年之间", code="stats_date_format", field="from")
    if (m1.year - m0.year) * 12 + m1.month - m0.month >= MAX_MONTHS:
        raise DomainError(f"一次最多查看 {MAX_MONTHS} 个月", code="stats_period_long", field="from")
    return m0, m1


def months_between(m0: dt.date, m1: dt.date) -> list[dt.date]:
    out, m = [], m0
    while m <= m1:
        out.append(m)
        m = add_months(m, 1)
    return out


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


# --- the overview ----------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _money(fen: int) -> str:
    return yuan(Decimal(fen) / 100)


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    keys = [k for k in labels if counts.get(k)] + sorted(k for k in counts if k not in labels and counts[k])
    return [{"key": k, "name": labels.get(k, k or "未填"), "value": counts[k]} for k in keys]


def _median_and_within(hist: dict[str, int], limit: int) -> tuple[float | None, float | None]:
    pairs = sorted((bucket_days(b), n) for b, n in hist.items() if n > 0)
    total = sum(n for _, n in pairs)
    if not total:
        return None, None
    within = sum(n for d, n in pairs if d <= limit)

    # The median of the expanded list (mean of the two middle values for an even count).
    def nth(k):
        seen = 0
        for d, n in pairs:
            seen += n
            if seen > k:
                return d
        return pairs[-1][0]

    median = (nth((total - 1) // 2) + nth(total // 2)) / 2
    return median, _pct(within, total)


def overview_for(*, actor, org_id, date_from: str | None = None, date_to: str | None = None) -> dict:
    org = org_get(actor=actor, org_id=org_id)
    m0, m1 = period(date_from, date_to)
    return overview(org, m0, m1)


def overview(org: Org, m0: dt.date, m1: dt.date) -> dict:
    rows = MonthFact.objects.filter(org=org, month__lte=m1).filter(Q(month__gte=m0) | Q(metric="net"))
    before_net = 0
    before_new = 0
    per_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    net_new_by_month: dict[dt.date, int] = defaultdict(int)
    for month, metric, dim, value in rows.values_list("month", "metric", "dim", "value"):
        if month < m0:
            before_net += value
            if dim == Member.EmploymentForm.NEW:
                before_new += value
            continue
        per_month[month][metric] += value
        sums[metric][dim] += value
        if metric == "net" and dim == Member.EmploymentForm.NEW:
            net_new_by_month[month] += value

    def total(metric):
        return sum(sums[metric].values())

    series = []
    running, running_new = before_net, before_new
    for month in months_between(m0, m1):
        pm = per_month.get(month, {})
        running += pm.get("net", 0)
        running_new += net_new_by_month.get(month, 0)
        series.append(
            {
                "month": f"{month:%Y-%m}",
                "joins": pm.get("join", 0),
                "xfer_in": pm.get("xfer_in", 0),
                "xfer_out": pm.get("xfer_out", 0),
                "leaves": pm.get("leave", 0),
                "returns": pm.get("return", 0),
                "net_growth": pm.get("net", 0),
                "members": running,
                "new_form": running_new,
                "new_form_share": _pct(running_new, running),
            }
        )
    members, new_form = running, running_new
    end = month_end(m1)
    denominator = Denominator.objects.filter(org=org, as_of__lte=end).order_by("-as_of", "-id").first()
    limit = approval_limit()
    median, within = _median_and_within(sums["enr_wait"], limit)
    closed = total("case_closed")
    stations = _stations(org)
    figures = {
        "members": members,
        "new_form": new_form,
        "new_form_share": _pct(new_form, members),
        "joins": total("join"),
        "xfer_in": total("xfer_in"),
        "xfer_out": total("xfer_out"),
        "leaves": total("leave"),
        "returns": total("return"),
        "net_growth": members - before_net,
        "eligible": denominator.eligible if denominator else None,
        "join_rate": _pct(members, denominator.eligible) if denominator else None,
        "approvals": total("enr_decided"),
        "approval_median": median,
        "approval_within": within,
        "cases_filed": total("case_filed"),
        "cases_closed": closed,
        "cases_on_time": _pct(sums["case_closed"].get("ontime", 0), closed),
        "cases_recovered": _money(total("case_recovered")),
        "orders_placed": total("order_placed"),
        "orders_served": total("order_served"),
        "orders_people": total("order_people"),
        "tickets_issued": total("ticket_issued"),
        "tickets_redeemed": total("ticket_redeemed"),
        "tickets_money": _money(total("ticket_money")),
        "stations": stations["count"],
        "station_coverage": stations["coverage"],
        "station_visits": total("station_visit"),
        "aid_paid": _money(total("aid_paid")),
        "aid_people": total("aid_people"),
        "funds_paid": _money(total("fund_paid")),
    }
    rolled = last_rolled_day()
    return {
        "org": {"id": org.pk, "name": org.name, "kind": org.kind, "kind_label": org.get_kind_display()},
        "from": f"{m0:%Y-%m}",
        "to": f"{m1:%Y-%m}",
        "as_of": rolled.isoformat() if rolled else None,
        "figures": figures,
        "series": series,
        "breakdowns": {
            "join_channel": _labelled(sums["join"], CHANNELS),
            "join_occupation": _labelled(sums["join_occ"], OCCUPATION_LABELS),
            "join_form": _labelled(sums["join_form"], FORMS),
            "leave_reason": _labelled(sums["leave"], LEAVE_REASONS),
            "approval_decision": _labelled(sums["enr_decided"], {"approved": "批准", "rejected": "不予批准"}),
            "case_category": _labelled(sums["case_filed"], CASE_CATEGORIES),
            "ticket_kind": _labelled(sums["ticket_issued"], CAMPAIGN_KINDS),
            "ticket_redeemed_kind": _labelled(sums["ticket_redeemed"], CAMPAIGN_KINDS),
            "aid_kind": [
                {**row, "money": _money(sums["aid_paid"].get(row["key"], 0))}
                for row in _labelled(sums["aid_people"], AID_KINDS)
            ],
            "fund_category": [
                {**row, "money": _money(sums["fund_paid"].get(row["key"], 0))}
                for row in _labelled(sums["fund_count"], FUND_CATEGORIES)
            ],
        },
        "approval_limit": limit,
        "stations_detail": stations,
        "eligible_as_of": denominator.as_of.isoformat() if denominator else None,
    }


def _stations(org: Org) -> dict:
    live = Station.objects.filter(subtree_q(org.path, "org_path")).exclude(status=Station.Status.CLOSED)
    count = live.count()
    towns = list(
        Org.objects.filter(subtree_q(org.path), kind=Org.Kind.TOWNSHIP, is_active=True).values_list(
            "path", flat=True
        )
    )
    covered = 0
    if towns and count:
        lengths = sorted({len(p) for p in towns})
        town_set = set(towns)
        hit = set()
        for path in live.values_list("org_path", flat=True).distinct():
            for n in lengths:
                if path[:n] in town_set:
                    hit.add(path[:n])
        covered = len(hit)
    return {
        "count": count,
        "townships": len(towns),
        "covered": covered,
        "coverage": _pct(covered, len(towns)),
    }


# --- tree navigation -------------------------------------------------------------------------------


def crumbs(*, actor, org: Org) -> list[Org]:
    return visible_ancestors(actor=actor, org=org)


def children_progress(org: Org, *, today: dt.date | None = None) -> list[dict]:
    """The children in tree order — each with its own members and progress against ITS OWN targets.
    Never sorted by a figure: this is not a league table (DOMAIN.md, 指尖上的形式主义)."""
    today = today or timezone.localdate()
    children = list(Org.objects.filter(parent=org, is_active=True).order_by("path"))
    if not children:
        return []
    ids = [c.pk for c in children]
    members = dict(
        MonthFact.objects.filter(org_id__in=ids, metric="net", month__lte=month_of(today))
        .values_list("org_id")
        .annotate(n=Sum("value"))
        .order_by()
    )
    targets = targets_progress(Target.objects.filter(org_id__in=ids), today=today)
    by_org = defaultdict(list)
    for t in targets:
        by_org[t["org_id"]].append(t)
    return [{"org": c, "members": members.get(c.pk, 0), "targets": by_org.get(c.pk, [])} for c in children]


# --- targets ---------------------------------------------------------------------------------------


def targets_progress(targets, *, today: dt.date | None = None) -> list[dict]:
    """Progress of each target: new members joined in its months so far, or the new-form share now."""
    today = today or timezone.localdate()
    targets = list(targets.order_by("due", "id"))
    if not targets:
        return []
    org_ids = sorted({t.org_id for t in targets})
    first = min(month_of(t.start) for t in targets)
    rows = MonthFact.objects.filter(
        Q(metric="net") | Q(metric="join", month__gte=first), org_id__in=org_ids
    ).values_list("org_id", "month", "metric", "dim", "value")
    joins = defaultdict(lambda: defaultdict(int))
    net = defaultdict(lambda: defaultdict(int))
    for org_id, month, metric, dim, value in rows:
        if metric == "join":
            joins[org_id][month] += value
        else:
            net[org_id][(month, dim == Member.EmploymentForm.NEW)] += value
    out = []
    for t in targets:
        upto = month_of(min(t.due, today))
        if t.kind == Target.Kind.NEW_MEMBERS:
            done = sum(v for m, v in joins[t.org_id].items() if month_of(t.start) <= m <= upto)
            goal = t.value
            reached = done >= goal
            shown, goal_shown = f"{done}", f"{goal}"
            ratio = done / goal if goal else 1
        else:
            all_ = sum(v for (m, _), v in net[t.org_id].items() if m <= upto)
            new = sum(v for (m, is_new), v in net[t.org_id].items() if m <= upto and is_new)
            permille = (1000 * new / all_) if all_ else 0
            reached = permille >= t.value
            shown, goal_shown = f"{permille / 10:.1f}%", f"{t.value / 10:.1f}%"
            ratio = permille / t.value if t.value else 1
        span = max((t.due - t.start).days, 1)
        elapsed = min(max((today - t.start).days, 0), span) / span
        if reached:
            status, label = "reached", "已完成"
        elif today > t.due:
            status, label = "missed", "到期未完成"
        elif ratio + 1e-9 >= elapsed:
            status, label = "on_track", "进度正常"
        else:
            status, label = "behind", "进度滞后"
        out.append(
            {
                "id": t.pk,
                "org_id": t.org_id,
                "kind": t.kind,
                "kind_label": t.get_kind_display(),
                "value": t.value,
                "start": t.start.isoformat(),
                "due": t.due.isoformat(),
                "note": t.note,
                "progress": shown,
                "goal": goal_shown,
                "percent": round(min(ratio, 1) * 100),
                "time_percent": round(elapsed * 100),
                "status": status,
                "status_label": label,
            }
        )
    return out


def targets_for(*, actor, org_id) -> list[dict]:
    org = org_get(actor=actor, org_id=org_id)
    return targets_progress(Target.objects.filter(org=org))


def target_line(org: Org, today: dt.date | None = None) -> float | None:
    """The new-form share target the chart draws as a line: the open target due soonest."""
    today = today or timezone.localdate()
    t = (
        Target.objects.filter(org=org, kind=Target.Kind.NEW_FORM_SHARE, due__gte=today)
        .order_by("due")
        .first()
        or Target.objects.filter(org=org, kind=Target.Kind.NEW_FORM_SHARE).order_by("-due").first()
    )
    return t.value / 10 if t else None


def denominators_for(org: Org):
    return Denominator.objects.filter(org=org).order_by("-as_of", "-id")[:10]


# --- the public page -------------------------------------------------------------------------------


def public_board(org_id) -> tuple[Org, PublicBoard] | None:
    try:
        board = PublicBoard.objects.select_related("org").get(
            org_id=int(org_id), enabled=True, org__is_active=True
        )
    except (PublicBoard.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    return board.org, board


def board_for(org: Org) -> PublicBoard:
    return PublicBoard.objects.filter(org=org).first() or PublicBoard(org=org)
