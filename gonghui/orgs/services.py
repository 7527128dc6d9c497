"""Writes to the union tree and staff positions. Each is one transaction with an audit event."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, models, transaction
from django.db.models import F

from gonghui.accounts.services import user_get_or_create_by_phone, user_name_set, user_sessions_end
from gonghui.core.audit import audit_record
from gonghui.core.cleaners import clean_date, clean_text
from gonghui.core.errors import DomainError, NotFound, field_value
from gonghui.core.models import CalendarDay
from gonghui.core.validators import normalize_mobile, validate_credit_code

from .models import Org, Staff, path_segment
from .scope import require_scope

# Which kinds may sit under which; the national federation is the only root.
ALLOWED_CHILDREN = {
    Org.Kind.NATIONAL: {Org.Kind.PROVINCE, Org.Kind.INDUSTRY},
    Org.Kind.PROVINCE: {Org.Kind.CITY, Org.Kind.INDUSTRY, Org.Kind.GRASSROOTS},
    Org.Kind.CITY: {Org.Kind.COUNTY, Org.Kind.INDUSTRY, Org.Kind.JOINT, Org.Kind.GRASSROOTS},
    Org.Kind.COUNTY: {Org.Kind.TOWNSHIP, Org.Kind.INDUSTRY, Org.Kind.JOINT, Org.Kind.GRASSROOTS},
    Org.Kind.TOWNSHIP: {Org.Kind.JOINT, Org.Kind.GRASSROOTS},
    Org.Kind.INDUSTRY: {Org.Kind.GRASSROOTS, Org.Kind.JOINT},
    Org.Kind.JOINT: {Org.Kind.GRASSROOTS},
    Org.Kind.GRASSROOTS: set(),
}

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "region_code",
    "credit_code",
    "address",
    "lat",
    "lng",
    "chair_name",
    "contact_name",
    "contact_phone",
)


def _clean(fields: dict) -> dict:
    data = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    for key, value in data.items():
        field = Org._meta.get_field(key)
        if isinstance(field, models.CharField) and not field.null:
            # An API client clearing a text field sends null; the column holds "" for "not given".
            data[key] = "" if value is None else str(value).strip()
    if "name" in data and not data["name"]:
        raise DomainError("请填写工会名称", code="required", field="name")
    if data.get("credit_code"):
        data["credit_code"] = field_value(data["credit_code"], "credit_code", validate_credit_code)
    elif "credit_code" in data:
        data["credit_code"] = None
    if data.get("region_code") and not (
        len(data["region_code"]) == 6 and data["region_code"].isascii() and data["region_code"].isdigit()
    ):
        raise DomainError("行政区划代码应为6位数字", code="region_format", field="region_code")
    if data.get("contact_phone"):
        phone = str(data["contact_phone"]).strip()
        if phone.startswith("1") and len(phone) == 11:
            phone = field_value(phone, "contact_phone", normalize_mobile)
        data["contact_phone"] = phone
    for key, value in data.items():
        field = Org._meta.get_field(key)
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            raise DomainError(
                f"{field.verbose_name}不能超过{field.max_length}个字", code="too_long", field=key
            )
    for field, low, high, label in (("lat", 3.0, 54.0, "纬度"), ("lng", 73.0, 136.0, "经度")):
        value = data.get(field)
        if value is not None and not (low <= float(value) <= high):
            raise DomainError(
                f"{label}超出中国范围（{low}–{high}），请检查是否把经纬度填反了",
                code="coord_range",
                field=field,
            )
    return data


CREDIT_TAKEN = "该统一社会信用代码已被其他工会使用"


def _check_credit_code_free(code: str | None, exclude_pk: int | None = None) -> None:
    if code and Org.objects.filter(credit_code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(CREDIT_TAKEN, code="credit_taken", field="credit_code")


@contextmanager
def _credit_code_race(code: str | None):
    """The check above can pass for two requests at once; the unique constraint then decides,
    and the loser gets the same answer as if it had come second."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if code and Org.objects.filter(credit_code=code).exists():
            raise DomainError(CREDIT_TAKEN, code="credit_taken", field="credit_code") from exc
        raise


def _new_child(parent: Org | None, kind: str, data: dict) -> Org:
    if parent is None:
        if Org.objects.filter(parent__isnull=True).exists():
            raise DomainError("只能有一个全国总工会根节点", code="root_exists", field="parent")
        prefix = ""
        number = Org.objects.filter(parent__isnull=True).count()
    else:
        # The row lock serialises sibling creation so two children never get the same path.
        parent = Org.objects.select_for_update().get(pk=parent.pk)
        Org.objects.filter(pk=parent.pk).update(child_seq=F("child_seq") + 1)
        prefix, number = parent.path, parent.child_seq
    path = prefix + path_segment(number)
    return Org.objects.create(
        parent=parent, kind=kind, path=path, depth=len(path) // len(path_segment(0)), **data
    )


@transaction.atomic
def org_create(*, actor, parent: Org | None, kind: str, **fields) -> Org:
    if kind not in Org.Kind.values:
        raise DomainError("工会类型不正确", code="kind_invalid", field="kind")
    if parent is not None:
        require_scope(actor, parent, roles=[Staff.Role.ADMIN])
        if kind not in ALLOWED_CHILDREN[Org.Kind(parent.kind)]:
            raise DomainError(
                f"{parent.get_kind_display()}下不能直接设立{Org.Kind(kind).label}",
                code="kind_not_allowed",
                field="kind",
            )
    elif actor is not None and not actor.is_superuser:
        raise DomainError("只有系统管理员可以创建根节点", code="forbidden", field="parent", status=403)
    data = _clean(fields)
    if "name" not in data:
        raise DomainError("请填写工会名称", code="required", field="name")
    _check_credit_code_free(data.get("credit_code"))
    with _credit_code_race(data.get("credit_code")):
        org = _new_child(parent, kind, data)
    audit_record(actor=actor, action="org.create", obj=org, org=org, detail={"kind": kind})
    return org


@transaction.atomic
def org_update(*, actor, org: Org, **fields) -> Org:
    require_scope(actor, org, roles=[Staff.Role.ADMIN])
    data = _clean(fields)
    if "credit_code" in data:
        _check_credit_code_free(data["credit_code"], exclude_pk=org.pk)
    changed = sorted(k for k, v in data.items() if getattr(org, k) != v)
    for key, value in data.items():
        setattr(org, key, value)
    with _credit_code_race(data.get("credit_code")):
        org.save()
    audit_record(actor=actor, action="org.update", obj=org, org=org, detail={"fields": changed})
    return org


@transaction.atomic
def staff_assign(*, actor, org: Org, user, role: str, title: str = "", can_reveal_pii: bool = False) -> Staff:
    require_scope(actor, org, roles=[Staff.Role.ADMIN])
    if role not in Staff.Role.values:
        raise DomainError("岗位不正确", code="role_invalid", field="role")
    title = (title or "").strip()
    if len(title) > Staff._meta.get_field("title").max_length:
        raise DomainError("职务不能超过40个字", code="too_long", field="title")
    staff, created = Staff.objects.get_or_create(
        user=user, org=org, role=role, defaults={"title": title, "can_reveal_pii": can_reveal_pii}
    )
    if not created:
        staff.is_active, staff.title, staff.can_reveal_pii = True, title or staff.title, can_reveal_pii
        staff.save()
    user.__dict__.pop("_scope_cache", None)
    audit_record(actor=actor, action="staff.assign", obj=staff, org=org, detail={"role": role})
    return staff


@transaction.atomic
def staff_revoke(*, actor, staff: Staff) -> Staff:
    require_scope(actor, staff.org, roles=[Staff.Role.ADMIN])
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    staff.user.__dict__.pop("_scope_cache", None)
    audit_record(actor=actor, action="staff.revoke", obj=staff, org=staff.org, detail={"role": staff.role})
    # The post's sessions and tokens end with it: the user signs in again with what remains.
    user_sessions_end(actor=actor, user=staff.user, reason="staff_revoke")
    return staff


@transaction.atomic
def staff_assign_by_phone(
    *, actor, org: Org, phone: str, name: str = "", role: str, title: str = "", can_reveal_pii: bool = False
) -> Staff:
    """Appoint whoever owns this mobile number; an account is opened for a number that has none, and a
    nameless account takes the name given. One call for the page and the API; every write is audited."""
    require_scope(actor, org, roles=[Staff.Role.ADMIN])
    phone = field_value(phone, "phone", normalize_mobile)
    name = clean_text(name, field="name", label="姓名", max_length=40, required=False)
    user = user_get_or_create_by_phone(phone=phone, actor=actor, org=org)
    user_name_set(actor=actor, user=user, name=name, org=org)
    return staff_assign(
        actor=actor, org=org, user=user, role=role, title=title, can_reveal_pii=can_reveal_pii
    )


# --- the working-day calendar's overrides (core.CalendarDay), edited by 全总 and provincial admins ---------

CALENDAR_EDITOR_KINDS = (Org.Kind.NATIONAL, Org.Kind.PROVINCE)


def calendar_editor_org(user) -> Org | None:
    """The 全总 or provincial union on which the user is an admin (the highest, if several), else None."""
    if user is None or not user.is_authenticated:
        return None
    position = (
        Staff.objects.filter(
            user=user,
            role=Staff.Role.ADMIN,
            is_active=True,
            org__is_active=True,
            org__kind__in=CALENDAR_EDITOR_KINDS,
        )
        .select_related("org")
        .order_by("org__depth", "org__path")
        .first()
    )
    return position.org if position else None


def _calendar_editor(actor) -> Org:
    org = calendar_editor_org(actor)
    if org is None:
        raise NotFound()
    return org


@transaction.atomic
def calendar_day_set(*, actor, date, kind: str, name: str) -> CalendarDay:
    """Adds or changes one day of the override table: a holiday, or a make-up working day (调休上班)."""
    org = _calendar_editor(actor)
    day = clean_date(date, field="date", label="日期")
    if kind not in CalendarDay.Kind.values:
        raise DomainError("请选择类型：放假或调休上班", code="invalid", field="kind")
    name = clean_text(name, field="name", label="节日名称", max_length=20)
    row, created = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    audit_record(
        actor=actor,
        action="calendar.set",
        obj=row,
        org=org,
        detail={"date": day.isoformat(), "kind": kind, "name": name, "created": created},
    )
    return row


@transaction.atomic
def calendar_day_delete(*, actor, date) -> None:
    """Removes an override: the day follows the official calendar (or Monday–Friday) again."""
    org = _calendar_editor(actor)
    day = clean_date(date, field="date", label="日期")
    row = CalendarDay.objects.filter(date=day).first()
    if row is None:
        raise NotFound("该日期没有自定义安排")
    audit_record(actor=actor, action="calendar.delete", obj=row, org=org, detail={"date": day.isoformat()})
    row.delete()
