"""Render a `ReportData` as one self-contained HTML page.

The charts are SVG drawn here, inline, with the CSS inline too: no script, no external file, font or
network access, so the page opens anywhere, offline, and can be archived or mailed as it is. A chart
library would need its JavaScript inlined (hundreds of kilobytes) and would draw only once a browser
runs it; these charts are a few scales, axes, lines and rectangles, and are finished in the file.

Each chart is a `<figure data-chart="NAME">` holding one `<svg>`; its data marks (lines, bars, cells,
areas, points) carry `class="mark"`, so a reader (or a test) can tell them from axes and legends. A
chart without data holds no `<svg>` but a `<p class="no-data">` saying why.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from slipstream.report import model

WIDTH = 760
ROW_HEIGHT = 26
# Rough advance of one character of the charts' 11px sans-serif font (STYLE), to size margins for labels.
CHAR_PX = 6.6
LABEL_CHARS = 28
# More points than pixels only add bytes: a series longer than this per pixel column is thinned.
MAX_POINTS_PER_PIXEL = 2

# Categorical colours (Tableau 10): distinguishable, and each pod keeps its colour in every chart.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
GRADE_COLOURS = {
    "excellent": "#1a9850",
    "good": "#91cf60",
    "fair": "#fee08b",
    "poor": "#fc8d59",
    "very_poor": "#d73027",
}
STAGE_COLOURS = {
    "incubation": "#9ecae1",
    "evaluation": "#4292c6",
    "growth": "#41ab5d",
    "maturity": "#006d2c",
    "retirement": "#969696",
}
MAKER_COLOUR, TAKER_COLOUR = "#4e79a7", "#f28e2b"
ALPHA_COLOUR, BETA_COLOUR = "#59a14f", "#bab0ac"
COST_COLOUR, GAIN_COLOUR, ALARM_COLOUR = "#4e79a7", "#59a14f", "#c0392b"
# Correlation -1, 0, +1 (ColorBrewer RdBu).
DIVERGING = ((33, 102, 172), (247, 247, 247), (178, 24, 43))


@dataclass(frozen=True)
class Frame:
    """The plot area inside an SVG, in pixels."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


# The x-y charts (equity, allocation, slippage): room on the left for the y axis, on the right for the legend.
XY_FRAME = Frame(left=72, top=14, width=500, height=240)
XY_HEIGHT = XY_FRAME.bottom + 46
LEGEND_X = XY_FRAME.right + 18


@dataclass(frozen=True)
class Linear:
    """Map data values in [lo, hi] linearly onto pixels in [start, end] (end < start for a y axis)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


@dataclass(frozen=True)
class Log:
    """Map positive data values in [lo, hi] onto pixels in [start, end], by decades."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = math.log10(self.hi) - math.log10(self.lo)
        return self.start + (math.log10(value) - math.log10(self.lo)) / span * (self.end - self.start)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Return round tick values (1, 2, 2.5 or 5 x 10^k apart) whose first and last enclose [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        raise ValueError(f"cannot make ticks for [{lo}, {hi}]")
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1.0, 2.0, 2.5, 5.0, 10.0) if raw <= f * power * (1 + 1e-9))
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    return [round(first + i * step, 12) for i in range(round((last - first) / step) + 1)]


_TIME_STEPS_S = (1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 2 * 86_400)
_WEEK_S, _YEAR_S = 7 * 86_400, 365 * 86_400


def time_ticks(lo_s: float, hi_s: float, count: int = 6) -> list[tuple[float, str]]:
    """Return (epoch seconds, UTC label) ticks at round steps inside [lo_s, hi_s]."""
    span = max(hi_s - lo_s, 1.0)
    step = next((s for s in _TIME_STEPS_S if span / s <= count), 0)
    if not step:
        unit = _WEEK_S if span < count * _YEAR_S else _YEAR_S
        step = unit * math.ceil(span / (count * unit))
    fmt = "%Y-%m-%d" if step >= 86_400 else "%m-%d %H:%M" if step >= 60 else "%H:%M:%S"
    ticks = np.arange(math.ceil(lo_s / step) * step, hi_s + 1e-6, step)
    if len(ticks) < 2:
        # Less than a second, or no round time inside: label the ends.
        ticks, fmt = np.array([lo_s, hi_s]) if hi_s > lo_s else np.array([lo_s]), "%H:%M:%S"
    return [(float(t), datetime.fromtimestamp(float(t), timezone.utc).strftime(fmt)) for t in ticks]


def epoch_seconds(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray((index - pd.Timestamp(0, tz="UTC")).total_seconds(), dtype=float)


def compact(value: float) -> str:
    """Format 1234567 as 1.23M and -2500 as -2.5k, so that axis and legend labels stay short."""
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            return f"{value / threshold:.3g}{suffix}"
    return f"{value:.3g}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attrs(attrs: Mapping[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        text = _number(value) if isinstance(value, float) else str(value)
        parts.append(f' {key}="{html.escape(text, quote=True)}"')
    return "".join(parts)


def el(tag: str, attrs: Mapping[str, object], content: str | None = None) -> str:
    """Return one element; `content` is markup, already escaped."""
    if content is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"


def text(x: float, y: float, content: str, anchor: str = "start", **attrs: object) -> str:
    return el("text", {"x": x, "y": y, "text-anchor": anchor, **attrs}, html.escape(content))


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#999", **attrs: object) -> str:
    return el("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, **attrs})


def rect(x: float, y: float, width: float, height: float, fill: str, tooltip: str = "", **attrs: object) -> str:
    """Return a rectangle; a negative width or height extends it the other way from (x, y)."""
    shape = {"x": min(x, x + width), "y": min(y, y + height), "width": abs(width), "height": abs(height)}
    return el("rect", {**shape, "fill": fill, **attrs}, _tooltip(tooltip))


def polyline(points: Sequence[tuple[float, float]], stroke: str, **attrs: object) -> str:
    coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
    return el("polyline", {"points": coordinates, "fill": "none", "stroke": stroke, **attrs})


def polygon(points: Sequence[tuple[float, float]], fill: str, tooltip: str = "", **attrs: object) -> str:
    coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
    return el("polygon", {"points": coordinates, "fill": fill, **attrs}, _tooltip(tooltip))


def _tooltip(tooltip: str) -> str | None:
    return el("title", {}, html.escape(tooltip)) if tooltip else None


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "\u2026"


def svg(width: float, height: float, label: str, parts: Sequence[str]) -> str:
    attrs = {"width": width, "height": height, "viewBox": f"0 0 {_number(width)} {_number(height)}"}
    return el("svg", {**attrs, "role": "img", "aria-label": label}, "".join(parts))


def x_axis(frame: Frame, ticks: Sequence[tuple[float, str]], title: str) -> list[str]:
    """Draw a bottom axis with vertical grid lines at the ticks (pixel x, label)."""
    parts = [line(frame.left, frame.bottom, frame.right, frame.bottom, "#666")]
    for x, label in ticks:
        parts.append(line(x, frame.top, x, frame.bottom, "#eee"))
        parts.append(line(x, frame.bottom, x, frame.bottom + 4, "#666"))
        parts.append(text(x, frame.bottom + 16, label, "middle"))
    if title:
        parts.append(text((frame.left + frame.right) / 2, frame.bottom + 34, title, "middle", **{"class": "title"}))
    return parts


def y_axis(frame: Frame, ticks: Sequence[tuple[float, str]], title: str) -> list[str]:
    """Draw a left axis with horizontal grid lines at the ticks (pixel y, label)."""
    parts = [line(frame.left, frame.top, frame.left, frame.bottom, "#666")]
    for y, label in ticks:
        parts.append(line(frame.left, y, frame.right, y, "#eee"))
        parts.append(line(frame.left - 4, y, frame.left, y, "#666"))
        parts.append(text(frame.left - 7, y + 4, label, "end"))
    middle = (frame.top + frame.bottom) / 2
    parts.append(text(14, middle, title, "middle", transform=f"rotate(-90 14 {_number(middle)})", **{"class": "title"}))
    return parts


def legend(items: Sequence[tuple[str, str]], x: float, y: float, max_rows: int = 14) -> list[str]:
    """Draw swatches and labels (label, colour), one per row; beyond `max_rows`, a count of the rest."""
    parts = []
    for row, (label, colour) in enumerate(items[:max_rows]):
        top = y + row * 17
        parts.append(rect(x, top, 11, 11, colour, **{"class": "swatch"}))
        parts.append(text(x + 16, top + 10, _short(label, 22)))
    if len(items) > max_rows:
        parts.append(text(x, y + max_rows * 17 + 10, f"+{len(items) - max_rows} more"))
    return parts


def thin(xs: np.ndarray, ys: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep, per pixel column, its first, lowest and highest point (and the last point): the line looks
    the same and its spikes survive, with at most three points per pixel column."""
    if len(xs) <= columns * MAX_POINTS_PER_PIXEL:
        return xs, ys
    buckets = np.minimum(((xs - xs[0]) / (xs[-1] - xs[0]) * columns).astype(int), columns - 1)
    frame = pd.DataFrame({"bucket": buckets, "y": ys, "i": np.arange(len(xs))})
    keep = pd.concat(
        [frame.groupby("bucket")["i"].first(), frame.loc[frame.groupby("bucket")["y"].idxmin(), "i"]]
        + [frame.loc[frame.groupby("bucket")["y"].idxmax(), "i"], pd.Series([len(xs) - 1])]
    )
    chosen = np.unique(keep.to_numpy())
    return xs[chosen], ys[chosen]


def colours(keys: Sequence[str]) -> dict[str, str]:
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def _pod_ids(data: model.ReportData) -> list[str]:
    """Every pod in the report, sorted: the order of their colours."""
    found = set(data.equity) | set(data.allocations.columns) | set(data.correlation_labels)
    for records in (data.attribution, data.shortfall, data.fill_mix, data.lifecycle):
        found |= {record.pod_id for record in records}
    return sorted(found)


def _time_scale(lo_s: float, hi_s: float, frame: Frame) -> Linear:
    if hi_s <= lo_s:
        lo_s, hi_s = lo_s - 1800, hi_s + 1800
    return Linear(lo_s, hi_s, frame.left, frame.right)


# ----------------------------------------------------------------------------------------------- x-y charts


def equity_chart(data: model.ReportData) -> str | None:
    palette = colours(_pod_ids(data))
    series = {pod: s.dropna() for pod, s in sorted(data.equity.items()) if len(s.dropna())}
    if not series:
        return None
    frame = XY_FRAME
    seconds = {pod: epoch_seconds(pd.DatetimeIndex(s.index)) for pod, s in series.items()}
    x = _time_scale(min(v[0] for v in seconds.values()), max(v[-1] for v in seconds.values()), frame)
    values = np.concatenate([s.to_numpy(dtype=float) for s in series.values()])
    ticks = nice_ticks(float(values.min()), float(values.max()))
    y = Linear(ticks[0], ticks[-1], frame.bottom, frame.top)
    parts = x_axis(frame, [(x(t), label) for t, label in time_ticks(x.lo, x.hi)], "time (UTC)")
    parts += y_axis(frame, [(y(t), compact(t)) for t in ticks], "NAV (USD)")
    for pod, s in series.items():
        xs, ys = thin(seconds[pod], s.to_numpy(dtype=float), int(frame.width))
        points = [(x(a), y(b)) for a, b in zip(xs, ys, strict=True)]
        mark = {"class": "mark", "data-series": pod}
        if len(points) == 1:
            parts.append(el("circle", {"cx": points[0][0], "cy": points[0][1], "r": 3.0, "fill": palette[pod], **mark}))
        else:
            parts.append(polyline(points, palette[pod], **{"stroke-width": 1.8, **mark}))
    items = [(f"{pod} {compact(float(s.iloc[-1]))}", palette[pod]) for pod, s in series.items()]
    parts += legend(items, LEGEND_X, frame.top)
    return svg(WIDTH, XY_HEIGHT, "NAV per pod over time", parts)


def allocation_chart(data: model.ReportData) -> str | None:
    palette = colours(_pod_ids(data))
    table = data.allocations.fillna(0.0)
    if table.empty or not (table.to_numpy() > 0).any():
        return None
    frame = XY_FRAME
    starts = epoch_seconds(pd.DatetimeIndex(table.index))
    # Each cycle's capital holds until the next cycle; the last holds until the report.
    until = max(data.generated_at.timestamp(), starts[-1])
    if until == starts[0]:
        until = starts[0] + 3600.0
    edges = np.append(starts, until)
    x = Linear(float(edges[0]), float(edges[-1]), frame.left, frame.right)
    totals = table.sum(axis=1).to_numpy()
    ticks = nice_ticks(0.0, float(totals.max()))
    y = Linear(ticks[0], ticks[-1], frame.bottom, frame.top)
    parts = x_axis(frame, [(x(t), label) for t, label in time_ticks(x.lo, x.hi)], "cycle time (UTC)")
    parts += y_axis(frame, [(y(t), compact(t)) for t in ticks], "capital (USD)")
    lower = np.zeros(len(table))
    items = []
    for pod in sorted(table.columns):
        upper = lower + table[pod].to_numpy(dtype=float)
        if (upper > lower).any():
            top = [(x(edges[i + k]), y(upper[i])) for i in range(len(upper)) for k in (0, 1)]
            bottom = [(x(edges[i + k]), y(lower[i])) for i in reversed(range(len(lower))) for k in (1, 0)]
            latest = compact(float(table[pod].iloc[-1]))
            parts.append(
                polygon(
                    top + bottom,
                    palette[pod],
                    f"{pod}: {latest} USD in the latest cycle",
                    **{"class": "mark", "data-series": pod, "stroke": "#fff", "stroke-width": 0.5},
                )
            )
            items.append((f"{pod} {latest}", palette[pod]))
        lower = upper
    parts += legend(items, LEGEND_X, frame.top)
    return svg(WIDTH, XY_HEIGHT, "capital per pod by cycle", parts)


def slippage_chart(data: model.ReportData) -> str | None:
    curves = [c for c in data.slippage if any(size > 0 for size, _ in c.points)]
    if not curves:
        return None
    palette = colours([c.symbol for c in curves])
    frame = XY_FRAME
    sizes = [size for c in curves for size, _ in c.points if size > 0]
    sizes += [c.capacity_usd for c in curves if c.capacity_usd > 0]
    lowest = math.floor(math.log10(min(sizes)))
    x = Log(10.0**lowest, 10.0 ** max(math.ceil(math.log10(max(sizes))), lowest + 1), frame.left, frame.right)
    highest = max([bps for c in curves for _, bps in c.points] + [c.impact_budget_bps for c in curves])
    ticks = nice_ticks(0.0, highest)
    y = Linear(ticks[0], ticks[-1], frame.bottom, frame.top)
    decades = range(round(math.log10(x.lo)), round(math.log10(x.hi)) + 1)
    parts = x_axis(frame, [(x(10.0**d), compact(10.0**d)) for d in decades], "order size (USD, log scale)")
    parts += y_axis(frame, [(y(t), _number(t)) for t in ticks], "expected slippage (bps)")
    for budget in sorted({c.impact_budget_bps for c in curves}):
        parts.append(line(frame.left, y(budget), frame.right, y(budget), "#888", **{"stroke-dasharray": "5 4"}))
        parts.append(text(frame.right - 4, y(budget) - 5, f"budget {_number(budget)} bps", "end"))
    items = []
    for curve in curves:
        colour = palette[curve.symbol]
        points = [(x(size), y(bps)) for size, bps in curve.points if size > 0]
        mark = {"class": "mark", "data-series": curve.symbol}
        parts.append(polyline(points, colour, **{"stroke-width": 1.8, **mark}))
        if curve.capacity_usd > 0:
            cx = x(curve.capacity_usd)
            parts.append(line(cx, y(curve.impact_budget_bps), cx, frame.bottom, colour, **{"stroke-dasharray": "2 3"}))
            point = {"cx": cx, "cy": y(curve.impact_budget_bps), "r": 4.0, "fill": colour, **mark}
            parts.append(el("circle", point, _tooltip(f"{curve.symbol} capacity {compact(curve.capacity_usd)} USD")))
        items.append((f"{curve.symbol} cap {compact(curve.capacity_usd)}", colour))
    parts += legend(items, LEGEND_X, frame.top)
    return svg(WIDTH, XY_HEIGHT, "expected slippage against order size", parts)


# ---------------------------------------------------------------------------------------------- row charts


@dataclass(frozen=True)
class Rows:
    """Horizontal bars, one row per pod: a label on the left (in red with its flag, if any), a note on
    the right, and the plot area between, sized to fit both."""

    frame: Frame
    labels: tuple[str, ...]
    flags: Mapping[str, str]
    notes: tuple[str, ...]

    def top(self, row: int) -> float:
        return self.frame.top + row * ROW_HEIGHT

    def parts(self) -> list[str]:
        parts = []
        for row, label in enumerate(self.labels):
            baseline = self.top(row) + ROW_HEIGHT / 2 + 4
            flag = self.flags.get(label)
            shown = _short(label) + (f" \u26a0 {flag}" if flag else "")
            style = {"class": "alarm"} if flag else {}
            parts.append(text(self.frame.left - 8, baseline, shown, "end", **style))
            if self.notes:
                parts.append(text(self.frame.right + 8, baseline, self.notes[row]))
        return parts


def rows(labels: Sequence[str], flags: Mapping[str, str] | None = None, notes: Sequence[str] = ()) -> Rows:
    flags = flags or {}
    widest = max(len(_short(label)) + len(flags.get(label, "")) + 3 for label in labels)
    left = min(max(60.0, widest * CHAR_PX + 16), 300.0)
    right = max((len(note) for note in notes), default=0) * CHAR_PX + 24
    frame = Frame(left, 10, WIDTH - left - right, len(labels) * ROW_HEIGHT)
    return Rows(frame, tuple(labels), flags, tuple(notes))


def legend_row(items: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    """Draw swatches and labels (label, colour) side by side, for the charts whose right side is taken."""
    parts = []
    for label, colour in items:
        parts.append(rect(x, y, 11, 11, colour, **{"class": "swatch"}))
        parts.append(text(x + 16, y + 10, label))
        x += 34 + len(label) * CHAR_PX
    return parts


def _rows_svg(layout: Rows, label: str, parts: list[str], key: Sequence[tuple[str, str]]) -> str:
    """Finish a row chart: the labels and notes, and the legend under the x axis's title."""
    parts += layout.parts() + legend_row(key, layout.frame.left, layout.frame.bottom + 46)
    return svg(WIDTH, layout.frame.bottom + 66, label, parts)


def _value_x(lo: float, hi: float, frame: Frame) -> tuple[Linear, list[float]]:
    """A horizontal value scale that always shows zero, so bars start from it."""
    ticks = nice_ticks(min(lo, 0.0), max(hi, 0.0))
    return Linear(ticks[0], ticks[-1], frame.left, frame.right), ticks


def _bar(x: Linear, start: float, end: float, top: float, height: float, colour: str, tip: str, series: str) -> str:
    return rect(x(start), top, x(end) - x(start), height, colour, tip, **{"class": "mark", "data-series": series})


def attribution_chart(data: model.ReportData) -> str | None:
    if not data.attribution:
        return None
    items = sorted(data.attribution, key=lambda a: a.pod_id)
    totals = [a.alpha_pnl_usd + a.beta_pnl_usd for a in items]
    flags = {a.pod_id: "fake alpha" for a in items if a.fake_alpha}
    layout = rows([a.pod_id for a in items], flags, [f"total {compact(t)} USD" for t in totals])
    frame = layout.frame
    x, ticks = _value_x(
        min(min(a.alpha_pnl_usd, a.beta_pnl_usd, t) for a, t in zip(items, totals, strict=True)),
        max(max(a.alpha_pnl_usd, a.beta_pnl_usd, t) for a, t in zip(items, totals, strict=True)),
        frame,
    )
    parts = x_axis(frame, [(x(t), compact(t)) for t in ticks], "PnL over the window (USD)")
    parts.append(line(x(0.0), frame.top, x(0.0), frame.bottom, "#333"))
    half = (ROW_HEIGHT - 6) / 2
    for row, (a, total) in enumerate(zip(items, totals, strict=True)):
        top = layout.top(row) + 3
        for offset, name, value, colour in (
            (0.0, "alpha", a.alpha_pnl_usd, ALPHA_COLOUR),
            (half, "beta", a.beta_pnl_usd, BETA_COLOUR),
        ):
            tip = f"{a.pod_id}: {name} PnL {compact(value)} USD"
            parts.append(_bar(x, 0.0, value, top + offset, half, colour, tip, f"{a.pod_id}:{name}"))
        parts.append(line(x(total), top - 1, x(total), top + 2 * half + 1, "#111", **{"stroke-width": 2}))
    key = [("alpha (skill)", ALPHA_COLOUR), ("beta (BTC, ETH drift)", BETA_COLOUR), ("total (tick)", "#111")]
    return _rows_svg(layout, "PnL attributed to alpha and beta per pod", parts, key)


def shortfall_chart(data: model.ReportData) -> str | None:
    if not data.shortfall:
        return None
    items = sorted(data.shortfall, key=lambda s: s.pod_id)
    orders = [plural(sum(s.order_count_by_grade.values()), "order") for s in items]
    notes = [
        f"{s.total_cost_bps:.1f} bps, {compact(s.total_cost_usd)} USD, {n}" for s, n in zip(items, orders, strict=True)
    ]
    layout = rows(
        [s.pod_id for s in items], {s.pod_id: "rewrite execution" for s in items if s.rewrite_execution}, notes
    )
    frame = layout.frame
    review = data.shortfall_review_bps
    values = [s.total_cost_bps for s in items] + ([review] if review is not None else [])
    x, ticks = _value_x(min(values), max(values), frame)
    parts = x_axis(frame, [(x(t), _number(t)) for t in ticks], "total shortfall (bps of paper notional)")
    parts.append(line(x(0.0), frame.top, x(0.0), frame.bottom, "#333"))
    if review is not None:
        parts.append(line(x(review), frame.top, x(review), frame.bottom, ALARM_COLOUR, **{"stroke-dasharray": "5 4"}))
        parts.append(text(x(review), frame.top - 2, f"review {_number(review)} bps", "middle", **{"class": "alarm"}))
    for row, (s, note) in enumerate(zip(items, notes, strict=True)):
        colour = ALARM_COLOUR if s.rewrite_execution else COST_COLOUR if s.total_cost_bps > 0 else GAIN_COLOUR
        top = layout.top(row) + 4
        parts.append(_bar(x, 0.0, s.total_cost_bps, top, ROW_HEIGHT - 8, colour, f"{s.pod_id}: {note}", s.pod_id))
    key = [("cost", COST_COLOUR), ("price improvement", GAIN_COLOUR), ("rewrite the execution", ALARM_COLOUR)]
    return _rows_svg(layout, "implementation shortfall per pod", parts, key)


def grades_chart(data: model.ReportData) -> str | None:
    items = sorted((s for s in data.shortfall if sum(s.order_count_by_grade.values()) > 0), key=lambda s: s.pod_id)
    if not items:
        return None
    counts = [sum(s.order_count_by_grade.values()) for s in items]
    layout = rows([s.pod_id for s in items], notes=[plural(count, "order") for count in counts])
    frame = layout.frame
    # At least 0 to 5, so that the ticks of a few orders are whole orders.
    x, ticks = _value_x(0.0, max(*counts, 5), frame)
    parts = x_axis(frame, [(x(t), compact(t)) for t in ticks], "orders by shortfall grade (count)")
    for row, s in enumerate(items):
        start = 0.0
        top = layout.top(row) + 4
        for grade in model.GRADES:
            count = s.order_count_by_grade.get(grade, 0)
            if count:
                tip = f"{s.pod_id}: {count} {grade.replace('_', ' ')}"
                series = f"{s.pod_id}:{grade}"
                parts.append(_bar(x, start, start + count, top, ROW_HEIGHT - 8, GRADE_COLOURS[grade], tip, series))
                start += count
    key = [(grade.replace("_", " "), GRADE_COLOURS[grade]) for grade in model.GRADES]
    return _rows_svg(layout, "orders per shortfall grade per pod", parts, key)


def fills_chart(data: model.ReportData) -> str | None:
    if not any(f.fill_count for f in data.fill_mix):
        return None
    items = sorted(data.fill_mix, key=lambda f: f.pod_id)
    notes = [
        f"intent {f.declared_intent}, "
        + (f"{plural(f.fill_count, 'fill')}, {compact(f.notional_usd)} USD" if f.fill_count else "no fills")
        for f in items
    ]
    layout = rows([f.pod_id for f in items], {f.pod_id: "process failure" for f in items if f.process_failure}, notes)
    frame = layout.frame
    x = Linear(0.0, 1.0, frame.left, frame.right)
    parts = x_axis(frame, [(x(t), f"{t:.0%}") for t in (0.0, 0.25, 0.5, 0.75, 1.0)], "share of traded notional")
    for row, f in enumerate(items):
        if not f.fill_count:
            continue
        top, height = layout.top(row) + 4, ROW_HEIGHT - 8
        end = f.maker_share + f.taker_share
        maker = f"{f.pod_id}: maker {f.maker_share:.0%} of {compact(f.notional_usd)} USD"
        taker = f"{f.pod_id}: taker {f.taker_share:.0%} of {compact(f.notional_usd)} USD"
        parts.append(_bar(x, 0.0, f.maker_share, top, height, MAKER_COLOUR, maker, f"{f.pod_id}:maker"))
        parts.append(_bar(x, f.maker_share, end, top, height, TAKER_COLOUR, taker, f"{f.pod_id}:taker"))
    return _rows_svg(layout, "maker and taker share per pod", parts, [("maker", MAKER_COLOUR), ("taker", TAKER_COLOUR)])


def lifecycle_chart(data: model.ReportData) -> str | None:
    if not data.lifecycle:
        return None
    pods = sorted({span.pod_id for span in data.lifecycle})
    layout = rows(pods)
    frame = layout.frame
    now = data.generated_at.timestamp()
    spans = [(span, span.start.timestamp(), (span.end.timestamp() if span.end else now)) for span in data.lifecycle]
    x = _time_scale(min(s for _, s, _ in spans), max(max(e for _, _, e in spans), now), frame)
    parts = x_axis(frame, [(x(t), label) for t, label in time_ticks(x.lo, x.hi)], "time (UTC)")
    for span, start, end in spans:
        row = pods.index(span.pod_id)
        until = f"{span.end:%Y-%m-%d %H:%M}" if span.end else "now"
        tip = f"{span.pod_id}: {span.stage} from {span.start:%Y-%m-%d %H:%M} to {until} UTC. {span.reason}"
        # A stage held for an instant still shows, as a sliver.
        width = max(x(end) - x(start), 2.0)
        colour = STAGE_COLOURS.get(span.stage, "#cccccc")
        mark = {"class": "mark", "data-series": f"{span.pod_id}:{span.stage}"}
        parts.append(rect(x(start), layout.top(row) + 4, width, ROW_HEIGHT - 8, colour, tip, **mark))
    key = [(stage, STAGE_COLOURS[stage]) for stage in model.STAGES]
    return _rows_svg(layout, "lifecycle stage per pod over time", parts, key)


# -------------------------------------------------------------------------------------------------- heatmap


def diverging(value: float) -> str:
    """Return the colour of a correlation: blue at -1, white at 0, red at +1; grey when missing."""
    if not math.isfinite(value):
        return "#cccccc"
    t = min(max(value, -1.0), 1.0)
    low, high = (DIVERGING[1], DIVERGING[2]) if t >= 0 else (DIVERGING[1], DIVERGING[0])
    t = abs(t)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def correlation_chart(data: model.ReportData) -> str | None:
    labels = data.correlation_labels
    n = len(labels)
    if n == 0:
        return None
    cell = min(40.0, max(10.0, 440.0 // n))
    widest = max(len(_short(label, 20)) for label in labels) * CHAR_PX
    left, top = min(widest + 16, 160.0), 10.0
    grid = Frame(left, top, n * cell, n * cell)
    parts = []
    for i, label in enumerate(labels):
        middle = top + (i + 0.5) * cell
        parts.append(text(left - 6, middle + 4, _short(label, 20), "end"))
        column = left + (i + 0.5) * cell
        turn = f"rotate(-45 {_number(column)} {_number(grid.bottom + 10)})"
        parts.append(text(column, grid.bottom + 10, _short(label, 20), "end", transform=turn))
    for i, row_label in enumerate(labels):
        for j, column_label in enumerate(labels):
            value = float(data.correlation[i, j])
            tip = f"{row_label} / {column_label}: {value:.2f}"
            mark = {"class": "mark", "data-series": f"{row_label}|{column_label}", "stroke": "#fff"}
            parts.append(rect(left + j * cell, top + i * cell, cell, cell, diverging(value), tip, **mark))
            if n <= 12 and math.isfinite(value):
                ink = "#fff" if abs(value) > 0.6 else "#222"
                cx, cy = left + (j + 0.5) * cell, top + (i + 0.5) * cell + 4
                parts.append(text(cx, cy, f"{value:.2f}", "middle", style=f"fill:{ink};font-size:10px"))
    bar_x, steps = grid.right + 28, 10
    step_px = grid.height / steps
    for k in range(steps):
        value = 1.0 - (k + 0.5) * 2.0 / steps
        parts.append(rect(bar_x, top + k * step_px, 12, step_px, diverging(value), **{"class": "swatch"}))
    for value, y in ((1.0, top), (0.0, top + grid.height / 2), (-1.0, grid.bottom)):
        parts.append(text(bar_x + 17, y + 4, f"{value:+.0f}" if value else "0"))
    height = grid.bottom + widest * 0.71 + 16
    return svg(max(WIDTH / 2, bar_x + 50), height, "correlation of pods' daily returns", parts)


# ----------------------------------------------------------------------------------------------------- page


@dataclass(frozen=True)
class Chart:
    """One figure of the page: its name (`data-chart`), heading, caption, drawing, and the note shown
    when `draw` finds nothing to draw and `ReportData.missing` says nothing more precise."""

    name: str
    title: str
    caption: str
    draw: Callable[[model.ReportData], str | None]
    missing: str


CHARTS = (
    Chart(
        "equity",
        "Equity curves",
        "Each pod's net asset value (allocated capital plus PnL) as the federation observed it.",
        equity_chart,
        "no pod has reported a status yet",
    ),
    Chart(
        "allocation",
        "Capital allocation over time",
        "Capital the optimizer granted each pod, stacked, held from each cycle until the next.",
        allocation_chart,
        "no allocation cycle recorded",
    ),
    Chart(
        "correlation",
        "Correlation of pods' returns",
        "Correlation of daily returns on allocated capital, as the optimizer estimates it now.",
        correlation_chart,
        "no covariance estimate",
    ),
    Chart(
        "attribution",
        "Alpha and beta attribution",
        "PnL explained by beta to BTC and ETH (market drift) and the rest (alpha); a pod flagged "
        "fake alpha profits from beta while its alpha is not significant.",
        attribution_chart,
        "no residual-return report",
    ),
    Chart(
        "shortfall",
        "Implementation shortfall",
        "Execution plus opportunity cost plus fees over paper notional at decision prices; positive is a cost.",
        shortfall_chart,
        "no shortfall report",
    ),
    Chart(
        "grades",
        "Orders by execution grade",
        "Each order graded by its total shortfall: excellent <= 0, good <= 5, fair <= 15, poor <= 50 bps.",
        grades_chart,
        "no graded order",
    ),
    Chart(
        "fills",
        "Maker and taker fills",
        "Share of traded notional that provided (maker) or took (taker) liquidity, against the pod's "
        "declared intent; a maker pod taking most of its volume is a process failure.",
        fills_chart,
        "no fill-ratio report",
    ),
    Chart(
        "slippage",
        "Slippage against order size",
        "Expected slippage by the square-root law per symbol; the dot marks the capacity, the largest "
        "order within the impact budget.",
        slippage_chart,
        "no liquidity surface",
    ),
    Chart(
        "lifecycle",
        "Lifecycle timeline",
        "Each pod's stage over time; hover a bar for the rule that moved it.",
        lifecycle_chart,
        "no lifecycle record",
    ),
)

# Strict: nothing may load, run or connect; only the inline stylesheet applies.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#222;
background:#fff;max-width:820px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}
.subtitle{color:#555;margin:0}
.meta{color:#777;font-size:12px;margin:4px 0 0}
figure,section{margin:24px 0;padding:12px 16px;border:1px solid #e3e3e3;border-radius:6px;break-inside:avoid}
h2{font-size:15px;margin:0 0 8px}
figcaption{font-size:12px;color:#555;margin-top:6px}
svg{display:block;max-width:100%;height:auto;font-size:11px}
svg text{fill:#333}
svg .title{font-weight:600}
svg .alarm{fill:#c0392b;font-weight:600}
.no-data{padding:24px;background:#f6f6f6;color:#666;text-align:center;border-radius:4px;margin:0}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
.severity-critical{color:#c0392b;font-weight:600}
.severity-warning{color:#d35400}
"""


def figure(chart: Chart, data: model.ReportData) -> str:
    drawn = chart.draw(data)
    attrs: dict[str, object] = {"data-chart": chart.name, "id": f"chart-{chart.name}"}
    if drawn is None:
        attrs["data-empty"] = "true"
        reason = data.missing.get(chart.name, chart.missing)
        drawn = el("p", {"class": "no-data"}, f"No data: {html.escape(reason)}")
    caption = el("figcaption", {}, html.escape(chart.caption))
    return el("figure", attrs, el("h2", {}, html.escape(chart.title)) + drawn + caption)


def alerts_table(alerts: Sequence[model.AlertRow]) -> str:
    heading = el("h2", {}, "Recent alerts and halts")
    if not alerts:
        return el("section", {"id": "alerts"}, heading + el("p", {"class": "no-data"}, "No open alert or halt."))
    header = "".join(el("th", {}, name) for name in ("time (UTC)", "source", "pod", "severity", "what"))
    body = []
    for alert in alerts:
        when = f"{alert.time:%Y-%m-%d %H:%M:%S}" if alert.time else "-"
        cells = [when, alert.source, alert.pod_id or "-", alert.severity, alert.text]
        row = "".join(
            el("td", {"class": f"severity-{alert.severity}"} if i == 3 else {}, html.escape(cell))
            for i, cell in enumerate(cells)
        )
        body.append(el("tr", {}, row))
    table = el("table", {}, el("thead", {}, el("tr", {}, header)) + el("tbody", {}, "".join(body)))
    return el("section", {"id": "alerts"}, heading + table)


def summary(data: model.ReportData) -> str:
    """Return one line of totals: pods, their latest NAV, the latest cycle's capital."""
    latest = [float(s.dropna().iloc[-1]) for s in data.equity.values() if len(s.dropna())]
    parts = [f"{len(_pod_ids(data))} pods", f"NAV {compact(sum(latest))} USD" if latest else "no NAV reported"]
    if not data.allocations.empty:
        parts.append(f"capital allocated in the latest cycle {compact(float(data.allocations.iloc[-1].sum()))} USD")
    return " \u00b7 ".join(parts)


def render_html(data: model.ReportData) -> str:
    """Return the report as one HTML document that needs nothing else to display."""
    generated = f"{data.generated_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
    head = (
        '<meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(data.title)}</title><style>{STYLE}</style>"
    )
    header = (
        el("h1", {}, html.escape(data.title))
        + el("p", {"class": "subtitle"}, html.escape(data.subtitle))
        + el("p", {"class": "meta"}, html.escape(f"Generated {generated} \u00b7 {summary(data)}"))
    )
    body = el("header", {}, header) + "".join(figure(chart, data) for chart in CHARTS) + alerts_table(data.alerts)
    return f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{body}</body></html>\n'
