import threading
from pathlib import Path

from slipstream.gateway.nonces import NonceSource


def test_strictly_increasing_across_threads_and_never_below_the_clock(tmp_path: Path) -> None:
    clock = [1_700_000_000_000]
    source = NonceSource(tmp_path / "nonces.sqlite", lambda: clock[0])
    values: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(500):
            value = source.next("key-1")
            with lock:
                values.append(value)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(values)) == 2000 and min(values) >= clock[0]
    clock[0] += 10_000_000
    assert source.next("key-1") == clock[0]
    source.close()


def test_restart_continues_above_everything_handed_out_even_if_the_clock_went_back(tmp_path: Path) -> None:
    clock = [2_000_000]
    source = NonceSource(tmp_path / "nonces.sqlite", lambda: clock[0], block=100)
    issued = [source.next("k") for _ in range(250)]
    source.close()
    clock[0] = 1_000  # the machine's clock jumped backwards
    restarted = NonceSource(tmp_path / "nonces.sqlite", lambda: clock[0], block=100)
    assert restarted.next("k") > max(issued)
    assert restarted.next("other") == 1_000  # keys are independent
    restarted.close()
