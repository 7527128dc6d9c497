import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.core.errors import DomainError, field_value
from gonghui.core.regions import PROVINCES
from gonghui.core.validators import (
    CREDIT_ALPHABET,
    credit_code_check_char,
    id15_to_18,
    id_check_char,
    make_credit_code,
    make_id_number,
    normalize_mobile,
    parse_id_number,
    validate_credit_code,
    validate_id_number,
)

TODAY = dt.date(2026, 11, 23)


def credit_error(value) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    return info.value


def id_error(value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_id_number(value, today=TODAY, **kwargs)
    return info.value


# --- 身份证号 (GB 11643) --------------------------------------------------------------------


def test_the_standards_own_example_with_check_char_x_is_valid():
    # GB 11643-1999 appendix example: 北京市朝阳区, born 1949-12-31, female.
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"
    assert parsed.region_code == "110105"


@pytest.mark.parametrize(
    "value, birth, gender",
    [
        ("110101199003074477", dt.date(1990, 3, 7), "M"),
        ("11010119900307803X", dt.date(1990, 3, 7), "M"),
        (make_id_number("141125", dt.date(1988, 5, 17), 42), dt.date(1988, 5, 17), "F"),  # 柳林县
    ],
)
def test_real_format_numbers_derive_birth_date_and_gender(value, birth, gender):
    parsed = parse_id_number(value, today=TODAY)
    assert (parsed.birth_date, parsed.gender) == (birth, gender)


def test_lower_case_x_and_spaces_are_normalised():
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_full_width_digits_are_folded_to_the_same_number():
    # A Chinese keyboard's full-width digits must not create a second, differently indexed number.
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert parse_id_number(full_width, today=TODAY).value == "11010519491231002X"


def test_other_unicode_digits_are_rejected_not_stored():
    # Python's \d matches these; NFKC does not fold them, so they must fail instead of being stored.
    arabic_indic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
    assert id_error(arabic_indic).code == "id_format"


def test_age_counts_whole_years():
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.age_on(dt.date(2026, 12, 30)) == 76
    assert parsed.age_on(dt.date(2026, 12, 31)) == 77


def test_empty_number_asks_for_it():
    err = id_error("  ")
    assert (err.code, err.message) == ("id_required", "请填写身份证号")


@pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002X1", "1234"])
def test_wrong_length(value):
    err = id_error(value)
    assert err.code == "id_length"
    assert "18位" in err.message


def test_letters_inside_the_number_are_rejected():
    err = id_error("1101051949A231002X")
    assert err.code == "id_format"
    assert err.message == "身份证号只能包含数字，最后一位可以是X"


@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "39", "47", "55", "66", "72", "83", "99"])
def test_first_two_digits_must_be_a_province(prefix):
    first17 = prefix + "0105" + "19491231" + "002"
    err = id_error(first17 + id_check_char(first17))
    assert err.code == "id_province"
    assert "省级行政区划代码" in err.message


@pytest.mark.parametrize("province", sorted(PROVINCES))
def test_every_province_code_is_accepted(province):
    assert parse_id_number(make_id_number(province + "0101", dt.date(1990, 1, 1), 11), today=TODAY)


@pytest.mark.parametrize("date", ["19900230", "19901301", "19900000", "20230229"])
def test_nonexistent_birth_date(date):
    first17 = "110105" + date + "002"
    err = id_error(first17 + id_check_char(first17))
    assert err.code == "id_birth_date"
    assert "出生日期无效" in err.message


def test_leap_day_birth_is_fine():
    assert parse_id_number(make_id_number("110105", dt.date(2000, 2, 29), 2), today=TODAY)


def test_birth_date_in_the_future():
    err = id_error(make_id_number("110105", TODAY + dt.timedelta(days=1), 2))
    assert err.code == "id_birth_date"
    assert "不能晚于今天" in err.message


def test_born_today_is_not_in_the_future():
    assert parse_id_number(make_id_number("110105", TODAY, 2), today=TODAY).birth_date == TODAY


def test_wrong_check_character():
    err = id_error("110105194912310021")
    assert err.code == "id_checksum"
    assert err.message == "身份证号校验位不正确，请核对后重新输入"


@pytest.mark.parametrize(
    "region",
    [
        "110103",  # 北京市崇文区, merged into 东城区 in 2010
        "110104",  # 北京市宣武区, merged into 西城区 in 2010
        "320103",  # 南京市白下区, merged into 秦淮区 in 2013
        "142301",  # 吕梁地区离石市, now 141102 离石区
    ],
)
def test_abolished_county_codes_are_still_valid(region):
    assert parse_id_number(make_id_number(region, dt.date(1975, 6, 1), 37), today=TODAY).region_code == region


def test_fifteen_digit_number_converts_to_eighteen():
    # 15-digit form of the standard's example: 110105 491231 002.
    assert id15_to_18("110105491231002") == "11010519491231002X"
    assert parse_id_number("110105491231002", today=TODAY).value == "11010519491231002X"


def test_fifteen_digit_conversion_rejects_non_digits():
    with pytest.raises(ValidationError) as info:
        id15_to_18("11010549123100X")
    assert info.value.code == "id_format"


def test_field_value_names_the_field_for_the_api():
    with pytest.raises(DomainError) as info:
        field_value("110105194912310021", "id_number", validate_id_number)
    assert info.value.as_dict() == {
        "code": "id_checksum",
        "message": "身份证号校验位不正确，请核对后重新输入",
        "field": "id_number",
    }


ids = st.builds(
    make_id_number,
    st.sampled_from(sorted(PROVINCES)).flatmap(lambda p: st.integers(0, 9999).map(lambda n: f"{p}{n:04d}")),
    st.dates(dt.date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@settings(max_examples=300, deadline=None)
@given(ids)
def test_any_generated_number_round_trips(value):
    parsed = parse_id_number(value, today=TODAY)
    assert parsed.value == value
    assert parsed.birth_date.strftime("%Y%m%d") == value[6:14]
    assert parsed.gender == ("M" if int(value[16]) % 2 else "F")


@settings(max_examples=300, deadline=None)
@given(ids, st.integers(0, 17), st.integers(1, 10))
def test_changing_any_single_character_breaks_the_number(value, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = value[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:
        return
    broken = value[:position] + new + value[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(broken, today=TODAY)


# --- 统一社会信用代码 (GB 32100) ------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
        "914403001922038216",  # 华为技术有限公司
        "91110108551385082Q",  # 小米科技有限责任公司
        "12100000400000624D",  # 事业单位 (机构编制 registry, category 2)
    ],
)
def test_published_credit_codes_are_valid(code):
    assert validate_credit_code(code) == code


def test_check_character_by_hand():
    # 9 1 4 4 0 3 0 0 7 0 8 4 6 1 1 3 6 against weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    total = (
        9 * 1
        + 1 * 3
        + 4 * 9
        + 4 * 27
        + 0 * 19
        + 3 * 26
        + 0 * 16
        + 0 * 17
        + 7 * 20
        + 0 * 29
        + 8 * 25
        + 4 * 13
        + 6 * 8
        + 1 * 24
        + 1 * 10
        + 3 * 30
        + 6 * 28
    )
    assert total == 966
    assert 31 - total % 31 == 26  # 0-9 are 0-9, then A=10 … R=25, T=26 (S is skipped)
    assert CREDIT_ALPHABET[26] == "T"
    assert credit_code_check_char("91440300708461136") == "T"


def test_check_value_31_is_written_as_zero():
    # Find a body whose weighted sum is a multiple of 31: its check must be "0", not an index error.
    body = "81141125MA0000000"
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    for ch in CREDIT_ALPHABET:
        candidate = body[:-1] + ch
        total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(candidate))
        if total % 31 == 0:
            assert make_credit_code(candidate).endswith("0")
            assert validate_credit_code(make_credit_code(candidate))
            return
    pytest.fail("no body with sum ≡ 0 found")


def test_letter_first_codes_are_valid():
    code = make_credit_code("Y1110000MA0ABCDEF")
    assert code[0] == "Y"
    assert validate_credit_code(code.lower()) == code


def test_union_code_in_lower_case_with_spaces_is_normalised():
    code = make_credit_code("81141125MA0K12345")
    spaced = f" {code[:6]} {code[6:].lower()} "
    assert validate_credit_code(spaced) == code


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_alphabet_are_rejected(letter):
    err = credit_error("91440300708461136" + letter)
    assert err.code == "credit_format"
    assert "不含 I、O、S、V、Z" in err.message


def test_wrong_credit_check_character():
    err = credit_error("91440300708461136U")
    assert (err.code, err.message) == ("credit_checksum", "统一社会信用代码校验位不正确，请核对后重新输入")


def test_credit_code_length_and_presence():
    assert credit_error("9144030070846113").code == "credit_length"
    assert credit_error("").code == "credit_required"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=CREDIT_ALPHABET, min_size=17, max_size=17), st.integers(0, 17), st.integers(1, 30))
def test_any_single_substitution_in_a_credit_code_is_caught(body, position, shift):
    code = make_credit_code(body)
    assert validate_credit_code(code) == code
    new = CREDIT_ALPHABET[(CREDIT_ALPHABET.index(code[position]) + shift) % 31]
    with pytest.raises(ValidationError):
        validate_credit_code(code[:position] + new + code[position + 1 :])


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "8613800138000",
        "１３８００１３８０００",
    ],
)
def test_mobile_numbers_are_stored_as_e164(raw):
    assert normalize_mobile(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", ["19912345678", "17612345678", "15012345678"])
def test_current_number_ranges_are_mobiles(raw):
    assert normalize_mobile(raw) == "+86" + raw


@pytest.mark.parametrize(
    "raw, code, message",
    [
        ("", "phone_required", "请填写手机号"),
        ("1380013800", "phone_format", "手机号应为11位数字、以1开头（如 13800138000）"),
        ("23800138000", "phone_format", "手机号应为11位数字、以1开头（如 13800138000）"),
        ("12800138000", "phone_format", "手机号应为11位数字、以1开头（如 13800138000）"),
        ("0105551234", "phone_format", "手机号应为11位数字、以1开头（如 13800138000）"),
    ],
)
def test_bad_mobile_numbers_get_a_chinese_message(raw, code, message):
    with pytest.raises(ValidationError) as info:
        normalize_mobile(raw)
    err = info.value
    assert (err.code, err.message) == (code, message)
