"""A pod's trading state machine: configuration versions, halts and pre-trade limit checks.

Thread-safe: the gRPC handlers and the strategy thread both call it. The kill switch never
waits for the strategy, so a busy or stuck strategy cannot delay a halt.
"""

from __future__ import annotations

import threading
from decimal import Decimal

from slipstream.core.clock import Clock
from slipstream.core.errors import InvalidArgument, OrderRejected
from slipstream.core.model import HaltCommand, HaltOutcome, HaltReason, HaltState, PodConfig, TradingState

# An unconfigured pod may only reduce: it trades only once the centre has granted limits.
INITIAL_CONFIG = PodConfig(config_version=0, trading_state=TradingState.REDUCE_ONLY)


class PodControl:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._config = INITIAL_CONFIG
        self._halt: HaltState | None = None
        self._halt_version = 0

    @property
    def config(self) -> PodConfig:
        with self._lock:
            return self._config

    @property
    def halt_state(self) -> HaltState | None:
        with self._lock:
            return self._halt

    @property
    def trading_state(self) -> TradingState:
        with self._lock:
            return TradingState.HALTED if self._halt is not None else self._config.trading_state

    def configure(self, config: PodConfig) -> tuple[PodConfig, bool]:
        """Apply a validated config; return it and whether anything changed.

        A lower version is stale; the same version is accepted again only with identical
        content, so a retried push is harmless and a conflicting one is refused.
        """
        config.validate()
        with self._lock:
            current = self._config.config_version
            if config.config_version < current:
                raise InvalidArgument(
                    "config.config_version",
                    f"stale: version {config.config_version} is older than version {current} in force",
                )
            if config.config_version < self._halt_version:
                raise InvalidArgument(
                    "config.config_version",
                    f"stale: version {config.config_version} predates the halt at version {self._halt_version}",
                )
            if config.config_version == current:
                if config == self._config:
                    return self._config, False
                raise InvalidArgument(
                    "config.config_version",
                    f"version {current} is already in force with different content; send a higher version",
                )
            self._config = config
            if config.trading_state is TradingState.HALTED:
                if self._halt is None:
                    self._halt = HaltState(
                        reason=HaltReason.MANUAL,
                        requested_by=f"config v{config.config_version}",
                        note="halted by configuration",
                        halt_time=self._clock.now(),
                    )
            else:
                self._halt = None
            return config, True

    def halt(self, command: HaltCommand) -> HaltOutcome:
        """Pull the kill switch; idempotent, the first halt's time and reason are kept."""
        command.validate()
        with self._lock:
            self._halt_version = max(self._halt_version, command.config_version)
            if self._halt is not None:
                return HaltOutcome(already_halted=True, cancelled_order_count=0, halt_time=self._halt.halt_time)
            self._halt = HaltState(
                reason=command.reason,
                requested_by=command.requested_by,
                note=command.note,
                halt_time=self._clock.now(),
            )
            return HaltOutcome(already_halted=False, cancelled_order_count=0, halt_time=self._halt.halt_time)

    def check_order(
        self,
        symbol: str,
        signed_quantity: Decimal,
        price: Decimal,
        position_before: Decimal,
        gross_before_usd: Decimal,
    ) -> None:
        """Raise OrderRejected unless the order fits the trading state and the limits in force.

        An order that reduces risk is always allowed unless the pod is halted, so shrinking
        limits never trap a pod in a position it may not leave.
        """
        state = self.trading_state
        if state is TradingState.HALTED:
            raise OrderRejected("pod is halted")
        position_after = position_before + signed_quantity
        reduces = abs(position_after) <= abs(position_before) and position_after * position_before >= 0
        if reduces:
            return
        if state is TradingState.REDUCE_ONLY:
            raise OrderRejected(f"pod is reduce-only; order would increase {symbol} exposure")
        limits = self.config.limits
        symbol_limit = limits.for_symbol(symbol)
        if symbol_limit is not None:
            cap = symbol_limit.max_position_quantity
            if cap is not None and abs(position_after) > cap:
                raise OrderRejected(f"{symbol} position {position_after} would exceed max_position_quantity {cap}")
            cap_usd = symbol_limit.max_position_notional_usd
            if cap_usd is not None and abs(position_after) * price > cap_usd:
                raise OrderRejected(f"{symbol} notional would exceed max_position_notional_usd {cap_usd}")
        gross_cap = limits.max_gross_notional_usd
        if gross_cap is not None:
            gross_after = gross_before_usd - abs(position_before) * price + abs(position_after) * price
            # A flip to a smaller opposite position lowers gross: refusing it would trap the pod
            # in the larger position when its cap shrank.
            if gross_after > gross_cap and gross_after > gross_before_usd:
                raise OrderRejected(f"gross notional {gross_after:.2f} would exceed max_gross_notional_usd {gross_cap}")
