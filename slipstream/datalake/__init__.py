"""The point-in-time data lake: bitemporal OHLCV bars and trades on DuckDB."""
