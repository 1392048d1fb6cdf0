"""`HubServer`: the hub over HTTP(S) on a background thread, with a clean stop.

Stopping must leave nothing behind (tests count threads): the accept loop is shut down, every
open connection is shut at the socket level so threads blocked reading a kept-alive connection
wake up, slow fault deliveries see the stop event, and then every request thread is joined.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import ssl
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from sync.hub import tls
from sync.hub.faults import Faults
from sync.hub.handler import HubRequestHandler
from sync.hub.hub import Hub

log = logging.getLogger("sync.hub")
#: How long stop() waits for request threads once their sockets are shut.
STOP_TIMEOUT_S = 10.0


class HubHttpServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its hub, its open connections and its request threads.

    Request threads are daemons (a stuck client never keeps the process alive), which
    `ThreadingMixIn` does not track, so this class keeps its own list to join on stop.
    """

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        hub: Hub,
        ssl_context: ssl.SSLContext | None,
        tls_pins: tuple[str, ...],
    ) -> None:
        self.hub = hub
        self.ssl_context = ssl_context
        self.tls_pins = tls_pins
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, HubRequestHandler)

    @property
    def url(self) -> str:
        raw_host, port = self.server_address[0], self.server_address[1]
        host = raw_host.decode() if isinstance(raw_host, bytes) else str(raw_host)
        shown = f"[{host}]" if ":" in host else host
        return f"{'https' if self.ssl_context else 'http'}://{shown}:{port}"

    def server_bind(self) -> None:
        """Bind without the reverse-DNS lookup of HTTPServer; wrap for TLS if configured."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]
        if self.ssl_context is not None:
            self.socket = self.ssl_context.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on a new daemon thread, remembering socket and thread."""
        worker = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="hub-connection",
            daemon=True,
        )
        with self._open_lock:
            self._open.add(request)
            self._workers = [thread for thread in self._workers if thread.is_alive()]
            self._workers.append(worker)
        worker.start()

    def join_workers(self, timeout: float) -> None:
        """Wait (up to `timeout` seconds in all) for every request thread to end."""
        deadline = time.monotonic() + timeout
        with self._open_lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def shut_open_connections(self) -> None:
        """Wake every thread blocked on a connection by shutting its socket down."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke (client gone, TLS handshake refused) is not an error."""
        log.debug("connection from %s ended abnormally", client_address, exc_info=True)


class HubServer:
    """The hub served on `host:port` (port 0: any free port) until `stop()`."""

    def __init__(
        self,
        hub: Hub,
        host: str = "127.0.0.1",
        port: int = 0,
        tls_cert: str | Path | None = None,
        tls_key: str | Path | None = None,
    ) -> None:
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("TLS needs both a certificate and its key")
        self.hub = hub
        self.host = host
        self.port = port
        self._tls = (tls_cert, tls_key)
        self._httpd: HubHttpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> Faults:
        return self.hub.faults

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the hub server is not running")
        return self._httpd.url

    def start(self) -> HubServer:
        """Bind and serve on a background thread; returns self."""
        if self._httpd is not None:
            return self
        cert, key = self._tls
        context = tls.server_context(cert, key) if cert and key else None
        pins = (tls.spki_pin(cert),) if cert else ()
        self._httpd = HubHttpServer((self.host, self.port), self.hub, context, pins)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="hub-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, end every connection and join every thread."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.stopping.set()
        httpd.shutdown()
        thread.join()
        httpd.shut_open_connections()
        httpd.join_workers(STOP_TIMEOUT_S)
        httpd.server_close()
        self._httpd = self._thread = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
