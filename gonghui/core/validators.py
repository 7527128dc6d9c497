"""Chinese identifiers: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100), mainland mobile numbers.

Each failure raises a ValidationError with its own Chinese message and code, so the page and
the API can tell the worker exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone

from .regions import PROVINCES

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# [0-9], not \d: \d also matches full-width and other Unicode digits, which would store a second,
# differently indexed copy of the same number.
_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")
_ID15 = re.compile(r"^[0-9]{15}$")


@dataclass(frozen=True)
class IdNumber:
    value: str
    region_code: str
    birth_date: dt.date
    gender: str  # "M" or "F"

    @property
    def province_code(self) -> str:
        return self.value[:2]

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id15_to_18(value: str) -> str:
    """Pre-1999 15-digit numbers: insert "19" before the two-digit year and append the check."""
    value = value.strip()
    if not _ID15.match(value):
        raise ValidationError("15位身份证号应为15位数字", code="id_format")
    first17 = value[:6] + "19" + value[6:]
    return first17 + id_check_char(first17)


def _today() -> dt.date:
    return timezone.localdate()


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumber:
    if value is None or not str(value).strip():
        raise ValidationError("请填写身份证号", code="id_required")
    # Phones' Chinese keyboards often type full-width digits (１２３); NFKC folds them to ASCII.
    value = unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")
    if _ID15.match(value):
        value = id15_to_18(value)
    if len(value) != 18:
        raise ValidationError("身份证号应为18位（最后一位可以是X）", code="id_length")
    if not _ID18.match(value):
        raise ValidationError("身份证号只能包含数字，最后一位可以是X", code="id_format")
    if value[:2] not in PROVINCES:
        raise ValidationError("身份证号前两位不是有效的省级行政区划代码", code="id_province")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValidationError("身份证号中的出生日期无效", code="id_birth_date") from exc
    today = today or _today()
    if birth > today or birth.year < 1900:
        raise ValidationError("身份证号中的出生日期无效（不能晚于今天或早于1900年）", code="id_birth_date")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError("身份证号校验位不正确，请核对后重新输入", code="id_checksum")
    return IdNumber(
        value=value,
        region_code=value[:6],
        birth_date=birth,
        gender="M" if int(value[16]) % 2 else "F",
    )


def validate_id_number(value: str) -> str:
    return parse_id_number(value).value


def make_id_number(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """A well-formed number for demo data and tests (sequence 0–999; odd = male)."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


# --- 统一社会信用代码 ------------------------------------------------------------------------

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_CREDIT = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    if value is None or not str(value).strip():
        raise ValidationError("请填写统一社会信用代码", code="credit_required")
    value = unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")
    if len(value) != 18:
        raise ValidationError("统一社会信用代码应为18位", code="credit_length")
    if not _CREDIT.match(value):
        raise ValidationError(
            "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）", code="credit_format"
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入", code="credit_checksum")
    return value


def is_union_credit_code(value: str) -> bool:
    """Grassroots unions register under 登记管理部门 8 (工会), 机构类别 1: codes begin "81"."""
    return value.startswith("81")


def make_credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


# --- mobile numbers ---------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_mobile(value: str) -> str:
    """Mainland mobile number → E.164 (+86…)."""
    if value is None or not str(value).strip():
        raise ValidationError("请填写手机号", code="phone_required")
    raw = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(value)))
    digits = raw[3:] if raw.startswith("+86") else raw[2:] if raw.startswith("86") and len(raw) == 13 else raw
    if not _MOBILE.match(digits):
        raise ValidationError("手机号应为11位数字、以1开头（如 13800138000）", code="phone_format")
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("手机号格式不正确", code="phone_format") from exc
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }:
        raise ValidationError("这不是有效的中国大陆手机号，请核对号段", code="phone_invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def national_mobile(e164: str) -> str:
    return e164[3:] if e164.startswith("+86") else e164


def display_phone(value: str | None) -> str:
    """A mainland mobile as people read it: +8613800000001 → 138 0000 0001 (3-4-4). Stored values
    stay E.164; anything that is not an 11-digit mobile (a landline, a masked value) is returned as is."""
    if not value:
        return ""
    digits = national_mobile(str(value).replace(" ", ""))
    if len(digits) == 11 and digits.isdigit() and digits[0] == "1":
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return str(value)
