"""会籍转接: transfers between unions, started by staff or by the member."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.core.notifications import notify
from gonghui.orgs.models import Org
from gonghui.orgs.scope import require_scope

from .. import routing
from ..models import (
    OCCUPATION_LABELS,
    Member,
    Transfer,
)
from .common import REGISTRY_ROLES, _clean_region, _clean_text, _notify_staff, _reason


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
        link = reverse("members_bench:transfers")
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
            link=reverse("members_bench:transfers"),
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
