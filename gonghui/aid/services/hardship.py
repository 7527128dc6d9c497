"""困难职工档案 and the self-test: the DOMAIN.md formulas applied with the local 低保 of the day."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError
from gonghui.core.money import parse_amount
from gonghui.core.notifications import notify
from gonghui.orgs.selectors import staff_users

from .. import formulas
from ..models import HardshipFile, HomeVisit, LowIncomeStandard, aid_id_index
from ..selectors import dibao_for
from .common import (
    check_documents,
    clean_date,
    clean_id,
    clean_int,
    clean_phone,
    clean_text,
    require_act,
    store_documents,
    today,
)

RECHECK_DAYS = 365
REMIND_BEFORE_DAYS = 30
MAX_HOUSEHOLD = 20


@dataclass
class HouseholdFigures:
    """What the formulas need; the same for the anonymous self-test and for a file."""

    region_code: str
    household_size: int | str
    annual_income: str | Decimal
    expense_medical: str | Decimal = "0"
    expense_education: str | Decimal = "0"
    expense_housing: str | Decimal = "0"
    accident_costs: str | Decimal = "0"
    migrant: bool = False
    urban_long_term: bool = False
    employed_months: int | str = 0
    dibao_monthly: str | Decimal | None = None  # only when the county's standard is not on record


@dataclass
class HardshipData(HouseholdFigures):
    head_name: str = ""
    head_id_number: str = ""
    head_phone: str = ""
    unit_name: str = ""
    household: list[dict] = field(default_factory=list)
    accident_note: str = ""


@dataclass
class Assessment:
    result: formulas.HardshipResult
    dibao: Decimal
    dibao_from: dt.date | None
    dibao_region: str
    figures: dict


def assess(figures: HouseholdFigures, *, on: dt.date | None = None) -> Assessment:
    """Validate the figures and apply the formulas; the working is in result.steps."""
    region = (figures.region_code or "").strip()
    if len(region) != 6 or not region.isdigit():
        raise DomainError("请选择所在县(市、区)", code="region_required", field="region_code")
    size = clean_int(figures.household_size, "household_size", "家庭人口", low=1, high=MAX_HOUSEHOLD)
    income = parse_amount(figures.annual_income, "annual_income", required=True)
    medical = parse_amount(figures.expense_medical, "expense_medical")
    education = parse_amount(figures.expense_education, "expense_education")
    housing = parse_amount(figures.expense_housing, "expense_housing")
    accident = parse_amount(figures.accident_costs, "accident_costs")
    months = clean_int(figures.employed_months or 0, "employed_months", "事实就业月数", low=0, high=600)
    standard = dibao_for(region, on or today())
    if standard is not None:
        dibao, dibao_from, dibao_region = standard.monthly, standard.effective_from, standard.region_name
    elif figures.dibao_monthly not in (None, ""):
        dibao = parse_amount(figures.dibao_monthly, "dibao_monthly", required=True)
        dibao_from, dibao_region = None, "（手工填写）"
        if dibao <= 0:
            raise DomainError("低保标准应大于 0", code="dibao_range", field="dibao_monthly")
    else:
        raise DomainError(
            "暂未录入该县(区)的低保标准：请填写当地低保标准（元/人/月），或联系当地工会",
            code="dibao_missing",
            field="dibao_monthly",
        )
    result = formulas.assess(
        formulas.HardshipInput(
            household_size=size,
            annual_income=income,
            dibao_monthly=dibao,
            medical=medical,
            education=education,
            housing=housing,
            accident_costs=accident,
            migrant=bool(figures.migrant),
            urban_long_term=bool(figures.urban_long_term),
            employed_months=months,
        )
    )
    clean = {
        "region_code": region,
        "household_size": size,
        "annual_income": income,
        "expense_medical": medical,
        "expense_education": education,
        "expense_housing": housing,
        "accident_costs": accident,
        "employed_months": months,
    }
    return Assessment(result, dibao, dibao_from, dibao_region, clean)


def self_test(figures: HouseholdFigures) -> Assessment:
    """The anonymous self-test: nothing is stored, nothing is logged with the figures."""
    return assess(figures)


def figures_of(f: HardshipFile) -> HouseholdFigures:
    """A file's stored figures, to show the working again."""
    return HouseholdFigures(
        region_code=f.region_code,
        household_size=f.household_size,
        annual_income=f.annual_income,
        expense_medical=f.expense_medical or "0",
        expense_education=f.expense_education or "0",
        expense_housing=f.expense_housing or "0",
        accident_costs=f.accident_costs or "0",
        migrant=f.migrant,
        urban_long_term=f.urban_long_term,
        employed_months=f.employed_months,
        dibao_monthly=f.dibao_monthly,
    )


def _clean_household(rows) -> list[dict]:
    members = []
    for i, row in enumerate(rows or [], start=1):
        name = str(row.get("name", "")).strip()[:40]
        if not name:
            raise DomainError(f"第{i}位家庭成员缺少姓名", code="household_member", field="household")
        members.append(
            {
                "name": name,
                "relation": str(row.get("relation", "")).strip()[:10],
                "health": str(row.get("health", "")).strip()[:60],
                "note": str(row.get("note", "")).strip()[:120],
            }
        )
    return members


def _apply(file: HardshipFile, data: HardshipData, assessment: Assessment) -> None:
    f = assessment.figures
    file.region_code = f["region_code"]
    file.household_size = f["household_size"]
    file.household = json.dumps(_clean_household(data.household), ensure_ascii=False)
    file.annual_income = str(f["annual_income"])
    file.expense_medical = str(f["expense_medical"])
    file.expense_education = str(f["expense_education"])
    file.expense_housing = str(f["expense_housing"])
    file.accident_costs = str(f["accident_costs"])
    file.accident_note = (data.accident_note or "").strip()[:300]
    file.migrant = bool(data.migrant)
    file.urban_long_term = bool(data.urban_long_term)
    file.employed_months = f["employed_months"]
    file.dibao_monthly = assessment.dibao
    file.dibao_effective_from = assessment.dibao_from
    file.category = assessment.result.category
    file.migrant_hardship = assessment.result.migrant_hardship
    file.assessed_on = today()
    file.recheck_due = today() + dt.timedelta(days=RECHECK_DAYS)
    file.recheck_reminded_on = None


def hardship_file_create(*, actor, org, data: HardshipData, files=None) -> HardshipFile:
    require_act(actor, org)
    name = clean_text(data.head_name, "head_name", "户主姓名", max_len=40)
    id_number = clean_id(data.head_id_number, "head_id_number")
    phone = clean_phone(data.head_phone, "head_phone")
    assessment = assess(data)
    checked = check_documents(files or {})
    index = aid_id_index(id_number)
    existing = HardshipFile.objects.filter(head_id_index=index, status=HardshipFile.Status.ACTIVE).first()
    if existing is not None:
        raise DomainError(
            f"该户已在档（档案号 {existing.number}），请在原档案中复核更新",
            code="file_exists",
            field="head_id_number",
        )
    file = HardshipFile(
        org=org,
        org_path=org.path,
        head_name=name,
        head_id_number=id_number,
        head_id_index=index,
        head_phone=phone,
        unit_name=(data.unit_name or "").strip()[:120],
        created_by=actor,
        number="",
    )
    _apply(file, data, assessment)
    try:
        with transaction.atomic():
            file.number = f"T{uuid.uuid4().hex[:16]}"
            file.save()
            file.number = f"KN{today():%Y}{file.pk:06d}"
            file.save(update_fields=["number"])
            store_documents(checked, actor=actor, org_path=org.path, hardship_file=file)
            audit_record(
                actor=actor,
                action="aid.file_create",
                obj=file,
                org=org,
                detail={"number": file.number, "category": file.category, "documents": len(checked)},
            )
    except IntegrityError:
        raise Conflict("该户已在档，请刷新后在原档案中更新", code="file_exists") from None
    return file


def hardship_file_recheck(*, actor, file: HardshipFile, data: HardshipData) -> HardshipFile:
    """Yearly re-check (or any change): new figures, the category recomputed, the next date set."""
    require_act(actor, file.org)
    if file.status != HardshipFile.Status.ACTIVE:
        raise DomainError("该档案已脱困，不能复核", code="file_left", status=409)
    assessment = assess(data)
    before = file.category
    with transaction.atomic():
        _apply(file, data, assessment)
        if data.head_phone:
            file.head_phone = clean_phone(data.head_phone, "head_phone")
        if data.unit_name:
            file.unit_name = data.unit_name.strip()[:120]
        file.save()
        audit_record(
            actor=actor,
            action="aid.file_recheck",
            obj=file,
            org=file.org,
            detail={"number": file.number, "before": before, "after": file.category},
        )
    return file


def hardship_file_leave(*, actor, file: HardshipFile, reason: str, left_on=None) -> HardshipFile:
    """脱困: the household leaves the file, with a reason (就业增收, 子女工作, 病愈 …)."""
    require_act(actor, file.org)
    reason = clean_text(reason, "reason", "脱困原因", min_len=4, max_len=300)
    left_on = clean_date(left_on, "left_on", "脱困日期") if left_on else today()
    with transaction.atomic():
        updated = HardshipFile.objects.filter(pk=file.pk, status=HardshipFile.Status.ACTIVE).update(
            status=HardshipFile.Status.LEFT, left_on=left_on, left_reason=reason
        )
        if not updated:
            raise Conflict("该档案已脱困", code="file_left")
        file.refresh_from_db()
        audit_record(
            actor=actor, action="aid.file_leave", obj=file, org=file.org, detail={"number": file.number}
        )
    return file


def visit_record(
    *, actor, org, visited_on, visitors: str, findings: str, photos=None, hardship_file=None, application=None
) -> HomeVisit:
    """入户走访 for a file or an application; photos are stored encrypted like every document."""
    require_act(actor, org)
    visited_on = clean_date(visited_on, "visited_on", "走访日期")
    if visited_on > today():
        raise DomainError("走访日期不能晚于今天", code="visited_on_future", field="visited_on")
    visitors = clean_text(visitors, "visitors", "走访人员", max_len=120)
    findings = clean_text(findings, "findings", "走访情况", min_len=10, max_len=2000)
    checked = check_documents({"visit_photo": list(photos or [])})
    with transaction.atomic():
        visit = HomeVisit.objects.create(
            hardship_file=hardship_file,
            application=application,
            org_path=org.path,
            visited_on=visited_on,
            visitors=visitors,
            findings=findings,
            created_by=actor,
        )
        store_documents(checked, actor=actor, org_path=org.path, visit=visit)
        audit_record(
            actor=actor,
            action="aid.visit",
            obj=visit,
            org=org,
            detail={
                "file": getattr(hardship_file, "number", ""),
                "application": getattr(application, "number", ""),
            },
        )
    return visit


def dibao_set(
    *, actor, org, region_code: str, region_name: str, monthly, effective_from
) -> LowIncomeStandard:
    """Record a county's 低保 standard from a date (staff of a union covering that county)."""
    require_act(actor, org)
    region_code = (region_code or "").strip()
    if len(region_code) != 6 or not region_code.isdigit():
        raise DomainError("行政区划代码应为6位数字", code="region_format", field="region_code")
    region_name = clean_text(region_name, "region_name", "地区名称", max_len=40)
    amount = parse_amount(monthly, "monthly", required=True, maximum=Decimal("100000"))
    if amount <= 0:
        raise DomainError("低保标准应大于 0", code="monthly_range", field="monthly")
    effective_from = clean_date(effective_from, "effective_from", "执行日期")
    with transaction.atomic():
        standard, _ = LowIncomeStandard.objects.update_or_create(
            region_code=region_code,
            effective_from=effective_from,
            defaults={"region_name": region_name, "monthly": amount},
        )
        audit_record(
            actor=actor,
            action="aid.dibao_set",
            obj=standard,
            org=org,
            detail={"region": region_code, "monthly": str(amount), "from": str(effective_from)},
        )
    return standard


def recheck_reminders(*, on: dt.date | None = None) -> int:
    """Files due for their yearly re-check within a month: the union's staff are told once."""
    on = on or today()
    due = HardshipFile.objects.filter(
        status=HardshipFile.Status.ACTIVE,
        recheck_due__lte=on + dt.timedelta(days=REMIND_BEFORE_DAYS),
        recheck_reminded_on__isnull=True,
    ).select_related("org")
    count = 0
    for file in due:
        with transaction.atomic():
            for user in staff_users(roles=("admin", "handler"), org=file.org):
                notify(
                    user=user,
                    title=f"困难职工档案 {file.number} 需在 {file.recheck_due:%Y-%m-%d} 前复核",
                    link=f"/workbench/aid/files/{file.pk}/",
                    kind="aid",
                )
            HardshipFile.objects.filter(pk=file.pk).update(recheck_reminded_on=on)
        count += 1
    return count
