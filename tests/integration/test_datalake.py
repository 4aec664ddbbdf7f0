"""The data lake and volatility service over real gRPC."""

from __future__ import annotations

import json
import math
import threading
from typing import Any

import grpc
import numpy as np
import pytest
from conftest import READER_TOKEN, LakeHandle
from slipstream_api.v1 import datalake_pb2, datalake_pb2_grpc
from support import REPO_ROOT, eventually, field_violation, grpcurl

from slipstream.datalake.files import read_bars
from slipstream.datalake.frames import BarFrame
from slipstream.transport import auth

SAMPLES = REPO_ROOT / "slipstream" / "datalake" / "samples"
STEP = 60_000
T0 = 1_672_531_200_000


def minute_bars(count: int, start: int = T0, base: float = 100.0) -> BarFrame:
    times = start + np.arange(count, dtype=np.int64) * STEP
    close = base + np.arange(count) * 0.01
    return BarFrame.build(times, close, close + 0.5, close - 0.5, close, np.ones(count), [])


def test_write_and_stream_back_in_batches(lake_server: LakeHandle) -> None:
    with lake_server.client() as client:  # type: ignore[attr-defined]
        written = client.write_bars("BTC/USDT", "1m", minute_bars(1000))
        assert written.written_count == 1000 and written.revised_count == 0
        channel = grpc.insecure_channel(lake_server.address)
        stub = datalake_pb2_grpc.DataLakeServiceStub(channel)
        request = datalake_pb2.QueryBarsRequest(symbol="BTC/USDT", timeframe="1m", batch_size=300)
        answers = list(stub.QueryBars(request, metadata=auth.bearer_metadata(READER_TOKEN)))
        channel.close()
        assert [len(a.bars.open_times_unix_ms) for a in answers] == [300, 300, 300, 100]
        bars = client.query_bars("BTC/USDT", "1m", start_ms=T0 + 10 * STEP, end_ms=T0 + 20 * STEP)
        assert bars.open_time_ms.tolist() == [T0 + i * STEP for i in range(10, 20)]
        assert bars.close[0] == pytest.approx(100.1)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda c: c.highs.__setitem__(3, 1.0), "bars[3].high"),
        (lambda c: c.volumes.__setitem__(5, -2.0), "bars[5].volume"),
        (lambda c: c.closes.__setitem__(7, math.nan), "bars[7].close"),
        (lambda c: c.opens.__setitem__(2, math.inf), "bars[2].open"),
        (lambda c: c.open_times_unix_ms.__setitem__(4, T0 + 4 * STEP + 7), "bars[4].open_time_ms"),
        (lambda c: c.open_times_unix_ms.__setitem__(6, T0 + 5 * STEP), "bars[6].open_time_ms"),
    ],
)
def test_bad_batch_is_refused_whole_and_nothing_is_stored(lake_server: LakeHandle, mutate: Any, field: str) -> None:
    from slipstream.datalake import convert

    columns = convert.bars_to_pb(minute_bars(10))
    mutate(columns)
    channel = grpc.insecure_channel(lake_server.address)
    stub = datalake_pb2_grpc.DataLakeServiceStub(channel)
    from conftest import ADMIN_TOKEN

    with pytest.raises(grpc.RpcError) as raised:
        stub.WriteBars(
            datalake_pb2.WriteBarsRequest(symbol="BTC/USDT", timeframe="1m", bars=columns),
            metadata=auth.bearer_metadata(ADMIN_TOKEN),
        )
    channel.close()
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violation(raised.value)[0] == field
    with lake_server.client() as client:  # type: ignore[attr-defined]
        assert [s.symbol for s in client.list_series()] == []
        with pytest.raises(grpc.RpcError) as missing:
            client.query_bars("BTC/USDT", "1m")
        assert missing.value.code() is grpc.StatusCode.NOT_FOUND


def test_readers_cannot_write_and_strangers_cannot_read(lake_server: LakeHandle) -> None:
    with lake_server.client(READER_TOKEN) as reader:  # type: ignore[attr-defined]
        with pytest.raises(grpc.RpcError) as raised:
            reader.write_bars("BTC/USDT", "1m", minute_bars(2))
        assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with lake_server.client("nobody") as stranger:  # type: ignore[attr-defined]
        with pytest.raises(grpc.RpcError) as raised:
            stranger.list_series()
        assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_coverage_reports_gaps_and_restart_keeps_every_row(lake_server: LakeHandle) -> None:
    with lake_server.client() as client:  # type: ignore[attr-defined]
        client.write_bars("ETH/USDT", "1m", minute_bars(10))
        client.write_bars("ETH/USDT", "1m", minute_bars(5, start=T0 + 13 * STEP))
        client.write_bars("ETH/USDT", "1m", minute_bars(2, base=200.0))
        coverage = client.coverage("ETH/USDT", "1m")
        assert coverage.coverage.row_count == 15 and coverage.coverage.version_count == 17
        assert coverage.coverage.missing_bar_count == 3
        (gap,) = coverage.gaps
        assert gap.start_time.ToMilliseconds() == T0 + 10 * STEP and gap.missing_bar_count == 3
        before = client.query_bars("ETH/USDT", "1m")
    lake_server.restart()
    with lake_server.client() as client:  # type: ignore[attr-defined]
        after = client.query_bars("ETH/USDT", "1m")
        assert after.open_time_ms.tolist() == before.open_time_ms.tolist()
        assert after.close.tolist() == before.close.tolist()
        assert client.coverage("ETH/USDT", "1m").coverage.version_count == 17


def test_trades_round_trip_and_real_sample(lake_server: LakeHandle) -> None:
    from slipstream.datalake.files import read_trades

    trades = read_trades(SAMPLES / "binance_usdm_BTCUSDT_trades_20240808.csv.gz")
    with lake_server.client() as client:  # type: ignore[attr-defined]
        assert client.write_trades("BTC/USDT:USDT", trades).written_count == len(trades)
        back = client.query_trades("BTC/USDT:USDT")
        assert len(back) == len(trades)
        assert back.trade_id.tolist() == trades.trade_id.tolist()
        assert set(back.side.tolist()) == {1, 2}


def test_volatility_forecast_is_broadcast_to_every_subscriber(lake_server: LakeHandle) -> None:
    (btc, *_) = read_bars(SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv")
    received: list[list[Any]] = [[], []]
    ready = [threading.Event(), threading.Event()]

    def listen(index: int) -> None:
        with lake_server.client(READER_TOKEN) as client:  # type: ignore[attr-defined]
            stream = client.subscribe_forecasts(["BTC/USD"], send_current=False)
            ready[index].set()
            for forecast in stream:
                received[index].append(forecast)
                if forecast.version >= 1:
                    return

    threads = [threading.Thread(target=listen, args=(i,), daemon=True) for i in range(2)]
    for thread in threads:
        thread.start()
    for event in ready:
        assert event.wait(5)
    with lake_server.client() as client:  # type: ignore[attr-defined]
        # The streams are open once the server has registered them; a status call orders us after that.
        eventually(lambda: len(lake_server.running.volatility._subscribers) == 2)  # type: ignore[attr-defined]
        client.write_bars(btc.symbol, btc.timeframe, btc.bars)
        for thread in threads:
            thread.join(20)
        assert [len(r) for r in received] == [1, 1]
        first, second = received[0][0], received[1][0]
        assert first == second and first.version == 1
        assert 0.2 < first.annualized_volatility < 1.5
        assert client.forecasts(["BTC/USD"])[0] == first


def test_grpcurl_sees_the_lake_and_volatility_services(lake_server: LakeHandle) -> None:
    listed = grpcurl(lake_server.address, "list")
    assert {"slipstream.v1.DataLakeService", "slipstream.v1.VolatilityService"} <= set(listed.stdout.split())
    answer = grpcurl(lake_server.address, "slipstream.v1.DataLakeService/ListSeries", token=READER_TOKEN)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout) == {}


def test_point_in_time_forecast_uses_only_what_was_known(lake_server: LakeHandle) -> None:
    from dataclasses import replace

    import pandas as pd

    from slipstream.datalake.frames import MS
    from slipstream.volatility.estimator import forecast

    (btc, *_) = read_bars(SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv")
    known_at_close = replace(btc.bars, knowledge_time_ns=(btc.bars.open_time_ms + 86_400_000) * MS)
    cutoff_ms = 1_451_606_400_000  # 2016-01-01
    with lake_server.client() as client:  # type: ignore[attr-defined]
        client.write_bars(btc.symbol, btc.timeframe, known_at_close)
        (past,) = client.forecasts(["BTC/USD"], as_of_ns=cutoff_ms * MS)
        (current,) = eventually(lambda: client.forecasts([]))
    visible = btc.bars.open_time_ms + 86_400_000 <= cutoff_ms
    expected = forecast(pd.Series(btc.bars.close[visible], index=btc.bars.open_time_ms[visible]))
    assert expected is not None
    assert past.version == 0 and past.last_bar_time.ToMilliseconds() == cutoff_ms - 86_400_000
    assert past.annualized_volatility == pytest.approx(expected.annualized, rel=1e-12)
    assert current.version == 1 and current.annualized_volatility != past.annualized_volatility
