"""帮扶申请: apply → documents checked → home visit → decision with a reason → 公示 → (payments).

Never twice for one need: an application's dedup_key ("kind:year:blind index of the beneficiary's
身份证号") is unique across the whole tree while the application is alive, so neither the same union
nor a second union anywhere can grant the same child's 金秋助学 twice in a year."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.cases import services as cases_services
from gonghui.core import notices
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Unauthorized
from gonghui.core.models import NoticeObjection
from gonghui.core.money import parse_amount, yuan
from gonghui.core.notifications import notify
from gonghui.orgs.selectors import staff_users

from ..models import AidApplication, AidDocument, AidProgramme, aid_id_index
from ..selectors import active_file_for
from .common import (
    ACT_ROLES,
    check_documents,
    clean_id,
    clean_phone,
    clean_text,
    require_act,
    store_documents,
    today,
)
from .hardship import visit_record
from .programmes import grant_amount

S = AidApplication.Status
K = AidProgramme.Kind
OPEN_FOR_DECISION = (S.SUBMITTED, S.DOCS_OK, S.VISITED)


@dataclass
class ApplicationData:
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    unit_name: str = ""
    beneficiary_name: str = ""
    beneficiary_id_number: str = ""
    relation: str = ""
    level: str = ""
    school_name: str = ""
    need: str = ""
    requested_amount: str | Decimal | None = None
    bank_name: str = ""
    bank_account: str = ""


def dedup_key(programme: AidProgramme, beneficiary_index: str) -> str:
    need = f"{programme.kind}-{programme.occasion}" if programme.kind == K.CONDOLENCE else programme.kind
    return f"{need}:{programme.year}:{beneficiary_index}"


def _duplicate_error(existing: AidApplication, programme: AidProgramme) -> DomainError:
    who = "该学生" if programme.kind == K.JINQIU else "该受助人"
    return DomainError(
        f"{who}（身份证号 {existing.beneficiary_id_masked}）{programme.year}年已在{existing.org.name}申请"
        f"{programme.get_kind_display()}（编号 {existing.number}，{existing.get_status_display()}），"
        "同一需求一年只资助一次，不能重复申请",
        code="duplicate_need",
        field="beneficiary_id_number",
        status=409,
    )


def _worker_link(app: AidApplication) -> str:
    return reverse("aid:application", args=[app.pk])


def _staff_link(app: AidApplication) -> str:
    return reverse("aid_bench:application", args=[app.pk])


def _tell_worker(app: AidApplication, title: str, body: str = "", *, sms: bool = False) -> None:
    if app.applicant_id:
        notify(user=app.applicant, title=title, body=body, link=_worker_link(app), kind="aid", sms=sms)


def _tell_staff(app: AidApplication, title: str) -> None:
    for user in staff_users(roles=ACT_ROLES, org=app.org):
        notify(user=user, title=title, link=_staff_link(app), kind="aid")


def _lock(app: AidApplication) -> AidApplication:
    return AidApplication.objects.select_for_update().select_related("programme", "org").get(pk=app.pk)


def _require_status(app: AidApplication, allowed, action: str) -> None:
    if app.status not in allowed:
        raise DomainError(
            f"申请当前状态为「{app.get_status_display()}」，不能{action}",
            code="invalid_transition",
            status=409,
        )


def application_submit(
    *, actor, programme: AidProgramme, data: ApplicationData, files=None, on_behalf: bool = False
) -> AidApplication:
    """A worker applies on the phone, or staff enter it for them (on_behalf)."""
    if on_behalf:
        require_act(actor, programme.org)
    elif not getattr(actor, "is_authenticated", False):
        raise Unauthorized("请先登录再申请")
    if programme.status != AidProgramme.Status.OPEN or (
        programme.apply_until and programme.apply_until < today()
    ):
        raise DomainError("该项目已截止申请", code="programme_closed", status=409)
    default_name = "" if on_behalf else (actor.name or "")
    applicant_name = clean_text(
        data.applicant_name or default_name, "applicant_name", "申请人姓名", max_len=40
    )
    applicant_id = clean_id(data.applicant_id_number, "applicant_id_number")
    phone_default = "" if on_behalf else actor.phone
    applicant_phone = clean_phone(data.applicant_phone or phone_default, "applicant_phone", required=True)
    unit_name = clean_text(data.unit_name, "unit_name", "工作单位", min_len=2, max_len=120)
    if programme.kind == K.JINQIU:
        beneficiary_name = clean_text(data.beneficiary_name, "beneficiary_name", "学生姓名", max_len=40)
        beneficiary_id = clean_id(data.beneficiary_id_number, "beneficiary_id_number")
        if beneficiary_id == applicant_id:
            raise DomainError(
                "学生身份证号与申请人相同：金秋助学请填写子女（学生）的身份证号",
                code="beneficiary_same",
                field="beneficiary_id_number",
            )
        relation = (data.relation or "子女").strip()[:10]
        school_name = clean_text(data.school_name, "school_name", "录取学校", min_len=2, max_len=80)
    else:
        beneficiary_name, beneficiary_id = applicant_name, applicant_id
        relation, school_name = "本人", ""
    need = (data.need or "").strip()
    if programme.kind in (K.MEDICAL, K.LIVING, K.ACCIDENT):
        need = clean_text(need, "need", "困难情况说明", min_len=10, max_len=2000)
    requested = None
    if data.requested_amount not in (None, ""):
        requested = parse_amount(data.requested_amount, "requested_amount")
    hardship_file = active_file_for(aid_id_index(applicant_id))
    registered = hardship_file is not None and hardship_file.category != "none"
    amount = grant_amount(programme, level=data.level, registered=registered, requested=requested)
    bank_account = "".join((data.bank_account or "").split())
    if bank_account and (not bank_account.isdigit() or not 12 <= len(bank_account) <= 30):
        raise DomainError("银行卡号应为12–30位数字", code="bank_account_format", field="bank_account")
    checked = check_documents(files or {})
    index = aid_id_index(beneficiary_id)
    key = dedup_key(programme, index)
    existing = AidApplication.objects.select_related("org").filter(dedup_key=key).first()
    if existing is not None:
        raise _duplicate_error(existing, programme)
    now = timezone.localtime()
    try:
        with transaction.atomic():
            app = AidApplication.objects.create(
                number=f"T{uuid.uuid4().hex[:16]}",
                programme=programme,
                org=programme.org,
                org_path=programme.org_path,
                year=programme.year,
                channel=AidApplication.Channel.STAFF if on_behalf else AidApplication.Channel.WORKER,
                applicant=None if on_behalf else actor,
                applicant_name=applicant_name,
                applicant_id_number=applicant_id,
                applicant_id_index=aid_id_index(applicant_id),
                applicant_phone=applicant_phone,
                unit_name=unit_name,
                beneficiary_name=beneficiary_name,
                beneficiary_id_number=beneficiary_id,
                beneficiary_id_index=index,
                relation=relation,
                level=data.level if programme.kind == K.JINQIU else "",
                school_name=school_name,
                need=need,
                bank_name=(data.bank_name or "").strip()[:40],
                bank_account=bank_account,
                hardship_file=hardship_file,
                requested_amount=requested,
                amount=amount,
                dedup_key=key,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            app.number = f"BF{now:%Y}{app.pk:06d}"
            app.save(update_fields=["number"])
            store_documents(checked, actor=actor, org_path=app.org_path, application=app)
            audit_record(
                actor=actor,
                action="aid.apply",
                obj=app,
                org=app.org,
                detail={
                    "number": app.number,
                    "programme": programme.pk,
                    "on_behalf": on_behalf,
                    "documents": len(checked),
                    "registered": registered,
                },
            )
            _tell_staff(app, f"新帮扶申请待审核：{app.number}（{programme.name}）")
    except IntegrityError:
        existing = AidApplication.objects.select_related("org").filter(dedup_key=key).first()
        if existing is not None:
            raise _duplicate_error(existing, programme) from None
        raise Conflict() from None
    return app


def application_add_documents(*, actor, application: AidApplication, files) -> list[AidDocument]:
    """The worker (or staff) adds missing documents while the application is being checked."""
    if application.applicant_id != getattr(actor, "pk", None):
        require_act(actor, application.org)
    _require_status(application, (S.SUBMITTED,), "补充材料")
    checked = check_documents(files or {})
    if not checked:
        raise DomainError("请选择要上传的材料", code="documents_required", field="documents")
    with transaction.atomic():
        docs = store_documents(checked, actor=actor, org_path=application.org_path, application=application)
        audit_record(
            actor=actor, action="aid.documents_add", obj=application, detail={"documents": len(docs)}
        )
        _tell_staff(application, f"帮扶申请 {application.number} 已补充材料")
    return docs


def missing_documents(application: AidApplication) -> list[str]:
    have = set(application.documents.values_list("kind", flat=True))
    labels = dict(AidDocument.Kind.choices)
    return [labels[k] for k in application.programme.documents_required if k not in have]


def application_check_documents(
    *, actor, application: AidApplication, complete: bool, note: str = ""
) -> AidApplication:
    require_act(actor, application.org)
    with transaction.atomic():
        app = _lock(application)
        _require_status(app, (S.SUBMITTED,), "审核材料")
        if complete:
            missing = missing_documents(app)
            if missing:
                raise DomainError(
                    f"材料不齐，缺少：{'、'.join(missing)}。请退回职工补充",
                    code="documents_missing",
                    field="documents",
                )
            app.status = S.DOCS_OK
            app.docs_note = (note or "材料齐全").strip()[:300]
        else:
            app.docs_note = clean_text(note, "note", "需补充的材料和要求", min_len=4, max_len=300)
        app.save(update_fields=["status", "docs_note", "updated_at"])
        audit_record(actor=actor, action="aid.documents_check", obj=app, detail={"complete": complete})
        if complete:
            _tell_worker(app, f"帮扶申请 {app.number} 材料审核通过", "工会将入户走访核实。")
        else:
            _tell_worker(app, f"帮扶申请 {app.number} 需要补充材料", app.docs_note, sms=True)
    return app


def application_visit(
    *, actor, application: AidApplication, visited_on, visitors: str, findings: str, photos=None
) -> AidApplication:
    require_act(actor, application.org)
    with transaction.atomic():
        app = _lock(application)
        _require_status(app, (S.DOCS_OK, S.VISITED), "登记走访")
        visit_record(
            actor=actor,
            org=app.org,
            visited_on=visited_on,
            visitors=visitors,
            findings=findings,
            photos=photos,
            application=app,
            hardship_file=None,
        )
        app.status = S.VISITED
        app.save(update_fields=["status", "updated_at"])
    return app


def application_approve(*, actor, application: AidApplication, reason: str, amount=None) -> AidApplication:
    """Approve with a reason. The amount is the rule's (staff may lower it, never raise it); the budget
    is taken in the database by a conditional UPDATE, so two approvals cannot overspend it."""
    require_act(actor, application.org)
    reason = clean_text(reason, "reason", "审批意见", min_len=4, max_len=500)
    with transaction.atomic():
        app = _lock(application)
        allowed = (S.SUBMITTED, S.DOCS_OK, S.VISITED) if app.programme.kind == K.CONDOLENCE else (S.VISITED,)
        if app.status in (S.SUBMITTED, S.DOCS_OK) and app.programme.kind != K.CONDOLENCE:
            raise DomainError(
                "请先审核材料并入户走访核实，再作审批决定", code="visit_required", field="reason", status=409
            )
        _require_status(app, allowed, "审批")
        final = app.amount
        if amount not in (None, ""):
            final = parse_amount(amount, "amount", required=True)
            if final <= 0 or final > app.amount:
                raise DomainError(
                    f"资助金额应大于 0 且不超过规则金额 {yuan(app.amount)} 元",
                    code="amount_over_rule",
                    field="amount",
                )
        took = AidProgramme.objects.filter(pk=app.programme_id, committed__lte=F("budget") - final).update(
            committed=F("committed") + final
        )
        if not took:
            programme = AidProgramme.objects.get(pk=app.programme_id)
            raise DomainError(
                f"项目预算不足：剩余 {yuan(programme.remaining)} 元，本笔 {yuan(final)} 元",
                code="budget_exhausted",
                field="amount",
                status=409,
            )
        app.amount = final
        app.status = S.APPROVED
        app.decision_reason = reason
        app.decided_by = actor
        app.decided_at = timezone.now()
        app.save(
            update_fields=["amount", "status", "decision_reason", "decided_by", "decided_at", "updated_at"]
        )
        audit_record(actor=actor, action="aid.approve", obj=app, detail={"amount": str(final)})
        _tell_worker(app, f"帮扶申请 {app.number} 已批准，将进行公示", f"资助金额 {yuan(final)} 元。")
    return app


def _release(app: AidApplication) -> None:
    if app.status in (S.APPROVED, S.IN_NOTICE):
        AidProgramme.objects.filter(pk=app.programme_id).update(committed=F("committed") - app.amount)


def application_reject(*, actor, application: AidApplication, reason: str) -> AidApplication:
    """Refuse (or withdraw an approval before payment) with a reason the worker reads."""
    require_act(actor, application.org)
    reason = clean_text(reason, "reason", "不予资助的原因", min_len=4, max_len=500)
    with transaction.atomic():
        app = _lock(application)
        _require_status(app, (*OPEN_FOR_DECISION, S.APPROVED, S.IN_NOTICE), "作出不予资助决定")
        _release(app)
        app.status = S.REJECTED
        app.decision_reason = reason
        app.decided_by = actor
        app.decided_at = timezone.now()
        app.dedup_key = None
        app.save(
            update_fields=["status", "decision_reason", "decided_by", "decided_at", "dedup_key", "updated_at"]
        )
        audit_record(actor=actor, action="aid.reject", obj=app, detail={"number": app.number})
        _tell_worker(app, f"帮扶申请 {app.number} 未通过", reason, sms=True)
    return app


def application_withdraw(*, actor, application: AidApplication) -> AidApplication:
    if application.applicant_id != getattr(actor, "pk", None):
        raise DomainError("只能撤回本人的申请", code="not_yours", status=404)
    with transaction.atomic():
        app = _lock(application)
        _require_status(app, OPEN_FOR_DECISION, "撤回")
        app.status = S.WITHDRAWN
        app.dedup_key = None
        app.save(update_fields=["status", "dedup_key", "updated_at"])
        audit_record(actor=actor, action="aid.withdraw", obj=app, org=app.org)
    return app


# --- 公示 --------------------------------------------------------------------------------------


def programme_publish_notice(*, actor, programme: AidProgramme, title: str = "", workdays=None):
    """Every approved application of the programme goes on one public notice (masked names)."""
    require_act(actor, programme.org)
    with transaction.atomic():
        apps = list(
            AidApplication.objects.select_for_update()
            .filter(programme=programme, status=S.APPROVED)
            .order_by("unit_name", "id")
        )
        levels = dict(AidApplication.Level.choices)
        lines = [
            notices.NoticeLine(
                name=a.beneficiary_name,
                unit=a.unit_name,
                detail=" ".join(p for p in (levels.get(a.level, ""), f"{yuan(a.amount)} 元") if p),
                ref=str(a.pk),
            )
            for a in apps
        ]
        notice = notices.notice_publish(
            actor=actor,
            org=programme.org,
            source="aid",
            source_ref=str(programme.pk),
            title=(title or f"{programme.name}拟资助名单公示").strip(),
            body=(
                f"经申请、材料审核、入户走访和审批，以下人员拟获{programme.name}资助。"
                f"公示期内如有异议，请实名提出，{programme.org.name}将核实答复。"
            ),
            lines=lines,
            workdays=workdays if workdays not in (None, "") else programme.notice_workdays,
        )
        AidApplication.objects.filter(pk__in=[a.pk for a in apps]).update(status=S.IN_NOTICE, notice=notice)
        for app in apps:
            _tell_worker(
                app,
                f"帮扶申请 {app.number} 进入公示",
                f"公示期 {notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}。",
            )
    return notice


def objection_to_case(objection: NoticeObjection) -> str:
    """core.notices hands an objection to aid; aid opens a case for the programme's union."""
    notice = objection.notice
    target = (
        f"异议对象：{objection.entry.position}. {objection.entry.name_masked} {objection.entry.unit}\n"
        if objection.entry
        else "异议对象：整个名单\n"
    )
    case = cases_services.case_open_for_org(
        actor=objection.user,
        org=notice.org,
        category="hardship",
        title=f"公示异议：{notice.title}"[:80],
        description=f"{notice.title}\n{target}{objection.reason}",
        claimant_name=objection.reporter_name,
        claimant_phone=objection.reporter_phone,
        source="帮扶公示异议",
    )
    return case.number


def objection_decide(*, actor, objection: NoticeObjection, upheld: bool, decision: str) -> NoticeObjection:
    """Decide an objection to an aid notice; an upheld one against a line refuses that application."""
    require_act(actor, objection.notice.org)
    with transaction.atomic():
        objection = notices.notice_objection_decide(
            actor=actor, objection=objection, upheld=upheld, decision=decision
        )
        if upheld and objection.entry_id:
            app = AidApplication.objects.filter(pk=int(objection.entry.ref)).first()
            if app is not None and app.status in (S.APPROVED, S.IN_NOTICE):
                application_reject(
                    actor=actor, application=app, reason=f"公示异议经核实成立：{objection.decision}"
                )
    return objection
