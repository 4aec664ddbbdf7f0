"""The gateway's behaviour: idempotent submission, pre-trade checks, venue routing, durable
records, positions from fills and each pod's resumable execution feed.

Ordering guarantees: per pod, submissions and cancels are serialised; every state change
(order, fills, feed event) is one all-or-nothing unit, committed (in a group with the changes
around it) before it is answered or published, so the feed a client reads after a crash is
exactly what was acknowledged before it.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from slipstream.core.clock import Clock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable
from slipstream.core.model import OrderSide
from slipstream.core.positions import Holding
from slipstream.gateway import convert
from slipstream.gateway.groupcommit import GroupCommit
from slipstream.gateway.model import Fill, Order, OrderRequest, OrderStatus, Position, RejectReason
from slipstream.gateway.risk import PodControl, RestingOrder, RiskContext, RiskSettings, check
from slipstream.gateway.store import GatewayStore
from slipstream.gateway.venues.base import Venue, VenueReport

log = logging.getLogger(__name__)

ControlSource = Callable[[str], PodControl | None]
FEED_PAGE = 1000
MAX_ORDER_LIST = 100


class Placed(NamedTuple):
    """The answer to a submission: the order, whether the client order id was already known
    (then it is the original order), and the order as recorded (its encoded message), which an
    answer can carry without encoding it again."""

    order: Order
    duplicate: bool
    record: bytes


class Gateway:
    def __init__(
        self,
        store: GatewayStore,
        venues: Mapping[str, Venue],
        pod_accounts: Mapping[str, str],
        risk: RiskSettings,
        controls: ControlSource,
        clock: Clock,
    ) -> None:
        self.store = store
        self.venues = dict(venues)
        self.pod_accounts = dict(pod_accounts)
        self.risk = risk
        self.controls = controls
        self.clock = clock
        self._group = GroupCommit(store, clock)
        self._locks: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)
        self._recent: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._subscribers: dict[str, set[asyncio.Queue[int]]] = collections.defaultdict(set)
        self._open: dict[str, Order] = {}
        # The same open orders by book (account, symbol): an order's checks look at its own book only.
        self._books: dict[tuple[str, str], dict[str, Order]] = collections.defaultdict(dict)
        for order in store.open_orders():
            self._track(order)
        self._holdings: dict[str, dict[str, Holding]] = collections.defaultdict(dict)
        self._last_fill: dict[tuple[str, str], datetime] = {}
        booked: dict[str, set[str]] = collections.defaultdict(set)
        for fill in store.fills(None):
            self._book_fill(fill)
            if fill.order_id in self._open:
                booked[fill.order_id].add(fill.exchange_trade_id)
        for venue in self.venues.values():
            venue.set_listener(self._on_venue_report)
        # Orders an earlier process left open (caught in flight by a crash, or working) are
        # followed again at their exchange, so they settle and their fills are booked.
        for order in self._open.values():
            if (account_venue := self.venues.get(order.account)) is not None and account_venue.external:
                account_venue.resume(order, frozenset(booked[order.order_id]))

    def _book_fill(self, fill: Fill) -> None:
        self._holding(fill.pod_id, fill.symbol).apply(fill.side, fill.quantity, fill.price, fill.fee_usd)
        self._last_fill[(fill.pod_id, fill.symbol)] = fill.fill_time

    def _holding(self, pod_id: str, symbol: str) -> Holding:
        return self._holdings[pod_id].setdefault(symbol, Holding())

    def _track(self, order: Order) -> None:
        """Keep the open-order indexes up to date with an order's latest state."""
        book = self._books[(order.account, order.request.symbol)]
        if order.status.is_open:
            self._open[order.order_id] = book[order.order_id] = order
        else:
            self._open.pop(order.order_id, None)
            book.pop(order.order_id, None)

    def _account(self, pod_id: str) -> str:
        account = self.pod_accounts.get(pod_id)
        if account is None:
            raise NotFound(f"pod {pod_id!r} has no trading account at this gateway")
        return account

    def _context(self, pod_id: str, request: OrderRequest, venue: Venue) -> RiskContext:
        now = self.clock.monotonic()
        recent = self._recent[pod_id]
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        book = self._books[(self.pod_accounts[pod_id], request.symbol)].values()
        working = [o for o in book if o.pod_id == pod_id]
        holdings = self._holdings[pod_id]
        gross_other = Decimal(0)
        for symbol, holding in holdings.items():
            if symbol != request.symbol and (price := venue.reference_price(symbol)) is not None:
                gross_other += abs(holding.quantity) * price
        control = self.controls(pod_id)
        since = control.unreachable_since if control is not None else None
        return RiskContext(
            pod_id=pod_id,
            control=control,
            reference_price=venue.reference_price(request.symbol),
            position=held.quantity if (held := holdings.get(request.symbol)) else Decimal(0),
            working_buy=sum((o.remaining for o in working if o.request.side is OrderSide.BUY), Decimal(0)),
            working_sell=sum((o.remaining for o in working if o.request.side is OrderSide.SELL), Decimal(0)),
            gross_other_symbols_usd=gross_other,
            orders_last_second=len(recent),
            resting_on_account=tuple(
                RestingOrder(o.pod_id, o.request.side, o.request.limit_price, o.remaining)
                for o in book
                if o.pod_id != pod_id and o.request.side is not request.side and o.request.limit_price is not None
            ),
            unreachable_for_s=None if since is None else now - since,
            venue_problem=venue.unavailable(),
        )

    async def submit(self, pod_id: str, request: OrderRequest) -> Placed:
        """Check, record and route one order; a known client order id returns the original.
        Returns once the answer is durable."""
        now = self.clock.now()
        request.validate(now)
        account = self._account(pod_id)
        async with self._locks[pod_id]:
            answer = await self._submit(pod_id, account, request, now)
        await self._group.durable()
        return answer

    async def submit_list(self, pod_id: str, requests: list[OrderRequest]) -> list[Placed]:
        """Check the whole list, then place each order in turn; returns once every answer is durable.

        One malformed order places none (InvalidArgument names `orders[i]`); after that each order
        is checked and answered on its own, as if submitted alone, under one hold of the pod's lock.
        """
        if not 1 <= len(requests) <= MAX_ORDER_LIST:
            raise InvalidArgument("orders", f"must hold 1 to {MAX_ORDER_LIST} orders, got {len(requests)}")
        now = self.clock.now()
        seen: set[str] = set()
        for index, request in enumerate(requests):
            try:
                request.validate(now)
            except InvalidArgument as error:
                raise InvalidArgument(f"orders[{index}].{error.field}", error.problem) from None
            if request.client_order_id in seen:
                raise InvalidArgument(f"orders[{index}].client_order_id", "repeats an earlier order of the list")
            seen.add(request.client_order_id)
        account = self._account(pod_id)
        async with self._locks[pod_id]:
            answers = [await self._submit(pod_id, account, request, now) for request in requests]
        await self._group.durable()
        return answers

    async def _submit(self, pod_id: str, account: str, request: OrderRequest, now: datetime) -> Placed:
        venue = self.venues[account]
        known = self.store.record_by_client_id(pod_id, request.client_order_id)
        if known is not None:
            existing = convert.order_from_record(known)
            if existing.request != request:
                log.info("pod %s reused client order id %s with other content", pod_id, request.client_order_id)
            return Placed(existing, True, known)
        context = self._context(pod_id, request, venue)
        self._recent[pod_id].append(self.clock.monotonic())
        verdict = check(request, context, self.risk)
        order = Order(
            pod_id=pod_id,
            order_id=f"{account}-{self.store.next_id('order')}",
            account=account,
            request=request,
            status=OrderStatus.REJECTED if verdict else OrderStatus.PENDING,
            exchange_order_id="",
            filled_quantity=Decimal(0),
            average_fill_price=None,
            fees_usd=Decimal(0),
            reject_reason=verdict[0] if verdict else None,
            reject_message=verdict[1] if verdict else "",
            reference_price=context.reference_price,
            create_time=now,
            update_time=now,
        )
        if verdict is not None:
            return Placed(order, False, self._commit(order, [])[1])
        # Write ahead only where a crash could leave an order at the venue that we must find
        # again; an in-process venue's orders die with the process, so one commit suffices.
        if venue.external:
            record = self._commit(order, [])[1]
            await self._group.durable()
        self._track(order)
        try:
            report = await venue.submit(order)
        except Exception as error:
            if not venue.external:
                raise
            # The order may or may not be at the exchange: it stays PENDING (recorded), the
            # venue keeps looking for it by client order id, and the feed tells the outcome.
            if isinstance(error, Unavailable):
                log.warning("pod %s order %s: %s; reconciling", pod_id, order.order_id, error)
            else:
                log.exception("pod %s order %s: venue failed; reconciling", pod_id, order.order_id)
            return Placed(order, False, record)
        return self._apply(order.order_id, report, None if venue.external else order)

    async def cancel(self, pod_id: str, client_order_id: str) -> Order:
        """Cancel one open order (a closed one is returned as it is); returns once durable."""
        async with self._locks[pod_id]:
            order = self.store.order_by_client_id(pod_id, client_order_id)
            if order is None:
                raise NotFound(f"no order {client_order_id!r} for pod {pod_id!r}")
            if order.status.is_open:
                report = await self.venues[order.account].cancel(order)
                order = self._apply(order.order_id, report).order
        await self._group.durable()
        return order

    async def cancel_all(self, pod_id: str) -> list[Order]:
        self._account(pod_id)
        cancelled = []
        for order in [o for o in self._open.values() if o.pod_id == pod_id]:
            cancelled.append(await self.cancel(pod_id, order.request.client_order_id))
        return cancelled

    def _on_venue_report(self, order_id: str, report: VenueReport) -> None:
        self._apply(order_id, report)

    def _apply(self, order_id: str, report: VenueReport, unrecorded: Order | None = None) -> Placed:
        """Book a venue report (new fills, new status) on an order, durably, then publish it;
        `unrecorded` is the order's first state when it has not been committed yet."""
        order = self._open.get(order_id) or self.store.order(order_id)
        if order is None:
            raise NotFound(f"unknown order {order_id}")
        fills = []
        filled, cost, fees = (
            order.filled_quantity,
            (order.average_fill_price or Decimal(0)) * order.filled_quantity,
            order.fees_usd,
        )
        for venue_fill in report.fills:
            fill = Fill(
                pod_id=order.pod_id,
                fill_id=f"{order.account}-f{self.store.next_id('fill')}",
                order_id=order.order_id,
                client_order_id=order.request.client_order_id,
                exchange_trade_id=venue_fill.exchange_trade_id,
                symbol=order.request.symbol,
                side=order.request.side,
                quantity=venue_fill.quantity,
                price=venue_fill.price,
                fee_usd=venue_fill.fee_usd,
                liquidity=venue_fill.liquidity,
                fill_time=venue_fill.fill_time,
            )
            fills.append(fill)
            filled += fill.quantity
            cost += fill.quantity * fill.price
            fees += fill.fee_usd
        status = report.status
        updated = replace(
            order,
            status=status,
            exchange_order_id=report.exchange_order_id or order.exchange_order_id,
            filled_quantity=filled,
            average_fill_price=(cost / filled) if filled else None,
            fees_usd=fees,
            reject_reason=RejectReason.VENUE if status is OrderStatus.REJECTED else order.reject_reason,
            reject_message=report.reject_message or order.reject_message,
            update_time=self.clock.now(),
        )
        booked, record = self._commit(updated, fills, unrecorded)
        for fill in booked:
            self._book_fill(fill)
        self._track(updated)
        return Placed(updated, False, record)

    def _commit(self, order: Order, fills: list[Fill], unrecorded: Order | None = None) -> tuple[list[Fill], bytes]:
        """Store the order's new state, its new fills and their feed events in one transaction
        (after the `unrecorded` first state's event, when there is one); returns the fills
        booked (a venue trade already booked is not booked again) and the order's record."""
        first = convert.order_to_pb(unrecorded) if unrecorded is not None else None
        message = convert.order_state_to_pb(first, order) if first is not None else convert.order_to_pb(order)
        record = message.SerializeToString(deterministic=True)
        events = [("order", first.SerializeToString(deterministic=True))] if first is not None else []
        with self.store.unit():
            booked = []
            for fill in fills:
                blob = convert.fill_to_pb(fill).SerializeToString(deterministic=True)
                if self.store.add_fill(fill, blob):
                    booked.append(fill)
                    events.append(("fill", blob))
            self.store.put_order(order, record)
            events.append(("order", record))
            sequence = self.store.append_events(order.pod_id, events)
        self._group.added(lambda: self._publish(order.pod_id, sequence))
        return booked, record

    def _publish(self, pod_id: str, sequence: int) -> None:
        for queue in self._subscribers[pod_id]:
            queue.put_nowait(sequence)

    def flush(self) -> None:
        """Commit what is pending now (at shutdown)."""
        self._group.flush()

    def get(self, pod_id: str, client_order_id: str) -> Order:
        order = self.store.order_by_client_id(pod_id, client_order_id)
        if order is None:
            raise NotFound(f"no order {client_order_id!r} for pod {pod_id!r}")
        return order

    def orders(self, pod_id: str, open_only: bool, max_count: int) -> list[Order]:
        if not 0 <= max_count <= 10_000:
            raise InvalidArgument("max_count", "must be between 0 and 10000")
        return self.store.orders(pod_id, open_only, max_count or 1000)

    def fills(self, pod_id: str, max_count: int) -> list[Fill]:
        if not 0 <= max_count <= 100_000:
            raise InvalidArgument("max_count", "must be between 0 and 100000")
        return self.store.fills(pod_id, max_count or 1000)

    def prices(self, pod_id: str, symbols: list[str]) -> dict[str, Decimal]:
        """Reference prices on the pod's account (all its symbols when none are named)."""
        venue = self.venues[self._account(pod_id)]
        names = symbols or venue.symbols()
        return {s: price for s in names if (price := venue.reference_price(s)) is not None}

    def venue_positions(self, account: str) -> dict[str, Decimal]:
        """An in-process venue's own ledger for `account` (the auditor's exchange view of paper)."""
        venue = self.venues.get(account)
        if venue is None:
            raise NotFound(f"no account {account!r} at this gateway")
        if venue.external:
            raise FailedPrecondition(f"account {account!r} is at an exchange: read its positions there")
        return venue.positions()  # type: ignore[attr-defined,no-any-return]

    def positions(self, pod_id: str) -> list[Position]:
        return [
            Position(
                symbol,
                h.quantity,
                h.average_entry_price,
                h.realized_pnl_usd,
                h.fees_usd,
                self._last_fill.get((pod_id, symbol)),
            )
            for symbol, h in sorted(self._holdings.get(pod_id, {}).items())
        ]

    async def executions(self, pod_id: str, after_sequence: int) -> AsyncIterator[tuple[int, str, bytes]]:
        """Every feed event (sequence, "order" or "fill", its encoded message) after
        `after_sequence`: the durable backlog, then live, without gaps or repeats."""
        if after_sequence < 0:
            raise InvalidArgument("after_sequence", "must be >= 0")
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._subscribers[pod_id].add(queue)
        try:
            sent = after_sequence
            while True:
                page = self.store.events_after(pod_id, sent, FEED_PAGE)
                for sequence, kind, blob in page:
                    yield sequence, kind, blob
                    sent = sequence
                if len(page) == FEED_PAGE:
                    continue
                while (await queue.get()) <= sent:
                    pass
        finally:
            self._subscribers[pod_id].discard(queue)
