"""A pod's book when it trades through the execution gateway instead of a local paper account.

Orders go to the gateway (which checks, routes and records them); positions are rebuilt here
from what the gateway reports filled, order by order, so the pod's Status shows what it really
holds. Prices come from the gateway too, so a pod decides at the prices it will trade at.
"""

from __future__ import annotations

import itertools
import threading
import time
from decimal import Decimal

import grpc
from slipstream_api.v1 import gateway_pb2, gateway_pb2_grpc

from slipstream.core.clock import Clock, SystemClock
from slipstream.core.decimals import format_decimal
from slipstream.core.errors import OrderRejected
from slipstream.core.model import OpenOrder, OrderSide, Position
from slipstream.core.positions import Holding
from slipstream.pod.account import Fill
from slipstream.transport import auth, convert
from slipstream.transport.tls import ClientTls, open_channel

_OPEN = (gateway_pb2.ORDER_STATUS_PENDING, gateway_pb2.ORDER_STATUS_OPEN, gateway_pb2.ORDER_STATUS_PARTIALLY_FILLED)


class GatewayMarket:
    """Marks from the gateway's reference prices (the runtime's market interface)."""

    def __init__(self, address: str, token: str, symbols: tuple[str, ...], tls: ClientTls | None = None) -> None:
        self._stub = gateway_pb2_grpc.GatewayServiceStub(open_channel(address, tls))
        self._metadata = auth.bearer_metadata(token)
        self._symbols = list(symbols)
        self._marks: dict[str, Decimal] = {}

    def step(self) -> dict[str, Decimal]:
        answer = self._stub.ListPrices(
            gateway_pb2.ListPricesRequest(symbols=self._symbols), metadata=self._metadata, timeout=2
        )
        self._marks = {p.symbol: Decimal(p.price) for p in answer.prices}
        return self.marks()

    def marks(self) -> dict[str, Decimal]:
        return dict(self._marks)


class GatewayBook:
    """The runtime's account interface, backed by the gateway."""

    remote = True  # calls cross the network: never make a halt wait on them

    def __init__(self, address: str, token: str, clock: Clock | None = None, tls: ClientTls | None = None) -> None:
        self._stub = gateway_pb2_grpc.GatewayServiceStub(open_channel(address, tls))
        self._metadata = auth.bearer_metadata(token)
        self._clock = clock or SystemClock()
        self._holdings: dict[str, Holding] = {}
        self._booked: dict[str, tuple[Decimal, Decimal, Decimal]] = {}  # order -> filled, cost, fees
        self._open: dict[str, gateway_pb2.Order] = {}
        # Client order ids must be unique per pod across restarts: prefix them with the start time.
        self._ids = itertools.count(1)
        self._prefix = format(int(time.time() * 1000), "x")
        self.realized_pnl_usd = Decimal(0)
        self.fills: list[Fill] = []
        # Guards the book (not the network calls): Status reads it while the strategy trades.
        self._lock = threading.RLock()

    def position(self, symbol: str) -> Decimal:
        with self._lock:
            holding = self._holdings.get(symbol)
            return holding.quantity if holding else Decimal(0)

    def positions(self, marks: dict[str, Decimal]) -> tuple[Position, ...]:
        with self._lock:
            return tuple(
                Position.marked(symbol, h.quantity, marks[symbol], h.average_entry_price)
                for symbol, h in sorted(self._holdings.items())
                if h.quantity != 0 and symbol in marks
            )

    def gross_usd(self, marks: dict[str, Decimal]) -> Decimal:
        with self._lock:
            return sum((abs(h.quantity) * marks.get(s, Decimal(0)) for s, h in self._holdings.items()), Decimal(0))

    @property
    def open_orders(self) -> tuple[OpenOrder, ...]:
        with self._lock:
            orders = list(self._open.values())
        return tuple(
            OpenOrder(
                o.client_order_id,
                o.symbol,
                convert.side_from_pb(o.side, "side"),
                Decimal(o.quantity),
                Decimal(o.quantity) - Decimal(o.filled_quantity or "0"),
                Decimal(o.limit_price) if o.limit_price else None,
                convert.timestamp_from_pb(o.create_time),
            )
            for o in orders
        )

    def _submit(
        self, symbol: str, side: OrderSide, quantity: Decimal, price: Decimal, limit: Decimal | None
    ) -> gateway_pb2.Order:
        request = gateway_pb2.SubmitOrderRequest(
            client_order_id=f"{self._prefix}-{next(self._ids)}",
            symbol=symbol,
            side=convert.side_to_pb(side),
            type=gateway_pb2.ORDER_TYPE_LIMIT if limit is not None else gateway_pb2.ORDER_TYPE_MARKET,
            quantity=format_decimal(quantity),
            limit_price=format_decimal(limit),
            decision_price=format_decimal(price),
            decision_time=convert.timestamp_to_pb(self._clock.now()),
        )
        try:
            order = self._stub.SubmitOrder(request, metadata=self._metadata, timeout=5).order
        except grpc.RpcError as error:
            if error.code() not in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE):
                raise
            # The answer was lost, not necessarily the order: look it up by its client order id.
            lookup = gateway_pb2.GetOrderRequest(client_order_id=request.client_order_id)
            try:
                order = self._stub.GetOrder(lookup, metadata=self._metadata, timeout=5).order
            except grpc.RpcError:
                raise error from None
        if order.status == gateway_pb2.ORDER_STATUS_REJECTED:
            reason = gateway_pb2.RejectReason.Name(order.reject_reason)
            raise OrderRejected(f"gateway refused {order.client_order_id}: {reason}: {order.reject_message}")
        self._book(order)
        return order

    def _book(self, order: gateway_pb2.Order) -> Fill | None:
        """Apply what is newly filled on `order` (exact: from its cumulative quantity, cost and fees)."""
        with self._lock:
            return self._book_locked(order)

    def _book_locked(self, order: gateway_pb2.Order) -> Fill | None:
        filled = Decimal(order.filled_quantity or "0")
        cost = filled * Decimal(order.average_fill_price) if order.average_fill_price else Decimal(0)
        fees = Decimal(order.fees_usd or "0")
        before_filled, before_cost, before_fees = self._booked.get(order.order_id, (Decimal(0),) * 3)
        if order.status in _OPEN:
            self._open[order.order_id] = order
        else:
            self._open.pop(order.order_id, None)
        if filled == before_filled:
            return None
        self._booked[order.order_id] = (filled, cost, fees)
        quantity, price = filled - before_filled, (cost - before_cost) / (filled - before_filled)
        side = convert.side_from_pb(order.side, "side")
        holding = self._holdings.setdefault(order.symbol, Holding())
        self.realized_pnl_usd += holding.apply(side, quantity, price) - (fees - before_fees)
        fill = Fill(
            order.client_order_id,
            order.symbol,
            side,
            quantity,
            price,
            fees - before_fees,
            maker=order.type == gateway_pb2.ORDER_TYPE_LIMIT,
        )
        self.fills.append(fill)
        return fill

    def fill_market(
        self, client_order_id: str, symbol: str, side: OrderSide, quantity: Decimal, price: Decimal
    ) -> Fill:
        order = self._submit(symbol, side, quantity, price, None)
        return Fill(
            order.client_order_id,
            symbol,
            side,
            Decimal(order.filled_quantity or "0"),
            Decimal(order.average_fill_price or price),
            Decimal(order.fees_usd or "0"),
            maker=False,
        )

    def rest_limit(self, order: OpenOrder) -> None:
        assert order.limit_price is not None
        self._submit(order.symbol, order.side, order.quantity, order.limit_price, order.limit_price)

    def cancel_all(self) -> int:
        answer = self._stub.CancelAllOrders(gateway_pb2.CancelAllOrdersRequest(), metadata=self._metadata, timeout=5)
        for order in answer.orders:
            self._book(order)
        return len(answer.orders)

    def on_mark(self, symbol: str, price: Decimal) -> list[Fill]:
        """Collect fills of this symbol's working orders (they fill at the gateway as prices move)."""
        fills = []
        with self._lock:
            working = [o for o in self._open.values() if o.symbol == symbol]
        for order in working:
            current = self._stub.GetOrder(
                gateway_pb2.GetOrderRequest(client_order_id=order.client_order_id), metadata=self._metadata, timeout=5
            ).order
            fill = self._book(current)
            if fill is not None:
                fills.append(fill)
        return fills
