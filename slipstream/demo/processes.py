"""Start Slipstream services as child processes and learn their address from their first line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

_LISTENING = re.compile(r"listening on (\S+:\d+)")


class ServiceProcess:
    """A child process that prints 'listening on HOST:PORT' once it serves."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.name = name
        self.argv = argv
        self.output: deque[str] = deque(maxlen=200)
        self._address: str | None = None
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, name=f"read-{name}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            match = _LISTENING.search(line)
            if match and not self._ready.is_set():
                self._address = match.group(1)
                self._ready.set()
        self._ready.set()

    def wait_address(self, timeout_s: float = 30.0) -> str:
        """Block until the process reports its address; raise with its output if it dies first."""
        self._ready.wait(timeout_s)
        if self._address is None:
            self.stop()
            tail = "\n".join(self.output)
            raise RuntimeError(f"{self.name} did not start (exit code {self.process.poll()}):\n{tail}")
        return self._address

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Kill without warning (SIGKILL), as a crash would."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask politely (SIGTERM), then kill whatever is left of the process group."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reader.join(1.0)


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def wait_until(predicate, timeout_s: float, interval_s: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    """Poll `predicate` until it returns truthy or the timeout passes; return whether it did."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return bool(predicate())
