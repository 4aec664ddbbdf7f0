"""Inverse volatility and max-diversification weights on hand-built covariances."""

from __future__ import annotations

import numpy as np
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.allocation import (
    AllocationMethod,
    inverse_volatility_weights,
    max_diversification_weights,
    target_weights,
)
from slipstream.optimizer.covariance import diversification_ratio
from slipstream.optimizer.hrp import hrp_weights


def test_inverse_volatility_by_hand() -> None:
    # σ = 0.1, 0.2, 0.4: 1/σ = 10, 5, 2.5, summing to 17.5.
    cov = np.diag([0.01, 0.04, 0.16])

    weights = inverse_volatility_weights(cov)

    assert weights == pytest.approx([10 / 17.5, 5 / 17.5, 2.5 / 17.5], rel=1e-15)


def test_max_diversification_of_uncorrelated_pods_is_inverse_volatility() -> None:
    # With Σ diagonal, the most diversified portfolio is y ∝ Σ⁻¹σ = 1/σ.
    cov = np.diag([0.01, 0.04, 0.16, 0.09])

    weights = max_diversification_weights(cov)

    assert np.max(np.abs(weights - inverse_volatility_weights(cov))) < 1e-6


def test_max_diversification_beats_inverse_volatility_within_its_bounds() -> None:
    # Three pods with σ = 1%, the first two one bet (ρ = 0.95). Inverse volatility splits 1/3 each: DR 1.355.
    # Unbounded, the most diversified portfolio is ∝ C⁻¹1 = (0.513, 0.513, 1), the third pod 49%; its 45% cap binds,
    # leaving (0.275, 0.275, 0.45): variance (0.275²·3.9 + 0.45²)·1e-4, DR 0.01 / 0.00705 = 1.418.
    cov = np.array([[1, 0.95, 0], [0.95, 1, 0], [0, 0, 1]]) * 1e-4
    lower, upper = np.array([0.1, 0.1, 0.1]), np.array([0.6, 0.6, 0.45])

    weights = max_diversification_weights(cov, lower, upper)
    naive = inverse_volatility_weights(cov)

    assert weights == pytest.approx([0.275, 0.275, 0.45], abs=1e-6)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(weights >= lower - 1e-9)
    assert np.all(weights <= upper + 1e-9)
    assert diversification_ratio(naive, cov) == pytest.approx(0.01 / np.sqrt(4.9 / 9 * 1e-4))
    assert diversification_ratio(weights, cov) == pytest.approx(0.01 / np.sqrt((0.275**2 * 3.9 + 0.45**2) * 1e-4), 1e-6)
    assert diversification_ratio(weights, cov) > diversification_ratio(naive, cov) + 0.05


def test_target_weights_dispatches_every_method() -> None:
    cov = np.array([[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.16]])

    assert np.array_equal(target_weights(cov, AllocationMethod.INVERSE_VOLATILITY), inverse_volatility_weights(cov))
    assert np.array_equal(target_weights(cov, AllocationMethod.HRP), hrp_weights(cov))
    assert target_weights(cov, AllocationMethod.MAX_DIVERSIFICATION).sum() == pytest.approx(1.0)


def test_bounds_that_cannot_sum_to_one_are_rejected() -> None:
    with pytest.raises(InvalidArgument) as error:
        max_diversification_weights(np.eye(3), upper=[0.2, 0.2, 0.2])
    assert error.value.field == "upper"
    with pytest.raises(InvalidArgument) as error:
        max_diversification_weights(np.eye(2), lower=[0.5, -0.1])
    assert error.value.field == "lower"
    with pytest.raises(InvalidArgument) as error:
        inverse_volatility_weights(np.diag([0.01, 0.0]))
    assert error.value.field == "covariance"
