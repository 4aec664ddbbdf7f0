"""Pre-trade risk checks: a pure function from an order and its context to a verdict.

In the spirit of the FIA's automated-trading risk controls and SEC 15c3-5: every order is
checked before it leaves, each refusal has its own reason, and the worst case counts: a pod's
working orders on the same side are added to its position before the limits are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from slipstream.core.model import OrderSide, PodLimits, TradingState
from slipstream.gateway.model import OrderRequest, OrderType, RejectReason


@dataclass(frozen=True)
class RiskSettings:
    """Gateway-wide hard limits, independent of what the federation grants."""

    max_order_notional_usd: Decimal = Decimal(1_000_000)
    max_order_quantity: dict[str, Decimal] = field(default_factory=dict)
    price_collar_bps: Decimal = Decimal(500)
    max_orders_per_second: int = 100
    # How long the federation may report a pod UNREACHABLE before its new orders are refused: a
    # pod the federation cannot see (dead, or cut off from it) can no longer be halted, so after
    # this grace for a restart or a network blip it may only reduce risk (cancel).
    block_unreachable_after_s: float = 60.0


@dataclass(frozen=True)
class PodControl:
    """What the federation currently allows a pod (its desired state and limits)."""

    trading_state: TradingState
    limits: PodLimits
    # When the gateway first saw the federation report the pod UNREACHABLE (its clock's
    # monotonic seconds); None while the pod is reachable.
    unreachable_since: float | None = None


@dataclass(frozen=True)
class RestingOrder:
    pod_id: str
    side: OrderSide
    limit_price: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class RiskContext:
    pod_id: str
    control: PodControl | None
    reference_price: Decimal | None
    position: Decimal
    working_buy: Decimal
    working_sell: Decimal
    gross_other_symbols_usd: Decimal
    orders_last_second: int
    # Resting limit orders on the account's book of this symbol that the order could meet
    # (those of the pod itself and on its own side may be left out: they are never a self-trade).
    resting_on_account: tuple[RestingOrder, ...]
    # Seconds the federation has reported the pod UNREACHABLE, as the gateway saw it.
    unreachable_for_s: float | None = None
    # Why the account's venue cannot take orders now (its last error, summarised), if it cannot.
    venue_problem: str | None = None


Verdict = tuple[RejectReason, str] | None


def check(request: OrderRequest, context: RiskContext, settings: RiskSettings) -> Verdict:
    """Return the first reason to refuse the order, or None to let it go."""
    control = context.control
    if control is not None and control.trading_state is TradingState.HALTED:
        return RejectReason.POD_HALTED, "the federation has halted this pod"
    if control is None:
        return RejectReason.NOT_CONFIGURED, "the federation has not configured this pod"
    unreachable_for = context.unreachable_for_s
    if unreachable_for is not None and unreachable_for >= settings.block_unreachable_after_s:
        return (
            RejectReason.POD_UNREACHABLE,
            f"the federation has not reached this pod for {unreachable_for:.0f} s"
            f" (blocked after {settings.block_unreachable_after_s:g} s); cancels are still accepted",
        )
    if context.venue_problem is not None:
        return RejectReason.VENUE_UNAVAILABLE, context.venue_problem
    price = context.reference_price
    if price is None:
        return RejectReason.UNKNOWN_SYMBOL, f"{request.symbol} is not traded on this pod's account"
    if context.orders_last_second >= settings.max_orders_per_second:
        return RejectReason.MESSAGE_THROTTLE, f"more than {settings.max_orders_per_second} orders in one second"
    cap = settings.max_order_quantity.get(request.symbol)
    if cap is not None and request.quantity > cap:
        return RejectReason.MAX_ORDER_QUANTITY, f"quantity {request.quantity} is above the maximum {cap}"
    execution_price = request.limit_price if request.type is OrderType.LIMIT else price
    assert execution_price is not None
    notional = request.quantity * max(execution_price, price)
    if notional > settings.max_order_notional_usd:
        return (
            RejectReason.MAX_ORDER_NOTIONAL,
            f"notional {notional:.2f} USD is above {settings.max_order_notional_usd}",
        )
    if request.limit_price is not None:
        distance_bps = abs(request.limit_price - price) / price * 10_000
        if distance_bps > settings.price_collar_bps:
            return (
                RejectReason.PRICE_COLLAR,
                f"limit {request.limit_price} is {distance_bps:.0f} bps from the reference {price}"
                f" (collar {settings.price_collar_bps} bps)",
            )
    signed = request.quantity * request.side.sign
    after = context.position + signed
    reduces = abs(after) <= abs(context.position) and after * context.position >= 0
    if request.reduce_only and not reduces:
        return RejectReason.REDUCE_ONLY_ORDER, "a reduce-only order must not increase or flip the position"
    if not reduces:
        if control.trading_state is TradingState.REDUCE_ONLY:
            return RejectReason.REDUCE_ONLY, "the pod is reduce-only; this order would increase exposure"
        verdict = _limits(request, context, control.limits, price)
        if verdict is not None:
            return verdict
    return _self_trade(request, context)


def _limits(request: OrderRequest, context: RiskContext, limits: PodLimits, price: Decimal) -> Verdict:
    working = context.working_buy if request.side is OrderSide.BUY else -context.working_sell
    worst = context.position + working + request.quantity * request.side.sign
    symbol_limit = limits.for_symbol(request.symbol)
    if symbol_limit is not None:
        if symbol_limit.max_position_quantity is not None and abs(worst) > symbol_limit.max_position_quantity:
            return (
                RejectReason.POSITION_LIMIT,
                f"position would reach {worst} (with working orders), above {symbol_limit.max_position_quantity}",
            )
        cap_usd = symbol_limit.max_position_notional_usd
        if cap_usd is not None and abs(worst) * price > cap_usd:
            return RejectReason.POSITION_LIMIT, f"position would reach {abs(worst) * price:.2f} USD, above {cap_usd}"
    if limits.max_gross_notional_usd is not None:
        gross = context.gross_other_symbols_usd + abs(worst) * price
        # Only an order that adds gross can breach the cap: a flip to a smaller opposite position
        # lowers it, and refusing it would trap the pod in the larger position.
        if gross > limits.max_gross_notional_usd and abs(worst) > abs(context.position):
            return (
                RejectReason.GROSS_NOTIONAL_LIMIT,
                f"gross notional would reach {gross:.2f} USD, above {limits.max_gross_notional_usd}",
            )
    return None


def _self_trade(request: OrderRequest, context: RiskContext) -> Verdict:
    """Refuse an order that would execute against another pod's resting order on the same account."""
    for resting in context.resting_on_account:
        if resting.pod_id == context.pod_id or resting.side is request.side:
            continue
        if request.type is OrderType.MARKET:
            crosses = True
        else:
            assert request.limit_price is not None
            crosses = (
                request.limit_price >= resting.limit_price
                if request.side is OrderSide.BUY
                else request.limit_price <= resting.limit_price
            )
        if crosses:
            return (
                RejectReason.SELF_TRADE,
                f"would trade against pod {resting.pod_id!r}'s resting order on the same account",
            )
    return None
