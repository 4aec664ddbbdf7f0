"""`slipstream lake` and `slipstream vol` against a running lake: files in, dataset out and back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ADMIN_TOKEN, LakeHandle
from support import REPO_ROOT, eventually

SAMPLES = REPO_ROOT / "slipstream" / "datalake" / "samples"


def slipstream(lake: LakeHandle, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "slipstream.cli.main", "--token", ADMIN_TOKEN, *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": ""})
    return result


def test_ingest_files_query_coverage_vol_and_dataset_round_trip(lake_server: LakeHandle, tmp_path: Path) -> None:
    lake = ["lake", "--lake", lake_server.address]
    daily = slipstream(
        lake_server, *lake, "ingest", str(SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv"), "--known-at-close"
    )
    assert daily.returncode == 0, daily.stderr
    assert "1865 1d bars of BTC/USD" in daily.stdout
    minute = slipstream(
        lake_server, *lake, "ingest", str(SAMPLES / "SOLUSDT_1m_2023-01-01.csv"), "--symbol", "SOL/USDT"
    )
    assert minute.returncode == 0 and "300 1m bars of SOL/USDT" in minute.stdout
    trades = slipstream(
        lake_server,
        *lake,
        "ingest",
        "--trades",
        "--symbol",
        "ETH/USDT:USDT",
        str(SAMPLES / "binance_usdm_ETHUSDT_trades_20240808.csv.gz"),
    )
    assert trades.returncode == 0 and "14076 trades" in trades.stdout

    query = slipstream(lake_server, *lake, "query", "BTC/USD", "1d", "--start", "2019-12-30", "--end", "2020-01-02")
    assert query.returncode == 0, query.stderr
    assert "3 bars" in query.stdout and "2019-12-31" in query.stdout
    # Known at close: as of 2015-01-01 the lake did not know any bar after 2014-12-31.
    past = slipstream(lake_server, *lake, "query", "BTC/USD", "1d", "--as-of", "2015-01-01T00:00:00")
    assert "34 bars" in past.stdout

    coverage = slipstream(lake_server, *lake, "coverage")
    assert coverage.returncode == 0 and "SOL/USDT" in coverage.stdout and "ETH/USDT:USDT" in coverage.stdout

    vol = eventually(
        lambda: (
            (r := slipstream(lake_server, "vol", "--lake", lake_server.address, "show")).returncode == 0
            and "LTC/USD" in r.stdout
            and r
        )
    )
    assert "BTC/USD" in vol.stdout and "ETH/USD" in vol.stdout

    exported = slipstream(lake_server, *lake, "export", str(tmp_path / "dataset"))
    assert exported.returncode == 0, exported.stderr
    assert list(
        (tmp_path / "dataset" / "bars" / "timeframe=1d" / "symbol_key=BTC-USD").glob("date=2019-12-31/*.parquet")
    )

    lake_server.restart(wipe=True)
    imported = slipstream(lake_server, *lake, "import", str(tmp_path / "dataset"))
    assert imported.returncode == 0, imported.stderr
    assert "BTC/USD 1d: 1865 versions" in imported.stdout, imported.stdout
    again = slipstream(lake_server, *lake, "query", "BTC/USD", "1d", "--as-of", "2015-01-01T00:00:00")
    assert "34 bars" in again.stdout
