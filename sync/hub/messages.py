"""What a route handler receives and returns: plain values, no sockets.

Keeping handlers socket-free means the fault layer can rewrite any answer (re-sign it, flip a
byte, swap the bundle) after the real one was built, and tests can reason about answers alone.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import sign_hash_string
from sync.hub.bundles import SignedBundle
from sync.hub.problems import HubProblem, bad_query

if TYPE_CHECKING:
    from sync.hub.enrollment import Station
    from sync.hub.hub import Hub

JSON = "application/json"
JOSE = "application/jose"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Response:
    """An answer before it is written: status, body, extra headers, and what it was made of."""

    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: tuple[tuple[str, str], ...] = ()
    bundle: SignedBundle | None = None
    close: bool = False

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def replace(self, **changes: Any) -> Response:
        return dataclasses.replace(self, **changes)

    def with_header(self, name: str, value: str | None) -> Response:
        """A copy with `name` set to `value` (or removed when `value` is None)."""
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return self.replace(headers=kept if value is None else (*kept, (name, value)))


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed request, with the station that sent it once authenticated."""

    hub: Hub
    method: str
    path: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    base_url: str
    tls_pins: tuple[str, ...] = ()
    station: Station | None = field(default=None)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def query_int(self, name: str, default: int | None) -> int | None:
        """A non-negative integer query parameter, or 400 BAD_QUERY."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise bad_query(name, raw)
        return int(raw)


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(value: Any, status: int = 200) -> Response:
    return Response(status, json_bytes(value))


def signed(
    body: bytes, key: ec.EllipticCurvePrivateKey, content_type: str = JSON, status: int = 200
) -> Response:
    """A DGCA answer carrying `X-SIGNATURE` over the SHA-256 hex string of its body."""
    return Response(status, body, content_type, (("X-SIGNATURE", sign_hash_string(key, body)),))


def problem_response(problem: HubProblem, *, close: bool = False) -> Response:
    return Response(problem.status, problem.body(), JSON, close=close)


def bundle_response(bundle: SignedBundle) -> Response:
    return Response(200, bundle.token.encode("ascii"), JOSE, bundle=bundle)
