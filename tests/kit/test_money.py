"""Money is one type on the wire (README → 接口说明): a JSON number in 元 rounded to the cent,
declared ``type: number`` on input and output alike."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from louyu_kit.types import Money


class Amounts(BaseModel):
    tax_total: Money
    refund: Money | None = None


def test_an_amount_is_a_number_rounded_to_the_cent():
    body = Amounts(tax_total=Decimal("1250000.505"), refund=Decimal("-12.3")).model_dump(mode="json")
    assert body == {"tax_total": 1250000.51, "refund": -12.3}
    assert Amounts(tax_total=Decimal("90000000000000.01")).model_dump(mode="json")["tax_total"] == 90000000000000.01


def test_a_number_or_a_decimal_string_is_read_and_kept_exact():
    assert Amounts(tax_total=1250000.5).tax_total == Decimal("1250000.5")
    assert Amounts.model_validate_json('{"tax_total": "0.10"}').tax_total == Decimal("0.10")


def test_declared_a_number_on_input_and_output():
    for mode in ("validation", "serialization"):
        schema = Amounts.model_json_schema(mode=mode)
        assert schema["properties"]["tax_total"]["type"] == "number"
