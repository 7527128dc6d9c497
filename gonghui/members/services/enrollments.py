"""Joining: the application, its checks, approval, rejection, reassignment, the overdue flag."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import phone_index
from gonghui.accounts.services import login_code_consume, real_name_certify
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, ErrorCollector, RateLimited, field_value
from gonghui.core.glossary import NEW_FORM_OCCUPATIONS
from gonghui.core.models import AuditEvent
from gonghui.core.validators import normalize_mobile, parse_id_number
from gonghui.core.workdays import WorkCalendar, working_days_between
from gonghui.orgs.models import Org
from gonghui.orgs.scope import in_scope, require_scope
from gonghui.stations.selectors import station_public

from .. import routing
from ..models import (
    OCCUPATION_LABELS,
    Counter,
    Enrollment,
    Member,
    id_index,
)
from .cards import card_issue
from .common import (
    APPROVER_ROLES,
    MIN_AGE,
    _clean_region,
    _clean_text,
    _notify_staff,
    _reason,
    _step,
    _tell_applicant,
)


def next_member_numbers(org: Org, count: int = 1) -> list[str]:
    """会员编号: the union's region code + a 9-digit national sequence, taken in one UPDATE."""
    Counter.objects.get_or_create(name="member_no")
    Counter.objects.filter(name="member_no").update(value=F("value") + count)
    end = Counter.objects.get(name="member_no").value
    region = org.region_code or "000000"
    return [f"{region}{n:09d}" for n in range(end - count + 1, end + 1)]


def enrollment_age(enrollment: Enrollment, today: dt.date | None = None) -> int:
    """Working days the application has waited at its current union (public holidays and 调休 counted)."""
    return enrollment_ages([enrollment], today)[0]


def enrollment_ages(enrollments, today: dt.date | None = None) -> list[int]:
    """enrollment_age of each, with one calendar query for the lot (a page of the approval list)."""
    today = today or timezone.localdate()
    starts = [timezone.localdate(e.arrived_at) for e in enrollments]
    if not starts:
        return []
    calendar = WorkCalendar(min(*starts, today), today)
    return [working_days_between(start, today, calendar=calendar) for start in starts]


def overdue_limit() -> int:
    return int(getattr(settings, "GONGHUI_ENROLLMENT_LIMIT_WORKING_DAYS", 15))


def _open_enrollment_conflict(existing: Enrollment) -> Conflict:
    return Conflict(
        f"您已有一份入会申请正在办理（{existing.get_status_display()}，"
        f"{timezone.localtime(existing.submitted_at):%Y-%m-%d %H:%M} 提交，受理工会：{existing.org.name}）",
        code="enrollment_pending",
        field="id_number",
    )


ID_REGISTERED_MESSAGE = "该身份证号已登记，如是本人请用登记的手机号登录或联系工会"
# Neutral answers about other people's ID numbers per account (or per verified phone) per day: past this,
# the form stops answering for that account (an enumeration would need thousands).
ID_ATTEMPTS_PER_DAY = 5


def _id_registered() -> Conflict:
    """The answer about an ID number that is not the caller's: nothing about whose, where or since when."""
    return Conflict(ID_REGISTERED_MESSAGE, code="id_registered", field="id_number")


def _id_attempts_key(actor, phone_idx: str) -> str:
    who = f"u{actor.pk}" if getattr(actor, "pk", None) else f"p{phone_idx}"
    return f"members:id_attempts:{who}:{timezone.localdate():%Y%m%d}"


def _check_foreign_id(*, actor, index: str, phone_idx: str) -> None:
    """Refuse, neutrally, an ID number already registered to someone else (another account and another
    phone), count the attempt and audit it outside the caller's transaction."""
    from django.core.cache import cache

    key = _id_attempts_key(actor, phone_idx)
    if cache.get(key, 0) >= ID_ATTEMPTS_PER_DAY:
        raise RateLimited(
            "今天提交的身份证号与已登记信息冲突次数过多，请明天再试或联系工会",
            code="id_attempts",
            field="id_number",
        )
    member = Member.objects.filter(id_index=index).first()
    foreign_member = (
        member is not None
        and member.status in Member.HOLDING
        and not _is_own(actor, phone_idx, member.user_id, member.phone_index)
    )
    if not foreign_member:
        return
    if not cache.add(key, 1, 86400):
        cache.incr(key)
    with transaction.atomic():
        audit_record(
            actor=actor if getattr(actor, "pk", None) else None,
            action="enrollment.id_conflict",
            result=AuditEvent.Result.DENIED,
            obj=member,
            org=member.org,
            detail={"attempts_today": cache.get(key, 1)},
        )
    raise _id_registered()


def _is_own(actor, phone_idx: str, user_id, record_phone_index: str) -> bool:
    return (user_id is not None and user_id == getattr(actor, "pk", None)) or record_phone_index == phone_idx


def _member_conflict(member: Member) -> Conflict:
    return Conflict(
        f"您已是{member.org.name}的会员（会员编号 {member.member_no}），无需重复入会；换了工作请办理会籍转接",
        code="already_member",
        field="id_number",
    )


def enrollment_submit(
    *,
    actor,
    name: str,
    id_number: str,
    employer_name: str,
    occupation: str,
    phone: str = "",
    code: str = "",
    employment_form: str = "",
    work_region: str = "",
    residence_region: str = "",
    routes: str = "",
    note: str = "",
    channel: str = Enrollment.Channel.ONLINE,
    station_code: str = "",
    check_only: bool = False,
) -> Enrollment | None:
    """我要入会: five required fields (姓名, 身份证号, 手机号 verified by code, 单位/平台, 职业).
    Every field is checked before giving up, so the form can show all its mistakes at once."""
    errors = ErrorCollector()
    parsed = None
    with errors.check():
        name = _clean_text(name, "name", "姓名", 40)
        if not re.fullmatch(r"[\u4e00-\u9fff·A-Za-z ]{2,40}", name):
            raise DomainError("姓名应为2个字以上的中文或字母", code="name_format", field="name")
    with errors.check():
        parsed = field_value(id_number, "id_number", parse_id_number)
        age = parsed.age_on(timezone.localdate())
        if age < MIN_AGE:
            raise DomainError(
                f"根据身份证号，您今年{age}周岁，未满16周岁不能加入工会", code="under_age", field="id_number"
            )
    if not check_only:
        with errors.check():
            # The account's phone was verified at sign-in; another number must be verified by its code.
            phone = field_value(phone, "phone", normalize_mobile) if phone else getattr(actor, "phone", "")
            if not phone:
                raise DomainError("请填写手机号", code="phone_required", field="phone")
            if phone != getattr(actor, "phone", None) and not login_code_consume(phone=phone, code=code):
                raise DomainError("手机验证码不正确或已过期，请重新获取", code="code_invalid", field="code")
    with errors.check():
        employer_name = _clean_text(employer_name, "employer_name", "工作单位或平台", 120)
    with errors.check():
        if occupation not in OCCUPATION_LABELS:
            raise DomainError("请从列表中选择职业", code="occupation_invalid", field="occupation")
    with errors.check():
        if employment_form and employment_form not in Member.EmploymentForm.values:
            raise DomainError(
                "就业形态只能是传统就业、新就业形态或灵活就业",
                code="employment_form_invalid",
                field="employment_form",
            )
    with errors.check():
        work_region = _clean_region(work_region, "work_region")
    with errors.check():
        residence_region = _clean_region(residence_region, "residence_region")
    with errors.check():
        routes = _clean_text(routes, "routes", "常跑线路", 200, required=False)
    with errors.check():
        note = _clean_text(note, "note", "补充说明", 500, required=False)
    if channel not in Enrollment.Channel.values:
        errors.errors.append(DomainError("入会渠道无效", code="channel_invalid", field="channel"))
    station = None
    if station_code:
        with errors.check():
            station = station_public(code=(station_code or "").strip()[:32])
        channel = Enrollment.Channel.STATION
    errors.raise_if_any()
    if check_only:
        return None
    employment_form = employment_form or ("new" if occupation in NEW_FORM_OCCUPATIONS else "standard")
    index = id_index(parsed.value)
    phone_idx = phone_index(phone)
    # Someone else's membership: a neutral answer, counted and audited. Someone else's *application* does
    # not block this one: both go to the approvers, who check the ID card (enrollment_approve).
    _check_foreign_id(actor=actor, index=index, phone_idx=phone_idx)

    with transaction.atomic():
        member = Member.objects.filter(id_index=index).select_related("org").first()
        if member is not None and member.status in Member.HOLDING:
            if not _is_own(actor, phone_idx, member.user_id, member.phone_index):
                raise _id_registered()
            raise _member_conflict(member)
        existing = (
            Enrollment.objects.filter(id_index=index, phone_index=phone_idx, status__in=Enrollment.OPEN)
            .select_related("org")
            .first()
        )
        if existing is not None:
            raise _open_enrollment_conflict(existing)
        rival = Enrollment.objects.filter(id_index=index, status__in=Enrollment.OPEN).exists()
        applicant = routing.Applicant(
            employer_name=employer_name,
            occupation=occupation,
            id_region=parsed.region_code,
            phone=phone,
            work_region=work_region,
            residence_region=residence_region,
            routes=routes,
            station_org=station.org if station else None,
            station_name=station.name if station else "",
        )
        target = routing.route(applicant)
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(
                    user=actor if getattr(actor, "pk", None) else None,
                    org=target.org,
                    org_path=target.org.path,
                    channel=channel,
                    name=name,
                    id_number=parsed.value,
                    id_index=index,
                    phone=phone,
                    phone_index=phone_index(phone),
                    gender=parsed.gender,
                    birth_date=parsed.birth_date,
                    employer_name=employer_name,
                    occupation=occupation,
                    employment_form=employment_form,
                    work_region=work_region,
                    residence_region=residence_region,
                    routes=routes,
                    note=note,
                    station_code=station.code if station else "",
                    station_name=station.name if station else "",
                    station_org=station.org if station else None,
                    station_path=station.org.path if station else "",
                    route_reason=target.reason,
                    arrived_at=timezone.now(),
                )
        except IntegrityError:
            # A second tab or a double tap got there first: report the application that won.
            raise _open_enrollment_conflict(
                Enrollment.objects.select_related("org").get(
                    id_index=index, phone_index=phone_idx, status__in=Enrollment.OPEN
                )
            ) from None
        if actor is not None and getattr(actor, "pk", None) and not actor.name:
            actor.name = name
            actor.save(update_fields=["name"])
        via = f"（{station.name}）" if station else ""
        _step(enrollment, "提交申请", f"通过{enrollment.get_channel_display()}{via}提交", actor)
        if rival:
            _step(
                enrollment,
                "请核对身份证件",
                "同一身份证号另有一份用其他手机号提交的申请，审批时请核对本人证件",
            )
        if target.pool is not None:
            _step(enrollment, "进入周转池", target.pool.name)
        _step(enrollment, "送达受理工会", f"{target.org.name}（{target.reason}）")
        audit_record(
            actor=actor,
            action="enrollment.submit",
            obj=enrollment,
            org=target.org,
            detail={"channel": channel, "route": target.reason, "station": station.code if station else ""},
        )
        link = reverse("members_bench:enrollment", args=[enrollment.pk])
        _notify_staff(
            target.org,
            title="新的入会申请待审批",
            body=f"{enrollment.name_masked}（{OCCUPATION_LABELS[occupation]}，{employer_name}）申请入会",
            link=link,
            sms=True,
        )
        if station is not None and station.org_id != target.org.pk:
            _notify_staff(
                station.org,
                title="驿站扫码入会申请",
                body=f"{enrollment.name_masked} 在{station.name}扫码申请入会，由{target.org.name}受理",
                link=link,
            )
        _tell_applicant(enrollment, "入会申请已提交", f"已送达{target.org.name}，我们会尽快审批。")
    return enrollment


def enrollment_check(**fields) -> None:
    """Every field error of an application, before the phone's code is spent or an account made."""
    enrollment_submit(actor=None, check_only=True, **fields)


def _lock_open(enrollment: Enrollment) -> Enrollment:
    locked = Enrollment.objects.select_for_update().select_related("org").get(pk=enrollment.pk)
    if not locked.is_open:
        raise Conflict(
            f"该申请已处理（{locked.get_status_display()}），请刷新后查看", code="enrollment_closed"
        )
    return locked


def enrollment_approve(*, actor, enrollment: Enrollment, note: str = "") -> Member:
    require_scope(actor, enrollment.org, APPROVER_ROLES)
    with transaction.atomic():
        enrollment = _lock_open(enrollment)
        today = timezone.localdate()
        member = Member.objects.select_for_update().filter(id_index=enrollment.id_index).first()
        if member is not None and member.status in Member.HOLDING:
            if in_scope(actor, member.org):
                raise _member_conflict(member)
            raise Conflict(
                "此人已在其他工会登记为会员，不能重复入会；请告知申请人办理会籍转接", code="already_member"
            )
        fields = dict(
            org=enrollment.org,
            org_path=enrollment.org.path,
            name=enrollment.name,
            phone=enrollment.phone,
            phone_index=enrollment.phone_index,
            occupation=enrollment.occupation,
            employment_form=enrollment.employment_form,
            employer_name=enrollment.employer_name,
            status=Member.Status.ACTIVE,
            status_reason="",
            joined_at=today,
            source=enrollment.channel,
        )
        user = (
            enrollment.user
            if enrollment.user_id
            and not Member.objects.filter(user_id=enrollment.user_id)
            .exclude(id_index=enrollment.id_index)
            .exists()
            else None
        )
        if member is None:
            member = Member.objects.create(
                user=user,
                member_no=next_member_numbers(enrollment.org)[0],
                id_number=enrollment.id_number,
                id_index=enrollment.id_index,
                gender=enrollment.gender,
                birth_date=enrollment.birth_date,
                **fields,
            )
        else:
            # Re-joining after leaving keeps the old number and history.
            for key, value in fields.items():
                setattr(member, key, value)
            member.user = user or member.user
            member.save()
        card_issue(actor=actor, member=member)
        if member.user_id and member.user_id == enrollment.user_id:
            # The approver checked the 身份证号 of the application against the person: 实名认证.
            real_name_certify(actor=actor, user=member.user, method="approval", org=enrollment.org)
        enrollment.status = Enrollment.Status.APPROVED
        enrollment.decided_by, enrollment.decided_at = actor, timezone.now()
        enrollment.decision_reason = (note or "").strip()[:500]
        enrollment.member = member
        enrollment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "member"])
        _step(
            enrollment,
            "审批通过",
            f"会员编号 {member.member_no}；实体会员证请到{enrollment.org.name}领取",
            actor,
        )
        # The approver checked the ID card: any other open application with this ID number (another
        # phone — a typo or somebody else's attempt) closes with it.
        for rival in (
            Enrollment.objects.select_for_update()
            .filter(id_index=enrollment.id_index, status__in=Enrollment.OPEN)
            .exclude(pk=enrollment.pk)
        ):
            rival.status = Enrollment.Status.REJECTED
            rival.decided_by, rival.decided_at = actor, timezone.now()
            rival.decision_reason = "同一身份证号的另一份申请已核对证件并通过审批"
            rival.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
            _step(rival, "未通过", rival.decision_reason, actor)
            audit_record(
                actor=actor,
                action="enrollment.reject",
                obj=rival,
                org=rival.org,
                detail={"rival_of": enrollment.pk},
            )
        audit_record(
            actor=actor,
            action="enrollment.approve",
            obj=enrollment,
            org=enrollment.org,
            detail={"member_no": member.member_no},
        )
        _tell_applicant(
            enrollment,
            "恭喜！入会申请已通过",
            f"您已成为{enrollment.org.name}会员，会员编号 {member.member_no}，电子会员卡已生效。",
            sms=True,
        )
    return member


def enrollment_reject(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    require_scope(actor, enrollment.org, APPROVER_ROLES)
    reason = _reason(reason, what="不通过的原因")
    with transaction.atomic():
        enrollment = _lock_open(enrollment)
        enrollment.status = Enrollment.Status.REJECTED
        enrollment.decided_by, enrollment.decided_at, enrollment.decision_reason = (
            actor,
            timezone.now(),
            reason,
        )
        enrollment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _step(enrollment, "未通过", reason, actor)
        audit_record(
            actor=actor,
            action="enrollment.reject",
            obj=enrollment,
            org=enrollment.org,
            detail={"reason": reason},
        )
        _tell_applicant(enrollment, "入会申请未通过", f"原因：{reason}", sms=True)
    return enrollment


def enrollment_request_info(*, actor, enrollment: Enrollment, message: str) -> Enrollment:
    require_scope(actor, enrollment.org, APPROVER_ROLES)
    message = _reason(message, field="message", what="需要补充的内容")
    with transaction.atomic():
        enrollment = _lock_open(enrollment)
        enrollment.status = Enrollment.Status.INFO_REQUESTED
        enrollment.decision_reason = message
        enrollment.save(update_fields=["status", "decision_reason"])
        _step(enrollment, "请补充材料", message, actor)
        audit_record(actor=actor, action="enrollment.request_info", obj=enrollment, org=enrollment.org)
        _tell_applicant(enrollment, "入会申请需要补充信息", message, sms=True)
    return enrollment


def enrollment_supplement(
    *, actor, enrollment: Enrollment, note: str, employer_name: str = "", work_region: str = ""
) -> Enrollment:
    """The applicant answers a request for more information; the application goes back to the queue."""
    if enrollment.user_id != getattr(actor, "pk", None):
        raise DomainError("未找到该申请", code="not_found", status=404)
    note = _reason(note, field="note", what="补充说明")
    work_region = _clean_region(work_region, "work_region")
    with transaction.atomic():
        enrollment = _lock_open(enrollment)
        if enrollment.status != Enrollment.Status.INFO_REQUESTED:
            raise Conflict("工会没有要求补充材料，申请正在审批中", code="not_requested", field="note")
        enrollment.note = note[:500]
        if employer_name.strip():
            enrollment.employer_name = _clean_text(employer_name, "employer_name", "工作单位或平台", 120)
        if work_region:
            enrollment.work_region = work_region
        enrollment.status = Enrollment.Status.PENDING
        enrollment.save(update_fields=["note", "employer_name", "work_region", "status"])
        _step(enrollment, "已补充材料", note, actor)
        audit_record(actor=actor, action="enrollment.supplement", obj=enrollment, org=enrollment.org)
        _notify_staff(
            enrollment.org,
            title="入会申请已补充材料",
            body=f"{enrollment.name_masked} 已补充材料",
            link=reverse("members_bench:enrollment", args=[enrollment.pk]),
        )
    return enrollment


def enrollment_reassign(*, actor, enrollment: Enrollment, org: Org, reason: str) -> Enrollment:
    """Pool staff (or the receiving union) pass an application on; the reason is kept."""
    require_scope(actor, enrollment.org, APPROVER_ROLES)
    reason = _reason(reason, what="转派原因")
    if not org.is_active or org.kind not in routing.MEMBER_HOLDING_KINDS:
        raise DomainError(
            "只能转派给基层、乡镇（街道）、县（区）工会或行业工会联合会", code="org_invalid", field="org_id"
        )
    if org.pk == enrollment.org_id:
        raise DomainError("申请已在该工会，请选择其他工会", code="same_org", field="org_id")
    with transaction.atomic():
        enrollment = _lock_open(enrollment)
        previous = enrollment.org
        enrollment.org, enrollment.org_path, enrollment.arrived_at = org, org.path, timezone.now()
        enrollment.route_reason = f"由{previous.display_name}转派：{reason}"[:200]
        enrollment.overdue_notified_at = None
        enrollment.save(
            update_fields=["org", "org_path", "arrived_at", "route_reason", "overdue_notified_at"]
        )
        _step(enrollment, "转派受理工会", f"{previous.name} → {org.name}（{reason}）", actor)
        audit_record(
            actor=actor,
            action="enrollment.reassign",
            obj=enrollment,
            org=previous,
            detail={"to_org": org.pk, "reason": reason},
        )
        _notify_staff(
            org,
            title="新的入会申请待审批（转派）",
            body=f"{enrollment.name_masked}：{reason}",
            link=reverse("members_bench:enrollment", args=[enrollment.pk]),
            sms=True,
        )
        _tell_applicant(enrollment, "入会申请已转至新的受理工会", f"{org.name}（{reason}）")
    return enrollment


def enrollments_batch_approve(*, actor, enrollments) -> tuple[int, list[str]]:
    approved, errors = 0, []
    for enrollment in enrollments:
        try:
            enrollment_approve(actor=actor, enrollment=enrollment)
            approved += 1
        except DomainError as exc:
            errors.append(f"{enrollment.name_masked}：{exc.message}")
    return approved, errors


def enrollments_flag_overdue(*, today: dt.date | None = None) -> int:
    """Applications older than the working-day limit: flagged once, and the parent union is told."""
    today = today or timezone.localdate()
    limit = overdue_limit()
    # A prefilter in calendar days (never more than the working days) measured from the day asked about,
    # so a run for a past or future day judges that day, not the machine's.
    end_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.max))
    cutoff = end_of_day - dt.timedelta(days=limit)
    flagged = 0
    candidates = Enrollment.objects.filter(
        status__in=Enrollment.OPEN, overdue_notified_at__isnull=True, arrived_at__lte=cutoff
    ).select_related("org__parent")
    candidates = list(candidates)
    for enrollment, age in zip(candidates, enrollment_ages(candidates, today), strict=True):
        if age <= limit:
            continue
        with transaction.atomic():
            Enrollment.objects.filter(pk=enrollment.pk).update(overdue_notified_at=timezone.now())
            _step(enrollment, "超时提醒", f"已超过{limit}个工作日未办结，已提醒上级工会")
            parent = enrollment.org.parent or enrollment.org
            _notify_staff(
                parent,
                title="下级工会入会申请超时未办",
                body=f"{enrollment.org.name}：{enrollment.name_masked} 的申请已超过{limit}个工作日",
                link=reverse("members_bench:enrollment", args=[enrollment.pk]),
            )
            audit_record(actor=None, action="enrollment.overdue", obj=enrollment, org=enrollment.org)
        flagged += 1
    return flagged
