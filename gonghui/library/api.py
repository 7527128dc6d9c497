"""/api/v1/library: the register and counts by level, rooms near a point, level upgrades, the e-library
(collections, books, loans with their counts) and the member's shelf and own history."""

from __future__ import annotations

from django.urls import reverse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from gonghui.core.pagination import window
from gonghui.core.schemas import ERRORS
from gonghui.orgs.selectors import org_get
from gonghui.stations.selectors import nearby_query

from . import selectors, services
from .schemas import (
    LibraryCollectionIn,
    LibraryCollectionOut,
    LibraryCountsOut,
    LibraryDecisionIn,
    LibraryDeletedOut,
    LibraryEBookOut,
    LibraryHistoryOut,
    LibraryLoanIn,
    LibraryLoanOut,
    LibraryNearbyRoomOut,
    LibraryRoomIn,
    LibraryRoomOut,
    LibraryShelfOut,
    LibraryUpgradeOut,
    LibraryWithdrawIn,
)

router = Router(tags=["职工书屋"])


# --- the register ------------------------------------------------------------------------------


@router.get("/rooms", response={200: list[LibraryRoomOut], **ERRORS}, summary="书屋名册（本会及下级）")
def room_list(request, q: str = "", level: str = "", place: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.room_list(actor=request.user, q=q, level=level, place=place)
    return window(qs, limit=limit, offset=offset, maximum=200)


@router.post("/rooms", response={201: LibraryRoomOut, **ERRORS}, summary="登记书屋")
def room_create(request, payload: LibraryRoomIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.room_create(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


@router.get("/rooms/counts", response={200: LibraryCountsOut, **ERRORS}, summary="按级别统计（本会及下级）")
def room_counts(request):
    counts = selectors.level_counts(actor=request.user)
    counts["levels"] = [{"level": lv, "label": label, "rooms": n} for lv, label, n in counts["levels"]]
    return counts


@router.get(
    "/rooms/nearby",
    response={200: list[LibraryNearbyRoomOut], **ERRORS},
    auth=None,
    summary="附近的职工书屋（与附近驿站同一检索）",
)
def rooms_nearby(
    request, lat: str, lng: str, radius_m: str = "5000", limit: str = "10", coord: str = "gcj02"
):
    query = nearby_query(lat=lat, lng=lng, radius_m=radius_m, limit=limit, coord=coord)
    return selectors.rooms_nearby(query)


@router.get("/rooms/{room_id}", response={200: LibraryRoomOut, **ERRORS}, summary="书屋详情")
def room_detail(request, room_id: int):
    return selectors.room_get(actor=request.user, room_id=room_id)


@router.post(
    "/rooms/{room_id}/upgrade",
    response={201: LibraryUpgradeOut, **ERRORS},
    summary="申请升级（上一级工会审批；附申报材料 JPG/PNG/PDF）",
)
def upgrade_apply(request, room_id: int, statement: Form[str], evidence: File[list[UploadedFile]]):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    return 201, services.upgrade_apply(actor=request.user, room=room, statement=statement, files=evidence)


# --- upgrades ----------------------------------------------------------------------------------


@router.get("/upgrades", response={200: list[LibraryUpgradeOut], **ERRORS}, summary="待我审批的升级申请")
def upgrades_pending(request, limit: int = 50, offset: int = 0):
    return window(
        selectors.applications_to_decide(actor=request.user), limit=limit, offset=offset, maximum=200
    )


@router.post(
    "/upgrades/{application_id}/decision", response={200: LibraryUpgradeOut, **ERRORS}, summary="审批升级申请"
)
def upgrade_decide(request, application_id: int, payload: LibraryDecisionIn):
    application = selectors.application_get(actor=request.user, application_id=application_id)
    return services.upgrade_decide(
        actor=request.user, application=application, approve=payload.approve, reason=payload.reason
    )


# --- e-library ---------------------------------------------------------------------------------


@router.get("/collections", response={200: list[LibraryCollectionOut], **ERRORS}, summary="电子书库")
def collection_list(request, limit: int = 50, offset: int = 0):
    return window(selectors.collections_scoped(actor=request.user), limit=limit, offset=offset, maximum=200)


@router.post("/collections", response={201: LibraryCollectionOut, **ERRORS}, summary="建立电子书库")
def collection_create(request, payload: LibraryCollectionIn):
    org = org_get(actor=request.user, org_id=payload.org_id)
    return 201, services.collection_create(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))


@router.get(
    "/collections/{collection_id}/books",
    response={200: list[LibraryEBookOut], **ERRORS},
    summary="书库里的电子书",
)
def collection_books(request, collection_id: int):
    return list(selectors.collection_get(actor=request.user, collection_id=collection_id).books.all())


@router.post(
    "/collections/{collection_id}/books",
    response={201: LibraryEBookOut, **ERRORS},
    summary="上架电子书（PDF/EPUB）",
)
def ebook_add(
    request,
    collection_id: int,
    title: Form[str],
    file: File[UploadedFile],
    author: Form[str] = "",
    category: Form[str] = "other",
):
    collection = selectors.collection_get(actor=request.user, collection_id=collection_id)
    return 201, services.ebook_add(
        actor=request.user, collection=collection, title=title, author=author, category=category, file=file
    )


def _loan_out(loan):
    loan.state = selectors.loan_state(loan)[0]
    return loan


@router.get("/loans", response={200: list[LibraryLoanOut], **ERRORS}, summary="电子书借阅（出借或借入）")
def loan_list(request, limit: int = 50, offset: int = 0):
    qs = selectors.loans_scoped(actor=request.user).select_related("collection", "borrower")
    return [_loan_out(loan) for loan in window(qs, limit=limit, offset=offset, maximum=200)]


@router.post("/loans", response={201: LibraryLoanOut, **ERRORS}, summary="把书库借给企业工会")
def loan_create(request, payload: LibraryLoanIn):
    collection = selectors.collection_get(actor=request.user, collection_id=payload.collection_id)
    borrower = org_get(actor=request.user, org_id=payload.borrower_id)
    loan = services.loan_create(
        actor=request.user,
        collection=collection,
        borrower=borrower,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
    )
    return 201, _loan_out(loan)


@router.get("/loans/{loan_id}", response={200: LibraryLoanOut, **ERRORS}, summary="借阅详情与读者人数")
def loan_detail(request, loan_id: int):
    return _loan_out(selectors.loan_get(actor=request.user, loan_id=loan_id))


@router.post("/loans/{loan_id}/withdraw", response={200: LibraryLoanOut, **ERRORS}, summary="提前收回")
def loan_withdraw(request, loan_id: int, payload: LibraryWithdrawIn):
    loan = selectors.loan_get(actor=request.user, loan_id=loan_id)
    return _loan_out(services.loan_withdraw(actor=request.user, loan=loan, reason=payload.reason))


# --- the member --------------------------------------------------------------------------------


@router.get(
    "/my/shelf", response={200: list[LibraryShelfOut], **ERRORS}, summary="我可以阅读的电子书（本单位借阅中）"
)
def my_shelf(request):
    return [
        {
            "loan_id": row["loan"].pk,
            "collection": row["loan"].collection.name,
            "borrower": row["loan"].borrower.name,
            "ends_on": row["loan"].ends_on,
            "books": [
                {
                    "id": b.pk,
                    "title": b.title,
                    "author": b.author,
                    "category": b.category,
                    "format": b.format,
                    "read_url": reverse("library:read", args=[row["loan"].pk, b.pk]),
                }
                for b in row["books"]
            ],
        }
        for row in selectors.shelf_for(actor=request.user)
    ]


@router.get(
    "/my/history", response={200: list[LibraryHistoryOut], **ERRORS}, summary="我的阅读记录（仅本人可见）"
)
def my_history(request, limit: int = 50, offset: int = 0):
    return window(selectors.history_of(actor=request.user), limit=limit, offset=offset, maximum=200)


@router.delete(
    "/my/history", response={200: LibraryDeletedOut, **ERRORS}, summary="删除我的阅读记录（全部或一条）"
)
def my_history_delete(request, entry_id: int | None = None):
    return {"deleted": services.history_delete(actor=request.user, entry_id=entry_id)}
