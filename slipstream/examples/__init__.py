"""Example pods, runnable as `python -m slipstream.examples.<name>`."""

# Near the last closes of the bundled Bitstamp daily sample, whose volatility the lake forecasts.
START_PRICES = {"BTC/USD": 8_900.0, "ETH/USD": 170.0, "LTC/USD": 57.0, "BTC/USDT": 60_000.0, "ETH/USDT": 3_000.0}
