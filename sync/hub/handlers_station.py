"""Endpoints of the hub's own protocol: health, enrollment and the signed bundles."""

from __future__ import annotations

import json
from typing import Any

from sync.bundle import key_fingerprint, load_public_key, public_key_pem
from sync.errors import DataInvalid
from sync.hub.messages import Request, Response, bundle_response, json_response
from sync.hub.paging import PageRequest
from sync.hub.problems import BAD_REQUEST, HubProblem
from sync.hub.store import utc_iso

MAX_NAME_CHARS = 100
MAX_DEVICE_KEY_CHARS = 1024


def healthz(request: Request) -> Response:
    return json_response({"ok": True, "time": utc_iso(request.hub.now())})


def enroll(request: Request) -> Response:
    """Redeem an enrollment code: the station's id, its token and the keys to pin."""
    document = _json_object(request.body)
    code, name = document.get("code"), document.get("name", "")
    if not isinstance(code, str) or not code.strip() or len(code) > 64:
        raise HubProblem(400, BAD_REQUEST, "the request needs an enrollment 'code'")
    if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
        raise HubProblem(400, BAD_REQUEST, f"'name' must be text of at most {MAX_NAME_CHARS}")
    device_key = _device_key(document.get("device_key"))
    printable = "".join(ch for ch in name if ch.isprintable()).strip()
    enrolled = request.hub.enroll(code, printable, device_key)
    published = request.hub.public_keys()
    answer = {
        "station_id": enrolled.station_id,
        "token": enrolled.token,
        "hub_keys": [public_key_pem(key) for key in published],
        "hub_key_fingerprints": [key_fingerprint(key) for key in published],
    }
    return json_response(answer, status=201)


def _device_key(value: Any) -> str | None:
    """The optional P-256 public key (PEM) the station will sign entry uploads with."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DEVICE_KEY_CHARS:
        raise HubProblem(400, BAD_REQUEST, "'device_key' must be a PEM of at most 1 KB")
    try:
        return public_key_pem(load_public_key(value.encode("ascii")))
    except (DataInvalid, UnicodeEncodeError):
        raise HubProblem(400, BAD_REQUEST, "'device_key' is not a P-256 public key") from None


def trust_list(request: Request) -> Response:
    return bundle_response(request.hub.trust_list_bundle())


def issuer_keys(request: Request) -> Response:
    return bundle_response(request.hub.issuer_keys_bundle())


def hub_keys(request: Request) -> Response:
    """The published keys, signed by the older key the station names (`?signed_by=<key id>`)."""
    signed_by = request.query.get("signed_by", "")
    if not signed_by or len(signed_by) > 64 or not signed_by.isalnum():
        raise HubProblem(400, BAD_REQUEST, "give the id of a key you pin as 'signed_by'")
    return bundle_response(request.hub.key_announcement(signed_by))


def revocations(request: Request) -> Response:
    return bundle_response(request.hub.revocations_bundle(_page_request(request)))


def status_list(request: Request) -> Response:
    return bundle_response(request.hub.status_list_bundle(_page_request(request)))


def _page_request(request: Request) -> PageRequest:
    return PageRequest(
        since=request.query_int("since", 0) or 0,
        page=request.query_int("page", 0) or 0,
        version=request.query_int("version", None),
    )


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HubProblem(400, BAD_REQUEST, "the request body is not JSON") from None
    if not isinstance(document, dict):
        raise HubProblem(400, BAD_REQUEST, "the request body is not a JSON object")
    return document
