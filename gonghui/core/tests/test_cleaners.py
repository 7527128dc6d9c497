import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.cleaners import clean_date, clean_money, clean_reason, clean_region, clean_text
from gonghui.core.errors import DomainError


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        fn(*args, **kwargs)
    return exc.value


class TestText:
    def test_trims_joins_whitespace_and_drops_control_characters(self):
        assert (
            clean_text("  宝鸡\u200b 公益\t课程\x00 \n", field="title", label="活动名称", max_length=20)
            == "宝鸡 公益 课程"
        )

    def test_multiline_keeps_lines(self):
        assert (
            clean_text("第一行\r\n第二行", field="note", label="备注", max_length=20, multiline=True)
            == "第一行\n第二行"
        )

    def test_missing_and_too_long_name_the_field(self):
        e = refused(clean_text, "  ", field="title", label="活动名称", max_length=5)
        assert (e.code, e.field, e.message) == ("required", "title", "请填写活动名称")
        e = refused(clean_text, "一二三四五六", field="title", label="活动名称", max_length=5)
        assert e.code == "too_long" and "活动名称不能超过 5 个字（现有 6 个）" in e.message

    def test_optional_blank_is_empty(self):
        assert clean_text(None, field="note", label="备注", max_length=5, required=False) == ""

    def test_not_text(self):
        assert refused(clean_text, 12, field="title", label="活动名称", max_length=5).code == "invalid"


class TestMoney:
    @pytest.mark.parametrize(
        "raw,expected",
        [
            ("80", "80.00"),
            ("1,200.5", "1200.50"),
            ("¥80元", "80.00"),
            (Decimal("0.005"), "0.01"),
            (12, "12.00"),
            (0.1, "0.10"),
        ],
    )
    def test_amounts_in_yuan_round_to_the_fen(self, raw, expected):
        assert clean_money(raw, field="amount", label="缴费金额") == Decimal(expected)

    def test_zero_is_refused_by_default(self):
        e = refused(clean_money, "0", field="amount", label="缴费金额")
        assert (e.code, e.field, e.message) == ("amount_too_small", "amount", "缴费金额必须大于 0")
        assert clean_money("0", field="amount", label="补贴", minimum=0) == Decimal("0.00")

    def test_words_and_bounds(self):
        assert refused(clean_money, "八十", field="amount", label="缴费金额").code == "invalid_amount"
        assert refused(clean_money, "NaN", field="amount", label="缴费金额").code == "invalid_amount"
        e = refused(clean_money, "501", field="amount", label="补贴", maximum=500)
        assert e.code == "amount_too_large" and e.message == "补贴不能超过 500.00 元"
        assert refused(clean_money, "", field="amount", label="缴费金额").code == "required"


class TestDate:
    @pytest.mark.parametrize("raw", ["2026-03-01", "2026/3/1", "2026年3月1日", dt.date(2026, 3, 1)])
    def test_formats(self, raw):
        assert clean_date(raw, field="day", label="开始日期") == dt.date(2026, 3, 1)

    def test_impossible_and_out_of_window(self):
        e = refused(clean_date, "2026-02-30", field="day", label="开始日期")
        assert e.code == "invalid_date" and "YYYY-MM-DD" in e.message and e.field == "day"
        e = refused(clean_date, "2026-03-01", field="day", label="开始日期", not_before=dt.date(2026, 3, 2))
        assert (e.code, e.message) == ("date_too_early", "开始日期不能早于 2026-03-02")
        e = refused(clean_date, "2026-03-03", field="day", label="开始日期", not_after=dt.date(2026, 3, 2))
        assert e.code == "date_too_late"


class TestRegion:
    def test_six_digits_of_a_known_province(self):
        assert clean_region(" 141125 ", field="region_code") == "141125"
        for bad in ("14112", "991125", "14112X", "041125"):
            e = refused(clean_region, bad, field="region_code")
            assert e.code == "invalid_region" and e.field == "region_code" and "所在地区不正确" in e.message
        assert refused(clean_region, "", field="region_code").code == "required"


class TestReason:
    def test_a_reason_needs_a_couple_of_words(self):
        assert clean_reason("  核对会籍 ", label="查看原因") == "核对会籍"
        e = refused(clean_reason, "a", label="查看原因")
        assert (e.code, e.field, e.message) == ("reason_required", "reason", "请填写查看原因（至少 2 个字）")
        assert refused(clean_reason, "长" * 201).code == "too_long"
