"""`slipstream orders POD` and `slipstream fills POD`: what a pod did at the gateway."""

from __future__ import annotations

import argparse
import os
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc

from slipstream.cli.render import admin_token, client_tls, enum_label, usd
from slipstream.transport import addresses, auth
from slipstream.transport.tls import open_channel

GATEWAY_ENV = "SLIPSTREAM_GATEWAY"


def _stub(args: argparse.Namespace) -> tuple[gateway_pb2_grpc.GatewayServiceStub, tuple[tuple[str, str], ...]]:
    token = admin_token(args)
    channel = open_channel(args.gateway, client_tls(args))
    return gateway_pb2_grpc.GatewayServiceStub(channel), auth.bearer_metadata(token)


def cmd_orders(args: argparse.Namespace) -> int:
    stub, metadata = _stub(args)
    request = gateway_pb2.ListOrdersRequest(pod_id=args.pod_id, open_only=args.open, max_count=args.max)
    orders = stub.ListOrders(request, metadata=metadata, timeout=10).orders
    table = Table(title=f"Orders of {args.pod_id} (newest first)", title_justify="left")
    for column in (
        "client id",
        "symbol",
        "side",
        "type",
        "qty",
        "limit",
        "status",
        "filled",
        "avg px",
        "decision px",
        "fees USD",
        "reason",
    ):
        table.add_column(column, justify="left" if column in ("client id", "symbol", "status", "reason") else "right")
    for o in orders:
        table.add_row(
            o.client_order_id,
            o.symbol,
            enum_label(common_pb2.OrderSide, o.side, "ORDER_SIDE_").lower(),
            enum_label(gateway_pb2.OrderType, o.type, "ORDER_TYPE_").lower(),
            o.quantity,
            o.limit_price or "-",
            enum_label(gateway_pb2.OrderStatus, o.status, "ORDER_STATUS_").lower(),
            o.filled_quantity or "0",
            o.average_fill_price or "-",
            o.decision_price,
            usd(o.fees_usd),
            enum_label(gateway_pb2.RejectReason, o.reject_reason, "REJECT_REASON_").lower() if o.reject_reason else "",
        )
    Console().print(table)
    return 0


def cmd_fills(args: argparse.Namespace) -> int:
    stub, metadata = _stub(args)
    fills = stub.ListFills(
        gateway_pb2.ListFillsRequest(pod_id=args.pod_id, max_count=args.max), metadata=metadata, timeout=10
    ).fills
    table = Table(title=f"Fills of {args.pod_id}", title_justify="left")
    for column in ("time", "client id", "symbol", "side", "qty", "price", "notional USD", "fee USD", "liquidity"):
        table.add_column(column, justify="left" if column in ("time", "client id", "symbol", "liquidity") else "right")
    for f in fills:
        table.add_row(
            f.fill_time.ToDatetime().strftime("%Y-%m-%d %H:%M:%S"),
            f.client_order_id,
            f.symbol,
            enum_label(common_pb2.OrderSide, f.side, "ORDER_SIDE_").lower(),
            f.quantity,
            f.price,
            usd(str(Decimal(f.quantity) * Decimal(f.price))),
            usd(f.fee_usd),
            enum_label(gateway_pb2.Liquidity, f.liquidity, "LIQUIDITY_").lower(),
        )
    Console().print(table)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, handler, help_text in (
        ("orders", cmd_orders, "a pod's orders at the gateway"),
        ("fills", cmd_fills, "a pod's fills at the gateway"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("pod_id", metavar="POD")
        command.add_argument(
            "--gateway",
            default=os.environ.get(GATEWAY_ENV, addresses.GATEWAY),
            help=f"gateway address (env {GATEWAY_ENV})",
        )
        command.add_argument("--max", type=int, default=50, help="rows, newest")
        if name == "orders":
            command.add_argument("--open", action="store_true", help="open orders only")
        command.set_defaults(func=handler)
