"""Test servers listen on ports no outgoing connection can hold (tests.conftest.free_port):
below the kernel's ephemeral range, in the xdist worker's own slice."""

from __future__ import annotations

import socket

from tests.conftest import _PORTS_HIGH, _PORTS_LOW, _ephemeral_low, free_port


def test_free_ports_are_below_the_ephemeral_range_and_bindable():
    ports = {free_port() for _ in range(50)}
    assert len(ports) > 40  # drawn at random, not the same few
    assert all(_PORTS_LOW <= p < _PORTS_HIGH <= _ephemeral_low() for p in ports)
    for port in list(ports)[:5]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
            sock.listen()


def test_a_port_in_use_is_never_handed_out(monkeypatch):
    import tests.conftest as conftest

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        busy = taken.getsockname()[1]
        taken.listen()
        draws = iter([busy, busy, busy + 1 if busy + 1 < 65536 else busy - 1])

        class Fixed:
            def randrange(self, low: int, high: int) -> int:
                return next(draws)

        monkeypatch.setattr(conftest, "_port_random", Fixed())
        assert free_port() != busy
