import datetime as dt

from ninja import Field, Router, Schema

from gonghui.core.errors import DomainError
from gonghui.core.pagination import window

from . import selectors, services
from .hours import format_hours
from .models import AMENITIES

router = Router(tags=["服务站点"])


class NearbyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    address: str
    district: str
    lat: float
    lng: float
    gcj_lat: float
    gcj_lng: float
    distance_m: float
    walk_minutes: int
    open_now: bool
    status_label: str
    opens_at: str | None
    is_24h: bool
    amenities: list[str]
    amenity_labels: list[str]
    service_phone: str
    amap_url: str
    baidu_url: str


class NearbyPage(Schema):
    coord: str
    count: int
    results: list[NearbyOut]


@router.get("/nearby", response=NearbyPage, auth=None, summary="附近驿站（按距离排序，默认 GCJ-02 坐标）")
def nearby(
    request,
    lat: str,
    lng: str,
    radius_m: str = "1000",
    limit: str = "10",
    amenity: str = "",
    open_now: bool = False,
    is_24h: bool = False,
    coord: str = "gcj02",
):
    query = selectors.nearby_query(
        lat=lat,
        lng=lng,
        radius_m=radius_m,
        limit=limit,
        amenity=amenity,
        open_now=open_now,
        only_24h=is_24h,
        coord=coord,
    )
    rows = selectors.nearby(query)
    return {"coord": query.coord, "count": len(rows), "results": rows}


@router.get("/amenities", auth=None, summary="服务设施代码表")
def amenities(request):
    return [{"code": c, "label": label} for c, label in AMENITIES]


class StationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    org_id: int
    org_name: str = Field(alias="org.name")
    district: str
    address: str
    gcj_lat: float
    gcj_lng: float
    wgs_lat: float
    wgs_lng: float
    service_phone: str
    keeper_name_masked: str
    keeper_phone_masked: str
    is_24h: bool
    hours: dict
    hours_text: str
    amenities: list[str]
    description: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_hours_text(obj):
        return format_hours(obj.hours, obj.is_24h)


class StationIn(Schema):
    org_id: int
    name: str
    code: str = ""
    kind: str = "union"
    district: str = ""
    address: str
    lat: float
    lng: float
    coord: str = "gcj02"
    service_phone: str = ""
    keeper_name: str = ""
    keeper_phone: str = ""
    hours_text: str = ""
    is_24h: bool = False
    amenities: list[str] = []
    description: str = ""
    status: str = "active"


class ClosureIn(Schema):
    start_date: str
    end_date: str = ""
    kind: str = "temporary"
    reason: str = ""


class FeedbackResolveIn(Schema):
    resolution: str


@router.get("", response=list[StationOut], summary="站点登记（管辖范围内）")
def station_list(
    request, q: str = "", status: str = "", district: str = "", limit: int = 50, offset: int = 0
):
    qs = selectors.station_list(actor=request.user, q=q, status=status, district=district)
    return window(qs, limit=limit, offset=offset, maximum=500)


@router.post("", response={201: StationOut}, summary="新建站点")
def station_create(request, payload: StationIn):
    org = services.org_for_write(actor=request.user, org_id=payload.org_id)
    return 201, services.station_create(actor=request.user, org=org, data=payload.dict())


@router.get("/{station_id}", response=StationOut, summary="站点详情")
def station_detail(request, station_id: int):
    return selectors.station_get(actor=request.user, station_id=station_id)


@router.patch("/{station_id}", response=StationOut, summary="修改站点")
def station_update(request, station_id: int, payload: StationIn):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    org = services.org_for_write(actor=request.user, org_id=payload.org_id)
    return services.station_update(actor=request.user, station=station, data=payload.dict(), org=org)


@router.post("/{station_id}/closures", response={201: dict}, summary="登记临时/节假日闭站")
def closure_add(request, station_id: int, payload: ClosureIn):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    c = services.closure_add(
        actor=request.user,
        station=station,
        start=payload.start_date,
        end=payload.end_date or payload.start_date,
        kind=payload.kind,
        reason=payload.reason,
    )
    return 201, {"id": c.pk, "start_date": str(c.start_date), "end_date": str(c.end_date), "kind": c.kind}


@router.get("/{station_id}/visits", summary="到访统计（按日、按职业）")
def station_visits(request, station_id: int, days: int = 30):
    if not 1 <= days <= 366:
        raise DomainError("统计天数 days 应在 1–366 之间", code="bad_days", field="days")
    station = selectors.station_get(actor=request.user, station_id=station_id)
    stats = selectors.visit_stats(station=station, days=days)
    return {
        "total": stats["total"],
        "by_day": [{"date": str(d), "visits": n} for d, n in stats["series"]],
        "occupations": [{"occupation": o, "visits": n} for o, n in stats["mix"]],
    }


@router.get("/{station_id}/feedback", summary="观察员反馈")
def feedback_list(request, station_id: int, status: str = ""):
    station = selectors.station_get(actor=request.user, station_id=station_id)
    return [
        {
            "id": f.pk,
            "ratings": f.ratings,
            "problem": f.problem,
            "status": f.status,
            "resolution": f.resolution,
            "created_at": f.created_at.isoformat(),
            "has_photo": bool(f.photo),
        }
        for f in selectors.feedback_for(station=station, status=status)[:200]
    ]


@router.post("/feedback/{feedback_id}/resolve", summary="处理观察员反馈")
def feedback_resolve(request, feedback_id: int, payload: FeedbackResolveIn):
    fb = selectors.feedback_get(actor=request.user, feedback_id=feedback_id)
    fb = services.feedback_resolve(actor=request.user, feedback=fb, resolution=payload.resolution)
    return {"id": fb.pk, "status": fb.status}
