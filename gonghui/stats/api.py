"""统计看板 API at /api/v1/stats/: the same figures as the workbench page, scoped the same way (a union
outside the caller's subtree is a 404)."""

from __future__ import annotations

from ninja import Query, Router

from . import selectors
from .definitions import FIGURES
from .schemas import StatsDefinitionOut, StatsOverviewOut

router = Router(tags=["统计看板"])


@router.get(
    "/orgs/{org_id}/overview",
    response=StatsOverviewOut,
    summary="工会统计概览（含全部下级；按整月）",
    description="from / to 为 YYYY-MM-DD 或 YYYY-MM，按所在整月统计；默认最近 12 个月。",
    by_alias=True,
)
def overview(request, org_id: int, from_: str = Query("", alias="from"), to: str = ""):
    data = selectors.overview_for(
        actor=request.user, org_id=org_id, date_from=from_ or None, date_to=to or None
    )
    data["targets"] = selectors.targets_for(actor=request.user, org_id=org_id)
    return data


@router.get("/definitions", response=list[StatsDefinitionOut], summary="各项指标的口径")
def definitions(request):
    return [{"key": f.key, "label": f.label, "unit": f.unit, "definition": f.definition} for f in FIGURES]
