"""Capital per pod from target weights, inside every bound at once, with the reasons that shaped it.

Bounds of pod i, in USD (fractions are of the total capital C):
  lower L_i = max(min_usd, min_fraction·C)
  upper U_i = min(max_usd, max_fraction·C, lifecycle-stage cap, liquidity capacity, decay cap)
The decay cap is decay_multiplier × current capital, so a decaying pod can only shrink; it stops
at L_i, because a minimum is a commitment that only an explicit change of the pod's bounds
withdraws. For the whole: sum x <= C and, when set, turnover sum |x - current| <= T.

Three steps, each keeping what the previous one established:
 1. Target: x = clip(λ·w, L, U) with λ chosen so that sum x = S, the most capital the caps let the
    pods with positive weight take (at most C). Scaling keeps the unbound pods in the ratio of
    their weights: what a capped pod cannot take goes to the others pro rata, as capped HRP
    allocations usually do. λ is solved exactly on the piecewise-linear sum of clip(λ·w).
 2. Forced moves: the current allocation clipped into [L, U] and, if that still sums above C, cut
    pro rata to each pod's room above its minimum: the least turnover any feasible allocation needs.
 3. Turnover: every pod moves the same fraction θ = min(1, budget left / distance) of the way from
    there to the target. Both ends are feasible and the feasible set is convex, so the blend is
    too, and turnover <= forced + θ·distance <= T. Capital that turnover holds back stays undeployed.
Infeasible inputs raise InvalidArgument: a minimum above a cap, or minimums summing above C.
Forced moves are made even beyond the turnover budget (risk caps are never traded off against
turnover; the allocation's notes say so), and then nothing discretionary moves.
Held pods (no target weight, e.g. too little history) keep their current capital, clipped into
their bounds. Results are exact up to floating-point rounding (~1e-9 of C).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.validation import Vector, finite_number

CAP_NAMES = ("max_usd", "max_fraction", "stage cap", "liquidity capacity", "decay")


@dataclass(frozen=True)
class PodConstraint:
    """Every bound the centre puts on one pod's capital; USD unless the name says fraction (of total capital)."""

    pod_id: str
    current_usd: float = 0.0
    min_usd: float = 0.0
    max_usd: float = math.inf
    min_fraction: float = 0.0
    max_fraction: float = 1.0
    stage: str = ""
    stage_cap_usd: float = math.inf
    liquidity_cap_usd: float = math.inf
    decay_multiplier: float = 1.0
    decay_reason: str = ""


@dataclass(frozen=True)
class CapitalPolicy:
    total_capital_usd: float
    max_turnover_usd: float | None = None


@dataclass(frozen=True, eq=False)
class CapitalBounds:
    """Per-pod bounds in USD; `caps_usd` holds one row per name in CAP_NAMES (inf where absent)."""

    lower_usd: Vector
    upper_usd: Vector
    caps_usd: np.ndarray


@dataclass(frozen=True)
class PodAllocation:
    pod_id: str
    capital_usd: float
    previous_usd: float
    target_weight: float
    target_usd: float
    lower_usd: float
    upper_usd: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Allocation:
    pods: tuple[PodAllocation, ...]
    total_capital_usd: float
    deployed_usd: float
    turnover_usd: float
    forced_turnover_usd: float
    turnover_progress: float
    notes: tuple[str, ...]

    def capital_by_pod(self) -> dict[str, float]:
        return {pod.pod_id: pod.capital_usd for pod in self.pods}


def apply_constraints(
    constraints: Sequence[PodConstraint],
    target_weights: Mapping[str, float],
    policy: CapitalPolicy,
    *,
    method: str = "target",
    held_reasons: Mapping[str, str] | None = None,
) -> Allocation:
    """Allocate `policy.total_capital_usd` toward `target_weights` within every bound (see the module docstring).

    Pods without a target weight are held at their current capital; `held_reasons` says why.
    """
    held_reasons = held_reasons or {}
    total = finite_number(policy.total_capital_usd, "policy.total_capital_usd", minimum=0.0)
    budget = None
    if policy.max_turnover_usd is not None:
        budget = finite_number(policy.max_turnover_usd, "policy.max_turnover_usd", minimum=0.0)
    if not constraints:
        raise InvalidArgument("constraints", "must name at least one pod")
    index = _pod_index(constraints)
    weights = np.zeros(len(constraints))
    for pod_id, weight in target_weights.items():
        if pod_id not in index:
            raise InvalidArgument(f"target_weights[{pod_id}]", "no constraints for this pod")
        if pod_id in held_reasons:
            raise InvalidArgument(f"target_weights[{pod_id}]", "a held pod cannot have a target weight")
        weights[index[pod_id]] = finite_number(weight, f"target_weights[{pod_id}]", minimum=0.0)
    held = np.array([c.pod_id not in target_weights for c in constraints])

    current = _column(constraints, "current_usd")
    bounds = capital_bounds(constraints, total)
    lower, upper, caps = bounds.lower_usd, bounds.upper_usd, bounds.caps_usd
    pinned = np.clip(current, lower, upper)
    lower = np.where(held, pinned, lower)
    upper = np.where(held, pinned, upper)
    tolerance = 1e-9 * max(total, 1.0)
    if lower.sum() > total + tolerance:
        raise InvalidArgument(
            "policy.total_capital_usd",
            f"{total:,.2f} USD is below the {lower.sum():,.2f} USD that the pods' minimums and held capital need",
        )

    positive = weights > 0
    reachable = float(upper[positive].sum() + lower[~positive].sum())
    deployable = min(total, reachable)
    scale = _scale_for_total(weights, lower, upper, deployable)
    target = np.clip(scale * weights, lower, upper)

    start = np.clip(current, lower, upper)
    excess = float(start.sum()) - total
    room = start - lower
    if excess > 0 and room.sum() > 0:
        start = start - excess * room / room.sum()
    forced = float(np.abs(start - current).sum())
    distance = float(np.abs(target - start).sum())
    progress = 1.0
    if budget is not None and distance > max(budget - forced, 0.0):
        progress = max(budget - forced, 0.0) / distance
    capital = np.clip(start + progress * (target - start), lower, upper)

    reasons = _reasons(
        constraints, weights, held, held_reasons, method, current, start, target, capital, lower, upper, caps, scale
    )
    turnover = float(np.abs(capital - current).sum())
    notes = []
    if deployable < total - tolerance:
        notes.append(f"caps leave {total - deployable:,.0f} of {total:,.0f} USD undeployed")
    if forced > tolerance:
        notes.append(f"bounds and total capital force {forced:,.0f} USD of moves")
    if budget is not None and forced > budget + tolerance:
        notes.append(f"forced moves exceed the turnover budget of {budget:,.0f} USD: risk caps come first")
    if progress < 1.0:
        notes.append(f"turnover budget {budget:,.0f} USD binds: {progress:.1%} of the way to target")
    pods = tuple(
        PodAllocation(
            pod_id=c.pod_id,
            capital_usd=float(capital[i]),
            previous_usd=float(current[i]),
            target_weight=float(weights[i]),
            target_usd=float(target[i]),
            lower_usd=float(lower[i]),
            upper_usd=float(upper[i]),
            reasons=reasons[i],
        )
        for i, c in enumerate(constraints)
    )
    return Allocation(
        pods=pods,
        total_capital_usd=total,
        deployed_usd=float(capital.sum()),
        turnover_usd=turnover,
        forced_turnover_usd=forced,
        turnover_progress=progress,
        notes=tuple(notes),
    )


def capital_bounds(constraints: Sequence[PodConstraint], total_capital_usd: float) -> CapitalBounds:
    """Each pod's [lower, upper] in USD from its constraints; InvalidArgument when a minimum is above a cap."""
    total = finite_number(total_capital_usd, "policy.total_capital_usd", minimum=0.0)
    current = _column(constraints, "current_usd")
    lower = np.maximum(_column(constraints, "min_usd"), _column(constraints, "min_fraction", upper=1.0) * total)
    multiplier = _column(constraints, "decay_multiplier", upper=1.0)
    caps = np.vstack(
        (
            _column(constraints, "max_usd", infinite=True),
            _column(constraints, "max_fraction", upper=1.0) * total,
            _column(constraints, "stage_cap_usd", infinite=True),
            _column(constraints, "liquidity_cap_usd", infinite=True),
            np.where(multiplier < 1.0, multiplier * current, math.inf),
        )
    )
    hard_upper = caps[:-1].min(axis=0)
    if np.any(lower > hard_upper):
        i = int(np.argmax(lower > hard_upper))
        binding = CAP_NAMES[int(np.argmin(caps[:-1, i]))]
        raise InvalidArgument(
            f"constraints[{i}].min_usd",
            f"minimum {lower[i]:,.2f} USD is above the {binding} of {hard_upper[i]:,.2f} USD",
        )
    return CapitalBounds(lower, np.minimum(hard_upper, np.maximum(caps[-1], lower)), caps)


def _pod_index(constraints: Sequence[PodConstraint]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, constraint in enumerate(constraints):
        if not constraint.pod_id:
            raise InvalidArgument(f"constraints[{i}].pod_id", "must not be empty")
        if constraint.pod_id in index:
            raise InvalidArgument(f"constraints[{i}].pod_id", f"duplicate pod {constraint.pod_id!r}")
        index[constraint.pod_id] = i
    return index


def _column(
    constraints: Sequence[PodConstraint], name: str, *, infinite: bool = False, upper: float | None = None
) -> Vector:
    values = np.array([float(getattr(c, name)) for c in constraints])
    bad = np.isnan(values) | (values < 0) | (np.isinf(values) & ~infinite)
    if upper is not None:
        bad |= values > upper
    if bad.any():
        i = int(np.argmax(bad))
        allowed = f"in [0, {upper}]" if upper is not None else ">= 0" + ("" if infinite else " and finite")
        raise InvalidArgument(f"constraints[{i}].{name}", f"must be {allowed}, got {values[i]}")
    return values


def _scale_for_total(weights: Vector, lower: Vector, upper: Vector, total: float) -> float:
    # λ with sum clip(λ·weights, lower, upper) = total, read off the breakpoints of that piecewise-linear sum.
    base = float(lower.sum())
    positive = weights > 0
    if total <= base or not positive.any():
        return 0.0
    w, low, high = weights[positive], lower[positive], upper[positive]
    finite = np.isfinite(high)
    # At λ = low/w a pod starts to follow λ·w (its constant low gives way to slope w); at λ = high/w it stops.
    breaks = np.concatenate((low / w, high[finite] / w[finite]))
    jumps = np.concatenate((-low, high[finite]))
    slopes = np.concatenate((w, -w[finite]))
    order = np.argsort(breaks, kind="stable")
    breaks = breaks[order]
    constant = base + np.cumsum(jumps[order])
    slope = np.cumsum(slopes[order])
    reached = constant + slope * breaks
    k = int(np.searchsorted(reached, total))
    if k == 0:
        return float(breaks[0])
    if slope[k - 1] <= 0:
        return float(breaks[min(k, breaks.size - 1)])
    return float((total - constant[k - 1]) / slope[k - 1])


def _reasons(
    constraints: Sequence[PodConstraint],
    weights: Vector,
    held: np.ndarray,
    held_reasons: Mapping[str, str],
    method: str,
    current: Vector,
    start: Vector,
    target: Vector,
    capital: Vector,
    lower: Vector,
    upper: Vector,
    caps: np.ndarray,
    scale: float,
) -> list[tuple[str, ...]]:
    tolerance = 1e-9 * max(float(np.nanmax(np.where(np.isfinite(upper), upper, 0.0))), float(current.max()), 1.0)
    wanted = scale * weights
    result = []
    for i, constraint in enumerate(constraints):
        reasons: list[str] = []
        if held[i]:
            why = held_reasons.get(constraint.pod_id, "no target weight")
            reasons.append(f"{why}: held at current capital {current[i]:,.0f} USD")
            if abs(target[i] - current[i]) > tolerance:
                reasons.append(f"current capital moved into its bounds [{lower[i]:,.0f}, {upper[i]:,.0f}] USD")
        else:
            reasons.append(f"{method} weight {weights[i]:.4%}")
        if constraint.decay_multiplier < 1.0:
            reasons.append(constraint.decay_reason or f"decay multiplier {constraint.decay_multiplier:g}")
            if caps[-1, i] < lower[i] - tolerance:
                reasons.append(f"decay cap {caps[-1, i]:,.0f} USD is below the minimum: kept at the minimum")
        if not held[i]:
            if wanted[i] >= upper[i] - tolerance:
                binding = [name for name, cap in zip(CAP_NAMES, caps[:, i], strict=True) if cap <= upper[i] + tolerance]
                reasons.append(f"capped at {upper[i]:,.0f} USD by {', '.join(binding) or 'its minimum'}")
            elif wanted[i] < lower[i] - tolerance:
                reasons.append(f"raised to its minimum {lower[i]:,.0f} USD")
        if current[i] > upper[i] + tolerance:
            reasons.append(
                f"current {current[i]:,.0f} USD above its cap {upper[i]:,.0f} USD: cut regardless of turnover"
            )
        elif current[i] < lower[i] - tolerance:
            reasons.append(f"current {current[i]:,.0f} USD below its minimum {lower[i]:,.0f} USD: raised")
        elif start[i] < current[i] - tolerance:
            reasons.append(f"current allocations exceed total capital: cut to {start[i]:,.0f} USD first")
        if abs(capital[i] - target[i]) > tolerance:
            reasons.append(
                f"turnover budget: {capital[i]:,.0f} USD on the way from {start[i]:,.0f} to {target[i]:,.0f}"
            )
        result.append(tuple(reasons))
    return result
