import asyncio
import time

from slipstream.gateway.ratelimit import RateLimiter


async def _run(limiter: RateLimiter, jobs: dict[str, int], cost: float = 1.0) -> None:
    limiter.start()
    await asyncio.gather(*(limiter.acquire(pod, cost) for pod, count in jobs.items() for _ in range(count)))
    await limiter.stop()


def test_never_faster_than_the_budget_over_any_window() -> None:
    limiter = RateLimiter(ms_per_unit=5.0, capacity=5, monotonic=time.monotonic)
    asyncio.run(_run(limiter, {"noisy": 60, "quiet": 10}))
    times = [t for t, _, _ in limiter.granted]
    for i, start in enumerate(times):
        for j in range(i, len(times)):
            window = times[j] - start
            # capacity plus what refills in the window, with 1 ms of scheduling slack.
            assert j - i + 1 <= 5 + (window + 0.001) * 200


def test_a_noisy_pod_cannot_starve_a_quiet_one() -> None:
    limiter = RateLimiter(ms_per_unit=2.0, capacity=1, monotonic=time.monotonic)
    asyncio.run(_run(limiter, {"noisy": 100, "quiet": 5}))
    order = [pod for _, pod, _ in limiter.granted]
    assert order.count("quiet") == 5
    assert max(i for i, pod in enumerate(order) if pod == "quiet") < 12


def test_retry_after_stops_everything_until_it_passed() -> None:
    async def scenario() -> float:
        limiter = RateLimiter(ms_per_unit=1.0, capacity=10, monotonic=time.monotonic)
        limiter.start()
        await limiter.acquire("a")
        limiter.penalize(0.2)
        started = time.monotonic()
        await limiter.acquire("b")
        await limiter.stop()
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.2
