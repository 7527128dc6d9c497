"""Input cleaners: one function per kind of value a form or an API payload carries.

Each takes the raw value, the field's name (for the error's `field`) and its Chinese label (for the
message), and returns the clean value or raises DomainError with a stable code and a message that names
the field and says how to fix it. Pages and API handlers get the same words.

    title = clean_text(payload.title, field="title", label="活动名称", max_length=60)
    amount = clean_money(request.POST.get("amount"), field="amount", label="缴费金额", minimum="0.01")
    day = clean_date(value, field="starts_on", label="开始日期", not_before=timezone.localdate())
    region = clean_region(value, field="region_code", label="所在地区")
    reason = clean_reason(value, field="reason", label="撤销原因")
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from .errors import DomainError
from .money import to_fen
from .regions import PROVINCES

# Control characters other than newline and tab never belong in text a person typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_REGION = re.compile(r"[1-9][0-9]{5}")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(
    value,
    *,
    field: str,
    label: str,
    max_length: int,
    min_length: int = 0,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Trimmed text in NFC with control characters removed; one line unless `multiline`."""
    if _blank(value):
        if required:
            raise DomainError(f"请填写{label}", code="required", field=field)
        return ""
    if not isinstance(value, str):
        raise DomainError(f"{label}应为文字", code="invalid", field=field)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if not text and required:
        raise DomainError(f"请填写{label}", code="required", field=field)
    if len(text) > max_length:
        raise DomainError(
            f"{label}不能超过 {max_length} 个字（现有 {len(text)} 个），请删减后再提交",
            code="too_long",
            field=field,
        )
    if text and len(text) < min_length:
        raise DomainError(f"{label}至少 {min_length} 个字", code="too_short", field=field)
    return text


def clean_money(
    value,
    *,
    field: str,
    label: str,
    minimum: Decimal | str | int | None = "0.01",
    maximum: Decimal | str | int | None = None,
    required: bool = True,
) -> Decimal | None:
    """An amount in 元 rounded to the fen (core/money.py); "1,200.5", "¥80", "80元" are understood.
    By default zero is refused: a payment of 0.00 元 is a mistake, not a payment."""
    if _blank(value):
        if required:
            raise DomainError(f"请填写{label}（元）", code="required", field=field)
        return None
    if isinstance(value, float):
        value = repr(value)  # the shortest text that gives the same float: 0.1, not 0.1000000000000000055…
    text = str(value).strip().replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥")
    text = text.removesuffix("元").strip()
    try:
        amount = to_fen(text)
    except ValueError:
        raise DomainError(
            f"{label}应为金额数字，如 80 或 80.50", code="invalid_amount", field=field
        ) from None
    if minimum is not None and amount < to_fen(minimum):
        what = "必须大于 0" if to_fen(minimum) == Decimal("0.01") else f"不能少于 {to_fen(minimum)} 元"
        raise DomainError(f"{label}{what}", code="amount_too_small", field=field)
    if maximum is not None and amount > to_fen(maximum):
        raise DomainError(f"{label}不能超过 {to_fen(maximum)} 元", code="amount_too_large", field=field)
    return amount


def clean_date(
    value,
    *,
    field: str,
    label: str,
    not_before: dt.date | None = None,
    not_after: dt.date | None = None,
    required: bool = True,
) -> dt.date | None:
    """A date as YYYY-MM-DD (also 2026/3/1 and 2026年3月1日), optionally inside a window."""
    if _blank(value):
        if required:
            raise DomainError(f"请填写{label}", code="required", field=field)
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            day = None
        if day is None:
            raise DomainError(
                f"{label}不是有效日期，请按 YYYY-MM-DD 填写，如 2026-03-01", code="invalid_date", field=field
            )
    if not_before is not None and day < not_before:
        raise DomainError(f"{label}不能早于 {not_before:%Y-%m-%d}", code="date_too_early", field=field)
    if not_after is not None and day > not_after:
        raise DomainError(f"{label}不能晚于 {not_after:%Y-%m-%d}", code="date_too_late", field=field)
    return day


def clean_region(value, *, field: str, label: str = "所在地区", required: bool = True) -> str:
    """A 6-digit administrative-division code (GB/T 2260) of a known province."""
    if _blank(value):
        if required:
            raise DomainError(f"请选择{label}", code="required", field=field)
        return ""
    code = str(value).strip()
    if not _REGION.fullmatch(code) or code[:2] not in PROVINCES:
        raise DomainError(f"{label}不正确，请从省、市、县列表中选择", code="invalid_region", field=field)
    return code


def clean_reason(
    value, *, field: str = "reason", label: str = "原因", min_length: int = 2, max_length: int = 200
) -> str:
    """Why a staffer does something that is audited (查看身份证号, 撤销, 驳回…): at least a couple of words."""
    if _blank(value):
        raise DomainError(f"请填写{label}（至少 {min_length} 个字）", code="reason_required", field=field)
    text = clean_text(value, field=field, label=label, max_length=max_length, multiline=True)
    if len(text) < min_length:
        raise DomainError(f"请填写{label}（至少 {min_length} 个字）", code="reason_required", field=field)
    return text


YEAR_MIN, YEAR_MAX = 1949, 2100


def clean_year(value, *, field: str = "year", label: str = "年度", required: bool = True) -> int | None:
    """A calendar year a union's records can have (1949–2100); `year=0` must not reach a date lookup."""
    if _blank(value):
        if required:
            raise DomainError(f"请填写{label}", code="year_invalid", field=field)
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(
            f"{label}应为 {YEAR_MIN}–{YEAR_MAX} 之间的四位年份，例如 2026", code="year_invalid", field=field
        )
    return year
