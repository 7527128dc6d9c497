"""API shapes of /api/v1/library. Names start with Library… (schema names are unique project-wide)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class LibraryRoomIn(Schema):
    org_id: int
    name: str
    level: str = Field("grassroots", description="grassroots / county / city / provincial / national")
    place: str = Field("enterprise", description="enterprise / workshop / village / office / station / site")
    station_id: int | None = Field(None, description="设在驿站内时填驿站 ID，位置取驿站的位置")
    address: str = ""
    district: str = ""
    lat: float | None = None
    lng: float | None = None
    coord: str = Field("gcj02", description="gcj02 / wgs84 / bd09")
    hours: str
    books_count: int = 0
    workers_reached: int = 0
    contact_name: str = ""
    contact_phone: str = ""


class LibraryRoomOut(Schema):
    id: int
    name: str
    org_id: int
    host: str = Field(alias="org.display_name")
    level: str
    level_label: str = Field(alias="get_level_display")
    place: str
    station_id: int | None
    address: str
    district: str
    gcj_lat: float
    gcj_lng: float
    hours: str
    books_count: int
    workers_reached: int
    contact_name: str
    contact_phone: str
    status: str


class LibraryNearbyRoomOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    place_label: str
    host: str
    station_name: str
    station_code: str
    address: str
    hours: str
    books_count: int
    contact_phone: str
    lat: float
    lng: float
    distance_m: float
    walk_minutes: int


class LibraryLevelCountOut(Schema):
    level: str
    label: str
    rooms: int


class LibraryCountsOut(Schema):
    levels: list[LibraryLevelCountOut]
    rooms: int
    books: int
    reached: int


class LibraryUpgradeOut(Schema):
    id: int
    room_id: int
    room_name: str = Field(alias="room.name")
    from_level: str
    to_level: str
    approver_id: int
    approver: str = Field(alias="approver.display_name")
    statement: str
    status: str
    reason: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


class LibraryDecisionIn(Schema):
    approve: bool
    reason: str = ""


class LibraryCollectionIn(Schema):
    org_id: int
    name: str
    licence_until: dt.date
    licensor: str = ""
    description: str = ""


class LibraryCollectionOut(Schema):
    id: int
    org_id: int
    name: str
    licensor: str
    licence_until: dt.date
    description: str


class LibraryEBookOut(Schema):
    id: int
    collection_id: int
    title: str
    author: str
    category: str
    format: str
    size: int


class LibraryLoanIn(Schema):
    collection_id: int
    borrower_id: int
    starts_on: dt.date
    ends_on: dt.date
    note: str = ""


class LibraryLoanOut(Schema):
    id: int
    collection_id: int
    collection: str = Field(alias="collection.name")
    lender_id: int
    borrower_id: int
    borrower: str = Field(alias="borrower.name")
    starts_on: dt.date
    ends_on: dt.date
    withdrawn_at: dt.datetime | None
    state: str = ""
    readers: int = Field(description="读者人数（每人每次借阅计一次，不记录是谁）")
    opens: int = Field(description="打开次数")


class LibraryWithdrawIn(Schema):
    reason: str


class LibraryShelfBookOut(Schema):
    id: int
    title: str
    author: str
    category: str
    format: str
    read_url: str


class LibraryShelfOut(Schema):
    loan_id: int
    collection: str
    borrower: str
    ends_on: dt.date
    books: list[LibraryShelfBookOut]


class LibraryHistoryOut(Schema):
    id: int
    ebook_id: int
    title: str = Field(alias="ebook.title")
    loan_id: int
    first_opened_at: dt.datetime
    last_opened_at: dt.datetime


class LibraryDeletedOut(Schema):
    deleted: int
