"""The one way the station talks HTTP: bounded in time and size, pinned, never redirected.

requests' timeouts are per socket operation, so a server trickling one byte every few seconds
would hold a plain `get()` for ever. Here the body is read one socket read at a time against a
total deadline, so every request ends within `total_deadline_s` plus at most one read timeout.
Also:
- `trust_env` is off: proxy variables and `REQUESTS_CA_BUNDLE` cannot redirect or re-root trust;
- the backend's CA is pinned (a file), not whatever the OS store holds;
- redirects are refused, including https → http;
- plain http only to loopback addresses (the demo and tests), never across a network;
- every library error becomes a `sync.errors.SyncError` with a stable code.
"""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from sync import errors

USER_AGENT = "checkpoint-station"
_LOOPBACK_NAMES = {"localhost"}
_BUSY_STATUSES = {500, 502, 503, 504}
MAX_PROBLEM_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Time and size bounds of one request."""

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    total_deadline_s: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read answer: 2xx, or 304 to a conditional request (errors are raised)."""

    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise errors.DataInvalid("the answer is not JSON") from exc

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class BackendClient:
    """HTTP to one backend base URL with the station's limits, pins and credentials."""

    def __init__(
        self,
        base_url: str,
        *,
        ca_file: str | None = None,
        token: str | None = None,
        limits: HttpLimits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        _require_safe_scheme(self.base_url)
        self.limits = limits or HttpLimits()
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.verify = ca_file if ca_file else True
        self._session.headers["User-Agent"] = USER_AGENT
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> HttpResponse:
        return self.request("GET", path, params=params, headers=headers, max_bytes=max_bytes)

    def post_json(self, path: str, document: Any, *, max_bytes: int | None = None) -> HttpResponse:
        return self.request("POST", path, json_body=document, max_bytes=max_bytes)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        max_bytes: int | None = None,
        body: bytes | None = None,
    ) -> HttpResponse:
        """One request, fully read within the deadline; raises `SyncError` on any failure.

        `body` sends these exact bytes (for a signed body, which must not be re-serialized).
        """
        deadline = time.monotonic() + self.limits.total_deadline_s
        cap = max_bytes if max_bytes is not None else self.limits.max_body_bytes
        try:
            response = self._session.request(
                method,
                urljoin(self.base_url, path.lstrip("/")),
                params=params,
                headers=dict(headers or {}),
                json=json_body,
                data=body,
                stream=True,
                allow_redirects=False,
                timeout=(self.limits.connect_timeout_s, self.limits.read_timeout_s),
            )
        except requests.RequestException as exc:
            raise map_request_error(exc) from exc
        conditional = any(
            name.lower() in ("if-none-match", "if-modified-since") for name in headers or {}
        )
        with response:
            _raise_for_status(response, conditional, deadline)
            body = _read_body(response, cap, deadline)
        return HttpResponse(response.status_code, dict(response.headers), body)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _require_safe_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname or ""):
        return
    raise errors.BackendIdentityError(
        f"{parts.scheme or 'no'}:// to {parts.hostname or '?'}: the backend must use https"
    )


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _raise_for_status(response: requests.Response, conditional: bool, deadline: float) -> None:
    status = response.status_code
    if 200 <= status < 300 or (status == 304 and conditional):
        return
    code, problem = _problem(response, deadline)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    detail = problem or f"HTTP {status}"
    if 300 <= status < 400:
        raise errors.RedirectRefused(f"HTTP {status} to {response.headers.get('Location', '?')}")
    if status == 401 or code == "NOT_ENROLLED":
        raise errors.NotEnrolled(detail)
    if status == 403 and code == "STATION_REVOKED":
        raise errors.StationRevoked(status, detail)
    if status == 429:
        raise errors.RateLimited(status, detail, retry_after_s=retry_after)
    if status in _BUSY_STATUSES:
        raise errors.ServerBusy(status, detail, retry_after_s=retry_after)
    raise errors.HttpStatusError(status, f"HTTP {status} {code}: {problem}".strip(": "))


def _problem(response: requests.Response, deadline: float) -> tuple[str, str]:
    """The code and text of a ProblemReport error body, read within a small cap and the same
    deadline as any answer (an error page trickled byte by byte must not hold the sync)."""
    try:
        body = json.loads(_read_body(response, MAX_PROBLEM_BYTES, deadline))
    except (ValueError, RecursionError, errors.SyncError):
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("code") or ""), str(body.get("problem") or "")[:200]


def _read_body(response: requests.Response, cap: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise errors.ResponseTooLarge(f"{int(declared):,} bytes announced, limit {cap:,}")
    chunks: list[bytes] = []
    received = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise errors.TimeoutExceeded("the whole answer took longer than allowed")
            chunk = response.raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            received += len(chunk)
            if received > cap:
                raise errors.ResponseTooLarge(f"more than {cap:,} bytes")
            chunks.append(chunk)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
        raise errors.TimeoutExceeded("the backend stopped sending") from exc
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
        raise errors.ResponseTruncated(type(exc).__name__) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise errors.NetworkError(type(exc).__name__) from exc
    return b"".join(chunks)


def map_request_error(exc: requests.RequestException) -> errors.SyncError:
    """The station's error for a requests exception raised before any body was read."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        if "not yet valid" in text:
            return errors.ClockSuspectError("the backend certificate is not valid yet")
        return errors.BackendIdentityError(_ssl_reason(text))
    if isinstance(exc, requests.exceptions.Timeout):
        return errors.TimeoutExceeded(type(exc).__name__)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return errors.NetworkError("the backend address is not a valid URL")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return errors.ResponseTruncated(type(exc).__name__)
    return errors.NetworkError(type(exc).__name__)


def _ssl_reason(text: str) -> str:
    for needle, reason in (
        ("certificate has expired", "the backend certificate has expired"),
        ("Hostname mismatch", "the certificate is for another host name"),
        ("IP address mismatch", "the certificate is for another address"),
        ("self-signed", "the certificate is not from the pinned authority"),
        ("unable to get local issuer", "the certificate is not from the pinned authority"),
    ):
        if needle in text:
            return reason
    return "TLS handshake failed"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped at 1 day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 86400.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), 86400.0)
