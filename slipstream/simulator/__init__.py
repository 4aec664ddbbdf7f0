"""Local stand-ins for exchanges, so ccxt code paths are tested offline against real ccxt classes."""

from slipstream.simulator.exchange import (
    BinanceError,
    ExchangeSimulator,
    Fault,
    PerpetualMarket,
    RecordedRequest,
    Response,
    ccxt_client,
)
from slipstream.simulator.trading import TradingConfig

__all__ = [
    "BinanceError",
    "ExchangeSimulator",
    "Fault",
    "PerpetualMarket",
    "RecordedRequest",
    "Response",
    "TradingConfig",
    "ccxt_client",
]
