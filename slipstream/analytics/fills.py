"""Maker versus taker volume against each pod's declared execution intent.

Shares are by notional (quantity x price), never by fill count: a pod that rests a hundred
small passive orders and then sweeps the book once is a taker, whatever the count says.

A process failure is execution that contradicts intent: a MAKER (passive) pod whose taker share
of notional exceeds `IntentPolicy.maker_max_taker_share`. A TAKER pod is never flagged for
taking (that is its declared cost) nor for resting orders (cheaper than declared), and MIXED
declares no share to contradict. Small samples are not judged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slipstream.analytics import inputs
from slipstream.core.errors import InvalidArgument
from slipstream.core.model import ExecutionIntent


def liquidity_mix(
    fills: pd.DataFrame, by: Sequence[str] = ("pod_id", "symbol"), period: str | None = "D"
) -> pd.DataFrame:
    """Return maker and taker notional and counts per group (and per calendar period of the fill time, UTC).

    Columns: the keys, period_start (unless `period` is None), fill_count, maker_fill_count,
    taker_fill_count, notional_usd, maker_notional_usd, taker_notional_usd, taker_share
    (of notional) and taker_count_share (of fills, for contrast only).
    """
    keys = list(by)
    inputs.require_columns(fills, ["fill_id", "quantity", "price", "liquidity", *keys], "fills")
    fills = inputs.unique_fills(fills)
    quantity = inputs.floats(fills, "quantity", "fills", "fill_id", positive=True)
    price = inputs.floats(fills, "price", "fills", "fill_id", positive=True)
    taker = inputs.taker_flags(fills, "fills", "fill_id")
    notional = quantity * price
    frame = fills[keys].assign(
        fill_count=1,
        maker_fill_count=(~taker).astype(np.int64),
        taker_fill_count=taker.astype(np.int64),
        notional_usd=notional,
        maker_notional_usd=np.where(taker, 0.0, notional),
        taker_notional_usd=np.where(taker, notional, 0.0),
    )
    if period is not None:
        inputs.require_columns(fills, ["fill_time"], "fills")
        frame["period_start"] = inputs.period_starts(inputs.utc_times(fills, "fill_time", "fills"), period)
        keys.append("period_start")
    if not keys:
        raise InvalidArgument("by", "must name at least one column, or give a period")
    sums = frame.groupby(keys, sort=True).sum()
    sums["taker_share"] = sums["taker_notional_usd"] / sums["notional_usd"]
    sums["taker_count_share"] = sums["taker_fill_count"] / sums["fill_count"]
    return sums.reset_index()


@dataclass(frozen=True)
class IntentPolicy:
    """When a pod's execution contradicts its declared intent.

    Defaults: a MAKER pod fails when more than 70% of its notional took liquidity, judged only
    on at least 20 fills and USD 10,000 of notional (a few forced hedges in a quiet week are not
    a process).
    """

    maker_max_taker_share: float = 0.7
    min_fill_count: int = 20
    min_notional_usd: float = 10_000.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.maker_max_taker_share <= 1.0:
            raise InvalidArgument(
                "policy.maker_max_taker_share", f"must be in [0, 1], got {self.maker_max_taker_share}"
            )
        if self.min_fill_count < 1:
            raise InvalidArgument("policy.min_fill_count", f"must be >= 1, got {self.min_fill_count}")
        if not (math.isfinite(self.min_notional_usd) and self.min_notional_usd >= 0):
            raise InvalidArgument("policy.min_notional_usd", f"must be finite and >= 0, got {self.min_notional_usd}")


@dataclass(frozen=True)
class IntentCheck:
    pod_id: str
    intent: ExecutionIntent
    fill_count: int
    notional_usd: float
    taker_share: float
    sufficient_sample: bool
    process_failure: bool
    reason: str


def check_execution_intent(
    fills: pd.DataFrame, intents: Mapping[str, ExecutionIntent], policy: IntentPolicy | None = None
) -> list[IntentCheck]:
    """Return one check per pod with fills (sorted by pod_id) over all its symbols and the whole span."""
    policy = policy or IntentPolicy()
    pods = liquidity_mix(fills, by=("pod_id",), period=None)
    checks = []
    for row in pods.itertuples(index=False):
        pod_id = str(row.pod_id)
        if pod_id not in intents:
            raise InvalidArgument("intents", f"no declared execution intent for pod {pod_id!r}")
        intent = intents[pod_id]
        fill_count = int(row.fill_count)
        notional = float(row.notional_usd)
        share = float(row.taker_share)
        sufficient = fill_count >= policy.min_fill_count and notional >= policy.min_notional_usd
        failure = sufficient and intent is ExecutionIntent.MAKER and share > policy.maker_max_taker_share
        if not sufficient:
            reason = (
                f"too little to judge: {fill_count} fills and USD {notional:,.0f} "
                f"(needs {policy.min_fill_count} and USD {policy.min_notional_usd:,.0f})"
            )
        elif failure:
            reason = (
                f"declared maker but {share:.0%} of notional took liquidity "
                f"(limit {policy.maker_max_taker_share:.0%}): execution contradicts intent"
            )
        else:
            reason = f"taker share {share:.0%} is consistent with declared {intent.value} intent"
        checks.append(
            IntentCheck(
                pod_id=pod_id,
                intent=intent,
                fill_count=fill_count,
                notional_usd=notional,
                taker_share=share,
                sufficient_sample=sufficient,
                process_failure=failure,
                reason=reason,
            )
        )
    return checks
