"""Hierarchical Risk Parity (Lopez de Prado, "Building Diversified Portfolios that Outperform Out of Sample", 2016).

The paper's steps, as PyPortfolioOpt's HRPOpt and Riskfolio-Lib's HCPortfolio(model="HRP") run
them: distance sqrt((1 - rho) / 2), single linkage, leaves in dendrogram order
(quasi-diagonalisation), then recursive bisection of the ordered list into halves, each half
getting 1 - V_half / (V_left + V_right) of its parent's weight, V being the variance of the
inverse-variance portfolio inside the half.

Vectorised: the halves depend only on the number of pods, so all clusters of one level are
handled at once. With u = 1/σ² in dendrogram order, P = (u uᵀ) ∘ Σ and R its row-wise prefix sums,
a cluster [a, b) has V = Σ_{i in [a, b)} (R[i, b] - R[i, a]) / (Σ_{i in [a, b)} u_i)². One O(N²) pass
builds R; each level then costs O(N).
"""

from __future__ import annotations

import numpy as np
import scipy.cluster.hierarchy as hierarchy
import scipy.spatial.distance as distance
from numpy.typing import ArrayLike, NDArray

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.validation import Matrix, Vector, covariance

LINKAGE_METHODS = ("single", "complete", "average", "ward")


def correlation_distance(correlation: Matrix) -> Matrix:
    """sqrt((1 - rho) / 2), clipped into [0, 1] against rounding."""
    return np.asarray(np.sqrt(np.clip((1.0 - correlation) / 2.0, 0.0, 1.0)))


def quasi_diagonal_order(correlation: Matrix, linkage: str = "single") -> NDArray[np.intp]:
    """Pod indices in the order of the dendrogram's leaves, so that correlated pods sit together."""
    if linkage not in LINKAGE_METHODS:
        raise InvalidArgument("linkage", f"must be one of {', '.join(LINKAGE_METHODS)}, got {linkage!r}")
    condensed = distance.squareform(correlation_distance(correlation), checks=False)
    return np.asarray(hierarchy.leaves_list(hierarchy.linkage(condensed, method=linkage)), dtype=np.intp)


def hrp_weights(cov: ArrayLike, linkage: str = "single") -> Vector:
    """Long-only HRP weights summing to 1, in the covariance's order."""
    checked = covariance(cov, "covariance")
    n = checked.shape[0]
    variances = np.diag(checked)
    if np.any(variances <= 0):
        raise InvalidArgument("covariance", f"variance {int(np.argmax(variances <= 0))} must be > 0 for HRP")
    if n == 1:
        return np.ones(1)
    deviations = np.sqrt(variances)
    order = quasi_diagonal_order(checked / np.outer(deviations, deviations), linkage)
    inverse = 1.0 / variances[order]
    weighted = checked[np.ix_(order, order)] * inverse[:, None] * inverse[None, :]
    row_prefix = np.zeros((n, n + 1))
    np.cumsum(weighted, axis=1, out=row_prefix[:, 1:])
    inverse_prefix = np.concatenate(([0.0], np.cumsum(inverse)))

    def cluster_variance(starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Vector:
        rows, owner = _ranges(starts, ends)
        inside = row_prefix[rows, ends[owner]] - row_prefix[rows, starts[owner]]
        offsets = np.cumsum(ends - starts) - (ends - starts)
        return np.asarray(np.add.reduceat(inside, offsets) / (inverse_prefix[ends] - inverse_prefix[starts]) ** 2)

    ordered = np.ones(n)
    starts = np.zeros(1, dtype=np.intp)
    ends = np.full(1, n, dtype=np.intp)
    while starts.size:
        middles = starts + (ends - starts) // 2
        left = cluster_variance(starts, middles)
        right = cluster_variance(middles, ends)
        alpha = 1.0 - left / (left + right)
        rows, owner = _ranges(starts, middles)
        ordered[rows] *= alpha[owner]
        rows, owner = _ranges(middles, ends)
        ordered[rows] *= 1.0 - alpha[owner]
        starts = np.column_stack((starts, middles)).ravel()
        ends = np.column_stack((middles, ends)).ravel()
        split = ends - starts > 1
        starts, ends = starts[split], ends[split]
    weights = np.empty(n)
    weights[order] = ordered
    return weights


def _ranges(starts: NDArray[np.intp], ends: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    # Every index of the ranges [starts[k], ends[k]) concatenated, and the k each belongs to.
    lengths = ends - starts
    owner = np.repeat(np.arange(lengths.size), lengths)
    offsets = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) - offsets[owner] + starts[owner], owner
