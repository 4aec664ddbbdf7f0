"""The analytics service's configuration file. Example (every table and key below `admin_token_env` is
optional, and so is every key of a table: an omitted one keeps its default; the values shown are the
defaults, explained in the README and the classes they set):

listen = "127.0.0.1:50056"
federation = "127.0.0.1:50051"
gateway = "127.0.0.1:50053"
lake = "127.0.0.1:50052"            # without it: no residual reports, the lifecycle judges raw returns
admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"
min_observations = 30               # daily returns a residual fit needs (and a pod to count as a trial)
execution_review_days = 30          # the lifecycle's execution review looks this far back

[viewer_tokens]                     # may read reports and lifecycles, never evaluate or override
research = "..."
[auditor_tokens]                    # the same reads, for independent risk
risk = "..."

[factors]
btc = "BTC/USD"
eth = "ETH/USD"

[grades]                            # QualityGrades: inclusive upper bounds, bps of total shortfall
excellent_max_bps = 0
good_max_bps = 5
fair_max_bps = 15
poor_max_bps = 50

[review]                            # ExecutionReviewPolicy: "rewrite the execution, not the alpha"
max_total_cost_bps = 15
min_order_count = 30
min_paper_notional_usd = 50000

[fake_alpha]                        # FakeAlphaPolicy
alpha_t_min = 2.0
beta_t_min = 2.0

[intent]                            # IntentPolicy: when a maker pod's execution contradicts its intent
maker_max_taker_share = 0.7
min_fill_count = 20
min_notional_usd = 10000

[lifecycle]                         # LifecyclePolicy
benchmark_sharpe_annualized = 0.0
decay_window = 90
decay_min_psr = 0.10
retire_min_observations = 180
retire_max_psr = 0.05
incubation_max_days = 180
cooldown_days = 7
to_evaluation = { min_observations = 30, min_psr = 0.90 }
to_growth = { min_observations = 90, min_psr = 0.95 }
to_maturity = { min_observations = 180, min_psr = 0.99 }
[lifecycle.caps]                    # per stage: max_fraction of total capital, max_usd
incubation = { max_fraction = 0.005, max_usd = 25000 }
maturity = { max_fraction = 0.25 }
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from slipstream.analytics.fills import IntentPolicy
from slipstream.analytics.lifecycle import LifecyclePolicy, Stage
from slipstream.analytics.residual import FakeAlphaPolicy
from slipstream.analytics.server import DEFAULT_LISTEN, AnalyticsSettings
from slipstream.analytics.service import AnalyticsPolicy
from slipstream.analytics.shortfall import ExecutionReviewPolicy, QualityGrades
from slipstream.core.config import ConfigError, secret
from slipstream.core.errors import InvalidArgument
from slipstream.transport.auth import token_table
from slipstream.transport.tls import client_tls_from_table, server_tls_from_table


class AnalyticsSettingsError(ConfigError):
    """The configuration file is malformed; the message names the key."""


Policy = TypeVar("Policy")
_TOP_LEVEL = {
    "listen",
    "federation",
    "gateway",
    "lake",
    "admin_token",
    "admin_token_env",
    "min_observations",
    "execution_review_days",
    "viewer_tokens",
    "auditor_tokens",
    "factors",
    "grades",
    "review",
    "fake_alpha",
    "intent",
    "lifecycle",
}


def _table(raw: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise AnalyticsSettingsError(f"{path}: must be a table")
    return value


def _refused(error: InvalidArgument, path: str) -> AnalyticsSettingsError:
    # The core names its fields below "policy" or its own name; the file's reader wants the table's path.
    _, _, below = error.field.partition(".")
    return AnalyticsSettingsError(f"{path}.{below}: {error.problem}" if below else f"{path}: {error.problem}")


def _numbers(default: Policy, table: Mapping[str, Any], path: str, **built: object) -> Policy:
    """Return `default` with the table's numeric fields, and the `built` nested ones, replaced."""
    known = {f.name: f for f in dataclasses.fields(default)}  # type: ignore[arg-type]
    values: dict[str, object] = dict(built)
    for key, value in table.items():
        if key in built:
            continue
        kind = str(known[key].type) if key in known else ""
        if kind not in ("int", "float", "float | None"):
            raise AnalyticsSettingsError(f"{path}.{key}: unknown key")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnalyticsSettingsError(f"{path}.{key}: must be a number, got {value!r}")
        if kind == "int" and not isinstance(value, int):
            raise AnalyticsSettingsError(f"{path}.{key}: must be a whole number, got {value!r}")
        values[key] = value if kind == "int" else float(value)
    try:
        return dataclasses.replace(default, **values)  # type: ignore[type-var]
    except InvalidArgument as error:
        raise _refused(error, path) from None


def _lifecycle(raw: Mapping[str, Any]) -> LifecyclePolicy:
    defaults = LifecyclePolicy()
    table = _table(raw, "lifecycle", "lifecycle")
    rules = {
        name: _numbers(getattr(defaults, name), _table(table, name, f"lifecycle.{name}"), f"lifecycle.{name}")
        for name in ("to_evaluation", "to_growth", "to_maturity")
        if name in table
    }
    caps_table = _table(table, "caps", "lifecycle.caps")
    unknown = sorted(set(caps_table) - {stage.value for stage in Stage})
    if unknown:
        raise AnalyticsSettingsError(f"lifecycle.caps.{unknown[0]}: unknown stage")
    caps = dataclasses.replace(
        defaults.caps,
        **{
            stage: _numbers(
                defaults.caps.for_stage(Stage(stage)),
                _table(caps_table, stage, f"lifecycle.caps.{stage}"),
                f"lifecycle.caps.{stage}",
            )
            for stage in caps_table
        },
    )
    return _numbers(defaults, table, "lifecycle", caps=caps, **rules)


def load_analytics_settings(
    path: Path, data_dir: Path, listen: str | None, viewers: Mapping[str, str] | None = None
) -> AnalyticsSettings:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AnalyticsSettingsError(f"{path}: {error}") from None
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise AnalyticsSettingsError(f"{unknown[0]}: unknown key")
    for key in ("federation", "gateway"):
        if key not in raw:
            raise AnalyticsSettingsError(f"{key}: required (the address the analytics read)")
    factors = _table(raw, "factors", "factors")
    unknown = sorted(set(factors) - {"btc", "eth"})
    if unknown:
        raise AnalyticsSettingsError(f"factors.{unknown[0]}: unknown key; btc or eth")
    scalars = {key: raw[key] for key in ("min_observations", "execution_review_days") if key in raw}
    for key, value in scalars.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnalyticsSettingsError(f"{key}: must be a whole number, got {value!r}")
    try:
        policy = AnalyticsPolicy(
            grades=_numbers(QualityGrades(), _table(raw, "grades", "grades"), "grades"),
            review=_numbers(ExecutionReviewPolicy(), _table(raw, "review", "review"), "review"),
            fake_alpha=_numbers(FakeAlphaPolicy(), _table(raw, "fake_alpha", "fake_alpha"), "fake_alpha"),
            intent=_numbers(IntentPolicy(), _table(raw, "intent", "intent"), "intent"),
            lifecycle=_lifecycle(raw),
            btc_symbol=str(factors.get("btc", "BTC/USD")),
            eth_symbol=str(factors.get("eth", "ETH/USD")),
            **scalars,
        )
    except InvalidArgument as error:
        raise AnalyticsSettingsError(f"{error.field.removeprefix('policy.')}: {error.problem}") from None
    return AnalyticsSettings(
        data_dir=data_dir,
        federation=str(raw["federation"]),
        gateway=str(raw["gateway"]),
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        lake=str(raw["lake"]) if "lake" in raw else None,
        admin_token=secret(raw, "admin_token", ""),
        viewer_tokens={**token_table(raw, "viewer_tokens"), **(viewers or {})},
        auditor_tokens=token_table(raw, "auditor_tokens"),
        policy=policy,
        tls=server_tls_from_table(raw),
        client_tls=client_tls_from_table(raw),
    )
