"""One audit cycle and the auditor's state: exposure, discrepancies, alerts, halts.

Sources are injected as plain callables (exchange reads, pods' reports, the gateway's books,
prices, betas), so the audit logic is independent of gRPC and testable with fakes; the server
wires them to ccxt, the federation and the gateway. A source failing never stops the audit:
an unreadable exchange marks it stale, and a pod the auditor cannot see is reported stale.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from slipstream.auditor.reconcile import AuditPolicy, PodReport, reconcile
from slipstream.auditor.store import AuditStore
from slipstream.auditor.tracker import Discrepancy, DiscrepancyTracker
from slipstream.core.clock import Clock

log = logging.getLogger(__name__)

ExchangeReader = Callable[[], dict[str, Decimal]]
Halter = Callable[[str, str], None]


@dataclass(frozen=True)
class AuditReport:
    audit_time: datetime
    stale: bool
    stale_reason: str
    open_count: int
    halted: tuple[str, ...]
    duration_s: float


@dataclass(frozen=True)
class Exposure:
    """The unified exposure of one audit."""

    accounts: Mapping[str, Mapping[str, Decimal]]  # exchange positions by account (last good read)
    fresh: Mapping[str, bool]
    pods: tuple[PodReport, ...]
    prices: Mapping[str, Decimal]
    betas: Mapping[str, float]
    report: AuditReport

    def assets(self) -> dict[str, Decimal]:
        """Net quantity per symbol across accounts."""
        totals: dict[str, Decimal] = {}
        for positions in self.accounts.values():
            for symbol, quantity in positions.items():
                totals[symbol] = totals.get(symbol, Decimal(0)) + quantity
        return totals

    def btc_beta_adjusted_usd(self) -> Decimal:
        return sum(
            (
                q * self.prices.get(s, Decimal(0)) * Decimal(str(self.betas.get(s, 1.0)))
                for s, q in self.assets().items()
            ),
            Decimal(0),
        )


@dataclass
class AuditorSources:
    exchanges: Mapping[str, ExchangeReader]
    pod_reports: Callable[[], list[PodReport]]
    prices: Callable[[], dict[str, Decimal]]
    betas: Callable[[list[str]], dict[str, float]] = field(default=lambda symbols: {})


class Auditor:
    def __init__(
        self, sources: AuditorSources, policy: AuditPolicy, halter: Halter, store: AuditStore, clock: Clock
    ) -> None:
        self.sources = sources
        self.policy = policy
        self.halter = halter
        self.store = store
        self.clock = clock
        self.tracker = DiscrepancyTracker(policy)
        self.tracker.open = store.open()
        self.exposure: Exposure | None = None
        self._last_good: dict[str, dict[str, Decimal]] = {}
        self._subscribers: set[asyncio.Queue[tuple[str, Discrepancy | None, AuditReport]]] = set()
        self._lock = asyncio.Lock()

    async def run_audit(self) -> AuditReport:
        """Read every view, reconcile, update discrepancies, act by policy, publish alerts."""
        async with self._lock:
            started = self.clock.monotonic()
            now = self.clock.now()
            exchange: dict[str, dict[str, Decimal] | None] = {}
            for account, read in self.sources.exchanges.items():
                try:
                    exchange[account] = await asyncio.to_thread(read)
                    self._last_good[account] = dict(exchange[account] or {})
                except Exception as error:  # an unreadable exchange is a stale audit, never all clear
                    log.warning("audit: cannot read account %s: %s", account, type(error).__name__)
                    exchange[account] = None
            pods = await asyncio.to_thread(self.sources.pod_reports)
            prices = await asyncio.to_thread(self.sources.prices)
            findings, unread = reconcile(exchange, pods, prices, now, self.policy)
            changes, to_halt = self.tracker.update(findings, unread, now)
            halted = []
            for pod_id in to_halt:
                reason = next((d for _, d in changes if d.finding.pod_id == pod_id and d.halt_requested), None)
                note = f"{reason.finding.kind.value} {reason.finding.symbol}" if reason else "audit discrepancy"
                try:
                    await asyncio.to_thread(self.halter, pod_id, note)
                    halted.append(pod_id)
                except Exception as error:
                    log.error("audit: could not ask the federation to halt %s: %s", pod_id, error)
            report = AuditReport(
                audit_time=now,
                stale=bool(unread),
                stale_reason=f"cannot read exchange account(s): {', '.join(unread)}" if unread else "",
                open_count=len(self.tracker.open),
                halted=tuple(halted),
                duration_s=self.clock.monotonic() - started,
            )
            self.exposure = Exposure(
                accounts={a: self._last_good.get(a, {}) for a in self.sources.exchanges},
                fresh={a: exchange[a] is not None for a in exchange},
                pods=tuple(pods),
                prices=prices,
                betas=await asyncio.to_thread(self._betas, exchange, pods),
                report=report,
            )
            await asyncio.to_thread(self.store.record, [(c.value, d) for c, d in changes], dict(self.tracker.open))
            for change, discrepancy in changes:
                self._publish(change.value, discrepancy, report)
            if unread:
                self._publish("audit_stale", None, report)
            return report

    def _betas(self, exchange: Mapping[str, Mapping[str, Decimal] | None], pods: list[PodReport]) -> dict[str, float]:
        symbols = {s for positions in exchange.values() if positions for s in positions}
        symbols |= {s for pod in pods for s in pod.booked}
        try:
            return self.sources.betas(sorted(symbols))
        except Exception as error:  # betas only weight the summary: without them, 1
            log.warning("audit: betas unavailable: %s", type(error).__name__)
            return {}

    def open_discrepancies(self) -> list[Discrepancy]:
        return sorted(self.tracker.open.values(), key=lambda d: (-d.finding.difference_usd, d.finding.key))

    def _publish(self, kind: str, discrepancy: Discrepancy | None, report: AuditReport) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait((kind, discrepancy, report))

    async def alerts(self) -> AsyncIterator[tuple[str, Discrepancy | None, AuditReport]]:
        queue: asyncio.Queue[tuple[str, Discrepancy | None, AuditReport]] = asyncio.Queue()
        self._subscribers.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)

    async def run_forever(self, interval_s: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_audit()
            except Exception:
                log.exception("audit failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval_s)
            except TimeoutError:
                pass
