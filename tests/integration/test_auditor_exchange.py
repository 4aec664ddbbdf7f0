"""The auditor reads through real ccxt with a read-only key, and cannot do anything else."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from slipstream.auditor.exchange import ReadOnlyAccount
from slipstream.core.errors import FailedPrecondition
from slipstream.simulator import ExchangeSimulator, PerpetualMarket, TradingConfig, ccxt_client

D = Decimal


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"), PerpetualMarket("ETH")), trading=TradingConfig()) as running:
        running.add_account("trading-key", "trading-secret", {"USDT": D(1_000_000)})
        running.add_account("audit-key", "audit-secret", read_only=True)
        running.set_price("BTCUSDT", D(50_000))
        running.set_price("ETHUSDT", D(2_500))
        yield running


def test_reads_the_accounts_positions_with_a_read_only_key(simulator: ExchangeSimulator) -> None:
    trader = ccxt_client(simulator, apiKey="trading-key", secret="trading-secret", enableRateLimit=False)
    trader.load_markets()
    trader.create_order("BTC/USDT:USDT", "market", "buy", 0.3)
    trader.create_order("ETH/USDT:USDT", "market", "sell", 2.0)
    # In production the auditor holds a separate read-only key of the same account (Binance allows several);
    # the simulator keeps one key per account, so the read path is exercised through the trading key here.
    account = ReadOnlyAccount(
        "main", ccxt_client(simulator, apiKey="trading-key", secret="trading-secret", enableRateLimit=False)
    )
    assert account.positions() == {"BTC/USDT:USDT": D("0.3"), "ETH/USDT:USDT": D("-2")}


def test_a_trading_key_is_refused_and_a_read_only_key_accepted(simulator: ExchangeSimulator) -> None:
    trading = ReadOnlyAccount(
        "main", ccxt_client(simulator, apiKey="trading-key", secret="trading-secret", enableRateLimit=False)
    )
    with pytest.raises(FailedPrecondition, match="can trade"):
        trading.ensure_read_only()
    auditor = ReadOnlyAccount(
        "main", ccxt_client(simulator, apiKey="audit-key", secret="audit-secret", enableRateLimit=False)
    )
    auditor.ensure_read_only()
    assert auditor.positions() == {}


def test_no_order_method_is_reachable() -> None:
    account = ReadOnlyAccount("main", object())  # type: ignore[arg-type]
    public = {name for name in dir(account) if not name.startswith("__")}
    assert public == {
        "account",
        "positions",
        "marks",
        "ensure_read_only",
        "_read_positions",
        "_read_permissions",
        "_read_marks",
    }
    assert not hasattr(account, "__dict__")  # slots: nothing can be attached later
    for name in ("create_order", "cancel_order", "cancel_all_orders", "edit_order", "exchange", "_exchange"):
        assert not hasattr(account, name)
