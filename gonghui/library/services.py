"""Writes for 职工书屋: the register, level upgrades, e-book collections and loans, reading (counts only,
plus the member's own history), reading events and reading cards (campaigns of the campaigns app)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.campaigns.services import campaign_create
from gonghui.core.audit import audit_record
from gonghui.core.cleaners import clean_date, clean_money, clean_text
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.geo import check_china_point, to_gcj02
from gonghui.core.notifications import notify
from gonghui.core.uploads import check_uploads, sniff_ebook
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, require_scope
from gonghui.orgs.selectors import org_ancestors
from gonghui.stations.selectors import station_get

from .models import (
    APPROVER_KIND,
    Collection,
    EBook,
    Level,
    LevelApplication,
    LevelEvidence,
    Loan,
    LoanBookStat,
    LoanReader,
    ReadingCardIssue,
    ReadingEvent,
    ReadingHistory,
    ReadingRoom,
    next_level,
)

LIBRARY_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
BORROWER_KINDS = (Org.Kind.GRASSROOTS, Org.Kind.JOINT)
MAX_LOAN_DAYS = 366


def _int(value, *, field: str, label: str, maximum: int = 10_000_000) -> int:
    try:
        number = int(str(value if value not in (None, "") else 0).strip())
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", code="invalid", field=field) from None
    if not 0 <= number <= maximum:
        raise DomainError(f"{label}应在 0–{maximum} 之间", code="invalid", field=field)
    return number


def _choice(value, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(f"{label}只能是 {'、'.join(choices.labels)}", code="invalid_choice", field=field)
    return value


# --- the register ------------------------------------------------------------------------------


def approver_for(room_org: Org, level: str) -> Org | None:
    """The union that names a room of `level`: the nearest union of that kind at or above the host."""
    kind = APPROVER_KIND.get(level)
    if kind is None:
        return None
    chain = [*org_ancestors(room_org), room_org]
    return next((o for o in reversed(chain) if o.kind == kind and o.is_active), None)


def _room_fields(*, actor, org: Org, data: dict) -> dict:
    fields: dict = {
        "name": clean_text(data.get("name"), field="name", label="书屋名称", max_length=120),
        "place": _choice(
            data.get("place") or ReadingRoom.Place.ENTERPRISE,
            ReadingRoom.Place,
            field="place",
            label="所在场所",
        ),
        "hours": clean_text(data.get("hours"), field="hours", label="开放时间", max_length=120),
        "district": clean_text(
            data.get("district"), field="district", label="所在区县", max_length=40, required=False
        ),
        "books_count": _int(data.get("books_count"), field="books_count", label="藏书册数"),
        "workers_reached": _int(data.get("workers_reached"), field="workers_reached", label="服务职工人数"),
        "contact_name": clean_text(
            data.get("contact_name"), field="contact_name", label="联系人", max_length=40, required=False
        ),
        "contact_phone": clean_text(
            data.get("contact_phone"), field="contact_phone", label="联系电话", max_length=20, required=False
        ),
    }
    station_id = data.get("station_id")
    if station_id not in (None, ""):
        # A room inside a service station stands where the station stands.
        station = station_get(actor=actor, station_id=station_id)
        fields.update(
            station=station,
            place=ReadingRoom.Place.STATION,
            address=station.address,
            gcj_lat=station.gcj_lat,
            gcj_lng=station.gcj_lng,
            district=fields["district"] or station.district,
        )
        return fields
    if fields["place"] == ReadingRoom.Place.STATION:
        raise DomainError("设在驿站内的书屋请选择所在驿站", code="required", field="station_id")
    fields["station"] = None
    fields["address"] = clean_text(data.get("address"), field="address", label="地址", max_length=200)
    if data.get("lat") in (None, "") or data.get("lng") in (None, ""):
        raise DomainError("请填写书屋位置的纬度和经度（可在地图上取点）", code="required", field="lat")
    lat, lng = check_china_point(data.get("lat"), data.get("lng"))
    fields["gcj_lat"], fields["gcj_lng"] = to_gcj02(lat, lng, data.get("coord") or "gcj02")
    return fields


@transaction.atomic
def room_create(*, actor, org: Org, level: str = Level.GRASSROOTS, **data) -> ReadingRoom:
    """Registers a room. An existing room of a higher level (建档 of the 9 national rooms …) may be entered
    only by staff of the union that names that level."""
    require_scope(actor, org, LIBRARY_ROLES)
    level = _choice(level, Level, field="level", label="级别")
    if level != Level.GRASSROOTS:
        approver = approver_for(org, level)
        if approver is None or not in_scope(actor, approver, LIBRARY_ROLES):
            raise Forbidden(
                f"{Level(level).label}书屋由相应级别的工会命名，请登记为基层书屋后申请升级",
                code="level_not_yours",
                field="level",
            )
    fields = _room_fields(actor=actor, org=org, data=data)
    if ReadingRoom.objects.filter(org=org, name=fields["name"]).exists():
        raise Conflict(
            f"{org.display_name}已登记名为「{fields['name']}」的书屋", code="duplicate", field="name"
        )
    room = ReadingRoom.objects.create(org=org, org_path=org.path, level=level, **fields)
    audit_record(actor=actor, action="library.room_create", obj=room, org=org, detail={"level": level})
    return room


@transaction.atomic
def room_update(*, actor, room: ReadingRoom, **data) -> ReadingRoom:
    """Everything but the level, which changes only by an approved upgrade."""
    require_scope(actor, room.org, LIBRARY_ROLES)
    room = ReadingRoom.objects.select_for_update().get(pk=room.pk)
    fields = _room_fields(actor=actor, org=room.org, data=data)
    if ReadingRoom.objects.filter(org=room.org, name=fields["name"]).exclude(pk=room.pk).exists():
        raise Conflict(f"已有同名书屋「{fields['name']}」", code="duplicate", field="name")
    changed = sorted(k for k, v in fields.items() if getattr(room, k) != v)
    for key, value in fields.items():
        setattr(room, key, value)
    room.save()
    audit_record(
        actor=actor, action="library.room_update", obj=room, org=room.org, detail={"changed": changed}
    )
    return room


@transaction.atomic
def room_close(*, actor, room: ReadingRoom, reason: str) -> ReadingRoom:
    require_scope(actor, room.org, LIBRARY_ROLES)
    reason = clean_text(reason, field="reason", label="撤销原因", max_length=200, min_length=2)
    updated = ReadingRoom.objects.filter(pk=room.pk, status=ReadingRoom.Status.ACTIVE).update(
        status=ReadingRoom.Status.CLOSED, updated_at=timezone.now()
    )
    if not updated:
        raise Conflict("该书屋已撤销", code="already_closed")
    room.status = ReadingRoom.Status.CLOSED
    audit_record(actor=actor, action="library.room_close", obj=room, org=room.org, detail={"reason": reason})
    return room


# --- level upgrades ----------------------------------------------------------------------------


@transaction.atomic
def upgrade_apply(*, actor, room: ReadingRoom, statement: str, files) -> LevelApplication:
    """The host union applies for the next level up with evidence (photos, PDF); the union of that level decides."""
    require_scope(actor, room.org, LIBRARY_ROLES)
    room = ReadingRoom.objects.select_for_update().select_related("org").get(pk=room.pk)
    if room.status != ReadingRoom.Status.ACTIVE:
        raise Conflict("已撤销的书屋不能申请升级", code="room_closed")
    target = next_level(room.level)
    if target is None:
        raise Conflict("该书屋已是全国职工书屋，没有更高级别", code="top_level")
    approver = approver_for(room.org, target)
    if approver is None:
        raise Conflict(f"未找到命名{Level(target).label}书屋的上级工会，请联系上级工会", code="no_approver")
    statement = clean_text(
        statement, field="statement", label="申报说明", max_length=2000, min_length=10, multiline=True
    )
    checked = check_uploads([f for f in (files or []) if f], field="evidence", limit=10)
    if not checked:
        raise DomainError(
            "请上传至少一份申报材料（书屋照片、制度或活动记录，JPG/PNG/PDF）",
            code="required",
            field="evidence",
        )
    try:
        with transaction.atomic():
            application = LevelApplication.objects.create(
                room=room,
                from_level=room.level,
                to_level=target,
                approver=approver,
                approver_path=approver.path,
                statement=statement,
                submitted_by=actor,
            )
    except IntegrityError:
        raise Conflict("该书屋已有待审核的升级申请，请等待审批结果", code="application_open") from None
    for content, name, content_type, size in checked:
        LevelEvidence.objects.create(
            application=application, file=content, name=name, content_type=content_type, size=size
        )
    audit_record(
        actor=actor,
        action="library.upgrade_apply",
        obj=application,
        org=room.org,
        detail={"from": room.level, "to": target, "approver": approver.pk, "files": len(checked)},
    )
    return application


@transaction.atomic
def upgrade_decide(
    *, actor, application: LevelApplication, approve: bool, reason: str = ""
) -> LevelApplication:
    """The union of the applied level (or one above it) approves or refuses; an approval moves the room
    up the register at once. Nobody decides their own application."""
    require_scope(actor, application.approver, LIBRARY_ROLES)
    application = (
        LevelApplication.objects.select_for_update().select_related("room__org").get(pk=application.pk)
    )
    if application.status != LevelApplication.Status.SUBMITTED:
        raise Conflict(f"该申请已{application.get_status_display()}，不能重复审批", code="already_decided")
    if application.submitted_by_id == actor.pk:
        raise Forbidden("不能审批自己提交的升级申请，请由上级工会其他经办人审批", code="own_application")
    if approve:
        reason = clean_text(reason, field="reason", label="审批意见", max_length=500, required=False)
        moved = ReadingRoom.objects.filter(
            pk=application.room_id, level=application.from_level, status=ReadingRoom.Status.ACTIVE
        ).update(level=application.to_level, updated_at=timezone.now())
        if not moved:
            raise Conflict("书屋级别或状态已变化，请刷新后再审批", code="room_changed")
        application.status = LevelApplication.Status.APPROVED
    else:
        reason = clean_text(reason, field="reason", label="不通过的原因", max_length=500, min_length=2)
        application.status = LevelApplication.Status.REJECTED
    application.reason, application.decided_by, application.decided_at = reason, actor, timezone.now()
    application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    room = application.room
    if application.submitted_by_id:
        verdict = "已批准" if approve else "未通过"
        notify(
            user=application.submitted_by,
            title=f"「{room.name}」申请{application.get_to_level_display()}职工书屋{verdict}",
            body=reason,
            link=reverse("library_bench:room", args=[room.pk]),
        )
    audit_record(
        actor=actor,
        action="library.upgrade_approve" if approve else "library.upgrade_reject",
        obj=application,
        org=application.approver,
        detail={"room": room.pk, "to": application.to_level},
    )
    return application


# --- the e-library -------------------------------------------------------------------------------


@transaction.atomic
def collection_create(*, actor, org: Org, name, licence_until, licensor="", description="") -> Collection:
    require_scope(actor, org, LIBRARY_ROLES)
    collection = Collection.objects.create(
        org=org,
        org_path=org.path,
        name=clean_text(name, field="name", label="书库名称", max_length=120),
        licensor=clean_text(licensor, field="licensor", label="授权来源", max_length=120, required=False),
        licence_until=clean_date(
            licence_until, field="licence_until", label="授权截止日期", not_before=timezone.localdate()
        ),
        description=clean_text(
            description, field="description", label="说明", max_length=300, required=False
        ),
    )
    audit_record(actor=actor, action="library.collection_create", obj=collection, org=org)
    return collection


def ebook_max_bytes() -> int:
    return int(getattr(settings, "GONGHUI_LIBRARY_EBOOK_MAX_BYTES", 50 * 1024 * 1024))


@transaction.atomic
def ebook_add(
    *, actor, collection: Collection, title, file, author="", category=EBook.Category.OTHER
) -> EBook:
    """One PDF or EPUB into the collection's storage (default_storage). The type comes from the bytes."""
    require_scope(actor, collection.org, LIBRARY_ROLES)
    title = clean_text(title, field="title", label="书名", max_length=200)
    author = clean_text(author, field="author", label="作者", max_length=120, required=False)
    category = _choice(category or EBook.Category.OTHER, EBook.Category, field="category", label="分类")
    if not file:
        raise DomainError("请选择电子书文件（PDF 或 EPUB）", code="required", field="file")
    [(content, _name, content_type, size)] = check_uploads(
        [file],
        field="file",
        limit=1,
        max_bytes=ebook_max_bytes(),
        sniffer=sniff_ebook,
        accepted="PDF 或 EPUB 电子书",
    )
    digest = hashlib.sha256(content.read()).hexdigest()
    content.seek(0)
    if EBook.objects.filter(collection=collection, sha256=digest).exists():
        raise Conflict("该电子书已在本书库中", code="duplicate", field="file")
    ebook = EBook.objects.create(
        collection=collection,
        title=title,
        author=author,
        category=category,
        format=EBook.Format.EPUB if content_type == "application/epub+zip" else EBook.Format.PDF,
        file=content,
        size=size,
        sha256=digest,
    )
    audit_record(
        actor=actor,
        action="library.ebook_add",
        obj=ebook,
        org=collection.org,
        detail={"format": ebook.format},
    )
    return ebook


@transaction.atomic
def loan_create(*, actor, collection: Collection, borrower: Org, starts_on, ends_on, note="") -> Loan:
    """Lends a collection to an enterprise's union below the lender, inside the licence."""
    require_scope(actor, collection.org, LIBRARY_ROLES)
    if not borrower.path.startswith(collection.org_path) or borrower.kind not in BORROWER_KINDS:
        raise DomainError(
            f"只能借给{collection.org.display_name}下属的企业（基层/联合）工会",
            code="bad_borrower",
            field="borrower_id",
        )
    today = timezone.localdate()
    starts_on = clean_date(starts_on, field="starts_on", label="借阅开始日期", not_before=today)
    ends_on = clean_date(
        ends_on,
        field="ends_on",
        label="借阅结束日期",
        not_before=starts_on,
        not_after=collection.licence_until,
    )
    if (ends_on - starts_on).days + 1 > MAX_LOAN_DAYS:
        raise DomainError(
            f"一次借阅最长 {MAX_LOAN_DAYS} 天，请分期借阅", code="loan_too_long", field="ends_on"
        )
    overlapping = Loan.objects.filter(
        collection=collection,
        borrower=borrower,
        withdrawn_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    ).first()
    if overlapping:
        raise Conflict(
            f"该单位已借阅本书库（{overlapping.starts_on:%Y-%m-%d} 至 {overlapping.ends_on:%Y-%m-%d}），期间不能重叠",
            code="loan_overlap",
            field="starts_on",
        )
    loan = Loan.objects.create(
        collection=collection,
        lender=collection.org,
        lender_path=collection.org_path,
        borrower=borrower,
        borrower_path=borrower.path,
        starts_on=starts_on,
        ends_on=ends_on,
        note=clean_text(note, field="note", label="说明", max_length=200, required=False),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="library.loan_create",
        obj=loan,
        org=collection.org,
        detail={"borrower": borrower.pk, "from": str(starts_on), "to": str(ends_on)},
    )
    return loan


@transaction.atomic
def loan_withdraw(*, actor, loan: Loan, reason: str) -> Loan:
    require_scope(actor, loan.lender, LIBRARY_ROLES)
    reason = clean_text(reason, field="reason", label="收回原因", max_length=200, min_length=2)
    now = timezone.now()
    if not Loan.objects.filter(pk=loan.pk, withdrawn_at__isnull=True).update(withdrawn_at=now):
        raise Conflict("该借阅已收回", code="already_withdrawn")
    loan.withdrawn_at = now
    audit_record(
        actor=actor, action="library.loan_withdraw", obj=loan, org=loan.lender, detail={"reason": reason}
    )
    return loan


def reader_token(user_id: int, loan_id: int) -> str:
    """Keyed, per loan: the same reader twice under one loan collides; nothing links loans or names anyone."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"library-reader:{loan_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def reading_open(*, actor, loan: Loan, ebook: EBook, keep_history: bool = True) -> None:
    """A member opened a book under a running loan (access checked by the selector): the loan's counts go
    up, and the member's own history remembers it unless they asked it not to."""
    now = timezone.now()
    try:
        with transaction.atomic():
            LoanReader.objects.create(loan=loan, token=reader_token(actor.pk, loan.pk))
        new_reader = 1
    except IntegrityError:
        new_reader = 0
    Loan.objects.filter(pk=loan.pk).update(opens=F("opens") + 1, readers=F("readers") + new_reader)
    stat, _ = LoanBookStat.objects.get_or_create(loan=loan, ebook=ebook)
    LoanBookStat.objects.filter(pk=stat.pk).update(opens=F("opens") + 1)
    if keep_history:
        updated = ReadingHistory.objects.filter(user=actor, ebook=ebook).update(last_opened_at=now, loan=loan)
        if not updated:
            ReadingHistory.objects.create(
                user=actor, ebook=ebook, loan=loan, first_opened_at=now, last_opened_at=now
            )


@transaction.atomic
def history_delete(*, actor, entry_id: int | None = None) -> int:
    """The member deletes one line of their own history, or all of it. Loan counts stay (they name nobody)."""
    qs = ReadingHistory.objects.filter(user=actor)
    if entry_id is not None:
        if not 0 < int(entry_id) < 2**63:
            raise NotFound("未找到该阅读记录")
        qs = qs.filter(pk=entry_id)
        if not qs.exists():
            raise NotFound("未找到该阅读记录")
    deleted, _ = qs.delete()
    return deleted


# --- reading events and reading cards (campaigns) ---------------------------------------------------


def _when(value, *, field: str, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        parsed = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(
            f"{label}应为日期时间，如 2026-04-23 14:00", code="invalid_date", field=field
        ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@transaction.atomic
def event_create(
    *,
    actor,
    room: ReadingRoom,
    kind: str,
    title: str,
    starts_at,
    capacity,
    description: str = "",
    opens_at=None,
) -> ReadingEvent:
    """A reading event at the room: sign-up and check-in are the campaigns app's (one offer, the session)."""
    require_scope(actor, room.org, LIBRARY_ROLES)
    kind = _choice(kind, ReadingEvent.Kind, field="kind", label="活动形式")
    starts = _when(starts_at, field="starts_at", label="活动时间")
    if starts <= timezone.now():
        raise DomainError("活动时间应晚于现在", code="invalid_window", field="starts_at")
    opens = _when(opens_at, field="opens_at", label="报名开始时间") if opens_at else timezone.now()
    campaign = campaign_create(
        actor=actor,
        org=room.org,
        title=clean_text(title, field="title", label="活动名称", max_length=120),
        kind="event",
        opens_at=opens,
        closes_at=starts,
        description=description or "",
        venue=f"{room.name}（{room.address}）"[:200],
        real_name_required=False,
        offers=[
            {
                "name": f"{ReadingEvent.Kind(kind).label} {timezone.localtime(starts):%m-%d %H:%M}",
                "capacity": capacity,
                "starts_at": starts,
                "location": room.name,
            }
        ],
    )
    event = ReadingEvent.objects.create(room=room, campaign=campaign, kind=kind)
    audit_record(
        actor=actor, action="library.event_create", obj=event, org=room.org, detail={"campaign": campaign.pk}
    )
    return event


@transaction.atomic
def cards_issue(
    *,
    actor,
    org: Org,
    title: str,
    count,
    face_value,
    valid_until,
    kind: str = ReadingCardIssue.Kind.CARD,
    room: ReadingRoom | None = None,
    opens_at=None,
    closes_at=None,
) -> ReadingCardIssue:
    """职工读书卡 / 阅读礼包: a coupon campaign of `count` cards; members take one, the room or the bookshop redeems it."""
    require_scope(actor, org, LIBRARY_ROLES)
    kind = _choice(kind, ReadingCardIssue.Kind, field="kind", label="类型")
    if room is not None:
        require_scope(actor, room.org, LIBRARY_ROLES)
    value = clean_money(face_value, field="face_value", label="面值", maximum="10000")
    until = clean_date(valid_until, field="valid_until", label="有效期止", not_before=timezone.localdate())
    opens = _when(opens_at, field="opens_at", label="领取开始时间") if opens_at else timezone.now()
    closes = (
        _when(closes_at, field="closes_at", label="领取截止时间")
        if closes_at
        else timezone.make_aware(dt.datetime.combine(until, dt.time(23, 59)))
    )
    campaign = campaign_create(
        actor=actor,
        org=org,
        title=clean_text(title, field="title", label="名称", max_length=120),
        kind="coupon",
        opens_at=opens,
        closes_at=closes,
        venue=room.name if room else "",
        description="凭券到职工书屋或合作书店领取/使用，每人限领一张。",
        real_name_required=False,
        offers=[
            {
                "name": ReadingCardIssue.Kind(kind).label,
                "capacity": count,
                "face_value": value,
                "valid_until": until,
                "location": room.name if room else "",
            }
        ],
    )
    issue = ReadingCardIssue.objects.create(
        org=org, org_path=org.path, room=room, campaign=campaign, kind=kind
    )
    audit_record(
        actor=actor, action="library.cards_issue", obj=issue, org=org, detail={"campaign": campaign.pk}
    )
    return issue
