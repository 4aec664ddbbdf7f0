"""Exact decimal parsing for prices, quantities and money carried as strings on the wire."""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from slipstream.core.errors import InvalidArgument

# 28 significant digits cover any realistic notional (1e15 USD) at 1e-12 resolution.
_MAX_ABS = Decimal("1e18")


def parse_decimal(text: str, field: str, *, non_negative: bool = False) -> Decimal:
    """Parse a finite decimal string, naming `field` in the error when it is not one."""
    if not text:
        raise InvalidArgument(field, "must not be empty")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidArgument(field, f"{text[:40]!r} is not a decimal number") from None
    if not value.is_finite():
        raise InvalidArgument(field, f"must be finite, got {text[:40]!r}")
    if value.copy_abs() >= _MAX_ABS:  # not abs(): it rounds to the context and overflows on 1e999999999
        raise InvalidArgument(field, "is out of range (|value| must be below 1e18)")
    if non_negative and value < 0:
        raise InvalidArgument(field, f"must be >= 0, got {text[:40]}")
    return value


def parse_optional_decimal(text: str, field: str, *, non_negative: bool = False) -> Decimal | None:
    """Parse a decimal string where the empty string means 'not set'."""
    if text == "":
        return None
    return parse_decimal(text, field, non_negative=non_negative)


def format_decimal(value: Decimal | None) -> str:
    """Render without exponent or trailing zeros; None renders as the empty string."""
    if value is None:
        return ""
    return _format(value)


# Equal decimals render the same, and a gateway renders the same few quantities and prices
# over and over: a hit costs a sixth of rendering again.
@functools.lru_cache(maxsize=4096)
def _format(value: Decimal) -> str:
    if value == 0:
        return "0"
    return format(value.normalize(), "f")
