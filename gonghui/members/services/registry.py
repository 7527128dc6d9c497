"""The registry: reveal of personal data, status changes, the member lock other apps wait on, lapse, the member's own data rights."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.services import user_sessions_end
from gonghui.core.audit import _actor_label as actor_label
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden
from gonghui.core.notifications import notify
from gonghui.orgs.scope import may_reveal_pii, require_scope

from .. import selectors
from ..models import (
    OCCUPATION_LABELS,
    Member,
    MemberCard,
    StatusChange,
)
from .cards import card_issue
from .common import REGISTRY_ROLES, REVEALABLE, _clean_text, _notify_staff, _reason


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
        card_issue(actor=actor, member=member)
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


def member_lock(*, member_id: int) -> None:
    """Row-lock one member inside the caller's transaction: another app's write that must not run twice at
    once for the same member (a campaign's per-member limit) waits here, and other members never wait.
    Only the key is read, so the lock costs one indexed statement."""
    list(Member.objects.select_for_update().filter(pk=member_id).values_list("pk", flat=True))


def member_took_part(*, member_id: int, day: dt.date | None = None) -> None:
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
            link=reverse("members_bench:detail", args=[member.pk]),
        )
    return member
