from datetime import datetime, timezone
from decimal import Decimal

from slipstream.core.model import OpenOrder, OrderSide
from slipstream.pod.account import PaperAccount

D = Decimal


def test_average_entry_and_realised_pnl_by_hand() -> None:
    account = PaperAccount(maker_fee_bps=D(0), taker_fee_bps=D(0))
    account.fill_market("1", "BTC/USDT", OrderSide.BUY, D(1), D(100))
    account.fill_market("2", "BTC/USDT", OrderSide.BUY, D(3), D(200))
    # (1 x 100 + 3 x 200) / 4 = 175
    (position,) = account.positions({"BTC/USDT": D(180)})
    assert position.average_entry_price == D(175)
    assert position.unrealized_pnl_usd == D(20)  # (180 - 175) x 4
    account.fill_market("3", "BTC/USDT", OrderSide.SELL, D(6), D(150))
    # closes 4 at 150 against 175: -100; opens 2 short at 150
    assert account.realized_pnl_usd == D(-100)
    (position,) = account.positions({"BTC/USDT": D(140)})
    assert position.quantity == D(-2) and position.average_entry_price == D(150)
    assert position.unrealized_pnl_usd == D(20)  # (140 - 150) x -2


def test_fees_are_charged_on_notional_by_liquidity_role() -> None:
    account = PaperAccount(maker_fee_bps=D(2), taker_fee_bps=D(5))
    account.fill_market("1", "ETH/USDT", OrderSide.BUY, D(10), D(3000))
    assert account.realized_pnl_usd == D(-15)  # 30,000 x 5 bps
    account.rest_limit(OpenOrder("2", "ETH/USDT", OrderSide.SELL, D(10), D(10), D(3100), datetime.now(timezone.utc)))
    assert account.on_mark("ETH/USDT", D(3050)) == []
    (fill,) = account.on_mark("ETH/USDT", D(3100))
    assert fill.maker and fill.price == D(3100)
    # +1,000 trading gain, -6.2 maker fee (31,000 x 2 bps)
    assert account.realized_pnl_usd == D(-15) + D(1000) - D("6.2")
    assert account.position("ETH/USDT") == 0 and account.open_orders == ()


def test_cancel_all_counts_resting_orders() -> None:
    account = PaperAccount()
    now = datetime.now(timezone.utc)
    account.rest_limit(OpenOrder("a", "SOL/USDT", OrderSide.BUY, D(1), D(1), D(100), now))
    account.rest_limit(OpenOrder("b", "SOL/USDT", OrderSide.SELL, D(1), D(1), D(120), now))
    assert account.cancel_all() == 2 and account.open_orders == ()
