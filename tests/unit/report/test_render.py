"""The report's HTML from hand-built data: every chart present, values at the right pixels, text
escaped, nothing external, and a note instead of a chart when there is no data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from slipstream.report import model, render

T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str | None = None) -> list[Node]:
        found = [self] if tag in (None, self.tag) else []
        for child in self.children:
            found += child.all(tag)
        return found

    def marks(self) -> list[Node]:
        return [node for node in self.all() if "mark" in node.attrs.get("class", "").split()]

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class Tree(HTMLParser):
    """Just enough of a DOM to look at the page the way a browser parses it."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self, page: str) -> None:
        super().__init__()
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self.stack[-1].tag != tag:
            self.stack.pop()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data


def figures(page: str) -> dict[str, Node]:
    return {node.attrs["data-chart"]: node for node in Tree(page).root.all("figure")}


def points(polyline: Node) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in polyline.attrs["points"].split())]


def box(node: Node) -> tuple[float, float, float, float]:
    return tuple(float(node.attrs[key]) for key in ("x", "y", "width", "height"))  # type: ignore[return-value]


def full_report() -> model.ReportData:
    rng = np.random.default_rng(20260301)
    pods = ("momentum", "mean-reversion", "carry")
    times = pd.date_range(T0, periods=48, freq="h", tz="UTC")
    cycles = pd.date_range(T0, periods=3, freq="12h", tz="UTC")
    correlation = np.array([[1.0, 0.3, -0.2], [0.3, 1.0, 0.1], [-0.2, 0.1, 1.0]])
    return model.ReportData(
        title="Federation report",
        subtitle="seeded",
        generated_at=T0 + timedelta(days=2),
        equity={p: pd.Series(1e5 + np.cumsum(rng.normal(0, 500, len(times))), index=times) for p in pods},
        allocations=pd.DataFrame(rng.uniform(1e4, 5e4, (3, 3)), index=cycles, columns=list(pods)),
        correlation=correlation,
        correlation_labels=pods,
        attribution=(model.PodAttribution("momentum", 800.0, 200.0), model.PodAttribution("carry", -50.0, 900.0, True)),
        shortfall=(
            model.PodShortfall("momentum", 6.0, 120.0, {"good": 3, "fair": 2}),
            model.PodShortfall("carry", 21.0, 900.0, {"poor": 4}, rewrite_execution=True),
        ),
        shortfall_review_bps=15.0,
        fill_mix=(
            model.PodFillMix("mean-reversion", 0.2, 0.8, "maker", True, 40, 50_000.0),
            model.PodFillMix("momentum", 0.0, 1.0, "taker", False, 25, 80_000.0),
        ),
        slippage=(model.SlippageCurve("BTC/USD", ((1e4, 2.0), (1e5, 6.0), (1e6, 30.0)), 4e5, 25.0),),
        lifecycle=(
            model.LifecycleSpan("momentum", "incubation", T0, T0 + timedelta(days=1), "registered"),
            model.LifecycleSpan("momentum", "evaluation", T0 + timedelta(days=1), None, "PSR 0.93"),
            model.LifecycleSpan("carry", "incubation", T0, None, "too short"),
        ),
        alerts=(model.AlertRow(T0, "auditor", "carry", "critical", "under reported BTC/USDT"),),
    )


def test_every_chart_is_a_figure_with_its_marks_and_the_page_needs_nothing_else() -> None:
    page = render.render_html(full_report())

    found = figures(page)

    assert [chart.name for chart in render.CHARTS] == list(model.CHARTS) == list(found)
    expected_marks = {
        "equity": 3,  # a line per pod
        "allocation": 3,  # an area per pod
        "correlation": 9,  # a cell per pair
        "attribution": 4,  # alpha and beta per pod
        "shortfall": 2,
        "grades": 3,  # one per grade a pod has orders in
        "fills": 3,  # maker and taker of the maker pod, taker of the taker pod (its maker share is empty)
        "slippage": 2,  # the curve and its capacity point
        "lifecycle": 3,  # a bar per span
    }
    for name, figure in found.items():
        assert "data-empty" not in figure.attrs, name
        (svg,) = figure.all("svg")
        assert float(svg.attrs["width"]) > 0 and float(svg.attrs["height"]) > 0
        assert len([m for m in figure.marks() if _visible(m)]) == expected_marks[name], name
    for external in ("<script", "http:", "https:", "url(", "@import", " src=", "<link"):
        assert external not in page
    assert f'content="{render.CONTENT_SECURITY_POLICY}"' in page
    alerts = Tree(page).root.all("section")[0].all_text()
    assert "under reported BTC/USDT" in alerts and "2026-03-01 00:00:00" in alerts


def _visible(mark: Node) -> bool:
    return mark.tag != "rect" or float(mark.attrs["width"]) > 0 and float(mark.attrs["height"]) > 0


def test_values_land_on_the_pixels_their_scales_give() -> None:
    # NAV 100 -> 150 -> 200 over an hour: the nice y range is exactly [100, 200], x the hour.
    times = pd.DatetimeIndex([T0, T0 + timedelta(minutes=30), T0 + timedelta(hours=1)])
    data = model.ReportData(
        title="t",
        subtitle="",
        generated_at=T0 + timedelta(hours=1),
        equity={"a": pd.Series([100.0, 150.0, 200.0], index=times)},
        attribution=(model.PodAttribution("a", 50.0, -25.0),),
        fill_mix=(model.PodFillMix("a", 0.25, 0.75, "maker", False, 30, 1e4),),
        slippage=(model.SlippageCurve("X/USD", ((1e3, 1.0), (1e4, 5.0), (1e5, 10.0)), 1e4, 5.0),),
    )

    found = figures(render.render_html(data))

    frame = render.XY_FRAME
    (line,) = found["equity"].marks()
    middle = ((frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2)
    expected = [(frame.left, frame.bottom), middle, (frame.right, frame.top)]
    np.testing.assert_allclose(points(line), expected, atol=0.01)
    # Bars start at zero: alpha twice as long as beta, on either side of the same x.
    alpha, beta = (box(m) for m in found["attribution"].marks())
    assert alpha[2] == pytest.approx(2 * beta[2], abs=0.02) and alpha[0] == pytest.approx(beta[0] + beta[2], abs=0.01)
    maker, taker = (box(m) for m in found["fills"].marks())
    assert taker[0] == pytest.approx(maker[0] + maker[2], abs=0.01) and taker[2] == pytest.approx(
        3 * maker[2], abs=0.02
    )
    # Log x: the decades 1e3, 1e4, 1e5 at left, middle, right; y from 0 to 10 bps.
    curve, capacity = found["slippage"].marks()
    assert [x for x, _ in points(curve)] == pytest.approx([frame.left, middle[0], frame.right], abs=0.01)
    assert points(curve)[-1][1] == pytest.approx(frame.top, abs=0.01)
    np.testing.assert_allclose((float(capacity.attrs["cx"]), float(capacity.attrs["cy"])), middle, atol=0.01)


def test_the_correlation_colours_run_from_blue_through_white_to_red() -> None:
    data = model.ReportData(
        title="t",
        subtitle="",
        generated_at=T0,
        correlation=np.array([[1.0, -1.0], [-1.0, 0.0]]),
        correlation_labels=("a", "b"),
    )

    cells = figures(render.render_html(data))["correlation"].marks()

    assert [c.attrs["fill"] for c in cells] == ["#b2182b", "#2166ac", "#2166ac", "#f7f7f7"]
    assert [c.all_text() for c in cells] == ["a / a: 1.00", "a / b: -1.00", "b / a: -1.00", "b / b: 0.00"]


def test_text_from_the_services_is_escaped_everywhere() -> None:
    hostile = "<b>x</b>&\"'"
    data = replace(
        full_report(),
        title="<script>alert(1)</script>",
        equity={hostile: pd.Series([1.0, 2.0], index=pd.DatetimeIndex([T0, T0 + timedelta(hours=1)]))},
        shortfall=(model.PodShortfall(hostile, 1.0, 1.0, {"good": 1}),),
        alerts=(model.AlertRow(None, "auditor", hostile, "warning", hostile),),
    )

    page = render.render_html(data)

    assert "<b>" not in page and "<script" not in page
    tree = Tree(page).root
    assert tree.all("title")[0].text == "<script>alert(1)</script>"
    assert [m.attrs["data-series"] for m in figures(page)["equity"].marks()] == [hostile]
    assert hostile in figures(page)["shortfall"].all_text() and hostile in tree.all("section")[0].all_text()


def test_a_chart_without_data_says_why_and_draws_nothing() -> None:
    data = model.ReportData(
        title="t", subtitle="", generated_at=T0, missing={"correlation": "too little history (FAILED_PRECONDITION)"}
    )

    found = figures(render.render_html(data))

    assert list(found) == list(model.CHARTS)
    for name, figure in found.items():
        assert figure.attrs.get("data-empty") == "true" and not figure.all("svg"), name
        (note,) = [p for p in figure.all("p") if p.attrs.get("class") == "no-data"]
        assert note.text.startswith("No data: ")
    assert "too little history (FAILED_PRECONDITION)" in found["correlation"].all_text()


def test_a_long_series_is_thinned_and_keeps_its_spike() -> None:
    times = pd.date_range(T0, periods=100_000, freq="s", tz="UTC")
    values = np.full(len(times), 100.0)
    values[::2] = 101.0
    values[54_321] = 500.0
    data = model.ReportData(title="t", subtitle="", generated_at=T0, equity={"a": pd.Series(values, index=times)})

    (line,) = figures(render.render_html(data))["equity"].marks()

    drawn = points(line)
    assert len(drawn) <= 4 * render.XY_FRAME.width
    assert min(y for _, y in drawn) == pytest.approx(render.XY_FRAME.top, abs=0.01)


def test_ticks_are_round_and_enclose_the_data() -> None:
    assert render.nice_ticks(0.0, 1.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert render.nice_ticks(-25.0, 50.0) == [-40.0, -20.0, 0.0, 20.0, 40.0, 60.0]
    assert render.nice_ticks(7.0, 7.0)[0] <= 7.0 <= render.nice_ticks(7.0, 7.0)[-1]
    day = T0.timestamp()
    assert [label for _, label in render.time_ticks(day, day + 5 * 86_400)] == [f"2026-03-0{d}" for d in range(1, 7)]
    assert render.compact(1_234_567.0) == "1.23M" and render.compact(-2_500.0) == "-2.5k"


def test_the_model_refuses_data_a_chart_would_misdraw() -> None:
    naive = pd.Series([1.0], index=pd.DatetimeIndex([datetime(2026, 1, 1)]))
    with pytest.raises(ValueError, match="timezone-aware"):
        model.ReportData(title="t", subtitle="", generated_at=T0, equity={"a": naive})
    with pytest.raises(ValueError, match="labels need"):
        model.ReportData(title="t", subtitle="", generated_at=T0, correlation=np.eye(2), correlation_labels=("a",))
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.ReportData(title="t", subtitle="", generated_at=T0, attribution=(model.PodAttribution("a", np.inf, 0),))
