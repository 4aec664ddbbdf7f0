"""Binance's REST vocabulary shared by the simulator's public and signed routes: markets, requests, answers, errors.

Parameter helpers read `RecordedRequest.params`, the query and a form body together, because Binance reads a
parameter from either place and ccxt puts a signed POST's parameters in the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from slipstream.core.decimals import format_decimal

JsonBody = dict[str, Any] | list[Any]

_UNSIGNED = re.compile(r"[0-9]{1,20}")
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class PerpetualMarket:
    """A USD-M perpetual as /fapi/v1/exchangeInfo lists it; the filter defaults resemble Binance's BTCUSDT."""

    base_asset: str
    quote_asset: str = "USDT"
    tick_size: Decimal = Decimal("0.1")
    min_price: Decimal = Decimal("0.1")
    max_price: Decimal = Decimal("1000000")
    step_size: Decimal = Decimal("0.001")
    min_qty: Decimal = Decimal("0.001")
    max_qty: Decimal = Decimal("1000")
    min_notional: Decimal = Decimal("100")

    def __post_init__(self) -> None:
        for asset in (self.base_asset, self.quote_asset):
            if not re.fullmatch(r"[0-9A-Z]+", asset):
                raise ValueError(f"asset {asset!r} must be upper-case letters and digits, as Binance spells it")
        for name in ("tick_size", "min_price", "max_price", "step_size", "min_qty", "max_qty", "min_notional"):
            value = getattr(self, name)
            if not value.is_finite() or value <= 0:
                raise ValueError(f"{name} must be a positive finite decimal, got {value}")
        if self.min_price > self.max_price or self.min_qty > self.max_qty:
            raise ValueError("minimums must not exceed maximums")

    @property
    def symbol(self) -> str:
        """Return the exchange id, e.g. BTCUSDT."""
        return self.base_asset + self.quote_asset

    @property
    def price_precision(self) -> int:
        """Return the decimals a price may carry, as exchangeInfo's pricePrecision says."""
        return decimal_places(self.tick_size)

    @property
    def quantity_precision(self) -> int:
        """Return the decimals a quantity may carry, as exchangeInfo's quantityPrecision says."""
        return decimal_places(self.step_size)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived; route handlers read their parameters from it too.

    `raw_query` and `body` are kept byte-for-byte so a signature over them can be checked; header names are
    lower-cased; `arrival_s` is the simulator clock's monotonic time. A signed request's API key, timestamp and
    parameters are derived from these, so the log shows them for rejected requests too.
    """

    method: str
    path: str
    query: Mapping[str, str]
    raw_query: str
    headers: Mapping[str, str]
    body: str
    arrival_s: float

    @property
    def params(self) -> dict[str, str]:
        """Return the query parameters together with those of a form-encoded body, which win on a clash."""
        form = self.body if self.headers.get("content-type", "").startswith(_FORM) else ""
        return {**self.query, **dict(parse_qsl(form, keep_blank_values=True))}

    @property
    def api_key(self) -> str | None:
        """Return the X-MBX-APIKEY header, the key a signed request claims to come from."""
        return self.headers.get("x-mbx-apikey")

    @property
    def timestamp_ms(self) -> int | None:
        """Return the signed `timestamp` parameter, or None when absent or not an integer."""
        text = self.params.get("timestamp", "")
        return int(text) if _UNSIGNED.fullmatch(text) else None

    @property
    def signed(self) -> bool:
        """Return whether the request carries a signature, i.e. was meant for a SIGNED endpoint."""
        return "signature" in self.params


@dataclass(frozen=True)
class Response:
    """A route's answer: a JSON body (or raw text, as gateways send), the HTTP status and extra headers."""

    status: int
    body: JsonBody | str
    headers: Mapping[str, str] = field(default_factory=dict)


Route = Callable[[RecordedRequest], Response]


class BinanceError(Exception):
    """Raised by a route handler to answer with Binance's error body, e.g. -1121 Invalid symbol."""

    def __init__(self, status: int, code: int, msg: str) -> None:
        super().__init__(f"{status} {code} {msg}")
        self.status = status
        self.code = code
        self.msg = msg


def required_param(request: RecordedRequest, name: str) -> str:
    """Return parameter `name`, or raise Binance's -1102 when it is missing or empty."""
    value = request.params.get(name, "")
    if value == "":
        raise BinanceError(400, -1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")
    return value


def optional_int_param(request: RecordedRequest, name: str) -> int | None:
    """Return parameter `name` as an unsigned integer, None when absent; -1100 when it is not one."""
    text = request.params.get(name)
    return None if text is None else _unsigned(name, text)


def required_int_param(request: RecordedRequest, name: str) -> int:
    """Return parameter `name` as an unsigned integer; -1102 when it is missing, -1100 when it is not one."""
    return _unsigned(name, required_param(request, name))


def time_range_params(request: RecordedRequest) -> tuple[int | None, int | None]:
    """Return (startTime, endTime), rejecting a start after the end with -1023."""
    start, end = optional_int_param(request, "startTime"), optional_int_param(request, "endTime")
    if start is not None and end is not None and start > end:
        raise BinanceError(400, -1023, "Start time is greater than end time.")
    return start, end


def limit_param(request: RecordedRequest, default: int, maximum: int) -> int:
    """Return the `limit` parameter within [1, maximum], `default` when absent."""
    limit = optional_int_param(request, "limit")
    if limit is None:
        return default
    if not 1 <= limit <= maximum:
        raise BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.")
    return limit


def page_slice(first: int | None, stop: int, limit: int) -> slice:
    """Page as Binance does: forward from a lower bound when there is one, else the newest `limit` before `stop`."""
    if first is None:
        return slice(max(0, stop - limit), stop)
    return slice(first, max(first, min(stop, first + limit)))


def decimal_places(value: Decimal) -> int:
    """Return how many decimals `value` needs when written without trailing zeros."""
    return len(format_decimal(value).partition(".")[2])


def _unsigned(name: str, text: str) -> int:
    if not _UNSIGNED.fullmatch(text):
        raise BinanceError(
            400, -1100, f"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'."
        )
    return int(text)
