"""Run the web app: gunicorn (worker processes x threads) where the OS forks, waitress elsewhere.

``walkrx serve`` calls :func:`serve`. On Linux and macOS the app runs in gunicorn's
``gthread`` workers: ``processes`` forked processes, each with ``threads`` threads, so
pages are rendered on every core instead of queueing on one Python process. Where
``os.fork`` is missing (Windows) or with ``server="waitress"``, waitress serves from
one process with threads, as before.

Forking rules kept here:

* the master process closes every database connection before it forks (the app is
  loaded once in the master; each worker opens its own connections after the fork);
* the import worker is started and stopped by the master only (a web worker that exits
  never stops it);
* SIGTERM or Ctrl-C stops the web workers (gracefully, at most ``GRACEFUL_S`` seconds)
  and then the import worker.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

#: At most this many web processes by default (each holds about 65 MB).
MAX_PROCESSES = 16
#: Threads per web process by default: a request waiting on the database or a slow
#: upload does not hold up the process's other requests; more only add switching.
DEFAULT_THREADS = 4
#: Seconds a web worker gets to finish its requests when the server stops.
GRACEFUL_S = 10
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def can_fork() -> bool:
    """True where gunicorn can run (an OS with ``fork``)."""
    return hasattr(os, "fork") and sys.platform != "win32"


def default_processes() -> int:
    """Two web processes per CPU core this process may use (at most 16: memory).

    A process waits now and then (a database round trip, a client's bytes), and each runs
    Python on one core at a time; two per core keep the cores busy. Measured on 2 cores
    (progress page, 20 clients, ``scripts/bench_progress.py``): 4 processes x 2 threads
    gave 570-680 requests/s, 2 processes x 10 threads 370, 2 x 2 413 (docs/web.md).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cores = os.cpu_count() or 1
    return max(2, min(2 * cores, MAX_PROCESSES))


class TrustedProxy:
    """Trust ``X-Forwarded-For`` from one reverse proxy; drop ``X-Forwarded-*`` from anyone else.

    From the proxy's address, the client's address (the right-most ``X-Forwarded-For``
    entry, the one the proxy added) becomes ``REMOTE_ADDR``, which login throttling
    reads. gunicorn itself honours ``X-Forwarded-Proto`` from the same address only.
    """

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")

    def __init__(self, app: WsgiApp, proxy: str) -> None:
        self.app = app
        self.proxy = proxy

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Rewrite the client address for the proxy's requests, strip the headers otherwise."""
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if self.proxy and environ.get("REMOTE_ADDR") == self.proxy and forwarded.strip():
            environ["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        elif not self.proxy or environ.get("REMOTE_ADDR") != self.proxy:
            for name in self.HEADERS:
                environ.pop(name, None)
        return self.app(environ, start_response)


def serve(
    application: WsgiApp,
    *,
    host: str,
    port: int,
    processes: int,
    threads: int,
    max_body: int,
    proxy: str,
    server: str = "auto",
    on_start: Callable[[], None] | None = None,
    on_stop: Callable[[], None] | None = None,
) -> str:
    """Serve until stopped; returns the server used ("gunicorn" or "waitress").

    ``on_start`` runs in the serving process before requests are taken (e.g. starting the
    import worker); ``on_stop`` runs there once when the server stops, whatever the reason.
    """
    use = server if server != "auto" else ("gunicorn" if can_fork() else "waitress")
    if use == "gunicorn" and not can_fork():
        raise RuntimeError("gunicorn needs an operating system that forks (Linux, macOS)")
    if use == "gunicorn":
        _gunicorn(
            application,
            host=host,
            port=port,
            processes=processes,
            threads=threads,
            proxy=proxy,
            on_start=on_start,
            on_stop=on_stop,
        )
    else:
        _waitress(
            application,
            host=host,
            port=port,
            threads=threads,
            max_body=max_body,
            proxy=proxy,
            on_start=on_start,
            on_stop=on_stop,
        )
    return use


def _waitress(
    application: WsgiApp,
    *,
    host: str,
    port: int,
    threads: int,
    max_body: int,
    proxy: str,
    on_start: Callable[[], None] | None,
    on_stop: Callable[[], None] | None,
) -> None:
    from waitress import serve as waitress_serve

    options: dict[str, Any] = {}
    if proxy:
        options = {
            "trusted_proxy": proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
    if on_start is not None:
        on_start()
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            max_request_body_size=max_body,
            _quiet=True,
            **options,
        )
    finally:
        if on_stop is not None:
            on_stop()


def _gunicorn(
    application: WsgiApp,
    *,
    host: str,
    port: int,
    processes: int,
    threads: int,
    proxy: str,
    on_start: Callable[[], None] | None,
    on_stop: Callable[[], None] | None,
) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    master = os.getpid()
    stopped = False

    def stop_once() -> None:
        nonlocal stopped
        if os.getpid() == master and not stopped and on_stop is not None:
            stopped = True
            on_stop()

    def on_exit(_arbiter: Any) -> None:
        stop_once()

    def post_fork(_arbiter: Any, _worker: Any) -> None:
        # connections made before the fork belong to the master (closed there already)
        for conn in connections.all(initialized_only=True):
            conn.connection = None

    options: dict[str, Any] = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "forwarded_allow_ips": proxy,  # "" trusts nobody
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"} if proxy else {},
        "graceful_timeout": GRACEFUL_S,
        "keepalive": 5,
        "loglevel": "warning",
        "accesslog": None,
        "proc_name": "walkrx",
        "post_fork": post_fork,
        "on_exit": on_exit,
        "control_socket_disable": True,
    }
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeats off the disk
    app = TrustedProxy(application, proxy)

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> WsgiApp:
            return app

    connections.close_all()  # never share a database connection across the fork
    # The app is loaded: move its objects out of the garbage collector's reach, so that the
    # workers' collections are short and leave the pages they share with the master alone.
    gc.collect()
    gc.freeze()
    if on_start is not None:
        on_start()
    try:
        _Gunicorn().run()
    finally:
        stop_once()
