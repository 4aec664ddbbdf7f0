"""Example pods, runnable as `python -m slipstream.examples.<name>`."""

START_PRICES = {"BTC/USDT": 60_000.0, "ETH/USDT": 3_000.0, "SOL/USDT": 150.0}
