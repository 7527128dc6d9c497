"""The member card and real-name checks: issue, signed token, handover, certification, self-verification."""

from __future__ import annotations

import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.realname import get_verifier
from gonghui.accounts.services import real_name_certify
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, ErrorCollector, field_value
from gonghui.core.validators import parse_id_number
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import require_scope

from ..models import (
    Member,
    MemberCard,
    id_index,
)
from .common import CARD_SALT, REGISTRY_ROLES, _clean_text


def card_issue(*, actor, member: Member) -> MemberCard:
    """A new card (and QR token); any older card stops verifying. actor: the staffer who issues it, the
    member on first asking, or the approver/status change that issues it as one of its steps."""
    if member.status not in Member.HOLDING:
        raise DomainError(f"会籍状态为「{member.get_status_display()}」，不能签发会员卡", code="not_active")
    MemberCard.objects.filter(member=member, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoke_reason="换发新卡"
    )
    return MemberCard.objects.create(member=member, token=secrets.token_urlsafe(12))


def card_signed_token(card: MemberCard) -> str:
    return signing.Signer(salt=CARD_SALT).sign(card.token)


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
        if card.member.user_id:
            # The card is handed over against the 身份证: the staffer has checked the person.
            real_name_certify(actor=actor, user=card.member.user, method="card_pickup", org=card.member.org)
    return card


def member_certify(*, actor, member: Member, method: str = "staff") -> Member:
    """A staffer (union office or station) checked the member's 身份证 in person."""
    require_scope(actor, member.org, (*REGISTRY_ROLES, Staff.Role.STATION_KEEPER))
    if method not in {"staff", "station"}:
        raise DomainError("核验方式无效", code="realname_method_invalid", field="method")
    if not member.user_id:
        raise DomainError(
            "该会员还没有登录账号：请会员先用登记的手机号登录一次，再办理实名核验",
            code="realname_no_account",
            field="member",
        )
    real_name_certify(actor=actor, user=member.user, method=method, org=member.org)
    return member


def real_name_verify_self(*, actor, name: str, id_number: str) -> None:
    """我的 → 实名认证 online: the typed 姓名 and 身份证号 must be the member's own, and the verifier
    backend must confirm them. Without a member record there is nothing to check the ID against."""
    verifier = get_verifier()
    if verifier is None:
        raise DomainError(
            "暂未开通在线实名核验，请带身份证到所属工会或附近驿站办理",
            code="realname_offline",
            field="id_number",
        )
    member = Member.objects.filter(user_id=actor.pk, status__in=Member.HOLDING).select_related("org").first()
    if member is None:
        raise DomainError(
            "请先申请入会：工会审批通过时即完成实名认证", code="realname_not_member", field="id_number"
        )
    errors = ErrorCollector()
    with errors.check():
        name = _clean_text(name, "name", "姓名", 40)
        if name != member.name:
            raise DomainError(
                "姓名与会员登记的不一致，请按身份证填写", code="realname_mismatch", field="name"
            )
    with errors.check():
        parsed = field_value(id_number, "id_number", parse_id_number)
        if id_index(parsed.value) != member.id_index:
            raise DomainError(
                "身份证号与会员登记的不一致；登记有误请到所属工会更正",
                code="realname_mismatch",
                field="id_number",
            )
    errors.raise_if_any()
    verdict = verifier.verify(name=member.name, id_number=member.id_number, phone=getattr(actor, "phone", ""))
    if not verdict.ok:
        with transaction.atomic():
            audit_record(actor=actor, action="realname.verify", obj=member, org=member.org, result="denied")
        raise DomainError(
            f"实名核验未通过：{verdict.message or '信息不一致'}。可带身份证到{member.org.name}或附近驿站办理",
            code="realname_refused",
            field="id_number",
        )
    real_name_certify(actor=actor, user=actor, method="verifier", org=member.org)
