"""Writes: schemes and their versions, budgets, applications → review → payment batches, 工会经费.

The budget rule (DESIGN.md §4.4): an approval commits money with one conditional UPDATE
``SET committed = committed + x WHERE id = … AND amount >= committed + paid + x``, and a CHECK constraint
stands behind it; two approvals racing for the last of a budget cannot both pass.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden
from gonghui.core.money import to_fen, yuan
from gonghui.core.notifications import notify
from gonghui.core.xlsx import export_audit
from gonghui.members.selectors import member_of_user
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, require_scope

from . import formula as formulas
from .models import (
    Budget,
    Category,
    Contribution,
    FundApplication,
    LedgerEntry,
    PaymentBatch,
    Scheme,
    SchemeVersion,
    SplitRule,
)
from .selectors import quote_for

# Who keeps a union's money: its admins and handlers (经办人). Observers and auditors only read.
FUND_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
CONTRIBUTION_RATE = Decimal("0.02")
DEFAULT_KEPT_RATE = Decimal("0.60")
VERSION_FIELDS = (
    "period_start",
    "period_end",
    "reference_date",
    "eligible_kinds",
    "pilot_org_ids",
    "occupations",
    "formula",
    "documents",
    "once_per",
    "note",
)


def _race_window() -> None:
    """Between reading the budget and committing to it. Tests widen it to show the race the guard prevents."""


def _today() -> dt.date:
    return timezone.localdate()


def _number(prefix: str) -> str:
    return f"{prefix}{_today():%Y%m%d}{secrets.token_hex(3).upper()}"


# --- schemes -------------------------------------------------------------------------------------


def _clean_version(fields: dict) -> dict:
    clean = {k: fields.get(k) for k in VERSION_FIELDS if k in fields}
    clean["formula"] = formulas.validate(fields.get("formula"))
    start, end = fields.get("period_start"), fields.get("period_end")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise DomainError("请填写开始和结束日期（YYYY-MM-DD）", code="period_missing", field="period_start")
    if end < start:
        raise DomainError("结束日期不能早于开始日期", code="period_invalid", field="period_end")
    kinds = list(fields.get("eligible_kinds") or [])
    bad = [k for k in kinds if k not in Org.Kind.values]
    if bad:
        raise DomainError(f"工会类型无效：{'、'.join(bad)}", code="kind_invalid", field="eligible_kinds")
    clean["eligible_kinds"] = kinds
    try:
        clean["pilot_org_ids"] = sorted({int(i) for i in fields.get("pilot_org_ids") or []})
    except (TypeError, ValueError):
        raise DomainError("试点名单应为工会 ID 列表", code="pilot_invalid", field="pilot_org_ids") from None
    clean["occupations"] = [str(o) for o in fields.get("occupations") or []]
    docs = [str(d).strip() for d in fields.get("documents") or [] if str(d).strip()]
    if len(docs) > 20 or any(len(d) > 60 for d in docs):
        raise DomainError("所需材料最多 20 项，每项不超过 60 字", code="documents_invalid", field="documents")
    clean["documents"] = docs
    once = fields.get("once_per") or SchemeVersion.Period.YEAR
    if once not in SchemeVersion.Period.values:
        raise DomainError("申请次数规则无效：year/month/scheme/none", code="once_invalid", field="once_per")
    clean["once_per"] = once
    clean["note"] = (fields.get("note") or "")[:2000]
    return clean


@transaction.atomic
def scheme_create(
    *, actor, org: Org, code: str, name: str, category: str, applicant: str = Scheme.Applicant.ORG, **version
) -> Scheme:
    require_scope(actor, org, FUND_ROLES)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise DomainError(
            "请填写项目编号和名称", code="scheme_name_missing", field="name" if code else "code"
        )
    if category not in Category.values:
        raise DomainError("类别无效", code="category_invalid", field="category")
    if applicant not in Scheme.Applicant.values:
        raise DomainError("申请主体应为 org 或 person", code="applicant_invalid", field="applicant")
    if Scheme.objects.filter(org=org, code=code).exists():
        raise Conflict(
            f"编号 {code} 已被本工会的其他项目使用，请换一个编号", code="scheme_code_taken", field="code"
        )
    clean = _clean_version(version)
    scheme = Scheme.objects.create(
        org=org, org_path=org.path, code=code, name=name, category=category, applicant=applicant
    )
    SchemeVersion.objects.create(scheme=scheme, number=1, created_by=actor, **clean)
    audit_record(actor=actor, action="funds.scheme.create", obj=scheme, org=org, detail={"code": code})
    return scheme


@transaction.atomic
def scheme_revise(*, actor, scheme: Scheme, change_reason: str, **changes) -> SchemeVersion:
    """A new version from the current one with the changes; applications made so far keep theirs."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    require_scope(actor, scheme.org, FUND_ROLES)
    reason = (change_reason or "").strip()
    if not reason:
        raise DomainError("请填写修订原因", code="reason_required", field="change_reason")
    current = scheme.current
    fields = {k: getattr(current, k) for k in VERSION_FIELDS}
    fields.update({k: v for k, v in changes.items() if k in VERSION_FIELDS and v is not None})
    clean = _clean_version(fields)
    number = scheme.current_version + 1
    version = SchemeVersion.objects.create(
        scheme=scheme, number=number, created_by=actor, change_reason=reason[:200], **clean
    )
    Scheme.objects.filter(pk=scheme.pk).update(current_version=number)
    audit_record(
        actor=actor,
        action="funds.scheme.revise",
        obj=scheme,
        org=scheme.org,
        detail={"version": number, "reason": reason[:200]},
    )
    return version


@transaction.atomic
def budget_set(*, actor, scheme: Scheme, year: int, amount) -> Budget:
    require_scope(actor, scheme.org, FUND_ROLES)
    try:
        amount = to_fen(str(amount))
    except (ValueError, TypeError):
        raise DomainError("预算金额无效", code="amount_invalid", field="amount") from None
    if amount <= 0:
        raise DomainError("预算金额应大于 0", code="amount_invalid", field="amount")
    if not 2000 <= int(year) <= 2100:
        raise DomainError("年度应为 2000–2100", code="year_invalid", field="year")
    budget, created = Budget.objects.select_for_update().get_or_create(
        scheme=scheme, year=year, defaults={"org": scheme.org, "org_path": scheme.org_path, "amount": amount}
    )
    if not created:
        used = budget.committed + budget.paid
        if amount < used:
            raise Conflict(
                f"预算不能少于已承诺和已支付的合计 {yuan(used)} 元", code="budget_below_used", field="amount"
            )
        old = budget.amount
        Budget.objects.filter(pk=budget.pk).update(amount=amount)
        budget.refresh_from_db()
    audit_record(
        actor=actor,
        action="funds.budget.set",
        obj=budget,
        org=scheme.org,
        detail={"year": year, "amount": str(amount), "was": None if created else str(old)},
    )
    return budget


# --- applications -------------------------------------------------------------------------------


def _period_key(version: SchemeVersion, day: dt.date) -> str | None:
    return {
        SchemeVersion.Period.YEAR: f"{day:%Y}",
        SchemeVersion.Period.MONTH: f"{day:%Y-%m}",
        SchemeVersion.Period.SCHEME: f"v{version.period_start:%Y%m}",
        SchemeVersion.Period.NONE: None,
    }[version.once_per]


def _eligibility(version: SchemeVersion, org: Org) -> str | None:
    scheme = version.scheme
    if not org.path.startswith(scheme.org_path):
        return f"{org.display_name}不在{scheme.org.display_name}的下属范围内"
    if version.eligible_kinds and org.kind not in version.eligible_kinds:
        allowed = "、".join(Org.Kind(k).label for k in version.eligible_kinds)
        return f"本项目仅限{allowed}申请"
    if version.pilot_org_ids and org.pk not in version.pilot_org_ids:
        return "本项目仅限试点名单内的工会申请"
    return None


def _clean_documents(version: SchemeVersion, documents) -> list[dict]:
    """Each required document named with the reference the applicant gives for it (file no., archive no.)."""
    given = {}
    for doc in documents or []:
        if isinstance(doc, dict):
            name, ref = str(doc.get("name", "")).strip(), str(doc.get("ref", "")).strip()
        else:
            name, ref = str(doc).strip(), ""
        if name:
            given[name] = ref[:120]
    missing = [d for d in version.documents if d not in given]
    if missing:
        raise DomainError(f"缺少材料：{'、'.join(missing)}", code="documents_missing", field="documents")
    return [{"name": name, "ref": ref} for name, ref in given.items()]


@transaction.atomic
def application_submit(
    *,
    actor,
    scheme: Scheme,
    org: Org | None = None,
    inputs: dict | None = None,
    documents=None,
    note: str = "",
    payee: str = "",
) -> FundApplication:
    """A union (or, for a person scheme, a member) applies under the scheme's current version.

    Inputs the system knows (member count, part-time chairs) are read from the registry, never typed."""
    if not scheme.is_active:
        raise DomainError("该项目已停止受理", code="scheme_closed", field="scheme")
    version = scheme.current
    today = _today()
    if not version.period_start <= today <= version.period_end:
        raise DomainError(
            f"不在申请期内（{version.period_start:%Y-%m-%d} 至 {version.period_end:%Y-%m-%d}）",
            code="scheme_out_of_period",
            field="scheme",
        )
    if scheme.applicant == Scheme.Applicant.PERSON:
        member = member_of_user(actor)
        if member is None or member.status not in member.HOLDING:
            raise Forbidden("本项目由在籍会员本人申请，请先加入工会", code="member_required", field="scheme")
        org, applicant_user, applicant_name = member.org, actor, member.name
    else:
        member = None
        if org is None:
            raise DomainError("请选择申请单位", code="org_required", field="org_id")
        require_scope(actor, org, FUND_ROLES)
        applicant_user, applicant_name = None, org.name
    reason = _eligibility(version, org)
    if reason:
        raise Forbidden(reason, code="not_eligible", field="org_id")
    quote, sources = quote_for(version=version, inputs=inputs or {}, org=org, on=today, member=member)
    docs = _clean_documents(version, documents)
    period = _period_key(version, today)
    applicant_key = f"u{applicant_user.pk}" if applicant_user else f"o{org.pk}"
    once_key = f"{scheme.pk}:{applicant_key}:{period}" if period else None
    app = FundApplication(
        scheme=scheme,
        version=version,
        payer=scheme.org,
        payer_path=scheme.org_path,
        org=org,
        org_path=org.path,
        applicant_user=applicant_user,
        applicant_name=applicant_name,
        payee=(payee or "").strip()[:120] or applicant_name,
        number=_number("BZ"),
        year=today.year,
        period_key=period or f"{today:%Y%m%d}",
        once_key=once_key,
        inputs=quote.inputs,
        input_sources=sources,
        working=quote.lines,
        minimum=quote.minimum,
        maximum=quote.maximum,
        documents=docs,
        note=(note or "").strip()[:500],
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise Conflict(
            f"本期（{period}）已申请过该项目，每期只能申请一次", code="already_applied", field="scheme"
        ) from None
    audit_record(
        actor=actor,
        action="funds.application.submit",
        obj=app,
        org=org,
        detail={"scheme": scheme.code, "version": version.number, "maximum": str(quote.maximum)},
    )
    return app


def _commit_budget(budget_id: int, amount: Decimal) -> bool:
    """The one statement that decides: it commits only while the budget still covers the amount."""
    return (
        Budget.objects.filter(pk=budget_id, amount__gte=F("committed") + F("paid") + amount).update(
            committed=F("committed") + amount
        )
        == 1
    )


def _reviewable(actor, application_id) -> FundApplication:
    from .selectors import application_get

    app = application_get(actor=actor, application_id=application_id)
    if not in_scope(actor, app.payer, FUND_ROLES):
        raise Forbidden(f"只有{app.payer.display_name}的经办人可以审核", code="not_reviewer")
    app = (
        FundApplication.objects.select_for_update(of=("self",))
        .select_related("scheme", "payer", "org")
        .get(pk=app.pk)
    )
    if app.status != FundApplication.Status.SUBMITTED:
        raise Conflict(f"该申请已{app.get_status_display()}，不能再审核", code="already_reviewed")
    return app


@transaction.atomic
def application_approve(*, actor, application_id, amount, reason: str) -> FundApplication:
    app = _reviewable(actor, application_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写审核意见", code="reason_required", field="reason")
    try:
        amount = to_fen(str(amount))
    except (ValueError, TypeError):
        raise DomainError("核定金额无效", code="amount_invalid", field="amount") from None
    if not app.minimum <= amount <= app.maximum or amount <= 0:
        raise DomainError(
            f"核定金额应在 {yuan(app.minimum)}–{yuan(app.maximum)} 元之间且大于 0",
            code="amount_out_of_bounds",
            field="amount",
        )
    budget = Budget.objects.filter(scheme=app.scheme, year=app.year).first()
    if budget is None:
        raise Conflict(f"{app.scheme.name} {app.year} 年未安排预算", code="no_budget", field="amount")
    _race_window()
    if not _commit_budget(budget.pk, amount):
        budget.refresh_from_db()
        raise Conflict(
            f"预算不足：{app.year} 年剩余 {yuan(budget.remaining)} 元，核定 {yuan(amount)} 元",
            code="budget_exhausted",
            field="amount",
        )
    now = timezone.now()
    app.status, app.approved_amount, app.review_reason = FundApplication.Status.APPROVED, amount, reason[:500]
    app.reviewer, app.reviewed_at, app.budget = actor, now, budget
    app.save(
        update_fields=["status", "approved_amount", "review_reason", "reviewer", "reviewed_at", "budget"]
    )
    _ledger(app, LedgerEntry.Kind.COMMIT, amount, actor)
    audit_record(
        actor=actor,
        action="funds.application.approve",
        obj=app,
        org=app.payer,
        detail={"amount": str(amount)},
    )
    _tell_applicant(app, f"补贴申请 {app.number} 已批准，核定 {yuan(amount)} 元")
    return app


@transaction.atomic
def application_reject(*, actor, application_id, reason: str) -> FundApplication:
    app = _reviewable(actor, application_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写不予批准的理由", code="reason_required", field="reason")
    app.status, app.review_reason, app.reviewer, app.reviewed_at = (
        FundApplication.Status.REJECTED,
        reason[:500],
        actor,
        timezone.now(),
    )
    app.once_key = None  # a refused application does not use up the period
    app.save(update_fields=["status", "review_reason", "reviewer", "reviewed_at", "once_key"])
    audit_record(actor=actor, action="funds.application.reject", obj=app, org=app.payer)
    _tell_applicant(app, f"补贴申请 {app.number} 未获批准：{reason[:60]}")
    return app


def _tell_applicant(app: FundApplication, title: str) -> None:
    user = app.applicant_user or app.submitted_by
    if user is not None:
        notify(user=user, title=title, kind="funds")


def _ledger(app: FundApplication, kind: str, amount: Decimal, actor, batch=None) -> LedgerEntry:
    return LedgerEntry.objects.create(
        budget_id=app.budget_id,
        application=app,
        batch=batch,
        kind=kind,
        amount=amount,
        payer_path=app.payer_path,
        recipient_id=app.org_id,
        recipient_path=app.org_path,
        category=app.scheme.category,
        year=app.year,
        actor_label=(getattr(actor, "name", "") or "")[:80],
    )


# --- payment batches ----------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor, org: Org, application_ids: list[int] | None = None) -> PaymentBatch:
    """Approved, unbatched applications the union pays, in one batch with a control total."""
    require_scope(actor, org, FUND_ROLES)
    qs = FundApplication.objects.filter(payer=org, status=FundApplication.Status.APPROVED, batch__isnull=True)
    if application_ids:
        qs = qs.filter(pk__in=[int(i) for i in application_ids])
    ids = list(qs.select_for_update().values_list("pk", flat=True))
    if not ids:
        raise DomainError("没有待支付的已批准申请", code="batch_empty", field="application_ids")
    batch = PaymentBatch.objects.create(org=org, org_path=org.path, number=_number("ZF"), created_by=actor)
    FundApplication.objects.filter(pk__in=ids, batch__isnull=True).update(batch=batch)
    rows = FundApplication.objects.filter(batch=batch)
    batch.count = rows.count()
    batch.total = to_fen(sum((a for a in rows.values_list("approved_amount", flat=True)), Decimal("0")))
    batch.save(update_fields=["count", "total"])
    audit_record(
        actor=actor,
        action="funds.batch.create",
        obj=batch,
        org=org,
        detail={"count": batch.count, "total": str(batch.total)},
    )
    return batch


@transaction.atomic
def batch_export(*, actor, batch: PaymentBatch) -> bytes:
    """The batch's xlsx for the bank or finance office; the export is audited with the payer."""
    from .exports import batch_xlsx
    from .selectors import batch_rows

    require_scope(actor, batch.org, FUND_ROLES)
    content = batch_xlsx(batch, list(batch_rows(batch=batch)))
    PaymentBatch.objects.filter(pk=batch.pk).update(exported_at=timezone.now())
    export_audit(
        actor=actor,
        action="funds.batch.export",
        orgs=[batch.org],
        obj=batch,
        detail={"count": batch.count, "total": str(batch.total)},
    )
    return content


@transaction.atomic
def batch_confirm_paid(*, actor, batch: PaymentBatch, control_total) -> PaymentBatch:
    """The bank has paid: the control total typed from the bank's receipt must equal the batch's."""
    require_scope(actor, batch.org, FUND_ROLES)
    try:
        control = to_fen(str(control_total))
    except (ValueError, TypeError):
        raise DomainError("控制总额无效", code="amount_invalid", field="control_total") from None
    if control != batch.total:
        raise DomainError(
            f"控制总额不符：批次合计 {yuan(batch.total)} 元，填写的是 {yuan(control)} 元",
            code="control_total_mismatch",
            field="control_total",
        )
    now = timezone.now()
    if not PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.OPEN).update(
        status=PaymentBatch.Status.PAID, paid_at=now, paid_by=actor
    ):
        raise Conflict("该批次已确认支付", code="batch_paid")
    apps = list(
        FundApplication.objects.select_for_update()
        .filter(batch=batch, status=FundApplication.Status.APPROVED)
        .select_related("scheme")
    )
    per_budget: dict[int, Decimal] = defaultdict(Decimal)
    for app in apps:
        per_budget[app.budget_id] += app.approved_amount
        _ledger(app, LedgerEntry.Kind.PAY, app.approved_amount, actor, batch=batch)
    FundApplication.objects.filter(pk__in=[a.pk for a in apps]).update(
        status=FundApplication.Status.PAID, paid_at=now
    )
    for budget_id, amount in per_budget.items():
        Budget.objects.filter(pk=budget_id).update(committed=F("committed") - amount, paid=F("paid") + amount)
    batch.refresh_from_db()
    audit_record(
        actor=actor,
        action="funds.batch.paid",
        obj=batch,
        org=batch.org,
        detail={"count": len(apps), "total": str(batch.total)},
    )
    for app in apps:
        _tell_applicant(app, f"补贴 {app.number} 已支付 {yuan(app.approved_amount)} 元")
    return batch


# --- 工会经费 -------------------------------------------------------------------------------------


def split_rule_for(org: Org) -> tuple[Decimal, str]:
    """The kept share for a union: province + kind, then province, then kind, then the national default."""
    province = (org.region_code or "")[:2]
    rules = {
        (r.province_code, r.org_kind): r
        for r in SplitRule.objects.filter(province_code__in=[province, ""], org_kind__in=[org.kind, ""])
    }
    for key in ((province, org.kind), (province, ""), ("", org.kind), ("", "")):
        rule = rules.get(key)
        if rule is not None and (key[0] == province or not key[0]):
            label = (
                rule.note
                or f"{'本省' if key[0] else '全国'}规则：基层留成 {formulas.percent(rule.kept_rate)}%"
            )
            return rule.kept_rate, label
    return DEFAULT_KEPT_RATE, "通行规则：基层留成 60%，上解 40%"


@transaction.atomic
def contribution_record(
    *, actor, org: Org, month: dt.date, payroll, paid, paid_on: dt.date | None = None
) -> Contribution:
    """A unit's payroll and payment for a month: 2 % due, split by the province's rule."""
    require_scope(actor, org, FUND_ROLES)
    values = {}
    for name, raw, label in (("payroll", payroll, "工资总额"), ("paid", paid, "实缴经费")):
        try:
            values[name] = to_fen(str(raw if raw not in (None, "") else "0"))
        except (ValueError, TypeError):
            raise DomainError(f"{label}不是有效金额", code="amount_invalid", field=name) from None
        if values[name] < 0:
            raise DomainError(f"{label}不能为负数", code="amount_invalid", field=name)
    if values["payroll"] <= 0:
        raise DomainError("工资总额应大于 0", code="amount_invalid", field="payroll")
    month = month.replace(day=1)
    if month > _today():
        raise DomainError("不能登记未来月份", code="month_future", field="month")
    kept_rate, label = split_rule_for(org)
    due = to_fen(values["payroll"] * CONTRIBUTION_RATE)
    kept = to_fen(due * kept_rate)
    record, _ = Contribution.objects.update_or_create(
        org=org,
        month=month,
        defaults={
            "org_path": org.path,
            "payroll": values["payroll"],
            "rate": CONTRIBUTION_RATE,
            "due": due,
            "paid": values["paid"],
            "kept_rate": kept_rate,
            "kept": kept,
            "sent_up": due - kept,
            "rule_label": label[:120],
            "paid_on": paid_on,
            "recorded_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="funds.contribution.record",
        obj=record,
        org=org,
        detail={"month": f"{month:%Y-%m}", "due": str(due), "paid": str(values["paid"])},
    )
    return record


# --- prize money of honours (plugged into gonghui.honours.ports by apps.py) ---------------------------


def prize_scheme_check(*, actor, payer: Org, scheme_id) -> str:
    """A selection's prize is paid from an award scheme of the selecting union (or one above it)."""
    from .selectors import schemes_visible

    scheme = schemes_visible(actor=actor).filter(pk=int(scheme_id or 0)).select_related("org").first()
    if scheme is None or not payer.path.startswith(scheme.org_path):
        raise DomainError(
            "请选择本工会或上级工会的经费项目", code="prize_scheme_invalid", field="prize_scheme_id"
        )
    if scheme.category != Category.AWARD:
        raise DomainError(
            "奖金须从「奖励/工作室」类经费项目支付", code="prize_scheme_invalid", field="prize_scheme_id"
        )
    return scheme.name


def prize_schemes(*, actor) -> list[tuple[int, str]]:
    from .selectors import schemes_visible

    qs = schemes_visible(actor=actor).filter(category=Category.AWARD, is_active=True).select_related("org")
    return [(s.pk, f"{s.org.display_name} · {s.name}") for s in qs[:100]]


def prize_book(*, actor, payer: Org, scheme_id, member, amount, title: str, ref: str) -> str:
    """An award decided by a selection (after its 公示) is an approved application of the honouree: the budget
    is committed in the database (budget_exhausted otherwise) and a commit row goes into the ledger; it is
    paid with the payer's next batch like any other approval. Returns the application number."""
    scheme = Scheme.objects.select_related("org").get(pk=scheme_id)
    version = scheme.current
    amount = to_fen(str(amount))
    today = _today()
    budget = Budget.objects.filter(scheme=scheme, year=today.year).first()
    if budget is None:
        raise Conflict(
            f"{scheme.name} {today.year} 年未安排预算，不能发放奖金", code="no_budget", field="prize"
        )
    if not _commit_budget(budget.pk, amount):
        budget.refresh_from_db()
        raise Conflict(
            f"预算不足：{scheme.name} {today.year} 年剩余 {yuan(budget.remaining)} 元，奖金 {yuan(amount)} 元",
            code="budget_exhausted",
            field="prize",
        )
    reason = f"评选表彰奖金：{title}"[:500]
    app = FundApplication.objects.create(
        scheme=scheme,
        version=version,
        payer=scheme.org,
        payer_path=scheme.org_path,
        org=member.org,
        org_path=member.org_path,
        applicant_user=member.user,
        applicant_name=member.name,
        payee=member.name,
        number=_number("JJ"),
        year=today.year,
        period_key=f"{today:%Y%m%d}",
        once_key=None,
        inputs={},
        input_sources={},
        working=[f"{title}，公示期满无异议，奖金 {yuan(amount)} 元（{ref}）"],
        minimum=amount,
        maximum=amount,
        documents=[{"name": "表彰决定", "ref": ref[:120]}],
        note=reason,
        status=FundApplication.Status.APPROVED,
        approved_amount=amount,
        review_reason=reason,
        reviewer=actor,
        reviewed_at=timezone.now(),
        budget=budget,
        submitted_by=actor,
    )
    _ledger(app, LedgerEntry.Kind.COMMIT, amount, actor)
    audit_record(
        actor=actor, action="funds.prize.book", obj=app, org=scheme.org, detail={"amount": str(amount)}
    )
    return app.number


def application_lookup(*, actor, number: str) -> dict | None:
    """What honours shows of a studio's funding: read through the scoped selector (others' → None)."""
    from .selectors import applications_in_scope

    app = applications_in_scope(actor=actor).filter(number=number).select_related("scheme").first()
    if app is None:
        return None
    return {
        "number": app.number,
        "label": app.scheme.name,
        "amount": app.approved_amount or app.maximum,
        "status": app.status,
        "year": app.year,
        "org_path": app.org_path,
    }
