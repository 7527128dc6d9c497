"""Writes to the member registry: enrollment and approval, cards, status changes, transfers, dues,
the member's own data rights, and reveal of personal data. Every write is audited."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import phone_index
from gonghui.accounts.services import login_code_consume, user_sessions_end
from gonghui.core.audit import _actor_label as actor_label
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, RateLimited, field_value
from gonghui.core.glossary import NEW_FORM_OCCUPATIONS
from gonghui.core.models import AuditEvent
from gonghui.core.notifications import notify
from gonghui.core.validators import normalize_mobile, parse_id_number
from gonghui.core.workdays import WorkCalendar, working_days_between
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, may_reveal_pii, require_scope
from gonghui.orgs.selectors import staff_users

from . import routing, selectors
from .models import (
    OCCUPATION_LABELS,
    Counter,
    DuesPayment,
    DuesSetting,
    Enrollment,
    EnrollmentStep,
    Member,
    MemberCard,
    StatusChange,
    Transfer,
    id_index,
)

REVEALABLE = {"id_number": "身份证号", "phone": "手机号"}
APPROVER_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER)
REGISTRY_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER, Staff.Role.HANDLER)
MIN_AGE = 16
CARD_SALT = "gonghui.members.card"


def member_reveal(*, actor, member: Member, field: str, reason: str) -> str:
    """Show one full personal-data field to a permitted staff member; the reason is kept."""
    require_scope(actor, member.org)
    if field not in REVEALABLE:
        raise DomainError("不支持查看该字段", code="field_invalid", field="field")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError("请填写查看原因（至少2个字）", code="reason_required", field="reason")
    allowed = may_reveal_pii(actor, member.org)
    # Its own transaction, so a refused attempt stays on record although the call fails.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="pii.reveal",
            obj=member,
            org=member.org,
            result="ok" if allowed else "denied",
            detail={"field": field, "reason": reason[:200]},
        )
    if not allowed:
        raise Forbidden("您没有查看完整个人信息的权限，请联系上级工会授权")
    return getattr(member, field)


# --- helpers ----------------------------------------------------------------------------------


def _reason(value: str, field: str = "reason", what: str = "原因") -> str:
    value = (value or "").strip()
    if len(value) < 2:
        raise DomainError(f"请填写{what}（至少2个字）", code="reason_required", field=field)
    if len(value) > 200:
        raise DomainError(f"{what}不能超过200字", code="reason_too_long", field=field)
    return value


def _approvers(org: Org) -> list:
    """Approvers of the org, or of the nearest ancestor that has any, so nothing lands unread."""
    return staff_users(org=org, roles=APPROVER_ROLES, reach="nearest")


def _notify_staff(org: Org, *, title: str, body: str, link: str, sms: bool = False) -> None:
    for user in {u.pk: u for u in _approvers(org)}.values():
        notify(user=user, title=title, body=body, link=link, kind="enrollment", sms=sms)


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


def _step(enrollment: Enrollment, title: str, detail: str = "", actor=None) -> None:
    EnrollmentStep.objects.create(
        enrollment=enrollment,
        title=title,
        detail=detail[:500],
        actor_label=actor_label(actor) if actor is not None else "系统",
    )


def _tell_applicant(enrollment: Enrollment, title: str, body: str = "", sms: bool = False) -> None:
    if enrollment.user_id:
        notify(
            user=enrollment.user,
            title=title,
            body=body,
            kind="enrollment",
            sms=sms,
            link=reverse("membership:enrollment", args=[enrollment.pk]),
        )


# --- enrollment ---------------------------------------------------------------------------------


def _clean_text(value: str, field: str, label: str, max_len: int, required: bool = True) -> str:
    value = re.sub(r"\s+", " ", (value or "").strip())
    if required and not value:
        raise DomainError(f"请填写{label}", code="required", field=field)
    if len(value) > max_len:
        raise DomainError(f"{label}不能超过{max_len}个字", code="too_long", field=field)
    return value


def _clean_region(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and not re.fullmatch(r"\d{6}", value):
        raise DomainError("行政区划代码应为6位数字（如 141125 柳林县）", code="region_format", field=field)
    return value


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
) -> Enrollment:
    """我要入会: five required fields (姓名, 身份证号, 手机号 verified by code, 单位/平台, 职业)."""
    name = _clean_text(name, "name", "姓名", 40)
    if not re.fullmatch(r"[\u4e00-\u9fff·A-Za-z ]{2,40}", name):
        raise DomainError("姓名应为2个字以上的中文或字母", code="name_format", field="name")
    parsed = field_value(id_number, "id_number", parse_id_number)
    age = parsed.age_on(timezone.localdate())
    if age < MIN_AGE:
        raise DomainError(
            f"根据身份证号，您今年{age}周岁，未满16周岁不能加入工会", code="under_age", field="id_number"
        )
    # The account's phone was verified at sign-in; another number must be verified by its own code.
    phone = field_value(phone, "phone", normalize_mobile) if phone else getattr(actor, "phone", "")
    if not phone:
        raise DomainError("请填写手机号", code="phone_required", field="phone")
    if phone != getattr(actor, "phone", None) and not login_code_consume(phone=phone, code=code):
        raise DomainError("手机验证码不正确或已过期，请重新获取", code="code_invalid", field="code")
    employer_name = _clean_text(employer_name, "employer_name", "工作单位或平台", 120)
    if occupation not in OCCUPATION_LABELS:
        raise DomainError("请从列表中选择职业", code="occupation_invalid", field="occupation")
    if employment_form and employment_form not in Member.EmploymentForm.values:
        raise DomainError(
            "就业形态只能是传统就业、新就业形态或灵活就业",
            code="employment_form_invalid",
            field="employment_form",
        )
    employment_form = employment_form or ("new" if occupation in NEW_FORM_OCCUPATIONS else "standard")
    work_region = _clean_region(work_region, "work_region")
    residence_region = _clean_region(residence_region, "residence_region")
    routes = _clean_text(routes, "routes", "常跑线路", 200, required=False)
    note = _clean_text(note, "note", "补充说明", 500, required=False)
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
        _step(enrollment, "提交申请", f"通过{enrollment.get_channel_display()}提交", actor)
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
            detail={"channel": channel, "route": target.reason},
        )
        link = reverse("members:enrollment", args=[enrollment.pk])
        _notify_staff(
            target.org,
            title="新的入会申请待审批",
            body=f"{enrollment.name_masked}（{OCCUPATION_LABELS[occupation]}，{employer_name}）申请入会",
            link=link,
            sms=True,
        )
        _tell_applicant(enrollment, "入会申请已提交", f"已送达{target.org.name}，我们会尽快审批。")
    return enrollment


def _lock_open(enrollment: Enrollment) -> Enrollment:
    locked = Enrollment.objects.select_for_update().select_related("org").get(pk=enrollment.pk)
    if not locked.is_open:
        raise Conflict(
            f"该申请已处理（{locked.get_status_display()}），请刷新后查看", code="enrollment_closed"
        )
    return locked


def card_issue(*, member: Member) -> MemberCard:
    """A new card (and QR token); any older card stops verifying."""
    MemberCard.objects.filter(member=member, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoke_reason="换发新卡"
    )
    return MemberCard.objects.create(member=member, token=secrets.token_urlsafe(12))


def card_signed_token(card: MemberCard) -> str:
    return signing.Signer(salt=CARD_SALT).sign(card.token)


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
        card_issue(member=member)
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
            link=reverse("members:enrollment", args=[enrollment.pk]),
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
            link=reverse("members:enrollment", args=[enrollment.pk]),
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
                link=reverse("members:enrollment", args=[enrollment.pk]),
            )
            audit_record(actor=None, action="enrollment.overdue", obj=enrollment, org=enrollment.org)
        flagged += 1
    return flagged


# --- cards --------------------------------------------------------------------------------------


def card_handover(*, actor, card: MemberCard) -> MemberCard:
    """The physical 会员证 leaves the union office: who handed it over, and when."""
    require_scope(actor, card.member.org, REGISTRY_ROLES)
    with transaction.atomic():
        card = MemberCard.objects.select_for_update().select_related("member__org").get(pk=card.pk)
        if card.pickup == MemberCard.Pickup.PICKED:
            raise Conflict("该会员证已领取", code="already_picked")
        card.pickup, card.picked_at, card.handed_by = MemberCard.Pickup.PICKED, timezone.now(), actor
        card.save(update_fields=["pickup", "picked_at", "handed_by"])
        audit_record(actor=actor, action="card.handover", obj=card.member, org=card.member.org)
    return card


# --- status changes -----------------------------------------------------------------------------

STATUS_CHANGE_TARGETS = {
    Member.Status.ACTIVE,
    Member.Status.WITHDRAWN,
    Member.Status.LAPSED,
    Member.Status.RETIRED,
    Member.Status.UNEMPLOYED,
    Member.Status.DECEASED,
}


def _set_status(*, actor, member: Member, status: str, reason: str) -> Member:
    previous = member.status
    member.status, member.status_reason = status, reason
    member.save(update_fields=["status", "status_reason", "updated_at"])
    StatusChange.objects.create(
        member=member, from_status=previous, to_status=status, reason=reason, actor_label=actor_label(actor)
    )
    if status not in Member.HOLDING:
        MemberCard.objects.filter(member=member, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoke_reason=Member.Status(status).label
        )
    elif not MemberCard.objects.filter(member=member, revoked_at__isnull=True).exists():
        card_issue(member=member)
    audit_record(
        actor=actor,
        action="member.status",
        obj=member,
        org=member.org,
        detail={"from": previous, "to": status, "reason": reason},
    )
    return member


def member_status_change(*, actor, member: Member, status: str, reason: str) -> Member:
    require_scope(actor, member.org, REGISTRY_ROLES)
    if status not in STATUS_CHANGE_TARGETS:
        raise DomainError(
            "会籍状态只能改为在籍、已退会、视为自动退会、退休、失业或已故",
            code="status_invalid",
            field="status",
        )
    reason = _reason(reason, what="变更原因")
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
        if member.status == status:
            raise Conflict(
                f"会籍状态已是「{member.get_status_display()}」", code="status_same", field="status"
            )
        if member.status == Member.Status.TRANSFERRING:
            raise Conflict("会籍转接办理中，请先完成或退回转接", code="transferring", field="status")
        _set_status(actor=actor, member=member, status=status, reason=reason)
        if member.user_id:
            notify(
                user=member.user,
                title="会籍状态已变更",
                kind="member",
                body=f"您的会籍状态已变更为「{member.get_status_display()}」，原因：{reason}",
            )
    return member


# --- the six-month lapse rule (视为自动退会) --------------------------------------------------------


def member_lock(*, member_id: int) -> None:
    """Row-lock one member inside the caller's transaction: another app's write that must not run twice at
    once for the same member (a campaign's per-member limit) waits here, and other members never wait.
    Only the key is read, so the lock costs one indexed statement."""
    list(Member.objects.select_for_update().filter(pk=member_id).values_list("pk", flat=True))


def member_took_part(member_id: int, day: dt.date | None = None) -> None:
    """Union activity by the member (a course attended, a coupon used): keeps the membership alive."""
    day = day or timezone.localdate()
    Member.objects.filter(pk=member_id).filter(
        Q(last_active_on__isnull=True) | Q(last_active_on__lt=day)
    ).update(last_active_on=day)


def members_lapse(*, actor, member_ids, today: dt.date | None = None) -> tuple[int, list[str]]:
    """Confirm 视为自动退会 for candidates staff picked from the list. Each is checked again (a payment or
    an activity since the list was shown keeps the member) and changed in its own transaction."""
    months = settings.GONGHUI_LAPSE_MONTHS
    reason = f"连续{months}个月未交会费、未参加工会活动，视为自动退会"
    lapsed, errors = 0, []
    for member_id in member_ids:
        with transaction.atomic():
            member = Member.objects.select_for_update().select_related("org").filter(pk=member_id).first()
            candidates = selectors.lapse_candidates(actor=actor, today=today)
            if member is None or not candidates.filter(pk=member.pk).exists():
                visible = member is not None and selectors.members_in_scope(actor=actor).filter(pk=member.pk)
                if visible and visible.exists():
                    errors.append(f"{member.member_no}：已缴费、参加过活动或会籍状态已变，不再符合条件")
                else:
                    errors.append("有 1 名所选会员不在您的管辖范围内，未处理")
                continue
            require_scope(actor, member.org, REGISTRY_ROLES)
            _set_status(actor=actor, member=member, status=Member.Status.LAPSED, reason=reason)
            if member.user_id:
                user_sessions_end(actor=actor, user=member.user, reason="member_lapse")
                notify(
                    user=member.user,
                    title="会籍状态已变更",
                    kind="member",
                    body=f"您的会籍状态已变更为「视为自动退会」，原因：{reason}。如需恢复，请联系所在工会。",
                    sms=True,
                )
        lapsed += 1
    return lapsed, errors


# --- transfers ----------------------------------------------------------------------------------


def _lock_transfer(transfer: Transfer, status: str) -> Transfer:
    locked = (
        Transfer.objects.select_for_update()
        .select_related("member", "from_org", "to_org")
        .get(pk=transfer.pk)
    )
    if locked.status != status:
        raise Conflict(f"该转接已是「{locked.get_status_display()}」，请刷新后查看", code="transfer_state")
    return locked


def transfer_start(*, actor, member: Member, to_org: Org, reason: str) -> Transfer:
    is_self = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not is_self:
        require_scope(actor, member.org, REGISTRY_ROLES)
    reason = _reason(reason, what="转接原因")
    if not to_org.is_active or to_org.kind not in routing.MEMBER_HOLDING_KINDS:
        raise DomainError(
            "请选择要转入的基层、乡镇（街道）或县（区）工会", code="org_invalid", field="to_org_id"
        )
    if to_org.pk == member.org_id:
        raise DomainError("转入工会不能与当前工会相同", code="same_org", field="to_org_id")
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
        if member.status != Member.Status.ACTIVE:
            raise Conflict(
                f"会籍状态为「{member.get_status_display()}」，不能办理转接",
                code="not_active",
                field="member",
            )
        # Staff of the outgoing union who start it have confirmed it by starting it.
        by_out_union = not is_self
        transfer = Transfer.objects.create(
            member=member,
            from_org=member.org,
            to_org=to_org,
            from_path=member.org_path,
            to_path=to_org.path,
            reason=reason,
            started_by=actor,
            status=Transfer.Status.AWAIT_IN if by_out_union else Transfer.Status.AWAIT_OUT,
            out_by=actor if by_out_union else None,
            out_at=timezone.now() if by_out_union else None,
        )
        member.status = Member.Status.TRANSFERRING
        member.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="transfer.start",
            obj=member,
            org=member.org,
            detail={"to_org": to_org.pk, "transfer": transfer.pk},
        )
        link = reverse("members:transfers")
        if by_out_union:
            _notify_staff(
                to_org,
                title="有会员申请转入",
                body=f"{member.name_masked} 由{member.org.name}转入",
                link=link,
            )
        else:
            _notify_staff(
                member.org,
                title="会员申请转出",
                body=f"{member.name_masked} 申请转至{to_org.name}",
                link=link,
            )
    return transfer


def transfer_request_self(
    *, actor, employer_name: str, occupation: str, reason: str, work_region: str = ""
) -> tuple[Transfer, routing.Route]:
    """一次入会、动态接转: a member who changed jobs names the new employer or platform; the receiving union
    is found as for an application (its own union, the holding pool's assignment, or the territorial
    union), and the transfer starts, waiting for the current union to confirm."""
    member = getattr(actor, "member", None)
    if member is None:
        raise DomainError("您还不是会员，请先申请入会", code="not_member", status=404)
    employer_name = _clean_text(employer_name, "employer_name", "新的工作单位或平台", 120)
    if occupation not in OCCUPATION_LABELS:
        raise DomainError("请从列表中选择职业", code="occupation_invalid", field="occupation")
    work_region = _clean_region(work_region, "work_region")
    reason = _reason(reason, what="转接原因")
    applicant = routing.Applicant(
        employer_name=employer_name,
        occupation=occupation,
        id_region=member.id_number[:6],
        phone=member.phone,
        work_region=work_region,
    )
    target = routing.route(applicant)
    if target.org.pk == member.org_id:
        raise DomainError(
            f"新单位仍由{member.org.name}受理，不用转接；单位名称有变请在「更正信息」中修改",
            code="same_org",
            field="employer_name",
        )
    transfer = transfer_start(
        actor=actor,
        member=member,
        to_org=target.org,
        reason=f"{reason}（新单位/平台：{employer_name}）"[:200],
    )
    return transfer, target


def transfer_confirm_out(*, actor, transfer: Transfer) -> Transfer:
    require_scope(actor, transfer.from_org, REGISTRY_ROLES)
    with transaction.atomic():
        transfer = _lock_transfer(transfer, Transfer.Status.AWAIT_OUT)
        transfer.status, transfer.out_by, transfer.out_at = Transfer.Status.AWAIT_IN, actor, timezone.now()
        transfer.save(update_fields=["status", "out_by", "out_at"])
        audit_record(actor=actor, action="transfer.confirm_out", obj=transfer.member, org=transfer.from_org)
        _notify_staff(
            transfer.to_org,
            title="有会员申请转入",
            link=reverse("members:transfers"),
            body=f"{transfer.member.name_masked} 由{transfer.from_org.name}转入",
        )
    return transfer


def transfer_accept_in(*, actor, transfer: Transfer) -> Transfer:
    require_scope(actor, transfer.to_org, REGISTRY_ROLES)
    with transaction.atomic():
        transfer = _lock_transfer(transfer, Transfer.Status.AWAIT_IN)
        transfer.status, transfer.in_by, transfer.in_at = Transfer.Status.DONE, actor, timezone.now()
        transfer.save(update_fields=["status", "in_by", "in_at"])
        member = Member.objects.select_for_update().get(pk=transfer.member_id)
        member.org, member.org_path, member.status = (
            transfer.to_org,
            transfer.to_org.path,
            Member.Status.ACTIVE,
        )
        member.save(update_fields=["org", "org_path", "status", "updated_at"])
        audit_record(
            actor=actor,
            action="transfer.accept_in",
            obj=member,
            org=transfer.to_org,
            detail={"from_org": transfer.from_org_id},
        )
        if member.user_id:
            notify(
                user=member.user,
                title="会籍转接已完成",
                kind="member",
                body=f"您的会籍已由{transfer.from_org.name}转入{transfer.to_org.name}，会员编号不变。",
            )
    return transfer


def transfer_reject(*, actor, transfer: Transfer, reason: str) -> Transfer:
    org = transfer.from_org if transfer.status == Transfer.Status.AWAIT_OUT else transfer.to_org
    require_scope(actor, org, REGISTRY_ROLES)
    reason = _reason(reason, what="退回原因")
    if transfer.status not in Transfer.OPEN:
        raise Conflict(f"该转接已是「{transfer.get_status_display()}」，不能退回", code="transfer_state")
    with transaction.atomic():
        transfer = _lock_transfer(transfer, transfer.status)
        transfer.status, transfer.reject_reason = Transfer.Status.REJECTED, reason
        transfer.save(update_fields=["status", "reject_reason"])
        Member.objects.filter(pk=transfer.member_id, status=Member.Status.TRANSFERRING).update(
            status=Member.Status.ACTIVE
        )
        audit_record(
            actor=actor, action="transfer.reject", obj=transfer.member, org=org, detail={"reason": reason}
        )
        if transfer.member.user_id:
            notify(user=transfer.member.user, title="会籍转接被退回", body=f"原因：{reason}", kind="member")
    return transfer


# --- dues ---------------------------------------------------------------------------------------

CENT = Decimal("0.01")
DEFAULT_RATE = Decimal("0.0050")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字（元，最多两位小数）", code="amount_format", field=field) from None
    if not number.is_finite():
        raise DomainError(f"{label}应为数字", code="amount_format", field=field)
    return number


def dues_setting_for(org: Org) -> DuesSetting:
    """The union's own setting, else the nearest ancestor's, else 0.5% of the wage base."""
    step = 5
    ancestors = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    setting = DuesSetting.objects.filter(org__path__in=ancestors).order_by("-org__depth").first()
    return setting or DuesSetting(org=org, mode=DuesSetting.Mode.RATE, rate=DEFAULT_RATE)


def dues_monthly_amount(setting: DuesSetting, wage_base: Decimal | None) -> Decimal:
    if setting.mode == DuesSetting.Mode.FIXED:
        return setting.fixed_amount.quantize(CENT)
    if wage_base is None:
        raise DomainError("按比例计缴需填写月工资基数", code="wage_required", field="wage_base")
    # 工资收入中不足10元的尾数不计算.
    base = (wage_base // 10) * 10
    return (base * setting.rate).quantize(CENT, rounding=ROUND_HALF_UP)


def dues_setting_set(*, actor, org: Org, mode: str, rate=None, fixed_amount=None) -> DuesSetting:
    require_scope(actor, org, [Staff.Role.ADMIN])
    if mode not in DuesSetting.Mode.values:
        raise DomainError("计缴方式只能是按比例或固定金额", code="mode_invalid", field="mode")
    setting = DuesSetting.objects.filter(org=org).first() or DuesSetting(org=org)
    setting.mode = mode
    if mode == DuesSetting.Mode.RATE:
        percent = _decimal(rate if rate not in (None, "") else "0.5", "rate", "比例")
        if not Decimal("0") < percent <= Decimal("5"):
            raise DomainError("比例应在 0 到 5（%）之间，通常为 0.5", code="rate_range", field="rate")
        setting.rate = (percent / 100).quantize(Decimal("0.0001"))
    else:
        amount = _decimal(fixed_amount, "fixed_amount", "固定金额")
        if not Decimal("0") < amount <= Decimal("1000") or amount != amount.quantize(CENT):
            raise DomainError(
                "固定金额应大于0、不超过1000元，最多两位小数", code="amount_range", field="fixed_amount"
            )
        setting.fixed_amount = amount
    with transaction.atomic():
        setting.save()
        audit_record(
            actor=actor,
            action="dues.setting",
            obj=org,
            org=org,
            detail={"mode": mode, "rate": str(setting.rate), "fixed": str(setting.fixed_amount)},
        )
    return setting


def dues_payment_record(*, actor, member: Member, period: str, wage_base=None, amount=None) -> DuesPayment:
    require_scope(actor, member.org, REGISTRY_ROLES)
    period = (period or "").strip()
    if not _PERIOD.match(period):
        raise DomainError("月份格式应为 YYYY-MM（如 2026-11）", code="period_format", field="period")
    today = timezone.localdate()
    if period > f"{today:%Y-%m}":
        raise DomainError("不能登记未来月份的会费", code="period_future", field="period")
    if period < f"{member.joined_at:%Y-%m}":
        raise DomainError(
            f"该会员 {member.joined_at:%Y-%m} 入会，不能登记之前月份的会费",
            code="period_before_join",
            field="period",
        )
    if member.status == Member.Status.RETIRED:
        raise Conflict("退休会员保留会籍，不再缴纳会费", code="retired_no_dues", field="member")
    if member.status not in Member.HOLDING:
        raise Conflict(
            f"会籍状态为「{member.get_status_display()}」，不能登记会费", code="not_active", field="member"
        )
    base = None
    if wage_base not in (None, ""):
        base = _decimal(wage_base, "wage_base", "月工资基数")
        if base <= 0 or base > Decimal("1000000"):
            raise DomainError("月工资基数应大于0元", code="wage_range", field="wage_base")
    if amount not in (None, ""):
        value = _decimal(amount, "amount", "金额")
        if value <= 0 or value != value.quantize(CENT):
            raise DomainError("金额应大于0，最多两位小数（元）", code="amount_range", field="amount")
    else:
        value = dues_monthly_amount(
            dues_setting_for(member.org), base if base is not None else member.wage_base
        )
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                member=member,
                org=member.org,
                org_path=member.org_path,
                period=period,
                amount=value,
                wage_base=base,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="dues.record",
                obj=member,
                org=member.org,
                detail={"period": period, "amount": str(value)},
            )
    except IntegrityError:
        raise Conflict(
            f"{period} 的会费已登记，无需重复登记", code="dues_duplicate", field="period"
        ) from None
    return payment


# --- the member's own data (PIPL) ----------------------------------------------------------------


def member_data_export(*, actor) -> dict:
    """Everything held about the signed-in worker, in plain text for them alone."""
    member = getattr(actor, "member", None)
    data = {
        "账号": {
            "手机号": actor.phone,
            "姓名": actor.name,
            "注册时间": f"{timezone.localtime(actor.date_joined):%Y-%m-%d %H:%M}",
        }
    }
    if member is not None:
        data["会籍"] = {
            "会员编号": member.member_no,
            "姓名": member.name,
            "身份证号": member.id_number,
            "手机号": member.phone,
            "性别": member.get_gender_display(),
            "出生日期": f"{member.birth_date:%Y-%m-%d}",
            "职业": member.get_occupation_display(),
            "就业形态": member.get_employment_form_display(),
            "工作单位/平台": member.employer_name,
            "所属工会": member.org.name,
            "会籍状态": member.get_status_display(),
            "入会时间": f"{member.joined_at:%Y-%m-%d}",
            "入会渠道": member.get_source_display(),
        }
        data["会费"] = [{"月份": p.period, "金额(元)": str(p.amount)} for p in member.dues_payments.all()]
        data["会籍转接"] = [
            {
                "转出": t.from_org.name,
                "转入": t.to_org.name,
                "状态": t.get_status_display(),
                "时间": f"{timezone.localtime(t.started_at):%Y-%m-%d}",
            }
            for t in member.transfers.select_related("from_org", "to_org")
        ]
        data["状态变更"] = [
            {
                "由": s.from_status,
                "变为": s.to_status,
                "原因": s.reason,
                "时间": f"{timezone.localtime(s.at):%Y-%m-%d %H:%M}",
            }
            for s in member.status_changes.all()
        ]
    data["入会申请"] = [
        {
            "受理工会": e.org.name,
            "状态": e.get_status_display(),
            "提交时间": f"{timezone.localtime(e.submitted_at):%Y-%m-%d %H:%M}",
        }
        for e in actor.enrollments.select_related("org")
    ]
    with transaction.atomic():
        # On the member's union, or the union of the latest application: that union's auditor sees it.
        latest = actor.enrollments.select_related("org").order_by("-submitted_at").first()
        org = member.org if member is not None else getattr(latest, "org", None)
        audit_record(actor=actor, action="pipl.export", obj=member or actor, org=org)
    return data


def member_self_correct(*, actor, employer_name: str, occupation: str, employment_form: str) -> Member:
    member = getattr(actor, "member", None)
    if member is None:
        raise DomainError("您还不是会员", code="not_member", status=404)
    employer_name = _clean_text(employer_name, "employer_name", "工作单位或平台", 120)
    if occupation not in OCCUPATION_LABELS:
        raise DomainError("请从列表中选择职业", code="occupation_invalid", field="occupation")
    if employment_form not in Member.EmploymentForm.values:
        raise DomainError("请选择就业形态", code="employment_form_invalid", field="employment_form")
    with transaction.atomic():
        member.employer_name, member.occupation, member.employment_form = (
            employer_name,
            occupation,
            employment_form,
        )
        member.save(update_fields=["employer_name", "occupation", "employment_form", "updated_at"])
        audit_record(actor=actor, action="pipl.correct", obj=member, org=member.org)
    return member


def member_leave(*, actor, reason: str) -> Member:
    """退会自由: the member's own request takes effect at once; the union is told."""
    member = getattr(actor, "member", None)
    if member is None:
        raise DomainError("您还不是会员", code="not_member", status=404)
    reason = _reason(reason, what="退会原因")
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
        if member.status not in Member.HOLDING or member.status == Member.Status.TRANSFERRING:
            raise Conflict(
                f"当前会籍状态为「{member.get_status_display()}」，不能办理退会", code="not_active"
            )
        _set_status(actor=actor, member=member, status=Member.Status.WITHDRAWN, reason=f"本人申请：{reason}")
        _notify_staff(
            member.org,
            title="会员申请退会",
            body=f"{member.name_masked}（{member.member_no}）：{reason}",
            link=reverse("members:detail", args=[member.pk]),
        )
    return member
