"""Runs a strategy on its own thread and assembles the pod's Status from its state.

The runtime is transport-neutral: the gRPC servicer calls `status`, `configure` and `halt`
from the event loop thread; the strategy runs on a daemon thread and only touches shared
state through short critical sections, so a stuck strategy never blocks a halt.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from slipstream.core.clock import Clock, SystemClock
from slipstream.core.errors import InvalidArgument, OrderRejected
from slipstream.core.model import (
    HaltCommand,
    HaltOutcome,
    Health,
    OpenOrder,
    OrderSide,
    PodConfig,
    PodStatus,
    TradingState,
    validate_pod_id,
)
from slipstream.pod.account import Fill, PaperAccount
from slipstream.pod.control import PodControl
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.strategy import PodContext, Strategy
from slipstream.pod.volatility import VolatilityFeed

log = logging.getLogger(__name__)

# A strategy whose last completed tick is older than this many tick intervals is DEGRADED.
STALE_AFTER_TICKS = 5
_UNHEALTHY_ERRORS_IN_A_ROW = 3


class PodRuntime:
    def __init__(
        self,
        pod_id: str,
        strategy: Strategy,
        market: RandomWalkMarket | GatewayMarket,
        *,
        clock: Clock | None = None,
        account: PaperAccount | GatewayBook | None = None,
        language: str = "python",
        volatility: VolatilityFeed | None = None,
    ) -> None:
        self.pod_id = validate_pod_id(pod_id)
        self.strategy = strategy
        self.market = market
        self.clock = clock or SystemClock()
        self.control = PodControl(self.clock)
        self.account: PaperAccount | GatewayBook = account or PaperAccount()
        self.language = language
        self.volatility_feed = volatility
        self.context = PodContext(self)
        self._lock = threading.Lock()
        self._marks = market.marks()
        self._started = self.clock.monotonic()
        self._last_tick: float | None = None
        self._errors_in_a_row = 0
        self._state_version = 0
        self._order_ids = itertools.count(1)
        self._hooks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.volatility_feed is not None:
            self.volatility_feed.start()
        self._thread = threading.Thread(target=self._run, name=f"strategy-{self.pod_id}", daemon=True)
        self._thread.start()

    def stop(self, timeout_seconds: float = 2.0) -> None:
        self._stop.set()
        if self.volatility_feed is not None:
            self.volatility_feed.stop()
        if self._thread is not None:
            self._thread.join(timeout_seconds)

    def volatility(self, symbol: str) -> float | None:
        return self.volatility_feed.annualized(symbol) if self.volatility_feed is not None else None

    @property
    def state_version(self) -> int:
        """A counter that moves whenever anything reported in Status (but time) changes."""
        return self._state_version

    def _changed(self) -> None:
        with self._lock:
            self._state_version += 1

    def mark(self, symbol: str) -> Decimal:
        with self._lock:
            if symbol not in self._marks:
                raise InvalidArgument("symbol", f"{symbol!r} is not traded by this pod")
            return self._marks[symbol]

    def position(self, symbol: str) -> Decimal:
        with self._lock:
            return self.account.position(symbol)

    def place_order(
        self, symbol: str, side: OrderSide, quantity: Decimal, limit_price: Decimal | None = None
    ) -> Fill | None:
        """Check the order against state and limits, then fill it (market) or rest it (limit)."""
        if quantity <= 0:
            raise InvalidArgument("quantity", f"must be > 0, got {quantity}")
        with self._lock:
            price = self._marks[symbol]
            self.control.check_order(
                symbol, quantity * side.sign, price, self.account.position(symbol), self.account.gross_usd(self._marks)
            )
            order_id = f"{self.pod_id}-{next(self._order_ids)}"
            self._state_version += 1
        # Outside the lock: a remote book's call may take a while, and Status and Halt must not wait
        # for it (only the strategy thread places orders, so the check above cannot go stale here).
        order = OpenOrder(order_id, symbol, side, quantity, quantity, limit_price, self.clock.now())
        try:
            if limit_price is None:
                return self.account.fill_market(order_id, symbol, side, quantity, price)
            self.account.rest_limit(order)
            return None
        finally:
            self._changed()

    def order_target(self, symbol: str, target: Decimal) -> Fill | None:
        """Move towards `target` as far as state and limits allow; None when nothing can be done."""
        with self._lock:
            current = self.account.position(symbol)
            price = self._marks[symbol]
            limits = self.control.config.limits
            state = self.control.trading_state
            if state is TradingState.HALTED:
                return None
            if state is TradingState.REDUCE_ONLY:
                target = max(min(target, max(current, Decimal(0))), min(current, Decimal(0)))
            symbol_limit = limits.for_symbol(symbol)
            if symbol_limit is not None:
                caps = [symbol_limit.max_position_quantity]
                if symbol_limit.max_position_notional_usd is not None and price > 0:
                    caps.append(symbol_limit.max_position_notional_usd / price)
                for cap in caps:
                    if cap is not None and abs(target) > cap:
                        target = cap if target > 0 else -cap
            if limits.max_gross_notional_usd is not None and price > 0:
                other = self.account.gross_usd(self._marks) - abs(current) * price
                room = max(limits.max_gross_notional_usd - other, Decimal(0)) / price
                if abs(target) > room and abs(target) > abs(current):
                    target = max(room, abs(current)) * (1 if target > 0 else -1)
            delta = (target - current).quantize(Decimal("0.00000001"))
        if delta == 0:
            return None
        return self.place_order(symbol, OrderSide.BUY if delta > 0 else OrderSide.SELL, abs(delta))

    def cancel_all(self) -> int:
        try:
            return self.account.cancel_all()
        finally:
            self._changed()

    def configure(self, config: PodConfig) -> tuple[PodConfig, bool]:
        applied_config, applied = self.control.configure(config)
        self._changed()
        if applied:
            self._hooks.put(lambda: self.strategy.on_configure(self.context, applied_config))
        return applied_config, applied

    def halt(self, command: HaltCommand) -> HaltOutcome:
        """Block trading at once; cancel open orders without ever making the halt wait on a venue.

        A local book cancels instantly. A remote one (the gateway) is asked on a thread of its
        own, so a slow or unreachable gateway cannot delay or fail the halt; the count is then the
        orders whose cancellation was requested (the gateway also refuses a halted pod's orders).
        """
        outcome = self.control.halt(command)
        self._changed()
        cancelled = 0
        if command.cancel_open_orders:
            if self.account.remote:
                cancelled = len(self.account.open_orders)
                threading.Thread(target=self._cancel_quietly, name=f"cancel-{self.pod_id}", daemon=True).start()
            else:
                cancelled = self.cancel_all()
        halt_state = self.control.halt_state
        if not outcome.already_halted and halt_state is not None:
            self._hooks.put(lambda: self.strategy.on_halt(self.context, halt_state))
        return HaltOutcome(outcome.already_halted, cancelled, outcome.halt_time)

    def _cancel_quietly(self) -> None:
        try:
            self.cancel_all()
        except Exception:
            log.exception("pod %s: cancelling open orders after a halt failed", self.pod_id)

    def health(self) -> Health:
        """UNKNOWN until the first tick completes; DEGRADED when the strategy has not completed a
        tick for too long (stuck or starved), even before its first one; UNHEALTHY on repeated errors."""
        with self._lock:
            last_tick, errors = self._last_tick, self._errors_in_a_row
        stale_after = STALE_AFTER_TICKS * self.strategy.tick_interval_seconds + 1.0
        if self.clock.monotonic() - (last_tick if last_tick is not None else self._started) > stale_after:
            return Health.DEGRADED
        if last_tick is None:
            return Health.UNKNOWN
        if errors >= _UNHEALTHY_ERRORS_IN_A_ROW:
            return Health.UNHEALTHY
        return Health.HEALTHY

    def uptime(self) -> timedelta:
        return timedelta(seconds=self.clock.monotonic() - self._started)

    def status(self) -> PodStatus:
        health = self.health()
        config = self.control.config
        halt = self.control.halt_state
        state = self.control.trading_state
        with self._lock:
            positions = self.account.positions(self._marks)
            open_orders = self.account.open_orders
            realized = self.account.realized_pnl_usd
        unrealized = sum((p.unrealized_pnl_usd for p in positions), Decimal(0))
        return PodStatus(
            pod_id=self.pod_id,
            trading_state=state,
            health=health,
            positions=positions,
            open_orders=open_orders,
            realized_pnl_usd=realized,
            config=config,
            execution_intent=self.strategy.execution_intent,
            uptime=self.uptime(),
            report_time=self.clock.now(),
            language=self.language,
            net_exposure_usd=sum((p.notional_usd for p in positions), Decimal(0)),
            gross_exposure_usd=sum((abs(p.notional_usd) for p in positions), Decimal(0)),
            unrealized_pnl_usd=unrealized,
            nav_usd=config.limits.capital_allocation_usd + realized + unrealized,
            halt=halt,
        )

    def tick(self) -> None:
        """Advance the market one step, fill crossed orders, run hooks and one strategy tick."""
        marks = self.market.step()
        with self._lock:
            self._state_version += 1
            self._marks = marks
        for symbol, price in marks.items():
            self.account.on_mark(symbol, price)
        self._changed()
        while not self._hooks.empty():
            self._hooks.get_nowait()()
        if self.control.trading_state is not TradingState.HALTED:
            self.strategy.on_tick(self.context)

    def _run(self) -> None:
        try:
            self.strategy.on_start(self.context)
        except Exception:
            log.exception("pod %s: on_start failed", self.pod_id)
        while not self._stop.is_set():
            self.step()
            self._stop.wait(self.strategy.tick_interval_seconds)

    def step(self) -> None:
        """One tick with the bookkeeping health is judged on: a refused order is the strategy's
        business, an exception counts against its health. A replay calls this on its own clock."""
        try:
            self.tick()
            errors = 0
        except OrderRejected as rejected:
            log.info("pod %s: order rejected: %s", self.pod_id, rejected)
            errors = 0
        except Exception:
            log.exception("pod %s: tick failed", self.pod_id)
            with self._lock:
                errors = self._errors_in_a_row + 1
        with self._lock:
            self._errors_in_a_row = errors
            self._last_tick = self.clock.monotonic()
