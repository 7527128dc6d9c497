"""帮扶项目: a union's programme with a budget, a fund source and the rules that fix the amounts."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError
from gonghui.core.money import parse_amount, to_fen
from gonghui.core.notices import MAX_WORKDAYS, default_workdays

from ..models import AidApplication, AidDocument, AidProgramme
from .common import clean_date, clean_int, clean_text, require_act

K = AidProgramme.Kind
L = AidApplication.Level

# DOMAIN.md defaults (天门 2024): registered-hardship families 5,000 (university) / 3,000 (high school);
# others 4,000 / 2,000.
DEFAULT_RULES = {
    K.JINQIU: {
        "amounts": {
            L.UNIVERSITY: {"registered": "5000.00", "other": "4000.00"},
            L.HIGH_SCHOOL: {"registered": "3000.00", "other": "2000.00"},
        }
    },
    K.MEDICAL: {"max_amount": "20000.00"},
    K.LIVING: {"max_amount": "5000.00"},
    K.ACCIDENT: {"max_amount": "10000.00"},
    K.CONDOLENCE: {"amount": "500.00", "goods": ""},
}
DEFAULT_DOCUMENTS = {
    K.JINQIU: ["admission", "id_card", "household", "hardship_proof"],
    K.MEDICAL: ["id_card", "medical", "hardship_proof"],
    K.LIVING: ["id_card", "household", "hardship_proof"],
    K.ACCIDENT: ["id_card", "other"],
    K.CONDOLENCE: [],
}


def _clean_rules(kind: str, rules: dict | None) -> dict:
    """Rules are data staff may change per programme; every amount is checked and kept to the fen."""
    rules = rules or DEFAULT_RULES[kind]
    try:
        if kind == K.JINQIU:
            amounts = {}
            for level in L.values:
                row = rules["amounts"][level]
                amounts[level] = {k: str(to_fen(row[k])) for k in ("registered", "other")}
                if any(Decimal(v) <= 0 for v in amounts[level].values()):
                    raise ValueError
            return {"amounts": amounts}
        if kind == K.CONDOLENCE:
            amount = to_fen(rules.get("amount", "0"))
            if amount < 0:
                raise ValueError
            return {"amount": str(amount), "goods": str(rules.get("goods", ""))[:80]}
        maximum = to_fen(rules["max_amount"])
        if maximum <= 0:
            raise ValueError
        return {"max_amount": str(maximum)}
    except (KeyError, TypeError, ValueError):
        raise DomainError(
            "金额规则不完整或金额无效，请按项目类别填写每一档金额（元）", code="rules_invalid", field="rules"
        ) from None


def grant_amount(
    programme: AidProgramme, *, level: str = "", registered: bool = False, requested=None
) -> Decimal:
    """The amount the rules give. 金秋助学: by school level and whether the family is on file;
    other aid: what was asked for, at most the programme's maximum; 慰问: the fixed amount."""
    rules = programme.rules
    if programme.kind == K.JINQIU:
        if level not in L.values:
            raise DomainError("请选择就读阶段（大学或高中）", code="level_required", field="level")
        return Decimal(rules["amounts"][level]["registered" if registered else "other"])
    if programme.kind == K.CONDOLENCE:
        return Decimal(rules["amount"])
    maximum = Decimal(rules["max_amount"])
    if requested is None or requested <= 0:
        raise DomainError("请填写申请金额（元）", code="amount_required", field="requested_amount")
    if requested > maximum:
        raise DomainError(
            f"申请金额不能超过本项目上限 {maximum:,.2f} 元", code="amount_over_rule", field="requested_amount"
        )
    return requested


def programme_create(
    *,
    actor,
    org,
    kind: str,
    name: str,
    year,
    budget,
    fund_source: str,
    rules: dict | None = None,
    documents_required: list[str] | None = None,
    notice_workdays=None,
    occasion: str = "",
    description: str = "",
    apply_until=None,
) -> AidProgramme:
    require_act(actor, org)
    if kind not in K.values:
        raise DomainError("请选择项目类别", code="kind_required", field="kind")
    if kind == K.CONDOLENCE and occasion not in AidProgramme.Occasion.values:
        raise DomainError(
            "慰问项目请选择时节（两节、夏送清凉、冬送温暖、开学季）", code="occasion", field="occasion"
        )
    name = clean_text(name, "name", "项目名称", min_len=2, max_len=80)
    year = clean_int(year, "year", "年度", low=2000, high=2100)
    budget = parse_amount(budget, "budget", required=True)
    if budget <= 0:
        raise DomainError("预算应大于 0 元", code="budget_range", field="budget")
    fund_source = clean_text(fund_source, "fund_source", "资金来源", max_len=80)
    documents = DEFAULT_DOCUMENTS[kind] if documents_required is None else list(documents_required)
    if any(d not in AidDocument.Kind.values for d in documents):
        raise DomainError("所需材料中有未知的类型", code="documents_invalid", field="documents_required")
    workdays = default_workdays() if notice_workdays in (None, "") else notice_workdays
    workdays = clean_int(workdays, "notice_workdays", "公示期", low=1, high=MAX_WORKDAYS)
    until = clean_date(apply_until, "apply_until", "申请截止日期") if apply_until else None
    with transaction.atomic():
        programme = AidProgramme.objects.create(
            org=org,
            org_path=org.path,
            kind=kind,
            occasion=occasion if kind == K.CONDOLENCE else "",
            name=name,
            year=year,
            budget=budget,
            fund_source=fund_source,
            rules=_clean_rules(kind, rules),
            documents_required=documents,
            notice_workdays=workdays,
            description=(description or "").strip()[:2000],
            apply_until=until,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="aid.programme_create",
            obj=programme,
            org=org,
            detail={"kind": kind, "year": year, "budget": str(budget)},
        )
    return programme


def programme_close(*, actor, programme: AidProgramme) -> AidProgramme:
    require_act(actor, programme.org)
    with transaction.atomic():
        AidProgramme.objects.filter(pk=programme.pk).update(status=AidProgramme.Status.CLOSED)
        programme.status = AidProgramme.Status.CLOSED
        audit_record(actor=actor, action="aid.programme_close", obj=programme, org=programme.org)
    return programme
