"""Slipstream: a federated trading factory of autonomous pods under one gRPC contract."""
