"""Group commit: one durable write for a burst of state changes instead of one per change.

A commit costs about as much as the rest of an order's bookkeeping, so committing per order
caps the gateway near a few hundred orders per second. Units of work are applied to the open
transaction at once (so reads see them) and made durable together as soon as the event loop
has a turn with nothing new, or the batch is `max_delay_s` old, or `max_units` long. Nobody is
told about a change (answer or feed) before the commit that holds it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slipstream.core.clock import Clock
from slipstream.gateway.store import GatewayStore

log = logging.getLogger(__name__)


class GroupCommit:
    def __init__(self, store: GatewayStore, clock: Clock, max_delay_s: float = 0.002, max_units: int = 512) -> None:
        self._store = store
        self._clock = clock
        self._max_delay_s = max_delay_s
        self._max_units = max_units
        self._batch: asyncio.Future[None] | None = None
        self._on_durable: list[Callable[[], None]] = []
        self._units = 0
        self._units_seen = 0
        self._opened = 0.0

    def added(self, on_durable: Callable[[], None]) -> None:
        """Note a unit just applied to the store; `on_durable` runs once it is committed."""
        self._on_durable.append(on_durable)
        self._units += 1
        if self._batch is None:
            loop = asyncio.get_running_loop()
            self._batch = loop.create_future()
            self._opened = self._clock.monotonic()
            self._units_seen = self._units
            loop.call_soon(self._tick)

    def _tick(self) -> None:
        growing = self._units != self._units_seen
        young = self._clock.monotonic() - self._opened < self._max_delay_s
        if growing and young and self._units < self._max_units:
            self._units_seen = self._units
            asyncio.get_running_loop().call_soon(self._tick)
            return
        self.flush()

    def flush(self) -> None:
        """Commit now; a failed commit fails every waiter, since their changes are not durable."""
        batch, callbacks = self._batch, self._on_durable
        self._batch, self._on_durable, self._units = None, [], 0
        try:
            self._store.commit()
        except Exception as error:
            log.critical("group commit failed; %d changes are not durable", len(callbacks), exc_info=True)
            if batch is not None:
                batch.set_exception(error)
            raise
        for callback in callbacks:
            callback()
        if batch is not None:
            batch.set_result(None)

    async def durable(self) -> None:
        """Return once every unit added so far is committed."""
        if self._batch is not None:
            await asyncio.shield(self._batch)
