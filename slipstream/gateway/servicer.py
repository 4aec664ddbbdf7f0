"""GatewayService over the Gateway core: identify the pod by its token, translate, delegate."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import grpc
from slipstream_api.v1 import gateway_pb2 as pb
from slipstream_api.v1 import gateway_pb2_grpc as pb_grpc

from slipstream.core.decimals import format_decimal
from slipstream.core.errors import InvalidArgument, PermissionDenied, SlipstreamError
from slipstream.gateway import convert
from slipstream.gateway.core import Gateway, Placed
from slipstream.transport import auth
from slipstream.transport import convert as transport_convert
from slipstream.transport.errors import code_name, rpc_method, rpc_stream, status_for

log = logging.getLogger(__name__)

# Requests of one order-entry session being worked on at once; reading pauses beyond it.
SESSION_WINDOW = 1024


def _answer(placed: Placed) -> pb.SubmitOrderResponse:
    return pb.SubmitOrderResponse(order=pb.Order.FromString(placed.record), duplicate=placed.duplicate)


class GatewayServicer(pb_grpc.GatewayServiceServicer):
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    @staticmethod
    def _pod() -> str:
        """The calling pod: the policy admits only pods to trade, each as itself."""
        pod_id = auth.caller().pod_id
        if pod_id is None:
            raise PermissionDenied("orders are placed and cancelled with a pod's token")
        return pod_id

    @staticmethod
    def _reader(requested: str) -> str:
        """A pod reads itself (pod_id empty or its own); the admin and auditors read the pod they name."""
        principal = auth.caller()
        if principal.pod_id is None:
            if not requested:
                raise InvalidArgument("pod_id", f"is required with the token of {principal.describe()}")
            return requested
        if requested and requested != principal.pod_id:
            raise PermissionDenied(f"pod {principal.pod_id!r} may not read pod {requested!r}")
        return principal.pod_id

    @rpc_method
    async def SubmitOrder(
        self, request: pb.SubmitOrderRequest, context: grpc.aio.ServicerContext
    ) -> pb.SubmitOrderResponse:
        return _answer(await self._gateway.submit(self._pod(), convert.request_from_pb(request)))

    async def StreamOrders(
        self, requests: AsyncIterator[pb.StreamOrdersRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.StreamOrdersResponse]:
        try:
            pod_id = self._pod()
        except SlipstreamError as error:
            await context.abort_with_status(status_for(error))
        # Each request is worked on as soon as it is read (the pod's lock keeps them in order),
        # and answered in the order read, once durable.
        working: asyncio.Queue[asyncio.Future[pb.StreamOrdersResponse] | None] = asyncio.Queue(SESSION_WINDOW)

        async def read() -> None:
            try:
                async for request in requests:
                    await working.put(asyncio.ensure_future(self._order_entry(pod_id, request)))
            finally:
                await working.put(None)

        reader = asyncio.ensure_future(read())
        try:
            while (answer := await working.get()) is not None:
                yield await answer
        finally:
            reader.cancel()

    async def _order_entry(self, pod_id: str, request: pb.StreamOrdersRequest) -> pb.StreamOrdersResponse:
        try:
            action = request.WhichOneof("action")
            if action == "submit":
                placed = await self._gateway.submit(pod_id, convert.request_from_pb(request.submit))
                return pb.StreamOrdersResponse(request_id=request.request_id, submitted=_answer(placed))
            if action == "submit_list":
                requests = []
                for index, message in enumerate(request.submit_list.orders):
                    try:
                        requests.append(convert.request_from_pb(message))
                    except InvalidArgument as error:
                        raise InvalidArgument(f"orders[{index}].{error.field}", error.problem) from None
                answers = await self._gateway.submit_list(pod_id, requests)
                listed = pb.SubmitOrderListResponse(results=[_answer(placed) for placed in answers])
                return pb.StreamOrdersResponse(request_id=request.request_id, submitted_list=listed)
            if action == "cancel":
                order = await self._gateway.cancel(pod_id, request.cancel.client_order_id)
                cancelled = pb.CancelOrderResponse(order=convert.order_to_pb(order))
                return pb.StreamOrdersResponse(request_id=request.request_id, cancelled=cancelled)
            raise InvalidArgument("action", "must be submit, submit_list or cancel")
        except SlipstreamError as error:
            problem = pb.RequestError(
                code=code_name(error),
                field=error.field if isinstance(error, InvalidArgument) else "",
                message=str(error),
            )
        except Exception:
            log.exception("order entry of pod %s failed", pod_id)
            problem = pb.RequestError(code="INTERNAL", message="internal error")
        return pb.StreamOrdersResponse(request_id=request.request_id, error=problem)

    @rpc_method
    async def CancelOrder(
        self, request: pb.CancelOrderRequest, context: grpc.aio.ServicerContext
    ) -> pb.CancelOrderResponse:
        order = await self._gateway.cancel(self._pod(), request.client_order_id)
        return pb.CancelOrderResponse(order=convert.order_to_pb(order))

    @rpc_method
    async def CancelAllOrders(
        self, request: pb.CancelAllOrdersRequest, context: grpc.aio.ServicerContext
    ) -> pb.CancelAllOrdersResponse:
        orders = await self._gateway.cancel_all(self._pod())
        return pb.CancelAllOrdersResponse(orders=[convert.order_to_pb(o) for o in orders])

    @rpc_method
    async def GetOrder(self, request: pb.GetOrderRequest, context: grpc.aio.ServicerContext) -> pb.GetOrderResponse:
        order = self._gateway.get(self._reader(request.pod_id), request.client_order_id)
        return pb.GetOrderResponse(order=convert.order_to_pb(order))

    @rpc_method
    async def ListOrders(
        self, request: pb.ListOrdersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListOrdersResponse:
        orders = self._gateway.orders(self._reader(request.pod_id), request.open_only, request.max_count)
        return pb.ListOrdersResponse(orders=[convert.order_to_pb(o) for o in orders])

    @rpc_method
    async def ListFills(self, request: pb.ListFillsRequest, context: grpc.aio.ServicerContext) -> pb.ListFillsResponse:
        fills = self._gateway.fills(self._reader(request.pod_id), request.max_count)
        return pb.ListFillsResponse(fills=[convert.fill_to_pb(f) for f in fills])

    @rpc_stream
    async def StreamExecutions(
        self, request: pb.StreamExecutionsRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.StreamExecutionsResponse]:
        pod_id = self._pod()
        async for sequence, kind, blob in self._gateway.executions(pod_id, request.after_sequence):
            if kind == "order":
                yield pb.StreamExecutionsResponse(sequence=sequence, order=pb.Order.FromString(blob))
            else:
                yield pb.StreamExecutionsResponse(sequence=sequence, fill=pb.Fill.FromString(blob))

    @rpc_method
    async def ListPositions(
        self, request: pb.ListPositionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPositionsResponse:
        positions = self._gateway.positions(self._reader(request.pod_id))
        return pb.ListPositionsResponse(
            positions=[
                pb.PodPosition(
                    symbol=p.symbol,
                    quantity=format_decimal(p.quantity),
                    average_entry_price=format_decimal(p.average_entry_price),
                    realized_pnl_usd=format_decimal(p.realized_pnl_usd),
                    fees_usd=format_decimal(p.fees_usd),
                    last_fill_time=transport_convert.timestamp_to_pb(p.last_fill_time) if p.last_fill_time else None,
                )
                for p in positions
            ]
        )

    @rpc_method
    async def ListPrices(
        self, request: pb.ListPricesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPricesResponse:
        prices = self._gateway.prices(self._reader(request.pod_id), list(request.symbols))
        return pb.ListPricesResponse(
            prices=[pb.SymbolPrice(symbol=s, price=format_decimal(p)) for s, p in sorted(prices.items())],
            price_time=transport_convert.timestamp_to_pb(self._gateway.clock.now()),
        )

    @rpc_method
    async def ListVenuePositions(
        self, request: pb.ListVenuePositionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListVenuePositionsResponse:
        positions = self._gateway.venue_positions(request.account)
        return pb.ListVenuePositionsResponse(
            positions=[pb.VenuePosition(symbol=s, quantity=format_decimal(q)) for s, q in sorted(positions.items())]
        )
