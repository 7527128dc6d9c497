"""Offline registration forms in bulk: the xlsx template, the import, the rows sent back with errors,
and the registry export. Reads with python-calamine (fast), writes with openpyxl (write-only mode)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from gonghui.accounts.models import phone_index
from gonghui.core import crypto
from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError
from gonghui.core.glossary import NEW_FORM_OCCUPATIONS
from gonghui.core.validators import display_phone, make_id_number, normalize_mobile, parse_id_number
from gonghui.core.xlsx import XlsxWriter, export_audit, read_first_sheet
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import require_scope, scope_paths

from .models import OCCUPATIONS, ImportBatch, Member, id_index
from .services import MIN_AGE, REGISTRY_ROLES, next_member_numbers

MAX_ROWS = 100_000
HEADERS = ["姓名", "身份证号", "手机号", "职业", "工作单位/平台", "就业形态", "入会时间", "月工资基数"]
REQUIRED = {"姓名", "身份证号", "手机号", "职业", "工作单位/平台"}
OCCUPATION_BY_LABEL = {label: code for code, label in OCCUPATIONS}
FORM_BY_LABEL = {label: code for code, label in Member.EmploymentForm.choices}
HEADER_FILL = PatternFill("solid", fgColor="C8102E")
BATCH = 2000


# Rows of the template whose 身份证号 and 手机号 cells are pre-formatted as text ("@"), so Excel keeps
# all 18 digits instead of turning them into 1.41125E+17 (Excel keeps only 15 significant digits).
TEXT_COLUMNS = ("身份证号", "手机号")
TEXT_ROWS = 2000


def template_sample_row(today: dt.date | None = None) -> list[str]:
    """The template's example row; it passes the import's own validation (tested)."""
    today = today or timezone.localdate()
    return [
        "韩建辉",
        make_id_number("141125", dt.date(1988, 5, 17), 11),
        "13812345678",
        "货车司机",
        "柳林县预石运输有限责任公司",
        "新就业形态",
        today.replace(day=1).isoformat(),
        "6500",
    ]


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "会员登记表"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    ws.append(template_sample_row())
    for header in TEXT_COLUMNS:
        column = HEADERS.index(header) + 1
        for row in range(2, TEXT_ROWS + 2):
            ws.cell(row=row, column=column).number_format = "@"
    for col, width in zip("ABCDEFGH", [10, 22, 15, 12, 30, 12, 12, 12], strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "是否必填", "填写要求"])
    for row in [
        ("姓名", "必填", "2个字以上"),
        ("身份证号", "必填", "18位，最后一位可以是X；未满16周岁不能入会。本列已设为文本格式，请勿改成数字"),
        ("手机号", "必填", "11位大陆手机号（本列为文本格式）"),
        ("职业", "必填", "从以下选择：" + "、".join(label for _, label in OCCUPATIONS)),
        ("工作单位/平台", "必填", "如 运帮找货、快狗打车、饿了么"),
        ("就业形态", "选填", "传统就业 / 新就业形态 / 灵活就业；不填按职业判断"),
        ("入会时间", "选填", "YYYY-MM-DD；不填为导入当天"),
        ("月工资基数", "选填", "元，用于按比例计算会费"),
    ]:
        notes.append(list(row))
    notes.append([])
    notes.append(["示例行（第2行）导入前请删除。同一文件重复上传不会产生重复会员。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    batch: ImportBatch
    already_imported_at: dt.datetime | None = None


def _cell(value) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15:
        # Excel stores numbers as doubles (15 significant digits): a 身份证号 typed into a number cell
        # has already lost its last digits. Keep the number as Excel shows it (1.41125E+17), so the
        # row is refused with its own message instead of a wrong 18-digit number.
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    # Sizes, ratio, entries, rows and columns are checked before the parser sees the file.
    rows = read_first_sheet(data, max_rows=MAX_ROWS)
    if not rows:
        raise DomainError("文件是空的，请按模板填写后上传", code="file_empty", field="file")
    header = [_cell(h) for h in rows[0]]
    missing = [h for h in HEADERS if h in REQUIRED and h not in header]
    if missing:
        raise DomainError(
            f"表头缺少：{'、'.join(missing)}。请下载模板，按模板第一行的列名填写",
            code="header_missing",
            field="file",
        )
    body = [[_cell(v) for v in row] for row in rows[1:]]
    body = [row for row in body if any(row)]
    if len(body) > MAX_ROWS:
        raise DomainError(
            f"一次最多导入{MAX_ROWS:,}行，本文件有{len(body):,}行，请拆分后上传",
            code="too_many_rows",
            field="file",
        )
    return header, body


_MOBILE_DIGITS = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


@lru_cache(maxsize=50_000)
def _mobile_block_error(block: str) -> str:
    """Validity of a mainland mobile number is decided by its 7-digit block (号段); checking one number
    per block with phonenumbers keeps 100,000 rows fast. Returns the error message, or ""."""
    try:
        normalize_mobile(block + "0000")
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def _mobile(value: str) -> str:
    match = _MOBILE_DIGITS.match(re.sub(r"[\s\-()]", "", value))
    if match is None:
        try:
            return normalize_mobile(value)  # for its precise message
        except ValidationError as exc:
            raise RowError("手机号", exc.messages[0]) from None
    digits = match.group(1)
    error = _mobile_block_error(digits[:7])
    if error:
        raise RowError("手机号", error)
    return "+86" + digits


_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)
EXCEL_NUMBER_FIX = "请把该列设为「文本」格式（或在号码前加英文单引号 '），重新输入完整的18位号码"


def excel_mangled_id(value: str) -> str:
    """The message for a 身份证号 that Excel turned into a number, or "" when it does not look so."""
    compact = value.replace(" ", "")
    if _SCIENTIFIC.match(compact):
        return f"身份证号被 Excel 转成了数字（显示为 {compact}），后几位已丢失，无法还原；{EXCEL_NUMBER_FIX}"
    if compact.isdigit() and len(compact) == 17:
        return f"身份证号只有17位，最后一位校验码（可能是 X）丢失了；{EXCEL_NUMBER_FIX}"
    if compact.isdigit() and len(compact) == 18 and compact.endswith("00"):
        try:
            parse_id_number(compact)
        except ValidationError as exc:
            if exc.code == "id_checksum":
                return (
                    "身份证号校验位不正确，末几位是 0：号码可能被 Excel 转成了数字（只保留15位有效数字）；"
                    + EXCEL_NUMBER_FIX
                )
    return ""


class RowError(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def _validate(get, today: dt.date) -> dict:
    name = get("姓名")
    if len(name) < 2 or len(name) > 40:
        raise RowError("姓名", "请填写2到40个字的姓名")
    id_raw = get("身份证号")
    excel_error = excel_mangled_id(id_raw)
    if excel_error:
        raise RowError("身份证号", excel_error)
    try:
        parsed = parse_id_number(id_raw, today=today)
    except ValidationError as exc:
        message = exc.messages[0]
        raise RowError("身份证号", message if "请" in message else message + "，请核对后重新填写") from None
    if parsed.age_on(today) < MIN_AGE:
        raise RowError("身份证号", "未满16周岁不能入会，请删除该行")
    phone = _mobile(get("手机号"))
    occupation = OCCUPATION_BY_LABEL.get(get("职业"))
    if occupation is None:
        raise RowError("职业", "请从填写说明中的职业列表选择（如 货车司机、快递员）")
    employer = get("工作单位/平台")
    if not employer or len(employer) > 120:
        raise RowError("工作单位/平台", "请填写工作单位或平台名称（120字以内）")
    form_label = get("就业形态")
    if form_label and form_label not in FORM_BY_LABEL:
        raise RowError("就业形态", "只能填 传统就业、新就业形态 或 灵活就业，也可以不填")
    form = FORM_BY_LABEL.get(form_label) or ("new" if occupation in NEW_FORM_OCCUPATIONS else "standard")
    joined_raw = get("入会时间")
    joined = today
    if joined_raw:
        try:
            joined = dt.date.fromisoformat(joined_raw[:10])
        except ValueError:
            raise RowError("入会时间", "日期格式应为 YYYY-MM-DD（如 2026-11-01）") from None
        if joined > today or joined < parsed.birth_date:
            raise RowError("入会时间", "入会时间不能晚于今天或早于出生日期")
    wage_raw = get("月工资基数")
    wage = None
    if wage_raw:
        from decimal import Decimal, InvalidOperation

        try:
            wage = Decimal(wage_raw).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise RowError("月工资基数", "应为数字（元），也可以不填") from None
        if wage <= 0 or wage >= Decimal("100000000"):
            raise RowError("月工资基数", "应大于0元，也可以不填")
    return {
        "name": name,
        "parsed": parsed,
        "phone": phone,
        "occupation": occupation,
        "employer": employer,
        "form": form,
        "joined": joined,
        "wage": wage,
    }


def member_import(*, actor, org: Org, file_name: str, data: bytes) -> ImportResult:
    """Validate every row; import the good ones; return the bad ones with the field and the fix.
    The blind index of the 身份证号 makes a second upload of the same file a no-op."""
    require_scope(actor, org, REGISTRY_ROLES)
    started = time.perf_counter()
    digest = hashlib.sha256(data).hexdigest()
    previous = ImportBatch.objects.filter(org=org, file_hash=digest).order_by("created_at").first()
    header, rows = read_rows(data)
    position = {h: i for i, h in enumerate(header)}
    today = timezone.localdate()
    good: list[tuple[list[str], dict]] = []
    bad: list[tuple[list[str], str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):

        def get(col, row=row):
            i = position.get(col)
            return row[i] if i is not None and i < len(row) else ""

        try:
            values = _validate(get, today)
        except RowError as err:
            bad.append((row, f"第{number}行 {err.field}：{err.message}"))
            continue
        index = id_index(values["parsed"].value)
        if index in seen:
            bad.append((row, f"第{number}行 身份证号：与第{seen[index]}行重复，请删除其中一行"))
            continue
        seen[index] = number
        values["index"] = index
        good.append((row, values))

    # Who is already in the registry: same union → a harmless repeat; elsewhere → needs a transfer.
    existing: dict[str, tuple[str, str, str]] = {}
    indexes = [v["index"] for _, v in good]
    # No join here: with a join SQLite's planner walks the members of every org instead of the index.
    org_ids: dict[str, int] = {}
    for i in range(0, len(indexes), BATCH):
        for idx, path, status, org_id in Member.objects.filter(
            id_index__in=indexes[i : i + BATCH]
        ).values_list("id_index", "org_path", "status", "org_id"):
            existing[idx] = (path, status, "")
            org_ids[idx] = org_id
    names = dict(Org.objects.filter(pk__in=set(org_ids.values())).values_list("pk", "name"))
    existing = {
        idx: (path, status, names.get(org_ids[idx], "")) for idx, (path, status, _) in existing.items()
    }
    actor_roots = scope_paths(actor)
    to_create: list[dict] = []
    duplicates = 0
    for row, values in good:
        found = existing.get(values["index"])
        if found is None:
            to_create.append(values)
        elif found[0] == org.path:
            duplicates += 1
        elif any(found[0].startswith(root) for root in actor_roots):
            bad.append(
                (
                    row,
                    f"身份证号：此人已是{found[2]}会员（{Member.Status(found[1]).label}），"
                    "请通过会籍转接办理，不要重复导入",
                )
            )
        else:
            # Outside the importer's subtree: say nothing of which union, or the import is an ID oracle.
            bad.append((row, "身份证号：此人已在其他工会登记，请通过会籍转接办理，不要重复导入"))

    with transaction.atomic():
        numbers = next_member_numbers(org, len(to_create)) if to_create else []
        _insert_members(org, to_create, numbers)
        batch = ImportBatch.objects.create(
            org=org,
            org_path=org.path,
            file_name=file_name[:200],
            file_hash=digest,
            uploaded_by=actor,
            total=len(rows),
            imported=len(to_create),
            duplicates=duplicates,
            failed=len(bad),
            seconds=round(time.perf_counter() - started, 2),
            error_file=_seal(_error_xlsx(header, bad)) if bad else None,
        )
        audit_record(
            actor=actor,
            action="members.import",
            obj=org,
            org=org,
            detail={
                "batch": batch.pk,
                "total": len(rows),
                "imported": len(to_create),
                "duplicates": duplicates,
                "failed": len(bad),
            },
        )
    return ImportResult(batch=batch, already_imported_at=previous.created_at if previous else None)


MEMBER_COLUMNS = [
    "org_id",
    "org_path",
    "member_no",
    "name",
    "id_number",
    "id_index",
    "phone",
    "phone_index",
    "gender",
    "birth_date",
    "occupation",
    "employment_form",
    "employer_name",
    "status",
    "status_reason",
    "joined_at",
    "source",
    "wage_base",
    "created_at",
    "updated_at",
]


def _insert_members(org: Org, rows: list[dict], numbers: list[str]) -> None:
    """Plain INSERTs (COPY on PostgreSQL): the ORM's per-field preparation costs more than the encryption itself
    at 100,000 rows. Values are adapted by the backend's own operations, so both databases get their types."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = ops.quote_name(Member._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in MEMBER_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(MEMBER_COLUMNS))})"
    )
    params = []
    for values, member_no in zip(rows, numbers, strict=True):
        parsed = values["parsed"]
        wage = values["wage"]
        params.append(
            (
                org.pk,
                org.path,
                member_no,
                values["name"],
                crypto.encrypt(parsed.value),
                values["index"],
                crypto.encrypt(values["phone"]),
                phone_index(values["phone"]),
                parsed.gender,
                ops.adapt_datefield_value(parsed.birth_date),
                values["occupation"],
                values["form"],
                values["employer"],
                Member.Status.ACTIVE.value,
                "",
                ops.adapt_datefield_value(values["joined"]),
                "import",
                ops.adapt_decimalfield_value(wage, 10, 2) if wage is not None else None,
                now,
                now,
            )
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of 100,000 statements.
            columns = ", ".join(ops.quote_name(c) for c in MEMBER_COLUMNS)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        else:
            for i in range(0, len(params), BATCH):
                cursor.executemany(sql, params[i : i + BATCH])


def _error_xlsx(header: list[str], bad: list[tuple[list[str], str]]) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet("需修改的行", header=[*header, "错误说明（修改后可直接重新上传本文件）"])
    for row, message in bad:
        sheet.append([*row, *([""] * (len(header) - len(row))), message])
    return book.to_bytes()


# Refused rows carry full 身份证号 and phone numbers: the file is stored encrypted (core.crypto, like
# every personal field), downloaded masked unless the downloader may reveal (with a reason, audited),
# and dropped ERROR_FILE_DAYS after the import (error_files_purge, and refused on download meanwhile).
ERROR_FILE_DAYS = 7
MASKED_COLUMNS = {"姓名": crypto.mask_name, "身份证号": crypto.mask_id_number, "手机号": crypto.mask_phone}


def _seal(content: bytes) -> bytes:
    import base64

    return crypto.encrypt(base64.b64encode(content).decode()).encode()


def error_file_bytes(batch: ImportBatch) -> bytes:
    """The full xlsx of a batch's refused rows (decrypted). Callers outside this module use
    import_error_file, which masks and audits."""
    import base64

    if not batch.error_file:
        return b""
    return base64.b64decode(crypto.decrypt(bytes(batch.error_file).decode()))


def error_file_expired(batch: ImportBatch, now=None) -> bool:
    return (now or timezone.now()) > batch.created_at + dt.timedelta(days=ERROR_FILE_DAYS)


def import_error_file(*, actor, batch: ImportBatch, reveal: bool = False, reason: str = "") -> bytes:
    """The refused rows for download: masked, or full for a staffer who may reveal on the batch's union
    and gives a reason. Every download is audited on the batch's union."""
    from gonghui.core.errors import Forbidden, NotFound
    from gonghui.orgs.scope import may_reveal_pii

    if not batch.error_file:
        raise NotFound()
    if error_file_expired(batch):
        raise DomainError(
            f"错误明细只保留{ERROR_FILE_DAYS}天，已过期删除；请修改原表格后重新导入",
            code="file_expired",
            status=404,
        )
    reason = (reason or "").strip()
    if reveal and len(reason) < 2:
        raise DomainError("下载完整个人信息须填写原因（至少2个字）", code="reason_required", field="reason")
    allowed = reveal and may_reveal_pii(actor, batch.org)
    with transaction.atomic():
        export_audit(
            actor=actor,
            action="members.import_errors",
            orgs=batch.org,
            obj=batch,
            result="ok" if allowed or not reveal else "denied",
            detail={"rows": batch.failed, "revealed": bool(allowed), "reason": reason[:200]},
        )
    if reveal and not allowed:
        raise Forbidden("您没有查看完整个人信息的权限，只能下载脱敏的错误明细")
    full = error_file_bytes(batch)
    if allowed:
        return full
    rows = read_first_sheet(full, max_rows=MAX_ROWS + 1)
    book = XlsxWriter()
    header = [_cell(h) for h in rows[0]] if rows else []
    maskers = [MASKED_COLUMNS.get(h) for h in header]
    sheet = book.sheet("需修改的行", header=header)
    for row in rows[1:]:
        cells = [_cell(v) for v in row]
        sheet.append(
            [m(v) if m and v else v for m, v in zip(maskers, cells, strict=False)] + cells[len(maskers) :]
        )
    return book.to_bytes()


def error_files_purge(now=None) -> int:
    """Drop the error files older than ERROR_FILE_DAYS (a daily task); returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=ERROR_FILE_DAYS)
    return ImportBatch.objects.filter(created_at__lt=cutoff, error_file__isnull=False).update(error_file=None)


def import_batch_get(*, actor, batch_id) -> ImportBatch:
    from gonghui.core.errors import NotFound
    from gonghui.orgs.scope import path_q

    batch = ImportBatch.objects.filter(path_q(scope_paths(actor), "org_path"), pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return batch


# --- export -------------------------------------------------------------------------------------

EXPORT_LIMIT = 100_000


def members_export(*, actor, queryset, reveal: bool = False, reason: str = "", org=None) -> bytes:
    """The registry as xlsx. Masked by default; full 身份证号/手机号 only for staff allowed to reveal them
    on those rows, with a reason. Every export is audited (count and filters, never the data) on `org`
    (the union the list was filtered to) or else on each union of the actor's scope."""
    reveal_roots = []
    if reveal:
        reason = (reason or "").strip()
        if len(reason) < 2:
            raise DomainError(
                "导出完整个人信息须填写原因（至少2个字）", code="reason_required", field="reason"
            )
        reveal_roots = list(
            Staff.objects.filter(user=actor, is_active=True, can_reveal_pii=True).values_list(
                "org__path", flat=True
            )
        )
        if not reveal_roots:
            raise DomainError(
                "您没有查看完整个人信息的权限，只能导出脱敏数据", code="forbidden", field="reveal", status=403
            )
    book = XlsxWriter()
    ws = book.sheet(
        "会员名册",
        header=[
            "会员编号",
            "姓名",
            "身份证号",
            "手机号",
            "性别",
            "职业",
            "就业形态",
            "工作单位/平台",
            "所属工会",
            "会籍状态",
            "入会时间",
        ],
    )
    occupation = dict(OCCUPATIONS)
    forms = dict(Member.EmploymentForm.choices)
    statuses = dict(Member.Status.choices)
    count = revealed = 0
    for m in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000):
        full = reveal and any(m.org_path.startswith(root) for root in reveal_roots)
        revealed += full
        ws.append(
            [
                m.member_no,
                m.name if full else crypto.mask_name(m.name),
                m.id_number if full else crypto.mask_id_number(m.id_number),
                display_phone(m.phone) if full else crypto.mask_phone(m.phone),
                "男" if m.gender == "M" else "女",
                occupation.get(m.occupation, ""),
                forms.get(m.employment_form, ""),
                m.employer_name,
                m.org.name,
                statuses.get(m.status, ""),
                m.joined_at.isoformat(),
            ]
        )
        count += 1
    orgs = [org] if org is not None else list(Org.objects.filter(path__in=scope_paths(actor)))
    with transaction.atomic():
        export_audit(
            actor=actor,
            action="members.export",
            orgs=orgs,
            detail={"rows": count, "revealed_rows": revealed, "reason": reason[:200]},
        )
    return book.to_bytes()
