"""Ports on this machine for servers the tests start themselves, or where nothing listens."""

import socket


def unused_port() -> int:
    """A port nothing listens on now: free for a server of the test's own, or closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
