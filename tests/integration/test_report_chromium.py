"""The report as a browser draws it: headless Chromium (Debian's `chromium`, installed by
scripts/setup.sh) opens the HTML file offline and a probe script measures every chart.

The probe is added to the test's copy only (the report itself runs no script: its Content Security
Policy forbids it; the copy allows exactly the probe, by its hash, and nothing else). For each
`figure[data-chart]` it reports whether an <svg> is there with a non-zero size on screen and how many
of its data marks (`.mark`: lines, areas, bars, cells, points) are drawn: painted (not hidden, not
transparent), with a box of non-zero size (lines: length; shapes: area) that overlaps the svg's
viewport. A chart counts as drawn when it has at least the marks its data implies.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from slipstream.report import model, render

CHROMIUM = "/usr/bin/chromium"

PROBE = """
(() => {
  const LINES = new Set(['polyline', 'line', 'path']);
  const result = {};
  for (const figure of document.querySelectorAll('figure[data-chart]')) {
    const svg = figure.querySelector('svg');
    const view = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    let drawn = 0;
    if (svg && view.width > 0 && view.height > 0) {
      for (const mark of svg.querySelectorAll('.mark')) {
        const b = mark.getBBox();
        const r = mark.getBoundingClientRect();
        const s = getComputedStyle(mark);
        const sized = LINES.has(mark.tagName) ? (b.width > 0 || b.height > 0) : (b.width > 0 && b.height > 0);
        const inside = r.right >= view.left && r.left <= view.right && r.bottom >= view.top && r.top <= view.bottom;
        const painted = s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0
          && (s.fill !== 'none' || s.stroke !== 'none');
        if (sized && inside && painted) drawn += 1;
      }
    }
    const note = figure.querySelector('.no-data');
    result[figure.dataset.chart] = {
      svg: Boolean(svg), width: view.width, height: view.height, drawn,
      note: note ? note.getBoundingClientRect().height > 0 : false,
    };
  }
  document.getElementById('probe-result').textContent = JSON.stringify(result);
})();
"""


def chromium() -> str:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"{CHROMIUM} not found: run scripts/setup.sh, which installs Debian's chromium package")
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


def dump_dom(page: Path, profile: Path) -> str:
    """Load `page` offline in headless Chromium and return the DOM after its scripts ran."""
    argv = [
        chromium(),
        "--headless=new",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        # Offline: any host name fails to resolve, so nothing could load even if the page asked.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--window-size=1000,900",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def probe(report: str, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """Render `report` in Chromium with the probe allowed by its hash; return its measurements."""
    digest = base64.b64encode(hashlib.sha256(PROBE.encode()).digest()).decode()
    policy = render.CONTENT_SECURITY_POLICY
    assert policy in report
    copy = report.replace(policy, f"{policy}; script-src 'sha256-{digest}'").replace(
        "</body>", f'<pre id="probe-result"></pre><script>{PROBE}</script></body>'
    )
    page = tmp_path / "report-probed.html"
    page.write_text(copy, encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), f"the probe did not run; DOM starts {dom[:500]!r}"
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def full_report() -> model.ReportData:
    """Six pods over two months, a long equity history to thin, every chart's data."""
    rng = np.random.default_rng(7)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    pods = ("momentum", "mean-reversion", "basis", "carry", "funding-arb", "vol-seller")
    times = pd.date_range(start, periods=20_000, freq="5min", tz="UTC")
    cycles = pd.date_range(start, periods=9, freq="7D", tz="UTC")
    returns = rng.normal(0, 1, (200, len(pods))) + rng.normal(0, 1, (200, 1))
    curves = []
    for symbol, volume in (("BTC/USD", 4e9), ("ETH/USD", 1.5e9), ("LTC/USD", 1e8)):
        sizes = np.geomspace(volume * 1e-4, volume * 0.1, 30)
        slippage = 1.0 + 0.02 * np.sqrt(sizes / volume) * 1e4
        curves.append(model.SlippageCurve(symbol, tuple(zip(sizes, slippage, strict=True)), volume * 0.0125, 25.0))
    lifecycle = []
    for i, pod in enumerate(pods):
        promoted = start + timedelta(days=20 + 5 * i)
        lifecycle.append(model.LifecycleSpan(pod, "incubation", start, promoted, "registered"))
        lifecycle.append(model.LifecycleSpan(pod, model.STAGES[1 + i % 4], promoted, None, "PSR above threshold"))
    return model.ReportData(
        title="Slipstream federation report",
        subtitle="hand-built for the browser test",
        generated_at=start + timedelta(days=70),
        equity={p: pd.Series(1e5 + np.cumsum(rng.normal(5, 300, len(times))), index=times) for p in pods},
        allocations=pd.DataFrame(rng.uniform(2e4, 2e5, (len(cycles), len(pods))), index=cycles, columns=list(pods)),
        correlation=np.corrcoef(returns, rowvar=False),
        correlation_labels=pods,
        attribution=tuple(
            model.PodAttribution(p, float(a), float(b), fake_alpha=i == 2)
            for i, (p, a, b) in enumerate(zip(pods, rng.normal(0, 5e3, 6), rng.normal(0, 5e3, 6), strict=True))
        ),
        shortfall=tuple(
            model.PodShortfall(p, float(bps), float(bps) * 40.0, {"excellent": 5, "good": 9, "fair": 4, "poor": 2})
            for p, bps in zip(pods, rng.normal(6, 8, 6), strict=True)
        ),
        shortfall_review_bps=15.0,
        fill_mix=tuple(
            model.PodFillMix(p, float(m), 1.0 - float(m), "maker" if m > 0.5 else "taker", False, 50, 1e6)
            for p, m in zip(pods, rng.uniform(0.05, 0.95, 6), strict=True)
        ),
        slippage=tuple(curves),
        lifecycle=tuple(lifecycle),
        alerts=(model.AlertRow(start, "auditor", "basis", "critical", "under reported BTC/USDT by 0.5"),),
    )


def test_every_chart_of_a_full_report_is_drawn(tmp_path: Path) -> None:
    data = full_report()
    pods = len(data.equity)
    least = {
        "equity": pods,
        "allocation": pods,
        "correlation": pods * pods,
        "attribution": 2 * pods,
        "shortfall": pods,
        "grades": 4 * pods,
        "fills": 2 * pods,
        "slippage": 2 * len(data.slippage),
        "lifecycle": len(data.lifecycle),
    }

    measured = probe(render.render_html(data), tmp_path)

    assert list(measured) == list(model.CHARTS)
    for chart, seen in measured.items():
        assert seen["svg"] and seen["width"] > 100 and seen["height"] > 100, (chart, seen)
        assert seen["drawn"] >= least[chart], (chart, seen)
        assert not seen["note"], chart


def test_an_empty_report_shows_its_notes_and_draws_no_chart(tmp_path: Path) -> None:
    data = model.ReportData(title="empty", subtitle="", generated_at=datetime(2026, 1, 1, tzinfo=timezone.utc))

    measured = probe(render.render_html(data), tmp_path)

    assert list(measured) == list(model.CHARTS)
    for chart, seen in measured.items():
        assert not seen["svg"] and seen["drawn"] == 0 and seen["note"], (chart, seen)


def test_the_report_itself_runs_no_script(tmp_path: Path) -> None:
    injected = render.render_html(full_report()).replace(
        "</body>", "<script>document.title = 'script ran'</script></body>"
    )
    policy = f'<meta http-equiv="Content-Security-Policy" content="{render.CONTENT_SECURITY_POLICY}">'
    guarded, unguarded = tmp_path / "guarded.html", tmp_path / "unguarded.html"
    guarded.write_text(injected, encoding="utf-8")
    unguarded.write_text(injected.replace(policy, ""), encoding="utf-8")

    # The document's title is the first <title>; the charts' tooltips follow.
    titles = [re.search(r"<title>(.*?)</title>", dump_dom(page, tmp_path / "profile")) for page in (guarded, unguarded)]

    # The same script runs once the policy is taken out: the policy, not chance, stopped it.
    assert [title and title.group(1) for title in titles] == ["Slipstream federation report", "script ran"]
