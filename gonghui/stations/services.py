"""Writes to the station registry, visits and observer feedback. Each call: one transaction, audited."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, ErrorCollector, NotFound
from gonghui.core.geo import check_china_point, gcj02_to_wgs84, to_gcj02
from gonghui.core.glossary import OCCUPATIONS
from gonghui.core.validators import normalize_mobile
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope, scoped_orgs

from . import index
from .hours import parse_hours
from .models import AMENITY_LABELS, Station, StationClosure, StationFeedback, StationVisit

EDIT_ROLES = [Staff.Role.ADMIN, Staff.Role.STATION_KEEPER]
OBSERVER_ROLES = [Staff.Role.OBSERVER, Staff.Role.ADMIN, Staff.Role.STATION_KEEPER]
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "image/webp": b"RIFF"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
STATION_FIELDS = (
    "name",
    "code",
    "kind",
    "district",
    "address",
    "lat",
    "lng",
    "coord",
    "service_phone",
    "keeper_name",
    "keeper_phone",
    "hours_text",
    "is_24h",
    "amenities",
    "description",
    "status",
)


def _text(data: dict, key: str, label: str, *, required=False, max_len=200) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", code="required", field=key)
    if len(value) > max_len:
        raise DomainError(f"{label}不能超过 {max_len} 个字", code="too_long", field=key)
    return value


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "on", "yes", "是", "y"} if value is not None else False


def clean_station(data: dict, *, instance: Station | None = None) -> dict:
    """Validates a station form/API/import row; every error names its field, in Chinese, and all of
    them are reported at once (core.errors.ErrorCollector)."""
    out: dict = {}
    errors = ErrorCollector()
    with errors.check():
        out["name"] = _text(data, "name", "站点名称", required=True, max_len=80)
    with errors.check():
        code = _text(data, "code", "站点编码", max_len=32).upper()
        if code and not _CODE.match(code):
            raise DomainError(
                "站点编码只能用字母、数字、- 和 _，2–32 位，例如 YC-TH-0001", code="bad_code", field="code"
            )
        out["code"] = code
    with errors.check():
        kind = str(data.get("kind") or Station.Kind.UNION)
        labels = {label: value for value, label in Station.Kind.choices}
        kind = labels.get(kind, kind)
        if kind not in Station.Kind.values:
            raise DomainError("站点类型不在可选范围内", code="bad_kind", field="kind")
        out["kind"] = kind
    with errors.check():
        out["district"] = _text(data, "district", "所在区县", max_len=40)
    with errors.check():
        out["address"] = _text(data, "address", "地址", required=True, max_len=200)
    with errors.check():
        coord = str(data.get("coord") or "gcj02")
        lat, lng = check_china_point(data.get("lat"), data.get("lng"))
        out["gcj_lat"], out["gcj_lng"] = to_gcj02(lat, lng, coord)
        out["wgs_lat"], out["wgs_lng"] = gcj02_to_wgs84(out["gcj_lat"], out["gcj_lng"])
    with errors.check():
        phone = _text(data, "service_phone", "服务电话", max_len=20)
        if phone and not _PHONE.match(phone):
            raise DomainError(
                "服务电话格式不对，例如 0515-88888888 或 12351", code="bad_phone", field="service_phone"
            )
        out["service_phone"] = phone
    with errors.check():
        out["keeper_name"] = _text(data, "keeper_name", "站长", max_len=40)
    with errors.check():
        keeper_phone = _text(data, "keeper_phone", "站长手机", max_len=20)
        if keeper_phone:
            try:
                keeper_phone = normalize_mobile(keeper_phone)
            except ValidationError as exc:
                raise DomainError.from_validation(exc, field="keeper_phone") from exc
        out["keeper_phone"] = keeper_phone
    with errors.check():
        hours, is_24h = parse_hours(str(data.get("hours_text") or ""), field="hours_text")
        out["hours"], out["is_24h"] = hours, is_24h or _bool(data.get("is_24h"))
    with errors.check():
        amenities = data.get("amenities") or []
        if isinstance(amenities, str):
            amenities = [a for a in re.split(r"[、,，/ ]+", amenities) if a]
        by_label = {label: code for code, label in AMENITY_LABELS.items()}
        by_label.update(
            {"充电": "charge", "换电": "charge", "休息": "rest", "厕所": "toilet", "热饭": "heat"}
        )
        codes = []
        for a in amenities:
            code_ = a if a in AMENITY_LABELS else by_label.get(a)
            if code_ is None:
                raise DomainError(
                    f"服务设施“{a}”不在可选范围内（{'、'.join(AMENITY_LABELS.values())}）",
                    code="bad_amenity",
                    field="amenities",
                )
            if code_ not in codes:
                codes.append(code_)
        out["amenities"] = [c for c in AMENITY_LABELS if c in codes]
    with errors.check():
        out["description"] = _text(data, "description", "说明", max_len=300)
    with errors.check():
        status = str(data.get("status") or (instance.status if instance else Station.Status.ACTIVE))
        if status not in Station.Status.values:
            raise DomainError("站点状态不在可选范围内", code="bad_status", field="status")
        out["status"] = status
    errors.raise_if_any()
    return out


def _next_code(org: Org) -> str:
    prefix = f"ST{org.region_code or org.pk}-"
    n = Station.objects.filter(code__startswith=prefix).count() + 1
    while Station.objects.filter(code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def station_create(*, actor, org: Org, data: dict) -> Station:
    require_scope(actor, org, EDIT_ROLES)
    fields = clean_station(data)
    try:
        with transaction.atomic():
            fields["code"] = fields["code"] or _next_code(org)
            station = Station.objects.create(org=org, org_path=org.path, **fields)
            audit_record(
                actor=actor, action="station.create", obj=station, org=org, detail={"code": station.code}
            )
            index.bump()
    except IntegrityError:
        raise Conflict(
            f"站点编码 {fields['code']} 已被使用，请换一个", code="code_taken", field="code"
        ) from None
    return station


def station_update(*, actor, station: Station, data: dict, org: Org | None = None) -> Station:
    require_scope(actor, station.org, EDIT_ROLES)
    if org is not None and org.pk != station.org_id:
        require_scope(actor, org, EDIT_ROLES)
        station.org, station.org_path = org, org.path
    fields = clean_station(data, instance=station)
    if not fields["code"]:
        fields["code"] = station.code
    changed = sorted(k for k, v in fields.items() if getattr(station, k) != v and k != "keeper_phone")
    for key, value in fields.items():
        setattr(station, key, value)
    try:
        with transaction.atomic():
            station.save()
            audit_record(actor=actor, action="station.update", obj=station, detail={"changed": changed})
            index.bump()
    except IntegrityError:
        raise Conflict(
            f"站点编码 {fields['code']} 已被使用，请换一个", code="code_taken", field="code"
        ) from None
    return station


def closure_add(
    *,
    actor,
    station: Station,
    start: str | dt.date,
    end: str | dt.date,
    kind: str = "temporary",
    reason: str = "",
) -> StationClosure:
    require_scope(actor, station.org, EDIT_ROLES)
    start_d = _date(start, "start_date")
    end_d = _date(end or start, "end_date")
    if end_d < start_d:
        raise DomainError("结束日期不能早于开始日期", code="bad_range", field="end_date")
    if (end_d - start_d).days > 366:
        raise DomainError(
            "一次闭站不能超过一年；长期不开放请把站点状态改为“暂停服务”", code="too_long", field="end_date"
        )
    if kind not in StationClosure.Kind.values:
        raise DomainError("闭站类型不在可选范围内", code="bad_kind", field="kind")
    with transaction.atomic():
        closure = StationClosure.objects.create(
            station=station,
            kind=kind,
            start_date=start_d,
            end_date=end_d,
            reason=(reason or "").strip()[:100],
        )
        audit_record(
            actor=actor,
            action="station.closure_add",
            obj=station,
            detail={"start": str(start_d), "end": str(end_d), "kind": kind},
        )
        index.bump()
    return closure


def closure_remove(*, actor, station: Station, closure_id: int) -> None:
    require_scope(actor, station.org, EDIT_ROLES)
    with transaction.atomic():
        deleted, _ = StationClosure.objects.filter(station=station, pk=closure_id).delete()
        if not deleted:
            raise NotFound()
        audit_record(
            actor=actor, action="station.closure_remove", obj=station, detail={"closure": closure_id}
        )
        index.bump()


def _date(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError("日期格式应为 YYYY-MM-DD", code="bad_date", field=field) from None


def visit_record(*, station: Station, actor=None, occupation: str = "") -> StationVisit:
    """A scan of the poster. Anonymous visits are welcome; nothing identifies an anonymous visitor."""
    if station.status == Station.Status.CLOSED:
        raise NotFound()
    occupation = occupation if occupation in dict(OCCUPATIONS) else ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None and not occupation:
        member = getattr(user, "member", None)
        occupation = getattr(member, "occupation", "") or ""
    return StationVisit.objects.create(
        station=station, user=user, occupation=occupation, visited_on=timezone.localdate()
    )


def visit_set_occupation(*, visit_id: int, station: Station, occupation: str) -> None:
    if occupation not in dict(OCCUPATIONS):
        raise DomainError("请选择职业", code="bad_occupation", field="occupation")
    StationVisit.objects.filter(pk=visit_id, station=station).update(occupation=occupation)


def feedback_submit(
    *, actor, station: Station, ratings: dict, problem: str = "", photo=None
) -> StationFeedback:
    require_scope(actor, station.org, OBSERVER_ROLES)
    clean: dict[str, int] = {}
    for code, value in (ratings or {}).items():
        if value in ("", None):
            continue
        if code not in AMENITY_LABELS:
            raise DomainError("评分的设施不在可选范围内", code="bad_amenity", field=f"rating_{code}")
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise DomainError(
                f"“{AMENITY_LABELS[code]}”的评分应为 1–5 星", code="bad_rating", field=f"rating_{code}"
            )
        clean[code] = score
    problem = (problem or "").strip()
    if len(problem) > 1000:
        raise DomainError("问题描述不能超过 1000 字", code="too_long", field="problem")
    if not clean and not problem:
        raise DomainError("请至少给一项设施评分，或写下发现的问题", code="required", field="problem")
    if photo is not None:
        _check_photo(photo)
    with transaction.atomic():
        fb = StationFeedback.objects.create(station=station, observer=actor, ratings=clean, problem=problem)
        if photo is not None:
            fb.photo.save(f"{fb.pk}.{_photo_ext(photo)}", photo, save=True)
        audit_record(actor=actor, action="station.feedback", obj=station, detail={"feedback": fb.pk})
    return fb


def _check_photo(photo) -> None:
    if photo.size > PHOTO_MAX_BYTES:
        raise DomainError("照片不能超过 5MB，请压缩后再上传", code="photo_too_big", field="photo")
    head = photo.read(12)
    photo.seek(0)
    ok = any(head.startswith(magic) for magic in PHOTO_TYPES.values())
    if head.startswith(b"RIFF") and head[8:12] != b"WEBP":
        ok = False
    if not ok:
        raise DomainError("照片只能是 JPG、PNG 或 WebP 图片", code="photo_type", field="photo")


def _photo_ext(photo) -> str:
    head = photo.read(4)
    photo.seek(0)
    return "jpg" if head.startswith(b"\xff\xd8") else ("png" if head.startswith(b"\x89PNG") else "webp")


def feedback_resolve(*, actor, feedback: StationFeedback, resolution: str) -> StationFeedback:
    require_scope(actor, feedback.station.org, EDIT_ROLES)
    resolution = (resolution or "").strip()
    if len(resolution) < 2:
        raise DomainError("请写明处理结果（至少2个字）", code="required", field="resolution")
    with transaction.atomic():
        updated = StationFeedback.objects.filter(pk=feedback.pk, status=StationFeedback.Status.OPEN).update(
            status=StationFeedback.Status.RESOLVED,
            resolution=resolution[:300],
            resolved_by=actor,
            resolved_at=timezone.now(),
        )
        if not updated:
            raise Conflict("该反馈已处理", code="already_resolved")
        audit_record(
            actor=actor,
            action="station.feedback_resolve",
            obj=feedback.station,
            detail={"feedback": feedback.pk},
        )
    feedback.refresh_from_db()
    return feedback


def org_for_write(*, actor, org_id) -> Org:
    try:
        return scoped_orgs(actor, EDIT_ROLES).get(pk=int(org_id))
    except (Org.DoesNotExist, ValueError, TypeError):
        # Same answer as for an org that does not exist: the form only offers orgs in scope.
        raise NotFound("未找到该主管工会，或不在您的管辖范围内", field="org") from None
