"""The optimizer's configuration file. Example (every key but the addresses is optional):

listen = "127.0.0.1:50055"
federation = "127.0.0.1:50051"
lake = "127.0.0.1:50052"
analytics = "127.0.0.1:50056"        # lifecycle stages and their capital caps
admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"
total_capital_usd = 1000000
method = "hrp"                        # inverse_volatility | hrp | max_diversification
estimator = "ledoit_wolf"             # ledoit_wolf | ewma
half_life_days = 60                   # EWMA
lookback_days = 730
min_observations = 30                 # daily returns before a pod gets a target weight
max_turnover_fraction = 0.25          # of total capital per cycle; omit for no cap
volatility_target = 0.25              # annualised, per pod: sizes the per-symbol caps
gross_leverage = 2.0                  # gross cap = capital x this
btc_symbol = "BTC/USD"
btc_correlation_limit = 0.8
risk_target = 0.25                    # annualised, of total capital: the risk overlay's target
half_spread_bps = 1.0
impact_budget_bps = 25
daily_trade_fraction = 0.1            # of a position traded per day (capacity)

[bounds.default]                      # USD, and fraction of total capital
min_usd = 0
max_usd = 500000
max_fraction = 0.5
[bounds.momentum]
min_usd = 10000

[symbols]                             # what a pod trades when its limits name no symbol
momentum = ["BTC/USD", "ETH/USD"]

[viewer_tokens]                       # read allocations, covariance, stress tests; name = token
dashboard = "..."
[auditor_tokens]                      # the same reads, for independent risk
risk = "..."
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from slipstream.core.config import ConfigError, secret
from slipstream.optimizer.allocation import AllocationMethod
from slipstream.optimizer.covariance import CovarianceMethod
from slipstream.optimizer.server import DEFAULT_LISTEN, OptimizerSettings
from slipstream.optimizer.service import OptimizerPolicy, PodBounds
from slipstream.optimizer.stress import CorrelationStressPolicy
from slipstream.transport.auth import token_table
from slipstream.transport.tls import client_tls_from_table, server_tls_from_table

_METHODS = {"inverse_volatility": AllocationMethod.INVERSE_VOLATILITY, "hrp": AllocationMethod.HRP}
_METHODS["max_diversification"] = AllocationMethod.MAX_DIVERSIFICATION
_ESTIMATORS = {"ledoit_wolf": CovarianceMethod.LEDOIT_WOLF, "ewma": CovarianceMethod.EWMA}


def _number(raw: dict[str, Any], key: str, default: float, *, minimum: float = 0.0, where: str = "") -> float:
    value = raw.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}{key}: not a number: {value!r}") from None
    if math.isnan(number) or number < minimum:
        raise ConfigError(f"{where}{key}: must be >= {minimum:g}, got {value!r}")
    return number


def _choice(raw: dict[str, Any], key: str, choices: dict[str, Any], default: str) -> Any:
    value = str(raw.get(key, default))
    if value not in choices:
        raise ConfigError(f"{key}: one of {', '.join(sorted(choices))}, got {value!r}")
    return choices[value]


def _bounds(table: dict[str, Any], where: str) -> PodBounds:
    bounds = PodBounds(
        min_usd=_number(table, "min_usd", 0.0, where=where),
        max_usd=_number(table, "max_usd", math.inf, where=where),
        max_fraction=_number(table, "max_fraction", 1.0, where=where),
    )
    if bounds.min_usd > bounds.max_usd:
        raise ConfigError(f"{where}min_usd: above max_usd")
    if bounds.max_fraction > 1:
        raise ConfigError(f"{where}max_fraction: must be <= 1")
    return bounds


def load_optimizer_settings(path: Path, data_dir: Path, listen: str | None) -> OptimizerSettings:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    for key in ("federation", "lake"):
        if key not in raw:
            raise ConfigError(f"{key}: required (the address the optimizer reads)")
    defaults = OptimizerPolicy()
    tables = raw.get("bounds", {})
    default_bounds = _bounds(tables.get("default", {}), "bounds.default.")
    turnover = raw.get("max_turnover_fraction", defaults.max_turnover_fraction)
    threshold = _number(raw, "btc_correlation_limit", defaults.stress.threshold)
    if not 0 < threshold < 1:
        raise ConfigError("btc_correlation_limit: must be in (0, 1)")
    policy = OptimizerPolicy(
        total_capital_usd=_number(raw, "total_capital_usd", defaults.total_capital_usd),
        method=_choice(raw, "method", _METHODS, "hrp"),
        estimator=_choice(raw, "estimator", _ESTIMATORS, "ledoit_wolf"),
        half_life_days=_number(raw, "half_life_days", defaults.half_life_days, minimum=1.0),
        lookback_days=int(_number(raw, "lookback_days", defaults.lookback_days, minimum=2)),
        min_observations=int(_number(raw, "min_observations", defaults.min_observations, minimum=3)),
        max_turnover_fraction=None if turnover is None else _number(raw, "max_turnover_fraction", 0.25),
        bounds={str(pod): _bounds(table, f"bounds.{pod}.") for pod, table in tables.items() if pod != "default"},
        default_bounds=default_bounds,
        volatility_target_annualized=_number(raw, "volatility_target", defaults.volatility_target_annualized),
        gross_leverage=_number(raw, "gross_leverage", defaults.gross_leverage),
        btc_symbol=str(raw.get("btc_symbol", defaults.btc_symbol)),
        stress=CorrelationStressPolicy(threshold=threshold),
        risk_target_annualized=_number(raw, "risk_target", defaults.risk_target_annualized),
        half_spread_bps=_number(raw, "half_spread_bps", defaults.half_spread_bps),
        impact_budget_bps=_number(raw, "impact_budget_bps", defaults.impact_budget_bps),
        daily_trade_fraction=_number(raw, "daily_trade_fraction", defaults.daily_trade_fraction),
    )
    return OptimizerSettings(
        data_dir=data_dir,
        federation=str(raw["federation"]),
        lake=str(raw["lake"]),
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        analytics=str(raw["analytics"]) if "analytics" in raw else None,
        admin_token=secret(raw, "admin_token", ""),
        viewer_tokens=token_table(raw, "viewer_tokens"),
        auditor_tokens=token_table(raw, "auditor_tokens"),
        policy=policy,
        pod_symbols={str(pod): tuple(str(s) for s in symbols) for pod, symbols in raw.get("symbols", {}).items()},
        tls=server_tls_from_table(raw),
        client_tls=client_tls_from_table(raw),
    )
