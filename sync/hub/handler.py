"""One HTTP connection: parse, fault, route, authenticate, answer.

This is the single place where an unexpected exception is caught: it becomes a 500 with a
stable code and the traceback goes to the hub's log, never to the client.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import struct
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl

from sync.hub import delivery, fault_effects, routes
from sync.hub.faults import Fault
from sync.hub.messages import Request, Response, problem_response
from sync.hub.problems import (
    BAD_REQUEST,
    BODY_TOO_LARGE,
    INTERNAL_ERROR,
    LENGTH_REQUIRED,
    METHOD_NOT_ALLOWED,
    NOT_ENROLLED,
    HubProblem,
)

if TYPE_CHECKING:
    from sync.hub.server import HubHttpServer

log = logging.getLogger("sync.hub")
MAX_BODY_BYTES = 64 * 1024
IDLE_TIMEOUT_S = 60.0
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_SOCKET_FAULTS = ("reset", "silence")


class HubRequestHandler(BaseHTTPRequestHandler):
    """Answers requests on one (possibly kept-alive) connection."""

    protocol_version = "HTTP/1.1"
    server_version = "checkpoint-hub/1"
    timeout = IDLE_TIMEOUT_S
    #: Headers and body leave in separate writes; with Nagle on, the body waits for the
    #: client's delayed ACK (about 40 ms per answer on a kept-alive connection).
    disable_nagle_algorithm = True

    @property
    def hub_server(self) -> HubHttpServer:
        return cast("HubHttpServer", self.server)

    def setup(self) -> None:
        """Finish the TLS handshake here, on the connection's own thread."""
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.hub_server.hub.release_thread()

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level refusals of `http.server` (bad request line, unknown method) as JSON."""
        if code == 501:
            problem = HubProblem(405, METHOD_NOT_ALLOWED, "unsupported method", self.command or "")
        else:
            problem = HubProblem(code, BAD_REQUEST, message or "malformed request")
        self.close_connection = True
        self.request_version = self.protocol_version  # answer with a status line, never HTTP/0.9
        self._write(problem_response(problem, close=True), None)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _serve(self) -> None:
        path, _, raw_query = self.path.partition("?")
        hub = self.hub_server.hub
        fault = hub.faults.take(path)
        if fault is not None and fault.kind in _SOCKET_FAULTS:
            self._misbehave(fault)
            return
        response = self._respond(path, raw_query, fault)
        if fault is not None and fault.kind == "drop_after_commit":
            self.close_connection = True  # the request ran and committed; no answer is sent
            return
        if fault is not None and fault.kind == "status_after_commit":
            response = fault_effects.status_after_commit(fault)
        self._write(response, fault)

    def _respond(self, path: str, raw_query: str, fault: Fault | None) -> Response:
        try:
            body = self._read_body()
            early = fault_effects.early_response(fault) if fault is not None else None
            if early is not None:
                return early
            route, params = routes.match(self.command, path)
            request = self._request(path, raw_query, params, body)
            if not route.public:
                station = request.hub.authenticate(self._bearer_token())
                request = replace(request, station=station)
            response = route.handler(request)
            if fault is None:
                return response
            return fault_effects.transform(response, fault, request.hub)
        except routes.MethodNotAllowed as refused:
            return problem_response(refused).with_header("Allow", ", ".join(refused.allowed))
        except HubProblem as problem:
            return problem_response(problem, close=self.close_connection)
        except Exception:  # the request boundary: log it, answer 500, keep serving
            log.exception("request %s %s failed", self.command, path)
            failure = HubProblem(500, INTERNAL_ERROR, "the hub could not answer; see its log")
            return problem_response(failure)

    def _read_body(self) -> bytes:
        """The request body (capped); a body the hub cannot frame ends the connection."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HubProblem(411, LENGTH_REQUIRED, "send a Content-Length, not chunked bodies")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        if not raw.strip().isdigit():
            self.close_connection = True
            raise HubProblem(400, BAD_REQUEST, "Content-Length is not a number", raw)
        limit = routes.body_limit(self.command, self.path.partition("?")[0], MAX_BODY_BYTES)
        if int(raw) > limit:
            self.close_connection = True
            raise HubProblem(413, BODY_TOO_LARGE, f"bodies are limited to {limit} bytes here")
        return self.rfile.read(int(raw))

    def _request(self, path: str, raw_query: str, params: dict[str, str], body: bytes) -> Request:
        return Request(
            hub=self.hub_server.hub,
            method=self.command,
            path=path,
            params=params,
            query=dict(parse_qsl(raw_query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url=self._base_url(),
            tls_pins=self.hub_server.tls_pins,
        )

    def _bearer_token(self) -> str:
        scheme, _, token = (self.headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HubProblem(401, NOT_ENROLLED, "send 'Authorization: Bearer <token>'")
        return token.strip()

    def _base_url(self) -> str:
        host = (self.headers.get("Host") or "").strip()
        if not _HOST.match(host):
            return self.hub_server.url
        return ("https" if self.hub_server.ssl_context else "http") + "://" + host

    def _write(self, response: Response, fault: Fault | None) -> None:
        """Status line, headers, then the body as the fault (if any) wants it delivered."""
        kind = fault.kind if fault is not None else ""
        length = int(fault.params["size"]) if fault and kind == "oversize" else len(response.body)
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.content_type and length:
                self.send_header("Content-Type", response.content_type)
            if response.status != 204:
                self.send_header("Content-Length", str(length))
            if response.close or fault is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and response.status != 204:
                self._write_body(response.body, fault)
        except OSError:
            self.close_connection = True

    def _write_body(self, body: bytes, fault: Fault | None) -> None:
        stopping = self.hub_server.stopping
        if fault is None:
            self.wfile.write(body)
        elif fault.kind == "truncate":
            self.wfile.write(body[: len(body) // 2])
        elif fault.kind == "oversize":
            delivery.stream_junk(self.wfile, int(fault.params["size"]), stopping)
        elif fault.kind == "slow":
            delivery.drip(self.wfile, body, float(fault.params["interval"]), stopping)
        else:
            self.wfile.write(body)

    def _misbehave(self, fault: Fault) -> None:
        """`silence`: say nothing for a while; `reset`: drop the connection with a TCP RST."""
        self.close_connection = True
        if fault.kind == "silence":
            self.hub_server.stopping.wait(float(fault.params["seconds"]))
            return
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
