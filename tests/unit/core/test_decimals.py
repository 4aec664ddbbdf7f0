from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slipstream.core.decimals import format_decimal, parse_decimal, parse_optional_decimal
from slipstream.core.errors import InvalidArgument


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "abc", "1e18", "", " "])
def test_non_finite_or_malformed_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        parse_decimal(text, "limits.max_gross_notional_usd")
    assert raised.value.field == "limits.max_gross_notional_usd"


def test_negative_refused_when_non_negative_required() -> None:
    with pytest.raises(InvalidArgument, match=">= 0"):
        parse_decimal("-0.01", "capital", non_negative=True)


def test_empty_optional_is_none() -> None:
    assert parse_optional_decimal("", "x") is None


@given(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False, places=12)
)
def test_round_trip_is_exact(value: Decimal) -> None:
    assert parse_decimal(format_decimal(value), "x") == value


def test_format_has_no_exponent() -> None:
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(Decimal("0.000000010")) == "0.00000001"
    assert format_decimal(None) == ""
