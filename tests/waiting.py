"""Waiting in tests for what other processes and threads do: a worker, a server, a relay."""

import time
from collections.abc import Callable


def wait_for(found: Callable[[], object], seconds: float = 20, what: str = "") -> object:
    """Poll until `found()` gives something true, and return it; fail after `seconds`,
    naming `what` was awaited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.1)
    raise AssertionError(f"no {what or 'result'} after {seconds} s")
