"""How much to believe a Sharpe ratio: PSR, minimum track record length and the deflated Sharpe ratio.

Bailey & Lopez de Prado (2012), "The Sharpe Ratio Efficient Frontier" (Journal of Risk 15(2)):

    PSR(SR*) = Phi( (SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2) )
    MinTRL   = 1 + (1 - g3 SR + (g4 - 1)/4 SR^2) (z_c / (SR - SR*))^2

Bailey & Lopez de Prado (2014), "The Deflated Sharpe Ratio" (Journal of Portfolio Management 40(5)):

    SR0 = sqrt(V[SR_n]) ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e))),  DSR = PSR(SR0)

Conventions, all of which the formulas assume and mixing them is the classic mistake:

- Every Sharpe ratio is per period (per day for daily returns), never annualised; convert with
  `per_period` / `annualized` (crypto trades every day: 365 periods a year by default).
- g3 is the skewness and g4 the RAW kurtosis (3 for a normal distribution), not the excess.
- Moments are population (plug-in, 1/n) estimates: mean, std = sqrt(m2), g3 = m3 / m2^1.5,
  g4 = m4 / m2^2, as in the papers' asymptotics and scipy.stats' defaults (bias=True). The
  sample (n - 1) standard deviation would shrink every Sharpe by sqrt((n - 1) / n).
- V[SR_n] is the variance, across the N trials, of their per-period Sharpe ratios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from slipstream.core.errors import InvalidArgument

DAYS_PER_YEAR = 365
_NORMAL = NormalDist()


@dataclass(frozen=True)
class ReturnMoments:
    """Population moments of a return series; `sharpe` is per period and `kurtosis` raw."""

    observation_count: int
    mean: float
    std: float
    sharpe: float
    skewness: float
    kurtosis: float


def return_moments(returns: npt.ArrayLike, field: str = "returns") -> ReturnMoments:
    """Return the moments the Sharpe statistics need, raising InvalidArgument on NaN, < 2 values or no variance."""
    values = np.asarray(returns, dtype=np.float64)
    if values.ndim != 1:
        raise InvalidArgument(field, f"must be one-dimensional, got shape {values.shape}")
    if values.size < 2:
        raise InvalidArgument(field, f"needs at least 2 observations, got {values.size}")
    if not np.isfinite(values).all():
        raise InvalidArgument(field, "must be finite (drop missing days before computing moments)")
    mean = float(values.mean())
    deviations = values - mean
    m2 = float(np.mean(deviations**2))
    std = math.sqrt(m2)
    # A constant series leaves only rounding noise in its deviations.
    if std == 0.0 or std <= 1e-12 * abs(mean):
        raise InvalidArgument(field, "has no variance: the Sharpe ratio is undefined")
    return ReturnMoments(
        observation_count=int(values.size),
        mean=mean,
        std=std,
        sharpe=mean / std,
        skewness=float(np.mean(deviations**3)) / m2**1.5,
        kurtosis=float(np.mean(deviations**4)) / m2**2,
    )


def per_period(annualized_sharpe: float, periods_per_year: int = DAYS_PER_YEAR) -> float:
    """Return the per-period Sharpe ratio of an annualised one (i.i.d. scaling by sqrt(periods))."""
    return annualized_sharpe / math.sqrt(periods_per_year)


def annualized(sharpe: float, periods_per_year: int = DAYS_PER_YEAR) -> float:
    """Return the annualised Sharpe ratio of a per-period one (i.i.d. scaling by sqrt(periods))."""
    return sharpe * math.sqrt(periods_per_year)


def _finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise InvalidArgument(name, f"must be finite, got {value}")


def _dispersion(sharpe: float, skewness: float, kurtosis: float) -> float:
    # 1 - g3 SR + (g4 - 1)/4 SR^2: the variance of the Sharpe estimate times (n - 1). It is
    # >= (1 - g3 SR / 2)^2 >= 0 for any real distribution, because g4 >= 1 + g3^2.
    for name, value in (("sharpe", sharpe), ("skewness", skewness), ("kurtosis", kurtosis)):
        _finite(name, value)
    if kurtosis < 1.0 + skewness**2 - 1e-9:
        raise InvalidArgument(
            "kurtosis",
            f"is the raw kurtosis (3 for a normal) and must be >= 1 + skewness^2, got {kurtosis} with skewness "
            f"{skewness}",
        )
    value = 1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe**2
    if value <= 0.0:
        raise InvalidArgument("sharpe", f"gives a degenerate Sharpe variance with skewness {skewness}")
    return value


def probabilistic_sharpe_ratio(
    sharpe: float, observation_count: int, skewness: float, kurtosis: float, benchmark_sharpe: float = 0.0
) -> float:
    """Return the probability that the true per-period Sharpe ratio exceeds `benchmark_sharpe`."""
    if observation_count < 2:
        raise InvalidArgument("observation_count", f"must be >= 2, got {observation_count}")
    _finite("benchmark_sharpe", benchmark_sharpe)
    dispersion = _dispersion(sharpe, skewness, kurtosis)
    return _NORMAL.cdf((sharpe - benchmark_sharpe) * math.sqrt(observation_count - 1) / math.sqrt(dispersion))


def psr_of_returns(returns: npt.ArrayLike, benchmark_sharpe: float = 0.0) -> float:
    """Return the PSR of a per-period return series against a per-period benchmark Sharpe ratio."""
    moments = return_moments(returns)
    return probabilistic_sharpe_ratio(
        moments.sharpe, moments.observation_count, moments.skewness, moments.kurtosis, benchmark_sharpe
    )


def minimum_track_record_length(
    sharpe: float, skewness: float, kurtosis: float, benchmark_sharpe: float = 0.0, confidence: float = 0.95
) -> float:
    """Return the observations needed for PSR(benchmark) to reach `confidence`; infinite when SR <= benchmark.

    It is PSR solved for n: a track record at least this long has PSR >= confidence.
    """
    _finite("benchmark_sharpe", benchmark_sharpe)
    if not 0.0 < confidence < 1.0:
        raise InvalidArgument("confidence", f"must be in (0, 1), got {confidence}")
    dispersion = _dispersion(sharpe, skewness, kurtosis)
    if sharpe <= benchmark_sharpe:
        return math.inf
    return 1.0 + dispersion * (_NORMAL.inv_cdf(confidence) / (sharpe - benchmark_sharpe)) ** 2


def expected_maximum_sharpe(sharpe_variance: float, trial_count: int) -> float:
    """Return SR0, the per-period Sharpe ratio the best of `trial_count` skill-less trials is expected to show.

    One trial is no selection: SR0 = 0 (the formula's Phi^-1(0) would be minus infinity).
    """
    if trial_count < 1:
        raise InvalidArgument("trial_count", f"must be >= 1, got {trial_count}")
    if not (math.isfinite(sharpe_variance) and sharpe_variance >= 0.0):
        raise InvalidArgument("sharpe_variance", f"must be finite and >= 0, got {sharpe_variance}")
    if trial_count == 1:
        return 0.0
    gamma = float(np.euler_gamma)
    return math.sqrt(sharpe_variance) * (
        (1.0 - gamma) * _NORMAL.inv_cdf(1.0 - 1.0 / trial_count)
        + gamma * _NORMAL.inv_cdf(1.0 - 1.0 / (trial_count * math.e))
    )


def deflated_sharpe_ratio(
    sharpe: float,
    observation_count: int,
    skewness: float,
    kurtosis: float,
    sharpe_variance: float,
    trial_count: int,
) -> float:
    """Return the DSR: the PSR against the Sharpe ratio the best of `trial_count` trials would show by luck."""
    benchmark = expected_maximum_sharpe(sharpe_variance, trial_count)
    return probabilistic_sharpe_ratio(sharpe, observation_count, skewness, kurtosis, benchmark)
