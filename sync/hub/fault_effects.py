"""How a fault rewrites an answer: refusals and redirects instead of it, or a spoiled copy.

Each rewrite produces something a real failure could: a byte flipped in transit, a bundle
signed by a key the station never pinned, a genuine but older bundle, one of another source.
Kinds that only make sense for signed bundles leave other answers as they are (except
`wrong_key` and `unsigned`, which also spoil a DGCA `X-SIGNATURE`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import BUNDLE_TYPE, key_id, sign_hash_string
from sync.hub.bundles import TRUST_LIST, sign
from sync.hub.faults import Fault
from sync.hub.messages import JSON, Response, bundle_response, problem_response
from sync.hub.paging import PageRequest
from sync.hub.problems import INJECTED_FAULT, HubProblem
from sync.hub.store import utc_iso

if TYPE_CHECKING:
    from sync.hub.hub import Hub

SIGNATURE_HEADER = "X-SIGNATURE"


def early_response(fault: Fault) -> Response | None:
    """The answer a `status` or `redirect` fault sends instead of the real one."""
    if fault.kind == "status":
        status = int(fault.params["status"])
        problem = HubProblem(status, INJECTED_FAULT, f"injected HTTP {status}")
        response = problem_response(problem)
        retry_after = fault.params["retry_after"]
        if retry_after is not None:
            response = response.with_header("Retry-After", str(int(retry_after)))
        return response
    if fault.kind == "redirect":
        return Response(302, b"", None, (("Location", str(fault.params["location"])),))
    return None


def status_after_commit(fault: Fault) -> Response:
    """The refusal sent in place of an answer whose request already ran (a lost acknowledgement)."""
    status = int(fault.params["status"])
    return problem_response(HubProblem(status, INJECTED_FAULT, f"injected HTTP {status}"))


def transform(response: Response, fault: Fault, hub: Hub) -> Response:
    """The spoiled copy of `response` for answer-rewriting kinds; others pass it through."""
    rewrite = _REWRITES.get(fault.kind)
    return response if rewrite is None else rewrite(response, hub)


def flip_byte(body: bytes) -> bytes:
    """`body` with one byte changed near its middle (inside the payload of a JWS).

    Letters change case and digits change value, so base64 and JSON stay well-formed and only
    a signature or hash check can notice; other bytes get their lowest bit flipped.
    """
    start, end = 0, len(body)
    parts = body.split(b".")
    if len(parts) == 3 and parts[1]:
        start = len(parts[0]) + 1
        end = start + len(parts[1])
    position = (start + end) // 2
    for candidate in range(position, end):
        if chr(body[candidate]).isascii() and chr(body[candidate]).isalnum():
            position = candidate
            break
    old = chr(body[position])
    if old.isascii() and old.isalpha():
        new = ord(old.swapcase())
    elif old.isascii() and old.isdigit():
        new = ord(str((int(old) + 1) % 10))
    else:
        new = body[position] ^ 0x01
    return body[:position] + bytes([new]) + body[position + 1 :]


def _tamper(response: Response, hub: Hub) -> Response:
    return response.replace(body=flip_byte(response.body)) if response.body else response


def _wrong_key(response: Response, hub: Hub) -> Response:
    stranger = ec.generate_private_key(ec.SECP256R1())
    if response.bundle is not None:
        return bundle_response(sign(stranger, response.bundle.payload))
    if response.header(SIGNATURE_HEADER) is not None:
        return response.with_header(SIGNATURE_HEADER, sign_hash_string(stranger, response.body))
    return response


def _alg_none(response: Response, hub: Hub) -> Response:
    if response.bundle is None:
        return response
    header = {"alg": "none", "kid": key_id(hub.signing_key().public_key()), "typ": BUNDLE_TYPE}
    token = f"{_b64json(header)}.{_b64json(response.bundle.payload)}."
    return response.replace(body=token.encode("ascii"))


def _unsigned(response: Response, hub: Hub) -> Response:
    if response.bundle is not None:
        body = json.dumps(response.bundle.payload, separators=(",", ":")).encode("utf-8")
        return response.replace(body=body, content_type=JSON)
    return response.with_header(SIGNATURE_HEADER, None)


def _other_source(response: Response, hub: Hub) -> Response:
    if response.bundle is None:
        return response
    if response.bundle.source == TRUST_LIST:
        return bundle_response(hub.status_list_bundle(PageRequest()))
    return bundle_response(hub.trust_list_bundle())


def _expired(response: Response, hub: Hub) -> Response:
    if response.bundle is None:
        return response
    now = hub.now()
    payload = dict(response.bundle.payload)
    payload["issued_at"] = utc_iso(now - hub.config.bundle_ttl - timedelta(days=1))
    payload["expires_at"] = utc_iso(now - timedelta(days=1))
    return bundle_response(sign(hub.signing_key(), payload))


def _rollback(response: Response, hub: Hub) -> Response:
    if response.bundle is None:
        return response
    token = hub.tokens.oldest(response.bundle.source)
    return response if token is None else response.replace(body=token.encode("ascii"))


def _b64json(value: Any) -> str:
    raw = json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


_REWRITES: dict[str, Callable[[Response, Hub], Response]] = {
    "tamper": _tamper,
    "wrong_key": _wrong_key,
    "alg_none": _alg_none,
    "unsigned": _unsigned,
    "other_source": _other_source,
    "expired": _expired,
    "rollback": _rollback,
}
