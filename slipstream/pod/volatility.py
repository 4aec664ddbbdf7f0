"""A pod's view of the central volatility forecasts: a background subscription, latest value per symbol.

The stream reconnects with backoff when the lake restarts; until the first forecast arrives
a symbol simply has none, and sizing helpers return None rather than guess.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import grpc
from slipstream_api.v1 import volatility_pb2, volatility_pb2_grpc

from slipstream.transport import auth
from slipstream.transport.tls import ClientTls, open_channel

log = logging.getLogger(__name__)


class VolatilityFeed:
    def __init__(self, address: str, token: str, symbols: tuple[str, ...], tls: ClientTls | None = None) -> None:
        self._address = address
        self._tls = tls
        self._metadata = auth.bearer_metadata(token)
        self._symbols = list(symbols)
        self._latest: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._call: Any = None
        self._thread = threading.Thread(target=self._run, name="volatility-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        call = self._call
        if call is not None:
            call.cancel()
        self._thread.join(2)

    def annualized(self, symbol: str) -> float | None:
        with self._lock:
            return self._latest.get(symbol)

    def _run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            try:
                with open_channel(self._address, self._tls) as channel:
                    stub = volatility_pb2_grpc.VolatilityServiceStub(channel)
                    request = volatility_pb2.SubscribeForecastsRequest(symbols=self._symbols, send_current=True)
                    call = self._call = stub.SubscribeForecasts(request, metadata=self._metadata)
                    for answer in call:
                        with self._lock:
                            self._latest[answer.forecast.symbol] = answer.forecast.annualized_volatility
                        delay = 0.2
            except grpc.RpcError as error:
                if self._stop.is_set():
                    return
                log.info("volatility feed: %s; reconnecting", error.code())
            self._stop.wait(delay)
            delay = min(delay * 2, 5.0)
