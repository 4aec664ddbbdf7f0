"""Per-pod returns on allocated capital, per period, from the federation's snapshots.

Convention. For period d (a UTC day by default), reading NAV and allocation at the pod's last
snapshot in d and in d - 1:
    PnL_d    = NAV_d - NAV_{d-1} - flows_d - (allocation_d - allocation_{d-1}, if nav_includes_allocation)
    return_d = PnL_d / allocation_{d-1}
so a return is PnL over the capital allocated at the period's start, and neither a change of
allocation nor a deposit counts as PnL. flows_d sums the optional `flow_usd` column over the
snapshots of period d, each being the net external deposit (+) or withdrawal (-) into the pod's
NAV since its previous snapshot. `nav_includes_allocation` (default True) is Slipstream's own
convention: a pod reports NAV = allocation + realised + unrealised PnL (slipstream.pod.runtime),
so a new allocation moves NAV one for one. Pods whose NAV is an exchange balance set it False
and report deposits as flows.

Gaps. A period without a snapshot has no return, and neither has the period after it: the PnL
spanning the gap cannot be split between days, and zeros would understate risk. A period whose
starting allocation is zero has no return either (no capital, no return). Pods with fewer than
`min_observations` returns are listed in `insufficient_history` and left out of `returns`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument
from slipstream.federation.registry import Snapshot

REQUIRED_COLUMNS = ("pod_id", "observe_time", "nav_usd", "capital_allocation_usd")
MAX_CELLS = 50_000_000


@dataclass(frozen=True)
class PerformanceSettings:
    period: str = "1D"  # a fixed length; periods are aligned on the Unix epoch, so "1D" means UTC days
    min_observations: int = 30
    nav_includes_allocation: bool = True


@dataclass(frozen=True, eq=False)
class PerformanceHistory:
    """Frames indexed by period start (UTC), one column per pod."""

    returns: pd.DataFrame
    pnl_usd: pd.DataFrame
    capital_usd: pd.DataFrame
    observation_count: pd.Series
    insufficient_history: tuple[str, ...]


def snapshot_frame(snapshots: Iterable[Snapshot]) -> pd.DataFrame:
    """The columns `collect_returns` reads, from the registry's snapshots (USD as floats)."""
    rows = [(s.pod_id, s.observe_time, float(s.nav_usd), float(s.capital_allocation_usd)) for s in snapshots]
    return pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS))


def collect_returns(snapshots: pd.DataFrame, settings: PerformanceSettings | None = None) -> PerformanceHistory:
    """Returns on allocated capital per pod and period (see the module docstring for the convention)."""
    settings = settings or PerformanceSettings()
    step = _period_ns(settings.period)
    if settings.min_observations < 1:
        raise InvalidArgument("settings.min_observations", f"must be >= 1, got {settings.min_observations}")
    for column in REQUIRED_COLUMNS:
        if column not in snapshots.columns:
            raise InvalidArgument(f"snapshots.{column}", "column is missing")
    if snapshots.empty:
        raise InvalidArgument("snapshots", "must not be empty")
    nav = _numeric(snapshots["nav_usd"], "snapshots.nav_usd")
    capital = _numeric(snapshots["capital_allocation_usd"], "snapshots.capital_allocation_usd", non_negative=True)
    flow = _numeric(snapshots["flow_usd"], "snapshots.flow_usd") if "flow_usd" in snapshots.columns else None
    time = _nanoseconds(snapshots["observe_time"])
    # Plain object arrays factorize about twice as fast as pandas' string arrays.
    codes, labels = pd.factorize(snapshots["pod_id"].astype(str).to_numpy(dtype=object), sort=True)
    pods = [str(label) for label in labels]

    period = time // step
    first_period = int(period.min())
    row = period - first_period
    shape = (int(row.max()) + 1, len(pods))
    if shape[0] * shape[1] > MAX_CELLS:
        raise InvalidArgument("snapshots.observe_time", f"{shape[0]} periods x {shape[1]} pods is too many to hold")
    cell = row * shape[1] + codes
    # The last snapshot of each pod and period, without sorting: the latest time per cell, ties to the later row.
    latest = np.full(shape[0] * shape[1], np.iinfo(np.int64).min)
    np.maximum.at(latest, cell, time)
    candidate = np.flatnonzero(time == latest[cell])
    chosen = np.full(latest.size, -1)
    np.maximum.at(chosen, cell[candidate], candidate)
    last = chosen[chosen >= 0]
    where = cell[last]
    nav_end = np.full(shape, np.nan)
    nav_end.reshape(-1)[where] = nav[last]
    capital_end = np.full(shape, np.nan)
    capital_end.reshape(-1)[where] = capital[last]

    pnl = np.empty(shape)
    pnl[0] = np.nan
    np.subtract(nav_end[1:], nav_end[:-1], out=pnl[1:])
    if settings.nav_includes_allocation:
        pnl[1:] -= capital_end[1:] - capital_end[:-1]
    if flow is not None:
        pnl -= np.bincount(cell, weights=flow, minlength=latest.size).reshape(shape)
    start_capital = np.empty(shape)
    start_capital[0] = np.nan
    start_capital[1:] = capital_end[:-1]
    returns = np.full(shape, np.nan)
    np.divide(pnl, start_capital, out=returns, where=start_capital > 0)

    index = pd.DatetimeIndex(
        pd.to_datetime((first_period + np.arange(shape[0])) * step, unit="ns", utc=True), name="period"
    )
    columns = pd.Index(pods, name="pod_id")
    counts = pd.Series(np.isfinite(returns).sum(axis=0), index=columns, name="observation_count")
    enough = counts.to_numpy() >= settings.min_observations
    return PerformanceHistory(
        returns=pd.DataFrame(returns[:, enough], index=index, columns=columns[enough]),
        pnl_usd=pd.DataFrame(pnl, index=index, columns=columns),
        capital_usd=pd.DataFrame(start_capital, index=index, columns=columns),
        observation_count=counts,
        insufficient_history=tuple(str(pod) for pod in columns[~enough]),
    )


def _period_ns(period: str) -> int:
    try:
        length = pd.Timedelta(period)
    except ValueError as error:
        raise InvalidArgument(
            "settings.period", f"must be a fixed length such as '1D' or '8h', got {period!r}"
        ) from error
    if length.value <= 0:
        raise InvalidArgument("settings.period", f"must be positive, got {period!r}")
    return int(length.value)


def _numeric(column: pd.Series, field: str, *, non_negative: bool = False) -> np.ndarray:
    try:
        values = np.asarray(column.astype(float).to_numpy(na_value=np.nan), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidArgument(field, "must be numeric") from error
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidArgument(field, f"row {int(np.argmax(bad))} is {values[bad][0]}: values must be finite")
    if non_negative and (values < 0).any():
        i = int(np.argmax(values < 0))
        raise InvalidArgument(field, f"row {i} is {values[i]}: values must be >= 0")
    return values


def _nanoseconds(column: pd.Series) -> np.ndarray:
    try:
        times = pd.to_datetime(column, utc=True)
    except (TypeError, ValueError) as error:
        raise InvalidArgument("snapshots.observe_time", "must be timestamps") from error
    if times.isna().any():
        raise InvalidArgument("snapshots.observe_time", f"row {int(np.argmax(times.isna().to_numpy()))} is missing")
    return np.asarray(times.dt.tz_convert(None).astype("datetime64[ns]").to_numpy().view(np.int64))
