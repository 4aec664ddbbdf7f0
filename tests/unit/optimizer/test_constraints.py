"""Capital constraints: hand cases with their reasons, and properties that hold for any feasible input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.constraints import Allocation, CapitalPolicy, PodConstraint, apply_constraints


def capital(allocation: Allocation) -> list[float]:
    return [pod.capital_usd for pod in allocation.pods]


def test_a_capped_pod_passes_its_excess_to_the_others_pro_rata() -> None:
    # Weights 0.5 / 0.3 / 0.2 of 100; pod a is capped at 30, so b and c share 70 in the ratio 3 : 2.
    constraints = [PodConstraint("a", max_usd=30.0), PodConstraint("b"), PodConstraint("c")]

    allocation = apply_constraints(constraints, {"a": 0.5, "b": 0.3, "c": 0.2}, CapitalPolicy(100.0), method="hrp")

    assert capital(allocation) == pytest.approx([30.0, 42.0, 28.0], abs=1e-9)
    assert allocation.pods[0].reasons == ("hrp weight 50.0000%", "capped at 30 USD by max_usd")
    assert allocation.pods[1].reasons == ("hrp weight 30.0000%",)
    assert allocation.deployed_usd == pytest.approx(100.0)


def test_minimums_fractions_stage_and_liquidity_caps() -> None:
    constraints = [
        PodConstraint("seed", min_usd=20.0),
        PodConstraint("young", stage="incubation", stage_cap_usd=10.0),
        PodConstraint("thin", liquidity_cap_usd=15.0, max_fraction=0.5),
        PodConstraint("big", max_fraction=0.4),
    ]

    allocation = apply_constraints(
        constraints, {"seed": 0.0, "young": 0.3, "thin": 0.3, "big": 0.4}, CapitalPolicy(100.0)
    )

    # seed (no weight) raised to 20, young and thin capped at 10 and 15, big at 40; nobody may take the other 15.
    assert capital(allocation) == pytest.approx([20.0, 10.0, 15.0, 40.0], abs=1e-9)
    assert "raised to its minimum 20 USD" in allocation.pods[0].reasons
    assert "capped at 10 USD by stage cap" in allocation.pods[1].reasons
    assert "capped at 15 USD by liquidity capacity" in allocation.pods[2].reasons
    assert "capped at 40 USD by max_fraction" in allocation.pods[3].reasons
    assert allocation.notes == ("caps leave 15 of 100 USD undeployed", "bounds and total capital force 20 USD of moves")


def test_turnover_budget_moves_every_pod_the_same_fraction_of_the_way() -> None:
    # From (50, 50) toward (100, 0): distance 100, budget 20, so 20% of the way: (60, 40).
    constraints = [PodConstraint("a", current_usd=50.0), PodConstraint("b", current_usd=50.0)]

    allocation = apply_constraints(constraints, {"a": 1.0, "b": 0.0}, CapitalPolicy(100.0, max_turnover_usd=20.0))

    assert capital(allocation) == pytest.approx([60.0, 40.0])
    assert allocation.turnover_usd == pytest.approx(20.0)
    assert allocation.turnover_progress == pytest.approx(0.2)
    assert "turnover budget: 60 USD on the way from 50 to 100" in allocation.pods[0].reasons


def test_forced_cuts_come_first_and_count_against_the_budget() -> None:
    # b's cap fell to 20 from 50 held: 30 of forced moves; 10 of the 40 budget remains for the blend toward
    # (80, 20): a moves 10 of its 30 to go.
    constraints = [PodConstraint("a", current_usd=50.0), PodConstraint("b", current_usd=50.0, max_usd=20.0)]

    allocation = apply_constraints(constraints, {"a": 0.5, "b": 0.5}, CapitalPolicy(100.0, max_turnover_usd=40.0))

    assert capital(allocation) == pytest.approx([60.0, 20.0])
    assert allocation.forced_turnover_usd == pytest.approx(30.0)
    assert any("cut regardless of turnover" in reason for reason in allocation.pods[1].reasons)


def test_a_cap_cut_beyond_the_turnover_budget_is_still_made_and_noted() -> None:
    allocation = apply_constraints(
        [PodConstraint("a", current_usd=90.0, max_usd=10.0)], {"a": 1.0}, CapitalPolicy(100, max_turnover_usd=50.0)
    )

    assert capital(allocation) == pytest.approx([10.0])
    assert allocation.forced_turnover_usd == pytest.approx(80.0)
    assert any("risk caps come first" in note for note in allocation.notes)


def test_decay_caps_at_a_multiple_of_current_capital() -> None:
    constraints = [
        PodConstraint("fading", current_usd=40.0, decay_multiplier=0.5, decay_reason="alpha decay: z 2.1"),
        PodConstraint("steady", current_usd=60.0),
    ]

    allocation = apply_constraints(constraints, {"fading": 0.5, "steady": 0.5}, CapitalPolicy(100.0))

    assert capital(allocation) == pytest.approx([20.0, 80.0])
    assert allocation.pods[0].reasons == (
        "target weight 50.0000%",
        "alpha decay: z 2.1",
        "capped at 20 USD by decay",
        "current 40 USD above its cap 20 USD: cut regardless of turnover",
    )


def test_pods_without_a_weight_are_held_at_their_current_capital() -> None:
    constraints = [PodConstraint("new", current_usd=5.0), PodConstraint("old", current_usd=50.0)]

    allocation = apply_constraints(
        constraints, {"old": 1.0}, CapitalPolicy(100.0), held_reasons={"new": "insufficient history"}
    )

    assert capital(allocation) == pytest.approx([5.0, 95.0])
    assert allocation.pods[0].reasons == ("insufficient history: held at current capital 5 USD",)


def test_infeasible_inputs_name_the_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a", min_usd=60.0), PodConstraint("b", min_usd=50.0)], {}, CapitalPolicy(100))
    assert error.value.field == "policy.total_capital_usd"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints(
            [PodConstraint("a"), PodConstraint("b", min_usd=50.0, stage_cap_usd=10.0)], {}, CapitalPolicy(100)
        )
    assert error.value.field == "constraints[1].min_usd"
    assert "stage cap" in error.value.problem
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a", current_usd=-1.0)], {"a": 1.0}, CapitalPolicy(100))
    assert error.value.field == "constraints[0].current_usd"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a", max_fraction=math.nan)], {"a": 1.0}, CapitalPolicy(100))
    assert error.value.field == "constraints[0].max_fraction"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a")], {"b": 1.0}, CapitalPolicy(100))
    assert error.value.field == "target_weights[b]"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a"), PodConstraint("a")], {}, CapitalPolicy(100))
    assert error.value.field == "constraints[1].pod_id"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a")], {"a": math.inf}, CapitalPolicy(100))
    assert error.value.field == "target_weights[a]"
    with pytest.raises(InvalidArgument) as error:
        apply_constraints([PodConstraint("a")], {"a": 1.0}, CapitalPolicy(-5.0))
    assert error.value.field == "policy.total_capital_usd"


usd = st.floats(min_value=0.0, max_value=2e6, allow_nan=False)
optional_cap = st.one_of(st.just(math.inf), usd)
fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def pod(draw: st.DrawFn, index: int) -> tuple[PodConstraint, float | None]:
    constraint = PodConstraint(
        pod_id=f"pod-{index}",
        current_usd=draw(usd),
        min_usd=draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=3e5))),
        max_usd=draw(optional_cap),
        min_fraction=draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=0.2))),
        max_fraction=draw(st.one_of(st.just(1.0), fraction)),
        stage_cap_usd=draw(optional_cap),
        liquidity_cap_usd=draw(optional_cap),
        decay_multiplier=draw(st.one_of(st.just(1.0), fraction)),
    )
    weight = draw(st.one_of(st.none(), st.just(0.0), st.floats(min_value=1e-6, max_value=1.0)))
    return constraint, weight


@st.composite
def problem(draw: st.DrawFn) -> tuple[list[PodConstraint], dict[str, float], CapitalPolicy]:
    count = draw(st.integers(min_value=1, max_value=8))
    pods = [draw(pod(i)) for i in range(count)]
    policy = CapitalPolicy(
        total_capital_usd=draw(st.floats(min_value=0.0, max_value=6e6)),
        max_turnover_usd=draw(st.one_of(st.none(), st.floats(min_value=0.0, max_value=6e6))),
    )
    weights = {c.pod_id: w for c, w in pods if w is not None}
    return [c for c, _ in pods], weights, policy


def hard_cap(c: PodConstraint, total: float) -> float:
    return min(c.max_usd, c.max_fraction * total, c.stage_cap_usd, c.liquidity_cap_usd)


def bounds(constraints: list[PodConstraint], weights: dict[str, float], total: float) -> tuple[np.ndarray, np.ndarray]:
    lower = np.array([max(c.min_usd, c.min_fraction * total) for c in constraints])
    upper = np.array([hard_cap(c, total) for c in constraints])
    decay = np.array([c.decay_multiplier * c.current_usd if c.decay_multiplier < 1 else math.inf for c in constraints])
    upper = np.minimum(upper, np.maximum(decay, lower))
    held = np.array([c.pod_id not in weights for c in constraints])
    current = np.array([c.current_usd for c in constraints])
    pinned = np.clip(current, lower, upper)
    return np.where(held, pinned, lower), np.where(held, pinned, upper)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(problem())
def test_every_constraint_holds_or_the_input_is_infeasible(
    case: tuple[list[PodConstraint], dict[str, float], CapitalPolicy],
) -> None:
    constraints, weights, policy = case
    total = policy.total_capital_usd
    tolerance = 1e-9 * max(total, 1.0) + 1e-6
    current = np.array([c.current_usd for c in constraints])
    try:
        allocation = apply_constraints(constraints, weights, policy)
    except InvalidArgument as error:
        hard = np.array(
            [min(c.max_usd, c.max_fraction * total, c.stage_cap_usd, c.liquidity_cap_usd) for c in constraints]
        )
        minimum = np.array([max(c.min_usd, c.min_fraction * total) for c in constraints])
        if error.field.endswith(".min_usd"):
            assert np.any(minimum > hard)
            return
        lower, upper = bounds(constraints, weights, total)
        assert error.field == "policy.total_capital_usd"
        assert lower.sum() > total
        return

    # Held pods have lower = upper = their current capital clipped into their bounds, so this pins them too.
    lower, upper = bounds(constraints, weights, total)
    x = np.array(capital(allocation))
    assert np.all(x >= lower - tolerance)
    assert np.all(x <= upper + tolerance)
    for c, value in zip(constraints, x, strict=True):
        assert value >= c.min_usd - tolerance and value >= c.min_fraction * total - tolerance
        assert value <= hard_cap(c, total) + tolerance
        if c.decay_multiplier < 1:
            assert value <= max(c.decay_multiplier * c.current_usd, c.min_usd, c.min_fraction * total) + tolerance
    assert x.sum() <= total + tolerance
    assert abs(allocation.deployed_usd - x.sum()) <= tolerance
    if policy.max_turnover_usd is not None:
        # Risk first: moves the bounds force are made even beyond the budget, and then nothing else moves.
        budget = max(policy.max_turnover_usd, allocation.forced_turnover_usd)
        assert np.abs(x - current).sum() <= budget + tolerance
    else:
        positive = np.array([weights.get(c.pod_id, 0.0) > 0 for c in constraints])
        reachable = min(total, upper[positive].sum() + lower[~positive].sum())
        assert x.sum() == pytest.approx(reachable, rel=1e-9, abs=1e-6)
    assert all(pod.reasons for pod in allocation.pods)
