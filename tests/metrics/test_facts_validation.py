"""Row checks and periods, in memory (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics.facts.periods import PeriodError, months_of, parse_period, period_kind
from metrics.facts.validation import check_rows
from tests.metrics.conftest import bad_check_code, credit_code

A = credit_code(21)


def one(row: dict, year: int = 2026):  # type: ignore[no-untyped-def]
    return check_rows([(1, row)], current_year=year)


def row(**fields):  # type: ignore[no-untyped-def]
    return {"credit_code": A, "period": "2025-06", "kind": "tax_total", "value": 1, **fields}


class TestPeriods:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2025-06", ("2025-06", "month")),
            ("2025-6", ("2025-06", "month")),
            ("2025/06", ("2025-06", "month")),
            ("202506", ("2025-06", "month")),
            ("2025年6月", ("2025-06", "month")),
            ("2025-Q2", ("2025-Q2", "quarter")),
            ("2025q4", ("2025-Q4", "quarter")),
            ("2025年第3季度", ("2025-Q3", "quarter")),
            ("2025", ("2025", "year")),
            ("2025年", ("2025", "year")),
        ],
    )
    def test_accepted_spellings(self, raw, expected):
        assert parse_period(raw, current_year=2026) == expected

    @pytest.mark.parametrize(
        ("raw", "reason"),
        [
            ("2025-13", "月份“13”不存在"),
            ("2025-00", "月份“00”不存在"),
            ("2025-Q5", "期间格式不正确"),
            ("1999-12", "年份 1999 超出范围"),
            ("2028-01", "年份 2028 超出范围"),
            ("六月", "期间格式不正确"),
        ],
    )
    def test_refused_with_a_reason(self, raw, reason):
        with pytest.raises(PeriodError, match=reason):
            parse_period(raw, current_year=2026)

    def test_kinds_and_months(self):
        assert [period_kind(p) for p in ("2025-01", "2025-Q1", "2025")] == ["month", "quarter", "year"]
        assert months_of("2025-Q2") == ["2025-04", "2025-05", "2025-06"]
        assert len(months_of("2025")) == 12 and months_of("2025-07") == ["2025-07"]


class TestValues:
    @pytest.mark.parametrize(
        ("value", "stored"),
        [
            (100, Decimal("100.00")),
            (12.5, Decimal("12.50")),
            ("1,234,567.89", Decimal("1234567.89")),
            ("-300", Decimal("-300.00")),
            ("1.230", Decimal("1.23")),
        ],
    )
    def test_numbers_and_numeric_text(self, value, stored):
        checked = one(row(value=value))
        assert checked.rejected == [] and checked.valid[0].value == stored

    @pytest.mark.parametrize(
        ("fields", "reason"),
        [
            ({"value": None}, "必须填写"),
            ({"value": True}, "应为数字"),
            ({"value": "NaN"}, "有限"),
            ({"value": 0.1 + 0.2}, "两位小数"),
            ({"value": -2e10}, "超出范围"),
            ({"kind": "revenue", "value": -1}, "营业收入应在 0"),
            ({"kind": "employees", "value": 3_000_000}, "200万"),
            ({"kind": "employees", "value": 2.5}, "整数"),
        ],
    )
    def test_refused_values(self, fields, reason):
        checked = one(row(**fields))
        assert checked.valid == []
        assert len(checked.rejected) == 1
        rejection = checked.rejected[0]
        assert rejection.field == "value" and reason in rejection.message
        assert rejection.message.startswith("第 1 行 数值：")


class TestCodesAndKinds:
    def test_check_character_reason_names_the_expected_character(self):
        rejection = one(row(credit_code=bad_check_code(3))).rejected[0]
        assert rejection.field == "credit_code"
        assert f"应为“{credit_code(3)[-1]}”" in rejection.message
        assert rejection.message.startswith("第 1 行 统一社会信用代码：")

    @pytest.mark.parametrize("code", ["", None, "123", 12345])
    def test_missing_or_short_codes(self, code):
        assert one(row(credit_code=code)).rejected[0].field == "credit_code"

    @pytest.mark.parametrize("kind", ["tax_total", "全口径税收", "区级税收", "营业收入", "从业人员", "revenue"])
    def test_kind_codes_and_chinese_labels(self, kind):
        assert one(row(kind=kind)).rejected == []

    def test_unknown_kind_lists_the_allowed_ones(self):
        message = one(row(kind="利润")).rejected[0].message
        assert "“利润”不认识" in message and "tax_district（区级税收）" in message

    def test_every_problem_of_a_row_is_listed(self):
        checked = one({"credit_code": "x", "period": "", "kind": None, "value": "?"})
        assert [r.field for r in checked.rejected] == ["credit_code", "period", "kind", "value"]
        assert checked.rejected_rows == 1

    def test_duplicates_within_a_batch_refer_to_the_first_row(self):
        checked = check_rows([(1, row()), (2, row(value=2)), (3, row(period="2025-07"))], current_year=2026)
        assert [v.row for v in checked.valid] == [1, 3]
        assert checked.rejected[0].row == 2 and "与第 1 行重复" in checked.rejected[0].message
