"""The web server choice and the reverse-proxy rule of `walkrx serve` (walkrx.web.server)."""

from __future__ import annotations

from typing import Any

from walkrx.web import server


def _seen(proxy: str, remote: str, **headers: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return [b""]

    environ = {"REMOTE_ADDR": remote, **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
    server.TrustedProxy(app, proxy)(environ, lambda *a: None)
    return seen


def test_the_trusted_proxy_gives_the_client_address() -> None:
    seen = _seen("10.0.0.2", "10.0.0.2", x_forwarded_for="203.0.113.9, 198.51.100.7")
    assert seen["REMOTE_ADDR"] == "198.51.100.7"  # the entry the proxy itself added


def test_anyone_else_cannot_forge_an_address_or_https() -> None:
    for proxy in ("10.0.0.2", ""):
        seen = _seen(proxy, "198.51.100.50", x_forwarded_for="10.9.9.9", x_forwarded_proto="https")
        assert seen["REMOTE_ADDR"] == "198.51.100.50"
        assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen


def test_default_processes_follow_the_cores() -> None:
    import os

    n = server.default_processes()
    assert 2 <= n <= server.MAX_PROCESSES
    assert n == max(2, min(server.MAX_PROCESSES, 2 * len(os.sched_getaffinity(0))))
    assert server.can_fork()  # Linux: gunicorn is the default server
