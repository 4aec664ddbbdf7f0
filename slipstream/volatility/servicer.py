"""VolatilityService over the VolatilityService core."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
from slipstream_api.v1 import volatility_pb2 as pb
from slipstream_api.v1 import volatility_pb2_grpc as pb_grpc

from slipstream.datalake import convert
from slipstream.datalake.frames import validate_symbol
from slipstream.transport.errors import rpc_method, rpc_stream
from slipstream.volatility.service import VolatilityForecast, VolatilityService


def forecast_to_pb(forecast: VolatilityForecast) -> pb.VolatilityForecast:
    estimate = forecast.estimate
    return pb.VolatilityForecast(
        symbol=forecast.symbol,
        annualized_volatility=estimate.annualized,
        daily_volatility=estimate.daily,
        ewma_volatility_annualized=estimate.ewma_annualized,
        long_run_volatility_annualized=estimate.long_run_annualized,
        observation_count=estimate.observation_count,
        floored=estimate.floored,
        version=forecast.version,
        as_of_time=convert.ns_to_pb(forecast.as_of_ns),
        last_bar_time=convert.ms_to_pb(estimate.last_close_day_ms),
        compute_time=convert.ns_to_pb(forecast.compute_ns),
    )


class VolatilityServicer(pb_grpc.VolatilityServiceServicer):
    def __init__(self, service: VolatilityService) -> None:
        self._service = service

    @rpc_method
    async def GetForecasts(
        self, request: pb.GetForecastsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetForecastsResponse:
        symbols = [validate_symbol(s, f"symbols[{i}]") for i, s in enumerate(request.symbols)]
        as_of = convert.time_ns(request, "as_of_time")
        if as_of is None:
            forecasts = self._service.forecasts(symbols)
        else:
            forecasts = await asyncio.to_thread(self._service.forecasts_as_of, symbols, as_of)
        return pb.GetForecastsResponse(forecasts=[forecast_to_pb(f) for f in forecasts])

    @rpc_stream
    async def SubscribeForecasts(
        self, request: pb.SubscribeForecastsRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.SubscribeForecastsResponse]:
        symbols = [validate_symbol(s, f"symbols[{i}]") for i, s in enumerate(request.symbols)]
        async for forecast in self._service.subscribe(symbols, request.send_current):
            yield pb.SubscribeForecastsResponse(forecast=forecast_to_pb(forecast))
