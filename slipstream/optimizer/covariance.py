"""Risk of the pods' returns: shrunk, exponentially weighted and sample covariance, and how diversified a mix is.

Gaps. Pods start late, stop and miss days, so the returns matrix has holes. `estimate_covariance`
centres each pod on the (weighted) mean of its own observed returns, sets a missing return to
that mean (zero after centring) and scales the pod's column so that the estimator's denominator
over all periods becomes the one over the pod's observed periods (sqrt(n / n_i) for equal
weights). The matrix stays rectangular, which Ledoit-Wolf needs, every estimate stays positive
semi-definite (pairwise-overlap estimates are not), and each pod's variance is exactly the
estimator applied to what it reported. The price, accepted knowingly: the covariance of pods i
and j is measured on their overlap but scaled by about n_ij / sqrt(n_i n_j), so the correlation of
pods that rarely overlap is shrunk toward zero. With complete data the transform is only the
centring and each estimator is its textbook (sklearn / pandas) self.

Diversification. `effective_number_of_bets` is the inverse Herfindahl index of the Euler risk
contributions w_i (Σw)_i / wᵀΣw (Roncalli, "Introduction to Risk Parity and Budgeting", 2013,
on risk-contribution concentration; the "effective number" device is Meucci's, "Managing
Diversification", Risk 2009). Meucci's own version runs on principal components, whose basis is
arbitrary when eigenvalues (nearly) repeat, as they do for similar uncorrelated pods, so it can
report anything from 1 to N there; risk contributions are unique. It measures how evenly risk is
spread over pods, not how many independent bets they are: two perfectly correlated pods with equal
risk count as 2. `diversification_ratio` (Choueifaty and Coignard, 2008) sees correlation, and its
square is the "effective number of independent risk factors" of Choueifaty, Froidure and Reynier
(2013): 1 for perfectly correlated pods, N for N identical uncorrelated ones.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.validation import Matrix, Vector, covariance, finite_number, matrix, vector


class CovarianceMethod(enum.Enum):
    SAMPLE = "sample"
    LEDOIT_WOLF = "ledoit_wolf"
    EWMA = "ewma"


@dataclass(frozen=True, eq=False)
class ShrunkCovariance:
    covariance: Matrix
    shrinkage: float
    location: Vector


@dataclass(frozen=True, eq=False)
class CovarianceEstimate:
    """A labelled estimate; `shrinkage` is Ledoit-Wolf's intensity (0 for the other methods)."""

    covariance: pd.DataFrame
    method: CovarianceMethod
    shrinkage: float
    period_count: int


def sample_covariance(returns: ArrayLike, *, ddof: int = 1) -> Matrix:
    """The unbiased (ddof=1) sample covariance of complete returns, rows = periods."""
    x = _complete(returns)
    centred = x - x.mean(axis=0)
    return np.asarray(centred.T @ centred / (x.shape[0] - ddof))


def ledoit_wolf(returns: ArrayLike, *, assume_centered: bool = False) -> ShrunkCovariance:
    """Ledoit and Wolf (2004) shrinkage toward a scaled identity, computed as sklearn's LedoitWolf does.

    Same conventions, so the two agree to rounding: centred on the sample mean unless
    `assume_centered`, empirical covariance divided by n (not n - 1), target mu·I with mu the mean
    variance, shrinkage min(beta, delta) / delta so it never exceeds 1. The beta term
    sum_k |x_k|^4 uses one pass over the rows instead of sklearn's second p x p product.
    """
    x = _complete(returns)
    n, p = x.shape
    location = np.zeros(p) if assume_centered else x.mean(axis=0)
    centred = x - location
    empirical = centred.T @ centred / n
    if p == 1:
        return ShrunkCovariance(empirical, 0.0, location)
    squares = centred * centred
    variances = squares.sum(axis=0) / n
    mu = float(variances.sum()) / p
    delta_sum = float(np.sum(empirical * empirical))
    beta = (float(np.sum(squares.sum(axis=1) ** 2)) / n - delta_sum) / (p * n)
    delta = (delta_sum - 2.0 * mu * float(variances.sum()) + p * mu**2) / p
    beta = min(beta, delta)
    shrinkage = 0.0 if beta <= 0 else beta / delta
    shrunk = (1.0 - shrinkage) * empirical
    shrunk.flat[:: p + 1] += shrinkage * mu
    return ShrunkCovariance(shrunk, shrinkage, location)


def ewma_weights(length: int, half_life: float) -> Vector:
    """Weight 0.5^(age / half_life) per period, the newest (age 0) weighing 1."""
    half_life = finite_number(half_life, "half_life_days")
    if half_life <= 0:
        raise InvalidArgument("half_life_days", f"must be > 0, got {half_life}")
    return np.asarray(0.5 ** (np.arange(length - 1, -1, -1, dtype=np.float64) / half_life))


def ewma_covariance(returns: ArrayLike, half_life_days: float, *, bias: bool = False) -> Matrix:
    """Exponentially weighted covariance of complete returns as of the last period.

    pandas' convention, `DataFrame.ewm(halflife=h, adjust=True).cov(bias=bias)` at the last row:
    weights 0.5^(age/h), a weighted mean, sum w (x - mean)(y - mean) / sum w, and unless `bias`
    the factor (sum w)^2 / ((sum w)^2 - sum w^2) that makes it unbiased for independent draws.
    """
    x = _complete(returns)
    weights = ewma_weights(x.shape[0], half_life_days)
    centred = x - weights @ x / weights.sum()
    return _weighted_product(centred, weights, bias=bias)


def estimate_covariance(
    returns: pd.DataFrame,
    method: CovarianceMethod = CovarianceMethod.LEDOIT_WOLF,
    *,
    half_life_days: float = 60.0,
) -> CovarianceEstimate:
    """The pods' covariance from returns with gaps (NaN), labelled by the frame's columns.

    Gaps are handled as the module docstring says; every pod needs at least 2 observed returns.
    """
    if returns.shape[1] == 0:
        raise InvalidArgument("returns", "must have at least one pod")
    values = matrix(returns.to_numpy(dtype=np.float64, na_value=np.nan), "returns", allow_nan=True)
    counts = np.isfinite(values).sum(axis=0)
    if np.any(counts < 2):
        pod = returns.columns[int(np.argmax(counts < 2))]
        raise InvalidArgument(f"returns[{pod}]", f"needs at least 2 observed returns, got {int(counts.min())}")
    if method is CovarianceMethod.EWMA:
        weights = ewma_weights(values.shape[0], half_life_days)
    else:
        weights = np.ones(values.shape[0])
    # Ledoit-Wolf divides by n, the others correct for the degree of freedom the mean takes.
    unbiased = method is not CovarianceMethod.LEDOIT_WOLF
    filled = _fill_gaps(values, weights, unbiased=unbiased)
    shrinkage = 0.0
    if method is CovarianceMethod.LEDOIT_WOLF:
        shrunk = ledoit_wolf(filled, assume_centered=True)
        estimate, shrinkage = shrunk.covariance, shrunk.shrinkage
    else:
        estimate = _weighted_product(filled, weights, bias=False)
    frame = pd.DataFrame(estimate, index=returns.columns, columns=returns.columns)
    return CovarianceEstimate(frame, method, shrinkage, values.shape[0])


def correlation_from_covariance(cov: ArrayLike) -> Matrix:
    """Correlation matrix; every variance must be positive."""
    checked = covariance(cov, "covariance")
    deviations = np.sqrt(np.diag(checked))
    if np.any(deviations == 0):
        raise InvalidArgument("covariance", f"variance {int(np.argmax(deviations == 0))} is zero")
    correlation = np.clip(checked / np.outer(deviations, deviations), -1.0, 1.0)
    np.fill_diagonal(correlation, 1.0)
    return correlation


def risk_contributions(weights: ArrayLike, cov: ArrayLike) -> Vector:
    """Euler contributions w_i (Σw)_i / wᵀΣw of each pod to portfolio variance; they sum to 1."""
    w, checked = _portfolio(weights, cov)
    marginal = checked @ w
    variance = float(w @ marginal)
    if variance <= 0:
        raise InvalidArgument("weights", "the portfolio has no risk")
    return np.asarray(w * marginal / variance)


def effective_number_of_bets(weights: ArrayLike, cov: ArrayLike) -> float:
    """1 / sum of squared risk contributions: N when risk is spread evenly over N pods, 1 when one pod has it all."""
    contributions = risk_contributions(weights, cov)
    return float(1.0 / np.sum(contributions * contributions))


def diversification_ratio(weights: ArrayLike, cov: ArrayLike) -> float:
    """Choueifaty's wᵀσ / sqrt(wᵀΣw): 1 when everything moves together, sqrt(N) for N equal uncorrelated pods."""
    w, checked = _portfolio(weights, cov)
    variance = float(w @ checked @ w)
    if variance <= 0:
        raise InvalidArgument("weights", "the portfolio has no risk")
    return float(w @ np.sqrt(np.diag(checked)) / np.sqrt(variance))


def _complete(returns: ArrayLike) -> Matrix:
    x = matrix(returns, "returns")
    if x.shape[0] < 2:
        raise InvalidArgument("returns", f"needs at least 2 periods, got {x.shape[0]}")
    if x.shape[1] == 0:
        raise InvalidArgument("returns", "must have at least one column")
    return x


def _fill_gaps(values: Matrix, weights: Vector, *, unbiased: bool) -> Matrix:
    observed = np.isfinite(values)
    present = np.where(observed, values, 0.0)
    observed_weight = weights @ observed
    mean = weights @ present / observed_weight
    centred = np.where(observed, present - mean, 0.0)
    # The scale makes the estimator's denominator over all periods equal the one over the pod's observed periods.
    denominator = weights.sum() - (float(weights @ weights) / weights.sum() if unbiased else 0.0)
    observed_denominator = observed_weight - ((weights * weights) @ observed / observed_weight if unbiased else 0.0)
    return np.asarray(centred * np.sqrt(denominator / observed_denominator))


def _weighted_product(centred: Matrix, weights: Vector, *, bias: bool) -> Matrix:
    total = weights.sum()
    product = (centred * weights[:, None]).T @ centred / total
    if not bias:
        product *= total**2 / (total**2 - float(weights @ weights))
    return np.asarray(product)


def _portfolio(weights: ArrayLike, cov: ArrayLike) -> tuple[Vector, Matrix]:
    checked = covariance(cov, "covariance")
    return vector(weights, "weights", length=checked.shape[0]), checked
