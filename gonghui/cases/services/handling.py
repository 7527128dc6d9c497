"""Working a case: accept, difficulty, assign, transfer, messages, joint steps, pause/resume, payments, resolve, lawyers, PII reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden
from gonghui.core.money import parse_amount
from gonghui.core.notifications import notify
from gonghui.core.workdays import working_days_between
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope

from .. import routing
from ..attachments import check_uploads
from ..models import OPEN_STATUSES, Case, CaseStep, CoClaimant
from .common import (
    ACT_ROLES,
    DEPARTMENTS,
    S,
    _lock,
    _notify_org,
    _notify_worker,
    _recompute_due,
    _require_act,
    _require_status,
    _staff_link,
    _staff_users,
    _start_work,
    _step,
    _text,
    _today,
    chain_positions,
)
from .filing import _store_uploads


def case_accept(*, actor, case: Case, difficulty: str | None = None, message: str = "") -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.SUBMITTED], "受理")
        if difficulty:
            if difficulty not in Case.Difficulty.values:
                raise DomainError("请选择难度：一般、难点或特别复杂", code="difficulty", field="difficulty")
            case.difficulty = difficulty
        now = timezone.now()
        case.status, case.accepted_at, case.clock_start = S.ACCEPTED, now, timezone.localtime(now).date()
        case.overdue = False
        if case.handler_id is None and in_scope(actor, case.org, [Staff.Role.HANDLER, Staff.Role.ADMIN]):
            case.handler = actor
        _recompute_due(case)
        case.save()
        text = (
            message.strip()
            or f"您的诉求已由{case.org.name}受理，我们将在 {case.handle_due:%Y-%m-%d} 前办结。"
        )
        _step(case, CaseStep.Kind.ACCEPTED, actor, visible=True, body=text)
        audit_record(
            actor=actor,
            action="case.accept",
            obj=case,
            detail={"number": case.number, "difficulty": case.difficulty, "due": str(case.handle_due)},
        )
        _notify_worker(case, f"诉求已受理：{case.number}", text, sms=True)
    return case


def case_set_difficulty(*, actor, case: Case, difficulty: str, reason: str) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "调整难度")
        if difficulty not in Case.Difficulty.values:
            raise DomainError("请选择难度：一般、难点或特别复杂", code="difficulty", field="difficulty")
        if not reason.strip():
            raise DomainError("请填写调整难度的理由", code="reason_required", field="reason")
        case.difficulty = difficulty
        _recompute_due(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.NOTE,
            actor,
            body=f"难度调整为「{case.get_difficulty_display()}」，"
            f"办结时限 {case.handle_due:%Y-%m-%d}。理由：{reason.strip()}",
        )
        audit_record(actor=actor, action="case.difficulty", obj=case, detail={"difficulty": difficulty})
    return case


def case_assign(*, actor, case: Case, handler_id: int) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "指定经办人")
        position = chain_positions(case, ACT_ROLES).filter(user_id=handler_id).first()
        if position is None:
            raise DomainError(
                "经办人须是承办工会（或其上级）的经办人或管理员", code="bad_handler", field="handler"
            )
        case.handler = position.user
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.ASSIGNED,
            actor,
            body=f"指定经办人：{position.user.name}（{position.org.display_name}）",
        )
        audit_record(actor=actor, action="case.assign", obj=case, detail={"handler_id": handler_id})
        notify(
            user=position.user,
            title=f"您被指定为工单 {case.number} 的经办人",
            body=case.title,
            link=_staff_link(case),
            kind="case",
        )
    return case


def case_transfer(*, actor, case: Case, org_id: int, reason: str) -> Case:
    """转派: to another union inside the actor's own scope, never to the employer's own union."""
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "转派")
        if not reason.strip():
            raise DomainError("请填写转派理由", code="reason_required", field="reason")
        target = Org.objects.filter(pk=org_id, is_active=True).first()
        if target is None or not in_scope(actor, target, ACT_ROLES):
            raise DomainError("只能转派给您管辖范围内的工会", code="bad_target", field="org")
        if target.pk == case.org_id:
            raise DomainError("工单已由该工会承办", code="same_org", field="org")
        if target.pk in routing.employer_union_ids(case.employer_name, filer=case.filer):
            raise DomainError("不能转派给被投诉用人单位的本单位工会", code="employer_union", field="org")
        previous = case.org
        case.org, case.org_path, case.handler = target, target.path, None
        case.save()
        _step(
            case,
            CaseStep.Kind.TRANSFERRED,
            actor,
            visible=True,
            org=target,
            body=f"由{previous.name}转派至{target.name}。理由：{reason.strip()}",
        )
        audit_record(
            actor=actor,
            action="case.transfer",
            obj=case,
            org=target,
            detail={"from": previous.pk, "to": target.pk},
        )
        _notify_org(target, title=f"转派工单待办：{case.number}", body=reason.strip()[:100], case=case)
    return case


def case_message(*, actor, case: Case, body: str, internal: bool, files=()) -> CaseStep:
    """A message to the worker (visible on their timeline) or an internal note (staff only)."""
    body = _text(body, "body")
    if not body:
        raise DomainError("请填写内容", code="body_required", field="body")
    uploads = check_uploads(files)
    with transaction.atomic():
        case = _lock(case)
        if internal and case.lawyer_id == actor.pk:
            pass  # the partner lawyer may leave notes for the handlers
        else:
            _require_act(actor, case)
        _require_status(case, [*OPEN_STATUSES, S.RESOLVED, S.RATED], "留言")
        if not internal:
            _start_work(case)
            case.save()
        step = _step(
            case,
            CaseStep.Kind.NOTE if internal else CaseStep.Kind.MESSAGE,
            actor,
            body=body,
            visible=not internal,
        )
        _store_uploads(case, step, uploads, actor, visible=not internal)
        audit_record(
            actor=actor,
            action="case.note" if internal else "case.message",
            obj=case,
            detail={"step": step.pk, "files": len(uploads)},
        )
        if not internal:
            _notify_worker(case, f"工单 {case.number} 有新的答复", body[:100])
    return step


def case_joint_step(
    *, actor, case: Case, department: str, body: str, files=(), visible: bool = True
) -> CaseStep:
    """联合处置: a meeting or action with a government department, with documents such as a 支付承诺书."""
    if department not in DEPARTMENTS:
        raise DomainError("请选择协同部门", code="department", field="department")
    body = _text(body, "body")
    if not body:
        raise DomainError("请填写处置情况", code="body_required", field="body")
    uploads = check_uploads(files)
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "登记联合处置")
        _start_work(case)
        case.save()
        step = _step(case, CaseStep.Kind.JOINT, actor, body=body, department=department, visible=visible)
        _store_uploads(case, step, uploads, actor, visible=visible)
        audit_record(
            actor=actor,
            action="case.joint",
            obj=case,
            detail={"department": department, "files": len(uploads)},
        )
        if visible:
            _notify_worker(case, f"工单 {case.number} 有新进展", f"{department}：{body[:80]}")
    return step


def case_pause(*, actor, case: Case, request_text: str) -> Case:
    """Ask the worker for material; the working-day clock stops until they answer or staff resume."""
    request_text = (request_text or "").strip()
    if not request_text:
        raise DomainError("请写明需要职工补充的材料", code="body_required", field="body")
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "暂停计时")
        if case.paused_since:
            raise Conflict("工单已在等待职工补充材料")
        _start_work(case)
        case.paused_since = timezone.now()
        case.save()
        _step(case, CaseStep.Kind.PAUSED, actor, visible=True, body=f"请您补充：{request_text}")
        audit_record(actor=actor, action="case.pause", obj=case)
        _notify_worker(case, f"工单 {case.number} 需要您补充材料", request_text[:100], sms=True)
    return case


def _resume(case: Case, actor, note: str) -> None:
    paused_on = timezone.localtime(case.paused_since).date()
    case.paused_workdays += working_days_between(paused_on, _today())
    case.paused_since = None
    _recompute_due(case)
    if case.handle_due and case.handle_due >= _today():
        case.overdue = False
    _step(
        case,
        CaseStep.Kind.RESUMED,
        actor,
        visible=True,
        body=f"{note}，恢复计时，办结时限顺延至 {case.handle_due:%Y-%m-%d}",
    )


def case_resume(*, actor, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        if not case.paused_since:
            raise Conflict("工单没有暂停计时")
        _resume(case, actor, "工作人员确认材料齐全")
        case.save()
        audit_record(actor=actor, action="case.resume", obj=case, detail={"due": str(case.handle_due)})
    return case


def case_add_info(*, actor, case: Case, body: str, files=()) -> CaseStep:
    """The worker adds information; if the clock was waiting on them, it starts again."""
    body = _text(body, "body")
    uploads = check_uploads(files)
    if not body and not uploads:
        raise DomainError("请填写补充内容或上传材料", code="body_required", field="body")
    with transaction.atomic():
        case = _lock(case)
        if case.filer_id != actor.pk:
            raise Forbidden()
        _require_status(case, OPEN_STATUSES, "补充材料")
        step = _step(
            case, CaseStep.Kind.INFO, actor, visible=True, body=body or f"上传了 {len(uploads)} 个附件"
        )
        _store_uploads(case, step, uploads, actor, visible=True)
        if case.paused_since:
            _resume(case, actor, "职工已补充材料")
        case.save()
        audit_record(actor=actor, action="case.info", obj=case, detail={"files": len(uploads)})
        who = [case.handler] if case.handler_id else list(_staff_users(case.org))
        for user in who:
            notify(
                user=user,
                title=f"职工补充了工单 {case.number} 的材料",
                body=body[:100],
                link=_staff_link(case),
                kind="case",
            )
    return step


def case_record_payment(
    *, actor, case: Case, claimant_id: int, amount_paid, paid_on: dt.date | None = None, note: str = ""
) -> CoClaimant:
    """Registers what one co-claimant has received so far (cumulative), e.g. after a payment commitment."""
    paid = parse_amount(amount_paid, "amount_paid", required=True)
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "登记支付")
        claimant = CoClaimant.objects.select_for_update().filter(case=case, pk=claimant_id).first()
        if claimant is None:
            raise DomainError("该共同诉求人不在此工单中", code="bad_claimant", field="claimant")
        if paid > claimant.amount_claimed and claimant.amount_claimed > 0:
            raise DomainError(
                f"已支付金额不能超过该职工的诉求金额 {claimant.amount_claimed} 元",
                code="amount_over",
                field="amount_paid",
            )
        claimant.amount_paid = paid
        claimant.payment_status = (
            CoClaimant.Payment.UNPAID
            if paid == 0
            else CoClaimant.Payment.PAID
            if paid >= claimant.amount_claimed
            else CoClaimant.Payment.PARTIAL
        )
        claimant.paid_at = paid_on or (_today() if paid else None)
        claimant.note = _text(note, "note")
        claimant.save()
        case.amount_recovered = _sum_paid(case)
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.PAYMENT,
            actor,
            body=f"登记{claimant.name_masked}已收到 {paid} 元（{claimant.get_payment_status_display()}）",
        )
        audit_record(
            actor=actor, action="case.payment", obj=case, detail={"claimant": claimant.pk, "paid": str(paid)}
        )
    return claimant


def case_resolve(*, actor, case: Case, outcome: str, summary: str, amount_recovered=None) -> Case:
    if outcome not in Case.Outcome.values:
        raise DomainError("请选择办理结果：已解决、部分解决或未解决", code="outcome", field="outcome")
    summary = (summary or "").strip()
    if len(summary) < 2:
        raise DomainError("请填写办结说明，告诉职工办理结果", code="summary_required", field="summary")
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, [S.ACCEPTED, S.IN_PROGRESS], "办结")
        if case.is_collective and case.claimants.exists():
            recovered = _sum_paid(case)
            if (
                amount_recovered not in (None, "")
                and parse_amount(amount_recovered, "amount_recovered") != recovered
            ):
                raise DomainError(
                    f"集体诉求的追回金额按各职工支付登记合计为 {recovered} 元",
                    code="amount_mismatch",
                    field="amount_recovered",
                )
        else:
            recovered = parse_amount(amount_recovered, "amount_recovered")
        if recovered > case.amount_claimed and case.amount_claimed > 0:
            raise DomainError("追回金额不能超过诉求金额", code="amount_over", field="amount_recovered")
        if case.paused_since:
            _resume(case, actor, "办结")
        now = timezone.now()
        case.status, case.outcome, case.amount_recovered, case.resolved_at = (
            S.RESOLVED,
            outcome,
            recovered,
            now,
        )
        case.resolved_on_time = bool(case.handle_due and timezone.localtime(now).date() <= case.handle_due)
        case.save()
        text = f"办理结果：{case.get_outcome_display()}。{summary}"
        if recovered:
            text += f"（追回 {recovered} 元）"
        _step(case, CaseStep.Kind.RESOLVED, actor, visible=True, body=text)
        audit_record(
            actor=actor,
            action="case.resolve",
            obj=case,
            detail={"outcome": outcome, "recovered": str(recovered), "on_time": case.resolved_on_time},
        )
        _notify_worker(case, f"工单 {case.number} 已办结，请您评价", text[:120], sms=True)
    return case


def _sum_paid(case: Case) -> Decimal:
    # SQLite returns the sum without its scale; money always has two places.
    return (case.claimants.aggregate(t=Sum("amount_paid"))["t"] or Decimal("0")).quantize(Decimal("0.01"))


def case_assign_lawyer(*, actor, case: Case, lawyer_id: int) -> Case:
    """Partner lawyers (法律援助) are experts registered at the handling union or a union above it."""
    with transaction.atomic():
        case = _lock(case)
        _require_act(actor, case)
        _require_status(case, OPEN_STATUSES, "指派律师")
        position = chain_positions(case, [Staff.Role.EXPERT]).filter(user_id=lawyer_id).first()
        if position is None:
            raise DomainError("请选择承办工会或其上级登记的合作律师", code="bad_lawyer", field="lawyer")
        case.lawyer = position.user
        _start_work(case)
        case.save()
        _step(
            case,
            CaseStep.Kind.LAWYER,
            actor,
            visible=True,
            body=f"指派合作律师{position.user.name}提供法律援助",
        )
        audit_record(actor=actor, action="case.lawyer", obj=case, detail={"lawyer_id": lawyer_id})
        notify(
            user=position.user,
            title=f"法律援助指派：工单 {case.number}",
            body=case.title,
            link=_staff_link(case),
            kind="case",
        )
    return case


def case_pii_read(*, actor, case: Case, where: str) -> None:
    """Every time staff see the claimant's name and phone, the audit log says who, which case, where."""
    audit_record(
        actor=actor, action="case.pii_read", obj=case, detail={"number": case.number, "where": where}
    )
