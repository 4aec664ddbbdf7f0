"""Target weights from the pods' covariance, by a selectable method; `constraints` turns them into capital.

All methods are long-only and ignore expected returns on purpose: a pod's mean return is far too
noisy to optimise on (a year of daily returns pins an annual Sharpe ratio down only to about
±1), while its risk is estimated well. Performance enters through `decay`, as caps.
"""

from __future__ import annotations

import enum

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.hrp import hrp_weights
from slipstream.optimizer.validation import Vector, covariance, vector


class AllocationMethod(enum.Enum):
    INVERSE_VOLATILITY = "inverse_volatility"
    HRP = "hrp"
    MAX_DIVERSIFICATION = "max_diversification"


def inverse_volatility_weights(cov: ArrayLike) -> Vector:
    """w_i ∝ 1/σ_i: naive risk parity, each pod the same stand-alone risk, correlations ignored."""
    checked = covariance(cov, "covariance")
    deviations = np.sqrt(np.diag(checked))
    if np.any(deviations == 0):
        raise InvalidArgument("covariance", f"variance {int(np.argmax(deviations == 0))} must be > 0")
    inverse = 1.0 / deviations
    return np.asarray(inverse / inverse.sum())


def max_diversification_weights(
    cov: ArrayLike,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
) -> Vector:
    """Weights maximising Choueifaty's diversification ratio wᵀσ / sqrt(wᵀΣw) within [lower, upper], summing to 1.

    Solved as the equivalent convex problem (Choueifaty and Coignard 2008): minimise yᵀΣy subject
    to σᵀy = 1, lower·1ᵀy <= y <= upper·1ᵀy, then w = y / 1ᵀy; SLSQP from inverse volatility.
    SLSQP is dense (cubic in the pods per iteration): fine for tens of pods, seconds at a few hundred.
    Raises RuntimeError if it does not converge (an internal failure, not a bad request).
    """
    checked = covariance(cov, "covariance")
    n = checked.shape[0]
    low = np.zeros(n) if lower is None else vector(lower, "lower", length=n, non_negative=True)
    high = np.ones(n) if upper is None else vector(upper, "upper", length=n, non_negative=True)
    if np.any(low > high):
        raise InvalidArgument("lower", f"bound {int(np.argmax(low > high))} is above its upper bound")
    if low.sum() > 1.0 + 1e-12 or high.sum() < 1.0 - 1e-12:
        raise InvalidArgument("upper", "weights summing to 1 cannot satisfy the bounds")
    start = inverse_volatility_weights(checked)
    if n == 1:
        return start
    deviations = np.sqrt(np.diag(checked))
    scale = float(np.mean(deviations))
    correlation_like = checked / scale**2
    ones = np.ones(n)
    identity = np.eye(n)
    constraints = [{"type": "eq", "fun": lambda y: deviations @ y / scale - 1.0, "jac": lambda y: deviations / scale}]
    if np.any(low > 0):
        constraints.append(
            {"type": "ineq", "fun": lambda y: y - low * y.sum(), "jac": lambda y: identity - np.outer(low, ones)}
        )
    if np.any(high < 1):
        constraints.append(
            {"type": "ineq", "fun": lambda y: high * y.sum() - y, "jac": lambda y: np.outer(high, ones) - identity}
        )
    result = optimize.minimize(
        lambda y: float(y @ correlation_like @ y),
        start / float(deviations @ start / scale),
        jac=lambda y: 2.0 * correlation_like @ y,
        bounds=[(0.0, None)] * n,
        constraints=constraints,
        method="SLSQP",
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    y = np.clip(result.x, 0.0, None)
    if not result.success or y.sum() <= 0:
        raise RuntimeError(f"max-diversification did not converge: {result.message}")
    return np.asarray(y / y.sum())


def target_weights(
    cov: ArrayLike,
    method: AllocationMethod,
    *,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    linkage: str = "single",
) -> Vector:
    """Weights by `method`; only max-diversification can honour bounds itself, the others are clipped later."""
    if method is AllocationMethod.INVERSE_VOLATILITY:
        return inverse_volatility_weights(cov)
    if method is AllocationMethod.HRP:
        return hrp_weights(cov, linkage)
    return max_diversification_weights(cov, lower, upper)
