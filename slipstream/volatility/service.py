"""Keep one versioned forecast per asset, recompute it when the lake changes, broadcast it.

Writes to the lake only mark a symbol dirty; a background task recomputes dirty symbols off
the event loop and publishes a new version only when the forecast changed, so a burst of
writes costs one computation and subscribers never see duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass

from slipstream.core.errors import NotFound
from slipstream.datalake.frames import timeframe_ms
from slipstream.datalake.lake import DataLake
from slipstream.datalake.store import SeriesKey
from slipstream.volatility.estimator import VolatilityEstimate, VolatilityParameters, daily_closes, forecast

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VolatilityForecast:
    symbol: str
    estimate: VolatilityEstimate
    version: int
    as_of_ns: int
    compute_ns: int


class VolatilityService:
    def __init__(self, lake: DataLake, parameters: VolatilityParameters | None = None) -> None:
        self.lake = lake
        self.parameters = parameters or VolatilityParameters()
        self._forecasts: dict[str, VolatilityForecast] = self._load()
        self._dirty: set[str] = set()
        self._dirty_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._subscribers: set[asyncio.Queue[VolatilityForecast]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        lake.subscribe(self._on_write)

    def _load(self) -> dict[str, VolatilityForecast]:
        with self.lake.store.lock:
            rows = (
                self.lake.store.connection()
                .execute(
                    "SELECT * FROM volatility_forecasts"
                    " QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY version DESC) = 1"
                )
                .fetchall()
            )
        forecasts = {}
        for symbol, version, compute_ns, as_of_ns, last_bar_ms, annualized, ewma, long_run, count, floored in rows:
            estimate = VolatilityEstimate(
                annualized, annualized / self.parameters.days_per_year**0.5, ewma, long_run, count, floored, last_bar_ms
            )
            forecasts[symbol] = VolatilityForecast(symbol, estimate, version, as_of_ns, compute_ns)
        return forecasts

    def _on_write(self, key: SeriesKey) -> None:
        if key.kind != "bars":
            return
        with self._dirty_lock:
            self._dirty.add(key.symbol)
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def start(self) -> None:
        """Recompute in the background on the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run())
        if self._dirty:
            self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            with self._dirty_lock:
                symbols, self._dirty = sorted(self._dirty), set()
            for symbol in symbols:
                try:
                    updated = await asyncio.to_thread(self.refresh, symbol)
                except Exception:
                    log.exception("volatility of %s failed", symbol)
                    continue
                if updated is not None:
                    self._publish(updated)

    def refresh(self, symbol: str) -> VolatilityForecast | None:
        """Recompute one symbol as of now; return the new version, or None if nothing changed."""
        with self._refresh_lock:
            return self._refresh(symbol)

    def _estimate(self, symbol: str, as_of_ns: int) -> VolatilityEstimate | None:
        timeframes = [key.timeframe for key in self.lake.store.series() if key.symbol == symbol and key.kind == "bars"]
        if not timeframes:
            return None
        timeframe = "1d" if "1d" in timeframes else min(timeframes, key=timeframe_ms)
        bars = self.lake.query_bars(symbol, timeframe, None, None, as_of_ns)
        return forecast(daily_closes(bars.open_time_ms, bars.close, timeframe_ms(timeframe)), self.parameters)

    def forecasts_as_of(self, symbols: list[str], as_of_ns: int) -> list[VolatilityForecast]:
        """Point-in-time forecasts from what the lake knew at `as_of_ns` (version 0: not broadcast)."""
        names = symbols or sorted({key.symbol for key in self.lake.store.series() if key.kind == "bars"})
        result = []
        for symbol in names:
            estimate = self._estimate(symbol, as_of_ns)
            if estimate is None:
                if symbols:
                    raise NotFound(f"no volatility forecast for {symbol} as of that time (too few daily returns)")
                continue
            result.append(VolatilityForecast(symbol, estimate, 0, as_of_ns, self.lake.now_ns()))
        return result

    def _refresh(self, symbol: str) -> VolatilityForecast | None:
        as_of = self.lake.now_ns()
        estimate = self._estimate(symbol, as_of)
        previous = self._forecasts.get(symbol)
        if estimate is None or (previous is not None and previous.estimate == estimate):
            return None
        version = previous.version + 1 if previous else 1
        result = VolatilityForecast(symbol, estimate, version, as_of, self.lake.now_ns())
        with self.lake.store.lock:
            self.lake.store.connection().execute(
                "INSERT INTO volatility_forecasts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    symbol,
                    version,
                    result.compute_ns,
                    as_of,
                    estimate.last_close_day_ms,
                    estimate.annualized,
                    estimate.ewma_annualized,
                    estimate.long_run_annualized,
                    estimate.observation_count,
                    estimate.floored,
                ],
            )
        self._forecasts[symbol] = result
        return result

    def forecasts(self, symbols: list[str]) -> list[VolatilityForecast]:
        if not symbols:
            return [self._forecasts[s] for s in sorted(self._forecasts)]
        missing = [s for s in symbols if s not in self._forecasts]
        if missing:
            raise NotFound(f"no volatility forecast for {', '.join(missing)} (too few daily returns or no data)")
        return [self._forecasts[s] for s in symbols]

    def _publish(self, update: VolatilityForecast) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(update)

    async def subscribe(self, symbols: list[str], send_current: bool) -> AsyncIterator[VolatilityForecast]:
        """Yield forecasts as they are published (after the current ones if asked), until cancelled."""
        wanted = set(symbols)
        queue: asyncio.Queue[VolatilityForecast] = asyncio.Queue()
        self._subscribers.add(queue)
        sent: dict[str, int] = {}
        try:
            if send_current:
                for current in self.forecasts([]):
                    if not wanted or current.symbol in wanted:
                        sent[current.symbol] = current.version
                        yield current
            while True:
                update = await queue.get()
                # A version published while the current ones were being sent is already out.
                if (not wanted or update.symbol in wanted) and update.version > sent.get(update.symbol, 0):
                    sent[update.symbol] = update.version
                    yield update
        finally:
            self._subscribers.discard(queue)
