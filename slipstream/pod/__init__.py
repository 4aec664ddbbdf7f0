"""The pod SDK: subclass `Strategy`, call `run_pod`; the SDK speaks the constitution for you."""

from slipstream.pod.runner import run_pod
from slipstream.pod.strategy import PodContext, Strategy

__all__ = ["PodContext", "Strategy", "run_pod"]
