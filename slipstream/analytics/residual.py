"""Alpha net of crypto beta: each pod's daily returns regressed on BTC's and ETH's, with Newey-West errors.

Model: r_pod,t = alpha + sum_f beta_f r_f,t + e_t, by OLS with an intercept. A pod that is
long BTC earns BTC's return without skill; only alpha (and its t-statistic) is skill.

Standard errors are HAC (Newey & West 1987), computed exactly as statsmodels'
`sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})` does with its defaults, so the
numbers can be checked against it: Bartlett kernel with weights 1 - l/(L+1); no small-sample
correction (use_correction=False: no n/(n-k) factor); t-statistics against the normal
distribution (use_t=False), two-sided p-values; R^2 centred (the design has a constant).
Default lag L = floor(4 (n/100)^(2/9)), the Newey-West (1994) rule statsmodels also uses when
no lag is given: 5 for 365 days, 6 for 730.

Batching: pods observed on the same days share the design X, so (X'X)^-1 X' is computed once
and the HAC "meat" of every pod in one vectorised pass. Missing days: a pod is fitted on the
days where it and every factor have a finite return. Pods are grouped by that validity mask and
each group of two or more is one shared-design batch; pods whose mask nobody shares (a pod that
started on its own day, or has its own gap) are fitted together in one more vectorised pass,
each on its own rows. Within a pod's valid days the gaps close up (lags count observations, not
calendar days), which is what statsmodels does when handed the rows with the NaNs dropped.

Alpha is annualised linearly over a 365-day year (an arithmetic daily mean, not compounded).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument

DAYS_PER_YEAR = 365


def newey_west_lags(observation_count: int) -> int:
    """Return floor(4 (n/100)^(2/9)), the default HAC lag for n observations."""
    return int(math.floor(4 * (observation_count / 100.0) ** (2.0 / 9.0)))


@dataclass(frozen=True, eq=False)
class HacFit:
    """OLS fits of many responses on one design: params, bse, tvalues and pvalues are responses x design
    columns, rsquared one per response, residuals observations x responses."""

    observation_count: int
    maxlags: int
    params: np.ndarray
    bse: np.ndarray
    tvalues: np.ndarray
    pvalues: np.ndarray
    rsquared: np.ndarray
    residuals: np.ndarray


def _two_sided_normal_p(tvalues: np.ndarray) -> np.ndarray:
    # 2 (1 - Phi(|t|)) = erfc(|t| / sqrt 2); erfc keeps full precision far in the tail.
    flat = [math.erfc(abs(t) / math.sqrt(2.0)) if math.isfinite(t) else math.nan for t in tvalues.ravel()]
    return np.array(flat).reshape(tvalues.shape)


def hac_ols(design: np.ndarray, responses: np.ndarray, maxlags: int | None = None) -> HacFit:
    """Fit every column of `responses` (n x m) on `design` (n x k, with a constant column) with HAC errors."""
    x = np.asarray(design, dtype=np.float64)
    y = np.asarray(responses, dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    if x.ndim != 2 or y.ndim != 2 or x.shape[0] != y.shape[0]:
        raise InvalidArgument("design", f"must be n x k with n equal to the responses' rows, got {x.shape}, {y.shape}")
    n, k = x.shape
    if n <= k:
        raise InvalidArgument("responses", f"need more observations ({n}) than parameters ({k})")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InvalidArgument("responses", "must be finite: drop missing days first")
    if not np.any((np.ptp(x, axis=0) == 0) & (x[0] != 0)):
        raise InvalidArgument("design", "must include a constant column")
    lags = newey_west_lags(n) if maxlags is None else maxlags
    if not 0 <= lags < n:
        raise InvalidArgument("maxlags", f"must be in [0, {n}), got {lags}")

    params, bse, rsquared, residuals = _shared_hac(x, y, lags)
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = params / bse
    return HacFit(
        observation_count=n,
        maxlags=lags,
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=_two_sided_normal_p(tvalues),
        rsquared=rsquared,
        residuals=residuals,
    )


def _shared_hac(x: np.ndarray, y: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # statsmodels' own route: the pseudo-inverse gives both the estimates and (X'X)^-1 = pinv pinv'.
    n, k = x.shape
    pinv = np.linalg.pinv(x)
    params = (pinv @ y).T
    residuals = y - x @ params.T
    bread = pinv @ pinv.T

    # The HAC meat of response r at lag l is sum_t x[t+l] x[t]' e[t+l, r] e[t, r]. Written as
    # (e[t+l] * e[t])' @ (x[t+l] outer x[t]) it is one matrix product for all responses at once.
    meat = np.zeros((y.shape[1], k, k))
    for lag in range(lags + 1):
        outer = (x[lag:, :, None] * x[: n - lag, None, :]).reshape(n - lag, k * k)
        cross = ((residuals[lag:] * residuals[: n - lag]).T @ outer).reshape(-1, k, k)
        if lag == 0:
            meat += cross
        else:
            meat += (1.0 - lag / (lags + 1.0)) * (cross + cross.transpose(0, 2, 1))
    covariance = np.einsum("ij,rjk,lk->ril", bread, meat, bread)
    centred = y - y.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rsquared = 1.0 - np.einsum("tr,tr->r", residuals, residuals) / np.einsum("tr,tr->r", centred, centred)
    return params, np.sqrt(np.diagonal(covariance, axis1=1, axis2=2)), rsquared, residuals


@dataclass(frozen=True)
class ResidualFit:
    """One pod's regression on the factors; `alpha_daily` is the intercept, per day."""

    pod_id: str
    factors: tuple[str, ...]
    observation_count: int
    maxlags: int
    alpha_daily: float
    alpha_annualized: float
    alpha_t: float
    alpha_p: float
    alpha_se: float
    betas: tuple[float, ...]
    beta_ses: tuple[float, ...]
    beta_ts: tuple[float, ...]
    beta_ps: tuple[float, ...]
    r_squared: float
    mean_return: float

    def beta(self, factor: str) -> float:
        """Return the beta to one factor by name."""
        if factor not in self.factors:
            raise InvalidArgument("factor", f"unknown factor {factor!r}; have {list(self.factors)}")
        return self.betas[self.factors.index(factor)]


@dataclass(frozen=True, eq=False)
class ResidualReport:
    """All pods' fits; `alpha_returns` holds alpha + residual per day (NaN where a pod was not fitted)."""

    fits: Mapping[str, ResidualFit]
    alpha_returns: pd.DataFrame
    too_short: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """Return one row per fitted pod: alpha, betas, their t-statistics and p-values, R^2."""
        rows = []
        for fit in self.fits.values():
            row: dict[str, object] = {
                "pod_id": fit.pod_id,
                "observation_count": fit.observation_count,
                "maxlags": fit.maxlags,
                "alpha_daily": fit.alpha_daily,
                "alpha_annualized": fit.alpha_annualized,
                "alpha_t": fit.alpha_t,
                "alpha_p": fit.alpha_p,
            }
            for factor, beta, t, p in zip(fit.factors, fit.betas, fit.beta_ts, fit.beta_ps, strict=True):
                row.update({f"beta_{factor}": beta, f"beta_{factor}_t": t, f"beta_{factor}_p": p})
            row["r_squared"] = fit.r_squared
            row["mean_return"] = fit.mean_return
            rows.append(row)
        return pd.DataFrame(rows)


def _aligned(pod_returns: pd.DataFrame, factor_returns: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    for name, frame in (("pod_returns", pod_returns), ("factor_returns", factor_returns)):
        if not frame.index.is_unique:
            raise InvalidArgument(f"{name}.index", "days must be unique")
        if frame.columns.empty:
            raise InvalidArgument(name, "must have at least one column")
        if not frame.columns.is_unique:
            raise InvalidArgument(f"{name}.columns", "must be unique")
    days = pod_returns.index.intersection(factor_returns.index).sort_values()
    arrays = []
    for name, frame in (("pod_returns", pod_returns), ("factor_returns", factor_returns)):
        values = (frame if frame.index.equals(days) else frame.loc[days]).to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isinf(values).any():
            raise InvalidArgument(name, "must not hold infinite returns (NaN marks a missing day)")
        arrays.append(values)
    return days, arrays[0], arrays[1]


def _compacted_hac(
    design: np.ndarray, returns: np.ndarray, valid: np.ndarray, lags: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Pods whose valid days nobody shares, fitted together: each pod's valid rows move to the
    # front in order (closing its gaps, as dropping them does) and zero rows pad the rest. Zero
    # rows change neither the pseudo-inverse nor any HAC sum, so this is each pod's own fit.
    counts = valid.sum(axis=0)
    order = np.argsort(~valid, axis=0, kind="stable")
    kept = (np.arange(len(valid))[:, None] < counts).T
    y = np.where(kept, np.take_along_axis(returns, order, axis=0).T, 0.0)
    x = np.where(kept[:, :, None], design[order].transpose(1, 0, 2), 0.0)
    pinv = np.linalg.pinv(x)
    params = np.einsum("rkt,rt->rk", pinv, y)
    residuals = y - np.einsum("rtk,rk->rt", x, params)
    scores = x * residuals[:, :, None]
    meat = np.matmul(scores.transpose(0, 2, 1), scores)
    for lag in range(1, int(lags.max()) + 1):
        weights = np.where(lag <= lags, 1.0 - lag / (lags + 1.0), 0.0)
        cross = np.matmul(scores[:, lag:].transpose(0, 2, 1), scores[:, :-lag])
        meat += weights[:, None, None] * (cross + cross.transpose(0, 2, 1))
    bread = np.matmul(pinv, pinv.transpose(0, 2, 1))
    covariance = np.matmul(np.matmul(bread, meat), bread.transpose(0, 2, 1))
    centred = np.where(kept, y - (y.sum(axis=1) / counts)[:, None], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rsquared = 1.0 - np.einsum("rt,rt->r", residuals, residuals) / np.einsum("rt,rt->r", centred, centred)
    return params, np.sqrt(np.diagonal(covariance, axis1=1, axis2=2)), rsquared


def fit_residuals(
    pod_returns: pd.DataFrame,
    factor_returns: pd.DataFrame,
    maxlags: int | None = None,
    min_observations: int = 30,
) -> ResidualReport:
    """Regress every pod (a column of daily returns; NaN = no return that day) on the factors' daily returns.

    Days are matched by index label. Pods with fewer than `min_observations` valid days are
    listed in `too_short` instead of fitted. `maxlags` None uses each pod's Newey-West default.
    """
    factor_names = tuple(str(name) for name in factor_returns.columns)
    if min_observations < len(factor_names) + 2:
        raise InvalidArgument("min_observations", f"must be >= {len(factor_names) + 2}, got {min_observations}")
    if maxlags is not None and maxlags < 0:
        raise InvalidArgument("maxlags", f"must be >= 0, got {maxlags}")
    days, returns, factors = _aligned(pod_returns, factor_returns)
    pods = [str(pod) for pod in pod_returns.columns]
    valid = np.isfinite(returns) & np.isfinite(factors).all(axis=1)[:, None]
    counts = valid.sum(axis=0)
    enough = counts >= max(min_observations, 0 if maxlags is None else maxlags + 1)
    lags = np.array([newey_west_lags(int(count)) if maxlags is None else maxlags for count in counts])
    design = np.column_stack([np.ones(len(days)), factors])

    groups: dict[bytes, list[int]] = {}
    packed = np.ascontiguousarray(np.packbits(valid, axis=0).T)
    for member in np.flatnonzero(enough).tolist():
        groups.setdefault(packed[member].tobytes(), []).append(member)
    params = np.full((len(pods), design.shape[1]), np.nan)
    bse = np.full_like(params, np.nan)
    rsquared = np.full(len(pods), np.nan)
    alone = []
    for members in groups.values():
        if len(members) == 1:
            alone.append(members[0])
            continue
        rows = valid[:, members[0]]
        params[members], bse[members], rsquared[members], _ = _shared_hac(
            design[rows], returns[:, members][rows], int(lags[members[0]])
        )
    if alone:
        params[alone], bse[alone], rsquared[alone] = _compacted_hac(
            design, returns[:, alone], valid[:, alone], lags[alone]
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = params / bse
    pvalues = _two_sided_normal_p(tvalues)
    means = np.where(valid, returns, 0.0).sum(axis=0) / np.maximum(counts, 1)

    # Python floats in one go: converting element by element costs more than the fits.
    coefficients, errors, tstats, pstats = params.tolist(), bse.tolist(), tvalues.tolist(), pvalues.tolist()
    fits = {}
    for member in np.flatnonzero(enough).tolist():
        fits[pods[member]] = ResidualFit(
            pod_id=pods[member],
            factors=factor_names,
            observation_count=int(counts[member]),
            maxlags=int(lags[member]),
            alpha_daily=coefficients[member][0],
            alpha_annualized=coefficients[member][0] * DAYS_PER_YEAR,
            alpha_t=tstats[member][0],
            alpha_p=pstats[member][0],
            alpha_se=errors[member][0],
            betas=tuple(coefficients[member][1:]),
            beta_ses=tuple(errors[member][1:]),
            beta_ts=tuple(tstats[member][1:]),
            beta_ps=tuple(pstats[member][1:]),
            r_squared=float(rsquared[member]),
            mean_return=float(means[member]),
        )
    # Alpha + residual = return - beta x factors; NaN wherever the pod, a factor or the fit is missing.
    alpha_returns = returns - factors @ params[:, 1:].T
    return ResidualReport(
        fits=fits,
        alpha_returns=pd.DataFrame(alpha_returns, index=days, columns=pod_returns.columns),
        too_short=tuple(sorted(pods[member] for member in np.flatnonzero(~enough).tolist())),
    )


def rolling_betas(pod_returns: pd.Series, factor_returns: pd.DataFrame, window: int) -> pd.DataFrame:
    """Return alpha and betas fitted by OLS over each trailing `window` of valid days, indexed by its last day.

    Days where the pod or a factor has no return are skipped, not zero-filled, so every window
    holds `window` real observations.
    """
    if window < factor_returns.shape[1] + 2:
        raise InvalidArgument("window", f"must be >= {factor_returns.shape[1] + 2}, got {window}")
    days, returns, factors = _aligned(pod_returns.to_frame(), factor_returns)
    rows = np.isfinite(returns[:, 0]) & np.isfinite(factors).all(axis=1)
    columns = ["alpha", *(str(name) for name in factor_returns.columns)]
    if rows.sum() < window:
        return pd.DataFrame(columns=columns, dtype=np.float64)
    x = np.column_stack([np.ones(int(rows.sum())), factors[rows]])
    y = returns[rows, 0]
    x_windows = np.lib.stride_tricks.sliding_window_view(x, window, axis=0)
    y_windows = np.lib.stride_tricks.sliding_window_view(y, window)
    gram = np.matmul(x_windows, x_windows.transpose(0, 2, 1))
    moment = np.matmul(x_windows, y_windows[:, :, None])
    params = np.matmul(np.linalg.pinv(gram), moment)[:, :, 0]
    return pd.DataFrame(params, index=days[rows][window - 1 :], columns=columns)


@dataclass(frozen=True)
class PnlAttribution:
    """Where a pod's PnL came from: beta (factor exposure anyone can buy) or alpha (intercept + residual)."""

    pod_id: str
    total_pnl_usd: float
    beta_pnl_usd: float
    factor_pnl_usd: tuple[tuple[str, float], ...]
    alpha_pnl_usd: float
    intercept_pnl_usd: float
    residual_pnl_usd: float


def attribute_pnl(
    fit: ResidualFit, pod_returns: pd.Series, factor_returns: pd.DataFrame, capital_usd: float | pd.Series
) -> PnlAttribution:
    """Split the PnL (return x capital each day) into sum(beta x factor return x capital) and the rest.

    `capital_usd` is a constant or a per-day series; days where the pod or a factor has no
    return are skipped, as in the fit.
    """
    names = list(fit.factors)
    missing = [name for name in names if name not in factor_returns.columns]
    if missing:
        raise InvalidArgument("factor_returns", f"missing factors {missing}")
    days, returns, factors = _aligned(pod_returns.to_frame(), factor_returns[names])
    rows = np.isfinite(returns[:, 0]) & np.isfinite(factors).all(axis=1)
    if isinstance(capital_usd, pd.Series):
        capital = capital_usd.reindex(days[rows]).to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        capital = np.full(int(rows.sum()), float(capital_usd))
    if not (np.isfinite(capital).all() and (capital >= 0).all()):
        raise InvalidArgument("capital_usd", "must be finite and >= 0 on every day with a return")
    pnl = returns[rows, 0] * capital
    factor_pnl = factors[rows] * np.array(fit.betas) * capital[:, None]
    beta_pnl = float(factor_pnl.sum())
    total = float(pnl.sum())
    intercept = fit.alpha_daily * float(capital.sum())
    return PnlAttribution(
        pod_id=fit.pod_id,
        total_pnl_usd=total,
        beta_pnl_usd=beta_pnl,
        factor_pnl_usd=tuple((name, float(value)) for name, value in zip(names, factor_pnl.sum(axis=0), strict=True)),
        alpha_pnl_usd=total - beta_pnl,
        intercept_pnl_usd=intercept,
        residual_pnl_usd=total - beta_pnl - intercept,
    )


@dataclass(frozen=True)
class FakeAlphaPolicy:
    """When a profitable pod is a leveraged index fund: alpha not significant, beta significant.

    Defaults: alpha t-statistic below 2.0 (alpha not significantly positive at about the 5%
    level) while at least one beta has |t| >= 2.0, judged only on at least 90 daily returns (a
    real alpha's t-statistic grows with the square root of time: a month cannot show it). Profitable
    means a positive mean daily return.
    """

    alpha_t_min: float = 2.0
    beta_t_min: float = 2.0
    min_observations: int = 90

    def __post_init__(self) -> None:
        for name in ("alpha_t_min", "beta_t_min"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise InvalidArgument(f"policy.{name}", f"must be finite and >= 0, got {value}")


@dataclass(frozen=True)
class FakeAlphaVerdict:
    pod_id: str
    flagged: bool
    profitable: bool
    alpha_t: float
    max_abs_beta_t: float
    reason: str


def fake_alpha(fit: ResidualFit, policy: FakeAlphaPolicy | None = None) -> FakeAlphaVerdict:
    """Return whether a pod's profit is beta in disguise, making it a candidate for retirement."""
    policy = policy or FakeAlphaPolicy()
    profitable = fit.mean_return > 0
    max_beta_t = max((abs(t) for t in fit.beta_ts), default=0.0)
    alpha_significant = fit.alpha_t >= policy.alpha_t_min
    beta_significant = max_beta_t >= policy.beta_t_min
    enough = fit.observation_count >= policy.min_observations
    flagged = enough and profitable and not alpha_significant and beta_significant
    if not enough:
        reason = f"{fit.observation_count} daily returns, {policy.min_observations} needed to judge"
    elif flagged:
        reason = (
            f"profitable, but alpha t {fit.alpha_t:.2f} < {policy.alpha_t_min:g} while beta |t| {max_beta_t:.2f} >= "
            f"{policy.beta_t_min:g}: a leveraged index fund, retirement candidate"
        )
    elif not profitable:
        reason = "not profitable"
    elif alpha_significant:
        reason = f"alpha t {fit.alpha_t:.2f} >= {policy.alpha_t_min:g}: alpha is significant"
    else:
        reason = f"neither alpha (t {fit.alpha_t:.2f}) nor beta (|t| {max_beta_t:.2f}) is significant"
    return FakeAlphaVerdict(
        pod_id=fit.pod_id,
        flagged=flagged,
        profitable=profitable,
        alpha_t=fit.alpha_t,
        max_abs_beta_t=max_beta_t,
        reason=reason,
    )
