"""工会法人登记 services. Every function: keyword-only, one transaction, validates, audits.

The registering authority is never chosen: it is the union's nearest county-level or higher ancestor in
the tree (组织关系). Approval is decided by a conditional UPDATE on the filing, so a double click or two
approvers issue one certificate; one valid certificate per union is a unique constraint."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.notifications import notify
from gonghui.core.validators import is_union_credit_code, validate_credit_code
from gonghui.core.workdays import add_working_days
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import org_ancestors

from . import signing
from .models import Certificate, Filing

AUTHORITY_KINDS = (Org.Kind.COUNTY, Org.Kind.CITY, Org.Kind.PROVINCE, Org.Kind.NATIONAL)
FILER_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
APPROVER_ROLES = (Staff.Role.ADMIN, Staff.Role.APPROVER)
APPROVAL_WORKING_DAYS = 10
RENEW_WINDOW_DAYS = 30
CHANGE_FILING_DAYS = 30

REQUIRED_DOCUMENTS = {
    Filing.Kind.APPLY: ["成立批复", "法定代表人身份证明", "住所证明", "工会章程"],
    Filing.Kind.CHANGE: ["变更事项决议或批复", "变更后事项证明"],
    Filing.Kind.RENEW: ["换届批复", "法定代表人身份证明", "原法人资格证书"],
    Filing.Kind.REPLACE: ["证书遗失或损毁声明"],
    Filing.Kind.CANCEL: ["注销决议或撤销批复", "财产清算报告", "原法人资格证书"],
}


def today() -> dt.date:
    return timezone.localdate()


def authority_for(org: Org) -> Org:
    """The nearest county-level or higher union above the grassroots union."""
    for ancestor in reversed(org_ancestors(org)):
        if ancestor.kind in AUTHORITY_KINDS:
            return ancestor
    raise DomainError("未找到该工会的县级以上登记机关，请先在组织树中理顺组织关系", code="no_authority")


def valid_certificate(org: Org) -> Certificate | None:
    return Certificate.objects.filter(org=org, status=Certificate.Status.VALID).first()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_term(start: dt.date | None, end: dt.date | None) -> None:
    if not start or not end:
        raise DomainError("请填写本届任期的起止日期", code="term_required", field="term_start")
    if end <= start:
        raise DomainError("任期止日应晚于任期起日", code="term_order", field="term_end")
    if end < _add_years(start, 3) - dt.timedelta(days=1) or end > _add_years(start, 5):
        raise DomainError(
            "法人资格证书有效期与工会任期一致，应为 3 至 5 年，请核对任期起止日期",
            code="term_length",
            field="term_end",
        )


def _check_credit_code(value: str) -> str:
    try:
        code = validate_credit_code(value)
    except ValidationError as exc:
        raise DomainError.from_validation(exc, field="credit_code") from None
    if not is_union_credit_code(code):
        raise DomainError(
            "基层工会的统一社会信用代码以 81 开头，请核对后重新输入",
            code="credit_not_union",
            field="credit_code",
        )
    return code


def _check_legal_rep(org: Org, name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写法定代表人姓名", code="legal_rep_required", field="legal_rep")
    holders = set(Staff.objects.filter(org=org, is_active=True).values_list("user__name", flat=True)) | {
        org.chair_name
    }
    if name not in holders:
        raise DomainError(
            f"法定代表人“{name}”不是本工会在任的主席或工作人员，请先在组织树中登记其职务",
            code="legal_rep_no_position",
            field="legal_rep",
        )
    return name


def _check_documents(kind: str, documents) -> list[str]:
    documents = [d for d in (documents or []) if d]
    missing = [d for d in REQUIRED_DOCUMENTS[kind] if d not in documents]
    if missing:
        raise DomainError(f"缺少申报材料：{'、'.join(missing)}", code="documents_missing", field="documents")
    return documents


def _is_filer(actor, org: Org) -> bool:
    return Staff.objects.filter(user=actor, org=org, role__in=FILER_ROLES, is_active=True).exists()


def _authority_staff(authority: Org):
    return [
        s.user
        for s in Staff.objects.filter(org=authority, role__in=APPROVER_ROLES, is_active=True).select_related(
            "user"
        )
    ]


def _union_staff(org: Org):
    return [
        s.user
        for s in Staff.objects.filter(org=org, role__in=FILER_ROLES, is_active=True).select_related("user")
    ]


def _validated(org: Org, kind: str, data: dict, current: Certificate | None) -> dict:
    if kind not in Filing.Kind.values:
        raise DomainError("请选择登记类型：申请、变更、换领、补领或注销", code="kind_invalid", field="kind")
    now = today()
    if kind == Filing.Kind.APPLY:
        if current:
            raise DomainError(
                "本工会已取得法人资格证书，请办理变更、换领或补领", code="already_registered", field="kind"
            )
    elif not current:
        raise DomainError("本工会尚无有效的法人资格证书，请先申请登记", code="not_registered", field="kind")
    out = {
        "union_name": (data.get("union_name") or (current.union_name if current else org.name)).strip(),
        "credit_code": data.get("credit_code") or (current.credit_code if current else ""),
        "legal_rep": data.get("legal_rep") or (current.legal_rep if current else ""),
        "address": (data.get("address") or (current.address if current else "")).strip(),
        "term_start": data.get("term_start"),
        "term_end": data.get("term_end"),
        "change_date": data.get("change_date"),
        "reason": (data.get("reason") or "").strip()[:200],
        "documents": _check_documents(kind, data.get("documents")),
        "late": False,
    }
    out["credit_code"] = _check_credit_code(out["credit_code"])
    if current and out["credit_code"] != current.credit_code:
        raise DomainError(
            "统一社会信用代码登记后不变，请填写证书上的代码", code="credit_mismatch", field="credit_code"
        )
    if not out["address"]:
        raise DomainError("请填写工会住所", code="address_required", field="address")
    if kind in (Filing.Kind.APPLY, Filing.Kind.CHANGE, Filing.Kind.RENEW):
        out["legal_rep"] = _check_legal_rep(org, out["legal_rep"])
    if kind in (Filing.Kind.APPLY, Filing.Kind.RENEW):
        _check_term(out["term_start"], out["term_end"])
    else:
        out["term_start"], out["term_end"] = current.valid_from, current.valid_until
    if kind == Filing.Kind.CHANGE:
        if (out["union_name"], out["legal_rep"], out["address"]) == (
            current.union_name,
            current.legal_rep,
            current.address,
        ):
            raise DomainError(
                "变更登记至少应变更名称、法定代表人或住所中的一项", code="nothing_changed", field="legal_rep"
            )
        if not out["change_date"]:
            raise DomainError("请填写变更事项发生的日期", code="change_date_required", field="change_date")
        if out["change_date"] > now:
            raise DomainError("变更事项发生日期不能晚于今天", code="change_date_future", field="change_date")
        out["late"] = now > out["change_date"] + dt.timedelta(days=CHANGE_FILING_DAYS)
    if kind == Filing.Kind.RENEW:
        opens = current.valid_until - dt.timedelta(days=RENEW_WINDOW_DAYS)
        if now < opens:
            raise DomainError(
                f"证书有效期届满前 30 日内方可换领，请于 {opens:%Y-%m-%d} 起申报",
                code="renew_too_early",
                field="kind",
            )
        if out["term_start"] <= current.valid_from:
            raise DomainError("新一届任期应晚于原证书有效期", code="term_not_new", field="term_start")
    if kind in (Filing.Kind.REPLACE, Filing.Kind.CANCEL) and not out["reason"]:
        raise DomainError("请填写补领或注销的事由", code="reason_required", field="reason")
    return out


@transaction.atomic
def filing_submit(*, actor, org: Org, kind: str, **data) -> Filing:
    if not in_scope(actor, org):
        raise NotFound()
    if org.kind != Org.Kind.GRASSROOTS:
        raise DomainError("法人登记由基层工会申报", code="not_grassroots", field="org")
    if not _is_filer(actor, org):
        raise Forbidden("只有本工会的管理员或经办人可以申报法人登记")
    current = valid_certificate(org)
    fields = _validated(org, kind, data, current)
    authority = authority_for(org)
    now = timezone.now()
    try:
        with transaction.atomic():
            filing = Filing.objects.create(
                org=org,
                authority=authority,
                kind=kind,
                filed_by=actor,
                submitted_at=now,
                due_date=add_working_days(now, APPROVAL_WORKING_DAYS),
                **fields,
            )
    except IntegrityError:
        raise Conflict(
            "本工会已有一件办理中的登记申请，请等待审批或补正后再提交", code="filing_open"
        ) from None
    audit_record(actor=actor, action="registration.filing_submit", obj=filing, org=org, detail={"kind": kind})
    for user in _authority_staff(authority):
        notify(
            user=user,
            title=f"{org.name}提交了{filing.get_kind_display()}",
            body=f"请于 {filing.due_date:%Y-%m-%d} 前审批",
            link=f"/workbench/registration/{filing.pk}/",
            kind="registration",
        )
    return filing


@transaction.atomic
def filing_resubmit(*, actor, filing: Filing, **data) -> Filing:
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if not in_scope(actor, filing.org):
        raise NotFound()
    if not _is_filer(actor, filing.org):
        raise Forbidden("只有本工会的管理员或经办人可以补正")
    if filing.status != Filing.Status.RETURNED:
        raise Conflict("只有退回补正的申请可以重新提交", code="not_returned")
    merged = {
        k: getattr(filing, k)
        for k in (
            "union_name",
            "credit_code",
            "legal_rep",
            "address",
            "term_start",
            "term_end",
            "change_date",
        )
    }
    merged.update({"reason": filing.reason, "documents": filing.documents})
    merged.update({k: v for k, v in data.items() if v not in (None, "")})
    fields = _validated(filing.org, filing.kind, merged, valid_certificate(filing.org))
    now = timezone.now()
    for k, v in fields.items():
        setattr(filing, k, v)
    filing.status = Filing.Status.SUBMITTED
    filing.submitted_at = now
    filing.due_date = add_working_days(now, APPROVAL_WORKING_DAYS)
    filing.save()
    audit_record(actor=actor, action="registration.filing_resubmit", obj=filing, org=filing.org)
    return filing


def _require_approver(actor, filing: Filing) -> None:
    if not in_scope(actor, filing.org):
        raise NotFound()
    if not Staff.objects.filter(
        user=actor, org=filing.authority, role__in=APPROVER_ROLES, is_active=True
    ).exists():
        raise Forbidden(f"此申请由登记机关{filing.authority.name}审批")


@transaction.atomic
def filing_return(*, actor, filing: Filing, items: list[str]) -> Filing:
    _require_approver(actor, filing)
    items = [i.strip()[:200] for i in items or [] if i and i.strip()]
    if not items:
        raise DomainError("请逐条列出需要补正的事项", code="corrections_required", field="items")
    updated = Filing.objects.filter(pk=filing.pk, status=Filing.Status.SUBMITTED).update(
        status=Filing.Status.RETURNED, corrections=items
    )
    if not updated:
        raise Conflict("该申请已处理，请刷新", code="filing_decided")
    filing.refresh_from_db()
    audit_record(
        actor=actor, action="registration.filing_return", obj=filing, org=filing.org, detail={"items": items}
    )
    for user in _union_staff(filing.org):
        notify(
            user=user,
            title=f"{filing.get_kind_display()}被退回补正",
            body="；".join(items),
            link=f"/workbench/registration/{filing.pk}/",
            kind="registration",
        )
    return filing


def _number(authority: Org, year: int) -> str:
    prefix = f"{authority.region_code or '000000'}{year}"
    last = (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def filing_approve(*, actor, filing: Filing) -> Certificate | None:
    _require_approver(actor, filing)
    now = timezone.now()
    updated = Filing.objects.filter(pk=filing.pk, status=Filing.Status.SUBMITTED).update(
        status=Filing.Status.APPROVED, decided_by=actor, decided_at=now
    )
    if not updated:
        raise Conflict("该申请已处理，请刷新", code="filing_decided")
    filing.refresh_from_db()
    old = (
        Certificate.objects.select_for_update()
        .filter(org=filing.org, status=Certificate.Status.VALID)
        .first()
    )
    retire = {
        Filing.Kind.CHANGE: Certificate.Status.CHANGED,
        Filing.Kind.RENEW: Certificate.Status.RENEWED,
        Filing.Kind.REPLACE: Certificate.Status.REPLACED,
        Filing.Kind.CANCEL: Certificate.Status.CANCELLED,
    }.get(filing.kind)
    if retire and old:
        Certificate.objects.filter(pk=old.pk).update(status=retire)
    cert = None
    if filing.kind != Filing.Kind.CANCEL:
        cert = Certificate(
            number=_number(filing.authority, timezone.localtime(now).year),
            org=filing.org,
            authority=filing.authority,
            filing=filing,
            union_name=filing.union_name,
            credit_code=filing.credit_code,
            legal_rep=filing.legal_rep,
            address=filing.address,
            valid_from=filing.term_start,
            valid_until=filing.term_end,
            issued_at=now,
        )
        cert.pdf = signing.certificate_pdf(cert)
        cert.save()
        if old:
            Certificate.objects.filter(pk=old.pk).update(superseded_by=cert)
        if filing.kind == Filing.Kind.APPLY and not filing.org.credit_code:
            Org.objects.filter(pk=filing.org_id).update(credit_code=filing.credit_code)
    audit_record(
        actor=actor,
        action="registration.filing_approve",
        obj=filing,
        org=filing.org,
        detail={
            "kind": filing.kind,
            "certificate": cert.number if cert else "",
            "retired": old.number if old else "",
        },
    )
    for user in _union_staff(filing.org):
        notify(
            user=user,
            title=f"{filing.get_kind_display()}已核准",
            body=f"证书编号 {cert.number}，请下载电子证书" if cert else "法人登记已注销",
            link=f"/workbench/registration/{filing.pk}/",
            kind="registration",
        )
    return cert


STATUS_LABELS = {
    "valid": "有效",
    "expired": "已过期",
    "replaced": "已补领作废",
    "renewed": "已换领",
    "changed": "已变更换发",
    "cancelled": "已注销",
    "not_found": "未找到该证书",
}


def certificate_status(number: str) -> dict:
    """What the public verify page and API say about a certificate number."""
    number = (number or "").strip()[:32]
    cert = Certificate.objects.select_related("authority", "superseded_by").filter(number=number).first()
    if cert is None:
        return {"number": number, "status": "not_found", "status_label": STATUS_LABELS["not_found"]}
    status = cert.status
    if status == Certificate.Status.VALID and cert.valid_until < today():
        status = "expired"
    return {
        "number": cert.number,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "union_name": cert.union_name,
        "credit_code": cert.credit_code,
        "legal_rep": cert.legal_rep,
        "authority": cert.authority.name,
        "valid_from": cert.valid_from,
        "valid_until": cert.valid_until,
        "superseded_by": cert.superseded_by.number if cert.superseded_by else "",
    }


@transaction.atomic
def deadline_sweep(*, on: dt.date | None = None) -> dict:
    """Daily: expiry reminders (30 days before), changes in the tree not filed within 30 days, and
    filings past their approval time limit escalated to the authority's parent."""
    on = on or today()
    counts = {"expiry": 0, "drift": 0, "escalated": 0}
    expiring = Certificate.objects.filter(
        status=Certificate.Status.VALID,
        expiry_reminded=False,
        valid_until__lte=on + dt.timedelta(days=RENEW_WINDOW_DAYS),
        valid_until__gte=on,
    ).select_related("org", "authority")
    for cert in expiring:
        for user in _union_staff(cert.org) + _authority_staff(cert.authority):
            notify(
                user=user,
                title=f"{cert.union_name}法人资格证书将于 {cert.valid_until:%Y-%m-%d} 到期",
                body="请在到期前办理换领",
                link="/workbench/registration/",
                kind="registration",
                sms=True,
            )
        Certificate.objects.filter(pk=cert.pk).update(expiry_reminded=True)
        counts["expiry"] += 1
    for cert in Certificate.objects.filter(status=Certificate.Status.VALID).select_related(
        "org", "authority"
    ):
        org = cert.org
        drifted = (
            (org.chair_name and org.chair_name != cert.legal_rep)
            or (org.address and org.address != cert.address)
            or org.name != cert.union_name
        )
        if not drifted:
            if cert.drift_since:
                Certificate.objects.filter(pk=cert.pk).update(drift_since=None, drift_reminded=False)
            continue
        if not cert.drift_since:
            Certificate.objects.filter(pk=cert.pk).update(drift_since=on)
            continue
        if on > cert.drift_since + dt.timedelta(days=CHANGE_FILING_DAYS) and not cert.drift_reminded:
            for user in _union_staff(org) + _authority_staff(cert.authority):
                notify(
                    user=user,
                    title=f"{cert.union_name}登记事项已变化超过 30 日未办理变更登记",
                    body=f"自 {cert.drift_since:%Y-%m-%d} 起名称、住所或法定代表人与证书不一致",
                    link="/workbench/registration/",
                    kind="registration",
                )
            Certificate.objects.filter(pk=cert.pk).update(drift_reminded=True)
            counts["drift"] += 1
    overdue = Filing.objects.filter(status=Filing.Status.SUBMITTED, escalated=False, due_date__lt=on)
    for filing in overdue.select_related("authority__parent", "org"):
        parent = filing.authority.parent
        for user in _authority_staff(parent) if parent else []:
            notify(
                user=user,
                title=f"督办：{filing.authority.name}审批{filing.org.name}的{filing.get_kind_display()}已超期",
                link=f"/workbench/registration/{filing.pk}/",
                kind="registration",
            )
        Filing.objects.filter(pk=filing.pk).update(escalated=True)
        audit_record(actor=None, action="registration.filing_escalate", obj=filing, org=filing.org)
        counts["escalated"] += 1
    return counts
