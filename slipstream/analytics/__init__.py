"""Post-trade analytics and the pod lifecycle as pure functions: no gRPC, no I/O.

Execution cost (shortfall), maker/taker mix against declared intent (fills), alpha net of
BTC/ETH beta (residual), the statistical significance of a Sharpe ratio (sharpe), and the
stage a pod is in and the capital that stage allows (lifecycle).
"""
