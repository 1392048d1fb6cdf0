"""The DGCA verifier-service and business-rule-service endpoints (sync-protocols §1, §2).

Every answer with a body carries `X-SIGNATURE` (ECDSA over the SHA-256 hex of the body, the
business-rule-service convention) so a client may check any of them against `/publickey`;
rule and value-set bodies are the stored bytes, never re-serialized.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from sync.hub import content, dscs, keys
from sync.hub.messages import TEXT, Request, Response, json_bytes, signed
from sync.hub.problems import (
    BAD_COUNTRY,
    BAD_DATE,
    BAD_REQUEST,
    BAD_RESUME_TOKEN,
    RULE_NOT_FOUND,
    VALUESET_NOT_FOUND,
    HubProblem,
)
from sync.hub.store import utc_iso

_HASH = re.compile(r"^[0-9a-f]{64}$")
MAX_LOOKUP_KIDS = 1000


def context(request: Request) -> Response:
    """The DGCA discovery document pointing at this hub's endpoints."""

    def endpoint(path: str) -> dict[str, object]:
        return {"url": request.base_url + path, "pubKeys": list(request.tls_pins)}

    document = {
        "origin": request.hub.config.origin,
        "versions": {
            "default": {
                "privacyUrl": "",
                "context": endpoint("/context"),
                "endpoints": {
                    "status": endpoint("/signercertificateStatus"),
                    "update": endpoint("/signercertificateUpdate"),
                    "rules": endpoint("/rules"),
                    "valuesets": endpoint("/valuesets"),
                    "countryList": endpoint("/countrylist"),
                },
            }
        },
    }
    return _signed_json(request, document)


def certificate_status(request: Request) -> Response:
    with request.hub.read() as conn:
        kids = dscs.current_kids(conn)
    return _signed_json(request, kids)


def certificate_update(request: Request) -> Response:
    """The first current signer after the resume token, as base64 DER; 204 when none is left."""
    raw = (request.header("X-RESUME-TOKEN") or "0").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise HubProblem(400, BAD_RESUME_TOKEN, "X-RESUME-TOKEN must be an integer", raw)
    with request.hub.read() as conn:
        found = dscs.next_after(conn, int(raw))
    if found is None:
        return Response(204, b"", None)
    row_id, kid, der = found
    response = signed(base64.b64encode(der), request.hub.signing_key(), TEXT)
    return response.with_header("X-RESUME-TOKEN", str(row_id)).with_header("X-KID", kid)


def certificate_lookup(request: Request) -> Response:
    """DGCA `POST /signercertificateUpdate`: the current signers with the given kids."""
    try:
        kids = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HubProblem(400, BAD_REQUEST, "the body must be a JSON array of kids") from None
    valid = isinstance(kids, list) and all(isinstance(kid, str) for kid in kids)
    if not valid or len(kids) > MAX_LOOKUP_KIDS:
        raise HubProblem(
            400, BAD_REQUEST, f"the body must be a JSON array of ≤ {MAX_LOOKUP_KIDS} kids"
        )
    with request.hub.read() as conn:
        found = dscs.lookup(conn, kids)
    return _signed_json(request, found)


def certificate_delta(request: Request) -> Response:
    """Kids updated and deleted (since `If-Modified-Since`, else all of them)."""
    since = _modified_since(request.header("If-Modified-Since"))
    with request.hub.read() as conn:
        answer = {
            "updated": dscs.updated_kids(conn, since),
            "deleted": dscs.removed_kids(conn, since),
        }
    return _signed_json(request, answer)


def rule_list(request: Request) -> Response:
    with request.hub.read() as conn:
        listed = content.rules(conn)
    return _signed_json(request, [rule.to_json() for rule in listed])


def rule_list_for_country(request: Request) -> Response:
    country = _country(request.params["country"])
    with request.hub.read() as conn:
        listed = content.rules(conn, country)
    return _signed_json(request, [rule.to_json() for rule in listed])


def rule_body(request: Request) -> Response:
    country, digest = _country(request.params["country"]), request.params["hash"].lower()
    with request.hub.read() as conn:
        body = content.rule_body(conn, country, digest) if _HASH.match(digest) else None
    if body is None:
        raise HubProblem(404, RULE_NOT_FOUND, "no rule with that country and hash", digest)
    return signed(body, request.hub.signing_key())


def valueset_list(request: Request) -> Response:
    with request.hub.read() as conn:
        listed = content.valuesets(conn)
    return _signed_json(request, listed)


def valueset_body(request: Request) -> Response:
    digest = request.params["hash"].lower()
    with request.hub.read() as conn:
        body = content.valueset_body(conn, digest) if _HASH.match(digest) else None
    if body is None:
        raise HubProblem(404, VALUESET_NOT_FOUND, "no value set with that hash", digest)
    return signed(body, request.hub.signing_key())


def country_list(request: Request) -> Response:
    """Countries the hub has signers or rules for (its 'onboarded' countries)."""
    with request.hub.read() as conn:
        countries = dscs.countries(conn) | content.rule_countries(conn)
    return _signed_json(request, sorted(countries))


def public_key(request: Request) -> Response:
    key = request.hub.signing_key()
    return signed(keys.spki_base64(key.public_key()).encode("ascii"), key, TEXT)


def _signed_json(request: Request, value: object) -> Response:
    return signed(json_bytes(value), request.hub.signing_key())


def _country(raw: str) -> str:
    country = raw.strip().upper()
    if not content.COUNTRY.match(country):
        raise HubProblem(400, BAD_COUNTRY, "a country is two letters (ISO 3166 alpha-2)", raw)
    return country


def _modified_since(raw: str | None) -> str:
    """The header as the hub's timestamp form ('' without the header); 400 if unparsable."""
    if raw is None or not raw.strip():
        return ""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            raise HubProblem(400, BAD_DATE, "If-Modified-Since is not a date", raw) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_iso(moment)
