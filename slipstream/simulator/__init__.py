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

__all__ = [
    "BinanceError",
    "ExchangeSimulator",
    "Fault",
    "PerpetualMarket",
    "RecordedRequest",
    "Response",
    "ccxt_client",
]
