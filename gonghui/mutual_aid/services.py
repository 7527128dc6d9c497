"""Writes for 职工医疗互助保障: products, enrolments, claims (file, correct, withdraw, review, pay) and the 五个一.

Every claim write locks the member's enrolment row first: the year's deductible and cap are one person's
scarce things, so two stays of the same year are never computed at the same time."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.money import parse_amount, to_fen
from gonghui.core.notifications import notify
from gonghui.core.uploads import check_uploads
from gonghui.core.xlsx import XlsxWriter, read_first_sheet
from gonghui.members.selectors import member_get, members_in_scope
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import staff_for_org

from . import calculator
from .models import ClaimPhoto, Enrolment, FollowUp, MutualAidClaim, MutualAidProduct

Status = MutualAidClaim.Status
MAX_STAY_DAYS = 366
# Who may enrol, file for a member, review, pay and tick the 五个一 (observers and auditors only read).
WRITE_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.APPROVER)


def _require_writer(actor, org) -> None:
    if not in_scope(actor, org):
        raise NotFound()
    if not in_scope(actor, org, roles=WRITE_ROLES):
        raise Forbidden(
            "只有工会管理员、经办人或审批员可以办理医疗互助；观察员、审计员只能查看", code="forbidden"
        )


# --- products -------------------------------------------------------------------------------------


def parse_bands(rows) -> list[dict]:
    """Bands as typed by staff or sent by the API: contiguous from 0, rates between 0 and 1, last one open."""
    if not rows:
        raise DomainError("请至少设置一个分段", code="bands_required", field="bands")
    bands, expected = [], Decimal("0")
    for i, row in enumerate(rows, start=1):
        try:
            lower = Decimal(str(row.get("lower", "")).strip())
            upper_raw = row.get("upper")
            upper = None if upper_raw in (None, "") else Decimal(str(upper_raw).strip())
            rate = Decimal(str(row.get("rate", "")).strip())
        except (InvalidOperation, AttributeError):
            raise DomainError(
                f"第 {i} 段应填写数字（下限、上限、比例）", code="band_format", field="bands"
            ) from None
        if lower != expected:
            raise DomainError(
                f"第 {i} 段的下限应为 {expected:,.0f} 元（各段首尾相接，从 0 开始）",
                code="band_gap",
                field="bands",
            )
        if upper is not None and upper <= lower:
            raise DomainError(f"第 {i} 段的上限应大于下限", code="band_order", field="bands")
        if upper is None and i != len(rows):
            raise DomainError("只有最后一段可以不设上限", code="band_open", field="bands")
        if not (Decimal("0") <= rate <= Decimal("1")):
            raise DomainError(
                f"第 {i} 段的比例应在 0 到 1 之间（30% 填 0.30）", code="band_rate", field="bands"
            )
        bands.append({"lower": str(lower), "upper": None if upper is None else str(upper), "rate": str(rate)})
        expected = upper if upper is not None else expected
    if bands[-1]["upper"] is not None:
        raise DomainError("最后一段应不设上限", code="band_open", field="bands")
    return bands


@dataclass
class ProductInput:
    code: str
    name: str
    year: int
    period_start: dt.date
    period_end: dt.date
    premium: object
    deductible: object
    bands: list
    minimum_payout: object
    allowance_per_day: object
    allowance_max_days: int
    yearly_cap: object
    eligibility: str = MutualAidProduct.Eligibility.MEMBERS
    covers_accident: bool = True


def product_create(*, actor, org, data: ProductInput) -> MutualAidProduct:
    _require_writer(actor, org)
    if org.kind not in ("national", "province", "city"):
        raise DomainError("医疗互助产品由省、市总工会主办", code="product_org", field="org_id")
    if not (data.code or "").strip() or not (data.name or "").strip():
        raise DomainError("请填写产品代码和名称", code="product_name", field="name")
    if data.period_end < data.period_start:
        raise DomainError("保障期止应不早于保障期起", code="period_order", field="period_end")
    if data.eligibility not in MutualAidProduct.Eligibility.values:
        raise DomainError(
            "参保对象只能是在籍会员或新就业形态劳动者会员", code="eligibility", field="eligibility"
        )
    if not 0 <= int(data.allowance_max_days) <= 366:
        raise DomainError(
            "住院津贴天数上限应在 0–366 天之间", code="allowance_days", field="allowance_max_days"
        )
    with transaction.atomic():
        try:
            product = MutualAidProduct.objects.create(
                org=org,
                org_path=org.path,
                code=data.code.strip()[:30],
                name=data.name.strip()[:80],
                year=data.year,
                period_start=data.period_start,
                period_end=data.period_end,
                premium=parse_amount(data.premium, "premium", required=True, label="互助金"),
                eligibility=data.eligibility,
                deductible=parse_amount(data.deductible, "deductible", required=True, label="起付线"),
                bands=parse_bands(data.bands),
                minimum_payout=parse_amount(data.minimum_payout, "minimum_payout", label="保底金额"),
                allowance_per_day=parse_amount(data.allowance_per_day, "allowance_per_day", label="住院津贴"),
                allowance_max_days=int(data.allowance_max_days),
                yearly_cap=parse_amount(data.yearly_cap, "yearly_cap", required=True, label="年度封顶"),
                covers_accident=data.covers_accident,
            )
        except IntegrityError:
            raise Conflict(
                f"{data.year} 年度已有代码为 {data.code} 的产品；规则变化请建下一年度的新产品", field="code"
            ) from None
        audit_record(
            actor=actor,
            action="mutual_aid.product_create",
            obj=product,
            org=org,
            detail={"year": product.year},
        )
    return product


# --- enrolments -----------------------------------------------------------------------------------


def _covers(product: MutualAidProduct, org) -> bool:
    return org.path.startswith(product.org_path)


def enrolment_create(
    *, actor, product: MutualAidProduct, member_ids, paid_by: str = "union", donated_as: str = ""
) -> tuple[list[Enrolment], list[str]]:
    """Enrol picked members of the actor's subtree; returns (new enrolments, problems by member)."""
    if paid_by not in Enrolment.PaidBy.values:
        raise DomainError("缴费方式只能是工会统一缴纳、个人缴纳或赠送", code="paid_by", field="paid_by")
    if donated_as and donated_as not in Enrolment.DonatedAs.values:
        raise DomainError("赠送对象只能是劳动模范、工匠或困难职工", code="donated_as", field="donated_as")
    if paid_by == Enrolment.PaidBy.DONATED and not donated_as:
        raise DomainError(
            "赠送保障请选择赠送对象（劳模、工匠、困难职工）", code="donated_as", field="donated_as"
        )
    if paid_by != Enrolment.PaidBy.DONATED:
        donated_as = ""
    if not product.is_active:
        raise DomainError("该产品已停止参保", code="product_closed", field="product_id")
    ids = list(dict.fromkeys(int(i) for i in member_ids or []))
    if not ids:
        raise DomainError("请选择要参保的会员", code="members_required", field="member_ids")
    created, problems = [], []
    with transaction.atomic():
        for member_id in ids:
            member = member_get(actor=actor, member_id=member_id)
            _require_writer(actor, member.org)
            if not _covers(product, member.org):
                problems.append(f"{member.name_masked}：所在工会不在「{product.org.name}」的保障范围内")
                continue
            if member.status not in ("active", "transferring"):
                problems.append(f"{member.name_masked}：会籍状态为{member.get_status_display()}，不能参保")
                continue
            if (
                product.eligibility == MutualAidProduct.Eligibility.NEW_FORM
                and member.employment_form != "new"
            ):
                problems.append(f"{member.name_masked}：本产品只面向新就业形态劳动者")
                continue
            if Enrolment.objects.filter(product=product, member=member).exists():
                problems.append(f"{member.name_masked}：已参加本年度保障")
                continue
            enrolment = Enrolment.objects.create(
                product=product,
                member=member,
                org=member.org,
                org_path=member.org.path,
                paid_by=paid_by,
                donated_as=donated_as,
                premium=product.premium,
                certificate_no=f"T{uuid.uuid4().hex[:16]}",
                enrolled_by=actor,
            )
            enrolment.certificate_no = f"HZ{product.year}{enrolment.pk:08d}"
            enrolment.save(update_fields=["certificate_no"])
            created.append(enrolment)
        audit_record(
            actor=actor,
            action="mutual_aid.enrol",
            obj=product,
            org=product.org,
            detail={
                "product": product.pk,
                "enrolled": len(created),
                "skipped": len(problems),
                "paid_by": paid_by,
            },
        )
    return created, problems


IMPORT_HEADER = ["会员编号", "缴费方式", "赠送对象"]
IMPORT_MAX_ROWS = 50_000
PAID_BY_LABELS = {
    "工会统一缴纳": "union",
    "工会": "union",
    "个人缴纳": "member",
    "个人": "member",
    "赠送": "donated",
}
DONATED_LABELS = {
    "劳动模范": "model_worker",
    "劳模": "model_worker",
    "工匠": "craftsman",
    "困难职工": "hardship",
}


def enrolment_template() -> bytes:
    book = XlsxWriter()
    sheet = book.sheet("参保名单", header=IMPORT_HEADER)
    sheet.append(["450323160001", "工会统一缴纳", ""])
    sheet.append(["450323160007", "赠送", "劳动模范"])
    sheet.widths([18, 14, 12])
    return book.to_bytes()


def enrolment_import(*, actor, product: MutualAidProduct, data: bytes) -> tuple[int, list[str]]:
    """Enrol from an xlsx (会员编号, 缴费方式, 赠送对象): rows are checked, then enrolled in groups through
    enrolment_create. Returns (enrolled, problems by row); a member already enrolled is reported, not doubled."""
    rows = read_first_sheet(data, max_rows=IMPORT_MAX_ROWS)
    if not rows or [str(c or "").strip() for c in rows[0][:3]] != IMPORT_HEADER:
        raise DomainError(
            "表头应为：会员编号、缴费方式、赠送对象（可先下载模板）", code="import_header", field="file"
        )
    problems: list[str] = []
    wanted: dict[str, tuple[int, str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [str(c if c is not None else "").strip() for c in [*row, "", "", ""][:3]]
        member_no, paid_label, donated_label = cells
        if not any(cells):
            continue
        if member_no.endswith(".0"):  # a number column read back as a float
            member_no = member_no[:-2]
        paid_by = PAID_BY_LABELS.get(paid_label or "工会统一缴纳")
        donated_as = DONATED_LABELS.get(donated_label) if donated_label else ""
        if not member_no:
            problems.append(f"第 {number} 行：请填写会员编号")
        elif paid_by is None:
            problems.append(f"第 {number} 行：缴费方式应为 工会统一缴纳、个人缴纳 或 赠送")
        elif donated_as is None or (paid_by == "donated") != bool(donated_as):
            problems.append(f"第 {number} 行：赠送时请填写赠送对象（劳动模范、工匠、困难职工），其他情况留空")
        elif member_no in wanted:
            problems.append(f"第 {number} 行：会员编号 {member_no} 与第 {wanted[member_no][0]} 行重复")
        else:
            wanted[member_no] = (number, paid_by, donated_as)
    found = dict(
        members_in_scope(actor=actor).filter(member_no__in=list(wanted)).values_list("member_no", "pk")
    )
    groups: dict[tuple[str, str], list[int]] = {}
    for member_no, (number, paid_by, donated_as) in wanted.items():
        if member_no not in found:
            problems.append(f"第 {number} 行：会员编号 {member_no} 不存在或不在您的管辖范围内")
        else:
            groups.setdefault((paid_by, donated_as), []).append(found[member_no])
    enrolled = 0
    with transaction.atomic():
        for (paid_by, donated_as), ids in groups.items():
            created, skipped = enrolment_create(
                actor=actor, product=product, member_ids=ids, paid_by=paid_by, donated_as=donated_as
            )
            enrolled += len(created)
            problems.extend(skipped)
    return enrolled, problems


# --- claims ---------------------------------------------------------------------------------------


@dataclass
class ClaimInput:
    kind: str
    hospital: str
    admitted_on: dt.date | None
    discharged_on: dt.date | None
    total_cost: object
    insured_part: object
    self_paid: object = None
    diagnosis: str = ""


@dataclass
class CleanClaim:
    kind: str
    hospital: str
    diagnosis: str
    admitted_on: dt.date
    discharged_on: dt.date
    total_cost: Decimal
    insured_part: Decimal
    self_paid: Decimal


def _clean_claim(data: ClaimInput) -> CleanClaim:
    if data.kind not in MutualAidClaim.Kind.values:
        raise DomainError("请选择疾病住院或意外伤害住院", code="kind", field="kind")
    hospital = (data.hospital or "").strip()
    if not hospital:
        raise DomainError("请填写就诊医院", code="hospital_required", field="hospital")
    if len(hospital) > 80:
        raise DomainError("医院名称不超过 80 字", code="hospital_too_long", field="hospital")
    if data.admitted_on is None:
        raise DomainError("请填写入院日期（YYYY-MM-DD）", code="admitted_required", field="admitted_on")
    if data.discharged_on is None:
        raise DomainError("请填写出院日期（YYYY-MM-DD）", code="discharged_required", field="discharged_on")
    if data.discharged_on < data.admitted_on:
        raise DomainError("出院日期不能早于入院日期", code="dates_order", field="discharged_on")
    if data.discharged_on > timezone.localdate():
        raise DomainError(
            "出院后才能申请：出院日期不能晚于今天", code="discharged_future", field="discharged_on"
        )
    if (data.discharged_on - data.admitted_on).days > MAX_STAY_DAYS:
        raise DomainError("一次住院超过一年，请按年度分开申请", code="stay_too_long", field="discharged_on")
    total = parse_amount(data.total_cost, "total_cost", required=True, label="医疗总费用")
    insured = parse_amount(data.insured_part, "insured_part", label="医保统筹支付")
    if insured > total:
        raise DomainError("医保统筹支付不能超过医疗总费用", code="insured_over_total", field="insured_part")
    if data.self_paid is None or str(data.self_paid).strip() == "":
        self_paid = total - insured
    else:
        self_paid = parse_amount(data.self_paid, "self_paid", label="个人自付")
        if self_paid > total - insured:
            raise DomainError(
                f"个人自付不能超过总费用减医保统筹支付（{total - insured:,.2f} 元）",
                code="self_paid_over",
                field="self_paid",
            )
    return CleanClaim(
        kind=data.kind,
        hospital=hospital,
        diagnosis=(data.diagnosis or "").strip()[:100],
        admitted_on=data.admitted_on,
        discharged_on=data.discharged_on,
        total_cost=total,
        insured_part=insured,
        self_paid=self_paid,
    )


def _enrolment_for_stay(member, admitted_on: dt.date) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(
            member=member,
            status=Enrolment.Status.ACTIVE,
            product__period_start__lte=admitted_on,
            product__period_end__gte=admitted_on,
        )
        .select_related("product", "org")
        .order_by("-product__year")
        .first()
    )
    if enrolment is None:
        raise DomainError(
            f"{admitted_on:%Y-%m-%d} 入院时您（该会员）不在医疗互助保障期内；请先由工会办理参保",
            code="not_covered",
            field="admitted_on",
        )
    return enrolment


def _check_kind(product: MutualAidProduct, kind: str) -> None:
    if kind == MutualAidClaim.Kind.ACCIDENT and not product.covers_accident:
        raise DomainError(f"{product} 不含意外伤害住院保障", code="accident_not_covered", field="kind")


def _lock(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("product").get(pk=enrolment.pk)


def year_claims(enrolment: Enrolment):
    """The stays that count against the year's deductible and cap, in date order."""
    return enrolment.claims.filter(status__in=MutualAidClaim.COUNTED).order_by(
        "admitted_on", "discharged_on", "id"
    )


def year_recompute(enrolment: Enrolment) -> list[MutualAidClaim]:
    """Every counted stay of the year computed again, in date order; call with the enrolment locked.

    A paid stay keeps what was paid; its new payout shows the difference still owed or overpaid."""
    claims = list(year_claims(enrolment))
    rules = enrolment.product.rules
    results = calculator.compute_year(rules, [calculator.Stay(c.self_paid, c.days) for c in claims])
    changed = []
    for claim, result in zip(claims, results, strict=True):
        breakdown = result.as_dict()
        if claim.payout != result.payout or claim.breakdown != breakdown:
            claim.payout, claim.breakdown = result.payout, breakdown
            changed.append(claim)
    if changed:
        MutualAidClaim.objects.bulk_update(changed, ["payout", "breakdown"])
    return claims


def _save_photos(claim: MutualAidClaim, uploads) -> None:
    for content, name, content_type, size in uploads:
        ClaimPhoto.objects.create(
            claim=claim, file=content, original_name=name, content_type=content_type, size=size
        )


def _photos(files):
    return check_uploads(
        files,
        field="photos",
        limit=settings.GONGHUI_MUTUAL_AID_PHOTOS_PER_CLAIM,
        max_bytes=settings.GONGHUI_CASES_ATTACHMENT_MAX_BYTES,
    )


def claim_file(*, actor, data: ClaimInput, files=(), member_id: int | None = None) -> MutualAidClaim:
    """A member files for their own stay (member_id None), or union staff file for a member of their subtree."""
    clean = _clean_claim(data)
    if member_id is None:
        member = getattr(actor, "member", None) if actor and actor.is_authenticated else None
        if member is None:
            raise Forbidden("只有工会会员可以申请医疗互助；请先入会并参加互助保障", code="not_member")
        channel = MutualAidClaim.Channel.WORKER
    else:
        member = member_get(actor=actor, member_id=member_id)
        _require_writer(actor, member.org)
        channel = MutualAidClaim.Channel.UNION
    enrolment = _enrolment_for_stay(member, clean.admitted_on)
    _check_kind(enrolment.product, clean.kind)
    uploads = _photos(files)
    if channel == MutualAidClaim.Channel.WORKER and not uploads:
        raise DomainError("请上传住院发票、费用清单或出院小结的照片", code="photos_required", field="photos")
    with transaction.atomic():
        enrolment = _lock(enrolment)
        if enrolment.claims.filter(
            status__in=MutualAidClaim.COUNTED,
            admitted_on=clean.admitted_on,
            discharged_on=clean.discharged_on,
        ).exists():
            raise Conflict(
                "这次住院已经申请过，请在申请记录中查看进度", code="duplicate_stay", field="admitted_on"
            )
        claim = MutualAidClaim.objects.create(
            number=f"T{uuid.uuid4().hex[:16]}",
            enrolment=enrolment,
            org=enrolment.org,
            org_path=enrolment.org_path,
            channel=channel,
            filer=actor,
            **clean.__dict__,
        )
        claim.number = f"HZ{timezone.localtime():%Y%m%d}{claim.pk:06d}"
        claim.save(update_fields=["number"])
        _save_photos(claim, uploads)
        year_recompute(enrolment)
        claim.refresh_from_db()
        audit_record(
            actor=actor,
            action="mutual_aid.claim_file",
            obj=claim,
            org=claim.org,
            detail={"number": claim.number, "channel": channel, "payout": str(claim.payout)},
        )
        _notify_staff(claim, f"医疗互助申请待审核：{claim.number}")
    return claim


def _notify_staff(claim: MutualAidClaim, title: str) -> None:
    link = reverse("mutual_aid_bench:claim", args=[claim.pk])
    for staff in staff_for_org(actor=None, org=claim.org):
        notify(
            user=staff.user,
            title=title,
            body=f"互助金试算 {claim.payout:,.2f} 元",
            link=link,
            kind="mutual_aid",
        )


def _tell_member(claim: MutualAidClaim, title: str, body: str = "", sms: bool = False) -> None:
    user = claim.enrolment.member.user
    if user is not None:
        notify(
            user=user,
            title=title,
            body=body,
            link=reverse("mutual_aid:claim", args=[claim.pk]),
            kind="mutual_aid",
            sms=sms,
        )


def _lock_claim(
    claim: MutualAidClaim, allowed: tuple[str, ...], verb: str, actor
) -> tuple[MutualAidClaim, Enrolment]:
    """Checks who acts (union staff with a writing role; the member only to withdraw their own claim before
    review), locks the year and re-reads the claim in it."""
    own = verb == "撤回" and claim.enrolment.member.user_id is not None
    own = own and claim.enrolment.member.user_id == getattr(actor, "pk", None)
    if own:
        allowed = (Status.SUBMITTED,)
    else:
        _require_writer(actor, claim.org)
    enrolment = _lock(claim.enrolment)
    claim = MutualAidClaim.objects.select_related("enrolment__product", "enrolment__member", "org").get(
        pk=claim.pk
    )
    if claim.status not in allowed:
        raise Conflict(f"申请当前为「{claim.get_status_display()}」，不能{verb}", code="status")
    return claim, enrolment


def claim_update(*, actor, claim: MutualAidClaim, data: ClaimInput, reason: str) -> MutualAidClaim:
    """Staff correct a stay before payment (the bill was misread, say); the whole year is computed again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写更正原因", code="reason_required", field="reason")
    clean = _clean_claim(data)
    with transaction.atomic():
        claim, enrolment = _lock_claim(claim, (Status.SUBMITTED, Status.APPROVED), "更正", actor)
        product = enrolment.product
        if not (product.period_start <= clean.admitted_on <= product.period_end):
            raise DomainError(
                f"入院日期应在本保障年度（{product.period_start:%Y-%m-%d} 至 {product.period_end:%Y-%m-%d}）内",
                code="not_covered",
                field="admitted_on",
            )
        _check_kind(product, clean.kind)
        before = str(claim.payout)
        for key, value in clean.__dict__.items():
            setattr(claim, key, value)
        claim.save()
        year_recompute(enrolment)
        claim.refresh_from_db()
        audit_record(
            actor=actor,
            action="mutual_aid.claim_update",
            obj=claim,
            org=claim.org,
            detail={
                "number": claim.number,
                "reason": reason[:200],
                "payout_before": before,
                "payout": str(claim.payout),
            },
        )
    return claim


def claim_withdraw(*, actor, claim: MutualAidClaim, reason: str = "") -> MutualAidClaim:
    """The member (own claim) or staff withdraw a stay before payment; later stays of the year are recomputed."""
    with transaction.atomic():
        claim, enrolment = _lock_claim(claim, (Status.SUBMITTED, Status.APPROVED), "撤回", actor)
        claim.status = Status.WITHDRAWN
        claim.decision_note = (reason or "").strip()[:200]
        claim.payout, claim.breakdown = Decimal("0.00"), {}
        claim.save(update_fields=["status", "decision_note", "payout", "breakdown", "updated_at"])
        year_recompute(enrolment)
        audit_record(
            actor=actor,
            action="mutual_aid.claim_withdraw",
            obj=claim,
            org=claim.org,
            detail={"number": claim.number},
        )
    return claim


def claim_approve(*, actor, claim: MutualAidClaim, note: str = "") -> MutualAidClaim:
    with transaction.atomic():
        claim, enrolment = _lock_claim(claim, (Status.SUBMITTED,), "审核通过", actor)
        year_recompute(enrolment)
        claim.refresh_from_db()
        claim.status = Status.APPROVED
        claim.reviewed_by, claim.reviewed_at = actor, timezone.now()
        claim.decision_note = (note or "").strip()[:200]
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_note", "updated_at"])
        audit_record(
            actor=actor,
            action="mutual_aid.claim_approve",
            obj=claim,
            org=claim.org,
            detail={"number": claim.number, "payout": str(claim.payout)},
        )
        _tell_member(
            claim, f"医疗互助申请已审核通过：{claim.number}", f"核定互助金 {claim.payout:,.2f} 元，等待支付"
        )
    return claim


def claim_reject(*, actor, claim: MutualAidClaim, reason: str) -> MutualAidClaim:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写不予给付的原因，职工会看到", code="reason_required", field="reason")
    with transaction.atomic():
        claim, enrolment = _lock_claim(claim, (Status.SUBMITTED, Status.APPROVED), "不予给付", actor)
        claim.status = Status.REJECTED
        claim.payout, claim.breakdown = Decimal("0.00"), {}
        claim.reviewed_by, claim.reviewed_at, claim.decision_note = actor, timezone.now(), reason[:200]
        claim.save(
            update_fields=[
                "status",
                "payout",
                "breakdown",
                "reviewed_by",
                "reviewed_at",
                "decision_note",
                "updated_at",
            ]
        )
        year_recompute(enrolment)
        audit_record(
            actor=actor,
            action="mutual_aid.claim_reject",
            obj=claim,
            org=claim.org,
            detail={"number": claim.number},
        )
        _tell_member(claim, f"医疗互助申请未通过：{claim.number}", reason[:100], sms=True)
    return claim


def claim_pay(*, actor, claim: MutualAidClaim) -> MutualAidClaim:
    """Record the payment of the computed amount; the 补助短信 of the 五个一 leaves after commit."""
    with transaction.atomic():
        claim, enrolment = _lock_claim(claim, (Status.APPROVED,), "支付", actor)
        year_recompute(enrolment)
        claim.refresh_from_db()
        claim.status = Status.PAID
        claim.paid_amount = claim.payout
        claim.paid_at = timezone.now()
        claim.save(update_fields=["status", "paid_amount", "paid_at", "updated_at"])
        now = timezone.now()
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    claim=claim,
                    item=item,
                    done_at=now if item == FollowUp.Item.SMS else None,
                    done_by_label="系统自动发送" if item == FollowUp.Item.SMS else "",
                )
                for item in FollowUp.Item.values
            ]
        )
        audit_record(
            actor=actor,
            action="mutual_aid.claim_pay",
            obj=claim,
            org=claim.org,
            detail={"number": claim.number, "paid": str(claim.paid_amount)},
        )
        _tell_member(
            claim,
            f"医疗互助金 {claim.paid_amount:,.2f} 元已支付（{claim.number}），工会祝您早日康复",
            "\n".join(claim.breakdown.get("steps", [])),
            sms=True,
        )
    return claim


def follow_up_tick(
    *, actor, claim: MutualAidClaim, item: str, note: str = "", done_on: dt.date | None = None
) -> FollowUp:
    """Tick one of the 五个一 with who and when (the call, the gift, the money, the policy talk)."""
    _require_writer(actor, claim.org)
    if item not in FollowUp.Item.values or item == FollowUp.Item.SMS:
        raise DomainError("请选择问候电话、慰问品、慰问金或政策宣传", code="item", field="item")
    with transaction.atomic():
        follow = FollowUp.objects.select_for_update().filter(claim=claim, item=item).first()
        if follow is None:
            raise Conflict("支付后才有五个一回访", code="status", field="item")
        if follow.done_at is not None:
            raise Conflict(
                f"「{follow.get_item_display()}」已由{follow.done_by_label}登记",
                code="already_done",
                field="item",
            )
        when = timezone.now()
        if done_on is not None:
            if done_on > timezone.localdate():
                raise DomainError("完成日期不能晚于今天", code="date_future", field="done_on")
            when = timezone.make_aware(dt.datetime.combine(done_on, dt.time(12)))
        follow.done_at, follow.done_by = when, actor
        follow.done_by_label = f"{actor.name or '工会干部'}"[:80]
        follow.note = (note or "").strip()[:120]
        follow.save()
        audit_record(
            actor=actor,
            action="mutual_aid.follow_up",
            obj=claim,
            org=claim.org,
            detail={"item": item, "number": claim.number},
        )
    return follow


def claim_pii_read(*, actor, claim: MutualAidClaim, where: str) -> None:
    """Every staff read of a claim (health data) is audited."""
    audit_record(
        actor=actor, action="mutual_aid.claim_read", obj=claim, org=claim.org, detail={"where": where}
    )


def quote(*, product: MutualAidProduct, self_paid, days: int, before: calculator.YearSoFar | None = None):
    """The same calculation as a claim, without filing (the member's year so far may be given)."""
    amount = parse_amount(self_paid, "self_paid", required=True, label="个人自付")
    if not 0 <= int(days) <= MAX_STAY_DAYS:
        raise DomainError("住院天数应在 0–366 天之间", code="days", field="days")
    return calculator.compute(product.rules, calculator.Stay(to_fen(amount), int(days)), before)


def year_so_far(enrolment: Enrolment) -> calculator.YearSoFar:
    """What the member's counted stays of the year have used so far (for a quote of a next stay)."""
    stays = [calculator.Stay(c.self_paid, c.days) for c in year_claims(enrolment)]
    results = calculator.compute_year(enrolment.product.rules, stays)
    return results[-1].after if results else calculator.YearSoFar()
