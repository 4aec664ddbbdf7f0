import math

import numpy as np
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.datalake.frames import MS, BarFrame, TradeFrame, validate_bars, validate_trades

STEP = 60_000
T0 = 1_700_000_040_000  # aligned to the minute
NOW = (T0 + 10 * STEP) * MS


def bars(**changes: object) -> BarFrame:
    columns = {
        "open_time_ms": [T0, T0 + STEP, T0 + 2 * STEP],
        "open": [10.0, 11.0, 12.0],
        "high": [11.0, 12.0, 13.0],
        "low": [9.0, 10.0, 11.0],
        "close": [11.0, 12.0, 12.5],
        "volume": [1.0, 2.0, 3.0],
        "knowledge_time_ns": [NOW, NOW, NOW],
    }
    for name, (row, value) in changes.items():
        columns[name][row] = value  # type: ignore[index]
    return BarFrame.build(*columns.values())


def test_good_batch_passes() -> None:
    validate_bars(bars(), STEP, NOW)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"high": (1, 9.5)}, "bars[1].high"),
        ({"volume": (2, -1.0)}, "bars[2].volume"),
        ({"close": (0, math.nan)}, "bars[0].close"),
        ({"open": (2, math.inf)}, "bars[2].open"),
        ({"open_time_ms": (1, T0 + STEP + 1)}, "bars[1].open_time_ms"),
        ({"open_time_ms": (2, T0 + STEP)}, "bars[2].open_time_ms"),
        ({"open": (1, 20.0)}, "bars[1].open"),
        ({"knowledge_time_ns": (0, NOW + 1)}, "bars[0].knowledge_time_ns"),
        ({"knowledge_time_ns": (2, (T0 + 2 * STEP) * MS)}, "bars[2].knowledge_time_ns"),
    ],
)
def test_bad_row_is_named(change: dict[str, tuple[int, float]], field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_bars(bars(**change), STEP, NOW)
    assert raised.value.field == field


def test_mismatched_column_lengths_are_refused() -> None:
    frame = bars()
    short = BarFrame(
        frame.open_time_ms, frame.open[:2], frame.high, frame.low, frame.close, frame.volume, frame.knowledge_time_ns
    )
    with pytest.raises(InvalidArgument, match="bars.open"):
        validate_bars(short, STEP, NOW)


def test_trades_duplicate_id_and_bad_price_are_named() -> None:
    good = TradeFrame.build([T0, T0 + 1], ["a", "b"], [10.0, 10.5], [1.0, 2.0], [1, 2], [NOW, NOW])
    validate_trades(good, NOW)
    duplicate = TradeFrame.build([T0, T0 + 1], ["a", "a"], [10.0, 10.5], [1.0, 2.0], [1, 2], [NOW, NOW])
    with pytest.raises(InvalidArgument) as raised:
        validate_trades(duplicate, NOW)
    assert raised.value.field == "trades[1].trade_id"
    negative = TradeFrame.build([T0, T0 + 1], ["a", "b"], [10.0, -1.0], [1.0, 2.0], [1, 2], [NOW, NOW])
    with pytest.raises(InvalidArgument) as raised:
        validate_trades(negative, NOW)
    assert raised.value.field == "trades[1].price"
    assert np.all(good.side == [1, 2])
