"""HRP by hand on four pods, and against PyPortfolioOpt and Riskfolio-Lib on twenty and more."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.covariance import sample_covariance
from slipstream.optimizer.hrp import hrp_weights, quasi_diagonal_order


def covariance_of(deviations: list[float], correlation: list[list[float]]) -> np.ndarray:
    sigma = np.array(deviations)
    return np.array(correlation) * np.outer(sigma, sigma)


def test_four_pods_by_hand() -> None:
    # A, B correlated 0.8 and C, D 0.6, the pairs uncorrelated; σ = 0.1, 0.2, 0.1, 0.3.
    # Distances sqrt((1 - ρ)/2): AB 0.316, CD 0.447, across 0.707, so single linkage makes {A, B} and {C, D}
    # and the ordered list splits into exactly those halves.
    # {A, B}: inverse-variance weights (100, 25)/125 = (0.8, 0.2);
    #   V = 0.64·0.01 + 0.04·0.04 + 2·0.8·0.2·0.8·0.1·0.2 = 0.01312.
    # {C, D}: (100, 11.1)/111.1 = (0.9, 0.1); V = 0.81·0.01 + 0.01·0.09 + 2·0.9·0.1·0.6·0.1·0.3 = 0.01224.
    # {A, B} gets 1 - 0.01312 / 0.02536 = 1224/2536, {C, D} 1312/2536.
    # Inside: A 1 - 0.01/0.05 = 0.8 of its pair, B 0.2; C 1 - 0.01/0.10 = 0.9, D 0.1.
    cov = covariance_of(
        [0.1, 0.2, 0.1, 0.3],
        [[1, 0.8, 0, 0], [0.8, 1, 0, 0], [0, 0, 1, 0.6], [0, 0, 0.6, 1]],
    )
    expected = np.array([0.8 * 1224, 0.2 * 1224, 0.9 * 1312, 0.1 * 1312]) / 2536

    weights = hrp_weights(cov)

    assert np.max(np.abs(weights - expected)) < 1e-15
    assert weights.sum() == pytest.approx(1.0, abs=1e-15)


def test_three_pods_split_the_ordered_list_in_halves() -> None:
    # Uncorrelated pods with σ = 0.1, 0.2, 0.4; equal distances, so the order is 0, 1, 2 and the halves {0} | {1, 2}.
    # {1, 2}: inverse-variance weights (25, 6.25)/31.25 = (0.8, 0.2), V = 0.64·0.04 + 0.04·0.16 = 0.032.
    # {0} gets 1 - 0.01 / 0.042 = 0.032/0.042; inside {1, 2}: 1 gets 1 - 0.04/0.2 = 0.8.
    cov = np.diag([0.01, 0.04, 0.16])
    expected = np.array([0.032 / 0.042, 0.01 / 0.042 * 0.8, 0.01 / 0.042 * 0.2])

    assert np.max(np.abs(hrp_weights(cov) - expected)) < 1e-15


def pod_returns(pods: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    factors = rng.normal(0, 0.01, (500, 4))
    values = factors @ rng.normal(0, 1, (4, pods)) + rng.normal(0, 0.02, (500, pods)) * rng.uniform(0.5, 2, pods)
    return pd.DataFrame(values, columns=[f"pod-{i:03d}" for i in range(pods)])


@pytest.mark.parametrize(("pods", "seed"), [(20, 1), (37, 2)])
def test_matches_pyportfolioopt_and_riskfolio(pods: int, seed: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pypfopt import HRPOpt
        from riskfolio import HCPortfolio

        returns = pod_returns(pods, seed)
        pypfopt = HRPOpt(returns).optimize(linkage_method="single")
        riskfolio = HCPortfolio(returns=returns).optimization(
            model="HRP", codependence="pearson", rm="MV", linkage="single", leaf_order=False
        )
    columns = list(returns.columns)

    ours = hrp_weights(sample_covariance(returns.to_numpy()))

    assert np.max(np.abs(ours - np.array([pypfopt[c] for c in columns]))) < 1e-12
    assert np.max(np.abs(ours - riskfolio["weights"].reindex(columns).to_numpy())) < 1e-12


def test_order_puts_correlated_pods_next_to_each_other() -> None:
    correlation = np.array(
        [[1, 0, 0.9, 0], [0, 1, 0, 0.8], [0.9, 0, 1, 0], [0, 0.8, 0, 1]],
        dtype=float,
    )

    order = list(quasi_diagonal_order(correlation))

    assert abs(order.index(0) - order.index(2)) == 1
    assert abs(order.index(1) - order.index(3)) == 1


def test_single_pod_gets_everything_and_bad_inputs_are_named() -> None:
    assert hrp_weights([[0.04]]).tolist() == [1.0]
    with pytest.raises(InvalidArgument) as error:
        hrp_weights(np.diag([0.01, 0.0]))
    assert error.value.field == "covariance"
    with pytest.raises(InvalidArgument) as error:
        hrp_weights(np.eye(2), linkage="median")
    assert error.value.field == "linkage"
    with pytest.raises(InvalidArgument) as error:
        hrp_weights(np.ones((2, 3)))
    assert error.value.field == "covariance"
