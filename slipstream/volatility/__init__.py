"""The central volatility forecast: one standardized, point-in-time number per asset."""
