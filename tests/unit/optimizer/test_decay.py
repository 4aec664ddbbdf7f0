"""Decay multipliers: z-scores of the rolling Sharpe ratio, checked against the formula written out."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.decay import DecayPolicy, assess_decay


def lo_z(earlier: np.ndarray, recent: np.ndarray) -> tuple[float, float]:
    def sharpe(x: np.ndarray) -> tuple[float, float]:
        ratio = x.mean() / x.std(ddof=1)
        return ratio, math.sqrt((1 + ratio**2 / 2) / x.size)

    old, old_se = sharpe(earlier)
    new, new_se = sharpe(recent)
    return (old - new) / math.hypot(old_se, new_se), -new / new_se


def test_a_pod_whose_edge_faded_is_capped() -> None:
    rng = np.random.default_rng(4)
    earlier = rng.normal(0.003, 0.01, 300)
    recent = rng.normal(-0.0005, 0.01, 90)
    returns = pd.DataFrame({"fading": np.concatenate((earlier, recent))})
    decay_z, losing_z = lo_z(earlier, recent)
    z = max(decay_z, losing_z)
    expected = 0.25 if z >= 3 else 0.5 if z >= 2 else 0.75 if z >= 1 else 1.0

    assessment = assess_decay(returns)["fading"]

    assert assessment.z_score == pytest.approx(z, rel=1e-12)
    assert assessment.multiplier == expected < 1.0
    assert assessment.recent_sharpe == pytest.approx(recent.mean() / recent.std(ddof=1) * math.sqrt(365))
    assert assessment.reason.startswith("alpha decay: 90-day Sharpe")


def test_a_steady_pod_and_a_young_pod_keep_their_caps() -> None:
    rng = np.random.default_rng(9)
    steady = rng.normal(0.001, 0.01, 400)
    young = np.full(400, np.nan)
    young[-100:] = rng.normal(0.001, 0.01, 100)

    result = assess_decay(pd.DataFrame({"steady": steady, "young": young}))

    decay_z, losing_z = lo_z(steady[:-90], steady[-90:])
    assert max(decay_z, losing_z) < 1
    assert result["steady"].multiplier == 1.0
    assert result["young"].multiplier == 1.0
    assert result["young"].reason.startswith("too little history")


def test_a_clearly_losing_pod_is_capped_even_without_a_better_past() -> None:
    rng = np.random.default_rng(12)
    returns = rng.normal(-0.004, 0.01, 400)

    assessment = assess_decay(pd.DataFrame({"loser": returns}))["loser"]

    _, losing_z = lo_z(returns[:-90], returns[-90:])
    assert losing_z >= 2
    assert assessment.multiplier <= 0.5
    assert assessment.reason.startswith("losing:")


def test_gaps_only_count_observed_returns() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(0.002, 0.01, 400)
    values[::3] = np.nan

    assessment = assess_decay(pd.DataFrame({"gappy": values}), DecayPolicy(min_recent=50, min_earlier=90))["gappy"]

    recent, earlier = values[-90:], values[:-90]
    decay_z, losing_z = lo_z(earlier[~np.isnan(earlier)], recent[~np.isnan(recent)])
    assert assessment.z_score == pytest.approx(max(decay_z, losing_z), rel=1e-12)


def test_bad_policies_are_rejected() -> None:
    frame = pd.DataFrame({"a": np.zeros(10)})
    with pytest.raises(InvalidArgument) as error:
        assess_decay(frame, DecayPolicy(min_recent=100))
    assert error.value.field == "decay.min_recent"
    with pytest.raises(InvalidArgument) as error:
        assess_decay(frame, DecayPolicy(steps=((2.0, 0.5), (1.0, 0.75))))
    assert error.value.field == "decay.steps"
    with pytest.raises(InvalidArgument) as error:
        assess_decay(pd.DataFrame({"a": [np.inf] * 10}))
    assert error.value.field == "returns"
