from ninja import Field, Router, Schema

from gonghui.core.pagination import window

from . import selectors, services
from .models import Org, Staff

router = Router(tags=["工会组织"])


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    parent_id: int | None
    depth: int
    region_code: str
    credit_code: str | None
    address: str
    lat: float | None
    lng: float | None
    chair_name: str
    contact_name: str
    contact_phone: str


class OrgDetailOut(OrgOut):
    sub_org_count: int
    member_count: int


class OrgIn(Schema):
    parent_id: int
    kind: str
    name: str
    short_name: str = ""
    region_code: str = ""
    credit_code: str | None = None
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    chair_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class OrgPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    region_code: str | None = None
    credit_code: str | None = None
    address: str | None = None
    lat: float | None = None
    lng: float | None = None
    chair_name: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


class StaffOut(Schema):
    id: int
    org_id: int
    role: str
    role_display: str = Field(alias="get_role_display")
    title: str
    name: str = Field(alias="user.name")
    phone_masked: str = Field(alias="user.phone_masked")


class StaffIn(Schema):
    phone: str
    name: str = ""
    role: str
    title: str = ""


@router.get("", response=list[OrgOut], summary="我管辖范围内的工会组织")
def org_list(
    request, parent_id: int | None = None, q: str = "", kind: str = "", limit: int = 100, offset: int = 0
):
    qs = selectors.org_list(actor=request.user, parent_id=parent_id, q=q, kind=kind)
    return window(qs, limit=limit, offset=offset, maximum=500)


@router.get("/{org_id}", response=OrgDetailOut, summary="工会组织详情")
def org_detail(request, org_id: int):
    org = selectors.org_get(actor=request.user, org_id=org_id)
    counts = selectors.subtree_counts([org])[org.pk]
    org.sub_org_count, org.member_count = counts["orgs"], counts["members"]
    return org


@router.post("", response={201: OrgOut}, summary="新建下级工会")
def org_create(request, payload: OrgIn):
    parent = selectors.org_get(actor=request.user, org_id=payload.parent_id)
    data = payload.dict(exclude={"parent_id", "kind"})
    return 201, services.org_create(actor=request.user, parent=parent, kind=payload.kind, **data)


@router.patch("/{org_id}", response=OrgOut, summary="修改工会信息")
def org_update(request, org_id: int, payload: OrgPatch):
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return services.org_update(actor=request.user, org=org, **payload.dict(exclude_unset=True))


@router.get("/{org_id}/staff", response=list[StaffOut], summary="工会干部")
def staff_list(request, org_id: int):
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return list(selectors.staff_for_org(actor=request.user, org=org))


@router.post("/{org_id}/staff", response={201: StaffOut}, summary="任命工会干部")
def staff_assign(request, org_id: int, payload: StaffIn):
    org = selectors.org_get(actor=request.user, org_id=org_id, roles=[Staff.Role.ADMIN])
    return 201, services.staff_assign_by_phone(actor=request.user, org=org, **payload.dict())


__all__ = ["Org", "router"]
