"""The gateway's configuration file. Example:

listen = "127.0.0.1:50053"
federation = "127.0.0.1:50051"      # where the pods' halts and limits come from
admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"

[risk]                              # gateway-wide hard limits
max_order_notional_usd = "1000000"
price_collar_bps = "500"
max_orders_per_second = 100
block_unreachable_after_seconds = 60  # refuse new orders of a pod the federation lost this long
[risk.max_order_quantity]
"BTC/USDT" = "10"

[[accounts]]                        # the paper venue (the default)
name = "paper"
seed = 7
walk_interval_seconds = 0.5         # a seeded random walk moves the marks
[accounts.prices]
"BTC/USDT" = "60000"

[[accounts]]                        # an exchange account through ccxt
name = "binance"
venue = "ccxt"
exchange = "binanceusdm"
api_key_env = "BINANCE_KEY"         # and secret_env (or api_key / secret)
secret_env = "BINANCE_SECRET"
symbols = ["BTC/USDT:USDT"]
timeout_ms = 10000                  # a request unanswered this long counts as an outage
poll_interval_seconds = 0.5         # working orders and prices
max_backoff_seconds = 5             # longest wait between probes of an exchange that is down

[[pods]]                            # who may trade, with which token, on which account
pod_id = "momentum"
token_env = "MOMENTUM_TOKEN"        # or token = "..."
account = "paper"

[auditor_tokens]                    # optional: may read every pod's orders, fills, positions and ledgers
risk = "..."
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from slipstream.core.config import ConfigError, secret
from slipstream.core.decimals import parse_decimal
from slipstream.core.errors import InvalidArgument
from slipstream.core.model import TradingState, validate_pod_id
from slipstream.federation.settings import SettingsError, limits_from_table
from slipstream.gateway.risk import PodControl, RiskSettings
from slipstream.gateway.server import (
    DEFAULT_LISTEN,
    CcxtAccountSettings,
    GatewaySettings,
    PaperAccountSettings,
    PodAccess,
)
from slipstream.transport.auth import token_table
from slipstream.transport.tls import client_tls_from_table, server_tls_from_table


class GatewaySettingsError(ConfigError):
    """The configuration file is malformed; the message names the key."""


def _decimal(value: object, where: str) -> Decimal:
    try:
        return parse_decimal(str(value), where, non_negative=True)
    except InvalidArgument as error:
        raise GatewaySettingsError(str(error)) from None


def load_gateway_settings(path: Path, data_dir: Path, listen: str | None) -> GatewaySettings:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise GatewaySettingsError(f"{path}: {error}") from None
    accounts: dict[str, PaperAccountSettings] = {}
    ccxt_accounts: dict[str, CcxtAccountSettings] = {}
    for index, table in enumerate(raw.get("accounts", [])):
        where = f"accounts[{index}]."
        name = str(table.get("name", ""))
        if not name:
            raise GatewaySettingsError(f"{where}name: required")
        venue = table.get("venue", "paper")
        if venue == "ccxt":
            ccxt_accounts[name] = _ccxt_account(table, where)
            continue
        if venue != "paper":
            raise GatewaySettingsError(f"{where}venue: 'paper' or 'ccxt', got {venue!r}")
        prices = {str(s): _decimal(p, f"{where}prices.{s}") for s, p in table.get("prices", {}).items()}
        if not prices:
            raise GatewaySettingsError(f"{where}prices: a paper account needs a start price per symbol")
        walk = table.get("walk_interval_seconds", 0.5)
        accounts[name] = PaperAccountSettings(prices, int(table.get("seed", 7)), float(walk) if walk else None)
    pods: dict[str, PodAccess] = {}
    static: dict[str, PodControl] = {}
    for index, table in enumerate(raw.get("pods", [])):
        where = f"pods[{index}]."
        try:
            pod_id = validate_pod_id(str(table.get("pod_id", "")), f"{where}pod_id")
        except InvalidArgument as error:
            raise GatewaySettingsError(str(error)) from None
        token = secret(table, "token", where)
        account = str(table.get("account", ""))
        if not token:
            raise GatewaySettingsError(f"{where}token: every pod needs a token or token_env")
        if account not in accounts and account not in ccxt_accounts:
            raise GatewaySettingsError(f"{where}account: {account!r} is not one of the accounts")
        pods[pod_id] = PodAccess(token, account)
        if "limits" in table:
            try:
                limits = limits_from_table(table["limits"], f"{where}limits")
            except SettingsError as error:
                raise GatewaySettingsError(str(error)) from None
            static[pod_id] = PodControl(TradingState.ACTIVE, limits)
    risk_table = raw.get("risk", {})
    defaults = RiskSettings()
    risk = RiskSettings(
        max_order_notional_usd=_decimal(
            risk_table.get("max_order_notional_usd", defaults.max_order_notional_usd), "risk.max_order_notional_usd"
        ),
        max_order_quantity={
            str(s): _decimal(q, f"risk.max_order_quantity.{s}")
            for s, q in risk_table.get("max_order_quantity", {}).items()
        },
        price_collar_bps=_decimal(
            risk_table.get("price_collar_bps", defaults.price_collar_bps), "risk.price_collar_bps"
        ),
        max_orders_per_second=int(risk_table.get("max_orders_per_second", defaults.max_orders_per_second)),
        block_unreachable_after_s=float(
            _decimal(
                risk_table.get("block_unreachable_after_seconds", defaults.block_unreachable_after_s),
                "risk.block_unreachable_after_seconds",
            )
        ),
    )
    return GatewaySettings(
        data_dir=data_dir,
        pods=pods,
        paper_accounts=accounts,
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        admin_token=secret(raw, "admin_token", ""),
        federation=str(raw["federation"]) if "federation" in raw else None,
        risk=risk,
        static_controls=static,
        ccxt_accounts=ccxt_accounts,
        tls=server_tls_from_table(raw),
        client_tls=client_tls_from_table(raw),
        auditor_tokens=token_table(raw, "auditor_tokens"),
        viewer_tokens=token_table(raw, "viewer_tokens"),
    )


def _ccxt_account(table: dict[str, Any], where: str) -> CcxtAccountSettings:
    import ccxt  # here, not at the top: paper-only gateways start without it (see slipstream.gateway.server)

    exchange_id = str(table.get("exchange", ""))
    if exchange_id not in ccxt.exchanges:
        raise GatewaySettingsError(f"{where}exchange: {exchange_id!r} is not a ccxt exchange id")
    api_key, api_secret = secret(table, "api_key", where), secret(table, "secret", where)
    if not api_key or not api_secret:
        raise GatewaySettingsError(f"{where}api_key/secret: required (or api_key_env/secret_env)")
    symbols = tuple(str(s) for s in table.get("symbols", []))
    if not symbols:
        raise GatewaySettingsError(f"{where}symbols: list the symbols this account trades")
    return CcxtAccountSettings(
        exchange_id=exchange_id,
        symbols=symbols,
        api_key=api_key,
        secret=api_secret,
        api_url=str(table["api_url"]) if "api_url" in table else None,
        timeout_ms=int(table.get("timeout_ms", 10_000)),
        burst=float(table.get("burst", 10)),
        rate_limit_ms=float(table["rate_limit_ms"]) if "rate_limit_ms" in table else None,
        poll_interval_s=float(_decimal(table.get("poll_interval_seconds", 0.5), f"{where}poll_interval_seconds")),
        max_backoff_s=float(_decimal(table.get("max_backoff_seconds", 5), f"{where}max_backoff_seconds")),
        options=dict(table.get("options", {})),
    )
