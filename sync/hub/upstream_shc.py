"""Fetch a SMART Health Card issuer's keys and revocation lists from its own well-known URLs.

An issuer publishes its keys at `{iss}/.well-known/jwks.json`; a key whose JWK carries
`crlVersion` also has a Card Revocation List at `{iss}/.well-known/crl/{kid}.json`
(`{kid, method: "rid", ctr, rids}`). The hub fetches both, checks them as strictly as a
station would (public P-256 ES256 keys only, kid = RFC 7638 thumbprint, the CRL names its key,
its `ctr` is not older than the JWK's `crlVersion`, rids in the spec's form, size caps), and
only then publishes them with `add_issuer` in one transaction: a failed fetch publishes
nothing, and a fetch that finds nothing new keeps the issuer-keys version.

HTTP goes through `BackendClient`: a total deadline and a body cap per answer, certificates
verified (against `ca_file` when given), no redirects, plain http only to loopback.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from station.cache.issuer_keys import PRIVATE_MEMBERS
from sync.errors import HttpStatusError, SyncError
from sync.http import BackendClient, HttpLimits
from sync.hub import issuers
from sync.hub.hub import Hub
from sync.jwk import jwk_thumbprint

FAMILY = "shc"
JWKS_PATH = ".well-known/jwks.json"
MAX_JWKS_BYTES = 256 * 1024
#: A rid is at most 24 characters plus an optional cut-off: about 40 bytes per entry in JSON.
MAX_CRL_BYTES = 8 * 1024 * 1024
MAX_RIDS = 200_000
#: The spec's rid: base64url, at most 24 characters, optionally `.<unix seconds>`.
RID = re.compile(r"^[A-Za-z0-9_-]{1,24}(\.[0-9]{1,12})?$")


class UpstreamError(ValueError):
    """An upstream source could not be read or sent something the hub refuses (one line)."""


@dataclass(frozen=True, slots=True)
class FetchedIssuer:
    """An issuer's checked public keys and CRLs, ready for `Hub.add_issuer`."""

    iss: str
    keys: list[dict[str, Any]]
    crls: list[dict[str, Any]]

    @property
    def rid_count(self) -> int:
        return sum(len(crl["rids"]) for crl in self.crls)


@dataclass(frozen=True, slots=True)
class IssuerImport:
    """What one fetch did: what it found and whether it published a new version."""

    fetched: FetchedIssuer
    changed: bool
    version: int

    def summary(self) -> str:
        found = self.fetched
        state = "published" if self.changed else "unchanged"
        return (
            f"{found.iss}: {len(found.keys)} key(s), {len(found.crls)} CRL(s) with "
            f"{found.rid_count} rid(s) {state}; issuer-keys version {self.version}"
        )


def import_shc_issuer(
    hub: Hub, iss: str, *, ca_file: str | None = None, limits: HttpLimits | None = None
) -> IssuerImport:
    """Fetch, check and publish one issuer; `UpstreamError` (nothing published) if it fails."""
    fetched = fetch_shc_issuer(iss, ca_file=ca_file, limits=limits)
    changed = hub.add_issuer(FAMILY, fetched.iss, fetched.keys, fetched.crls)
    return IssuerImport(fetched, bool(changed), hub.version("issuer-keys"))


def held_shc_issuers(hub: Hub) -> list[str]:
    """The SMART Health Card issuers the hub already allow-lists (what `--all` refreshes)."""
    with hub.read() as conn:
        return [item["issuer"] for item in issuers.all_issuers(conn) if item["family"] == FAMILY]


def fetch_shc_issuer(
    iss: str, *, ca_file: str | None = None, limits: HttpLimits | None = None
) -> FetchedIssuer:
    """Download and check an issuer's JWKS and CRLs; publishes nothing."""
    _check_iss(iss)
    try:
        client = BackendClient(iss, ca_file=ca_file, limits=limits)
    except SyncError as exc:
        raise UpstreamError(f"{iss}: {failure_text(exc)}") from exc
    with client:
        jwks = fetch_json(client, JWKS_PATH, MAX_JWKS_BYTES)
        keys = checked_jwks(jwks, f"{iss}/{JWKS_PATH}")
        crls = [
            _fetch_crl(client, iss, key["kid"], key["crlVersion"])
            for key in keys
            if "crlVersion" in key
        ]
    return FetchedIssuer(iss, keys, crls)


def fetch_json(client: BackendClient, path: str, cap: int) -> Any:
    """One GET parsed as strict JSON, every failure an `UpstreamError` naming the URL."""
    url = client.base_url + path
    try:
        body = client.get(path, max_bytes=cap).body
    except SyncError as exc:
        raise UpstreamError(f"{url}: {failure_text(exc)}") from exc
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise UpstreamError(f"{url}: not JSON") from exc


def failure_text(exc: SyncError) -> str:
    """A short operator's reason for a failed request (the station's texts speak of its cache)."""
    if type(exc) is HttpStatusError:
        return exc.detail  # "HTTP 404", with the upstream's problem text when it sent one
    reason = exc.code.lower().replace("_", " ")
    return f"{reason} ({exc.detail})" if exc.detail else reason


def checked_jwks(document: Any, where: str) -> list[dict[str, Any]]:
    """The JWKS's keys, each an ES256 P-256 public key named by its thumbprint."""
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not 0 < len(keys) <= issuers.MAX_KEYS:
        raise UpstreamError(f'{where}: expected {{"keys": [...]}} with 1 to {issuers.MAX_KEYS}')
    checked = [_checked_key(key, where) for key in keys]
    kids = [key["kid"] for key in checked]
    if len(set(kids)) != len(kids):
        raise UpstreamError(f"{where}: the same kid appears twice")
    return checked


def checked_crl(document: Any, kid: str, crl_version: int, where: str) -> dict[str, Any]:
    """A CRL of `kid` at least as new as the key's `crlVersion`, its rids in the spec's form."""
    if not isinstance(document, dict):
        raise UpstreamError(f"{where}: not a JSON object")
    if document.get("kid") != kid:
        raise UpstreamError(f"{where}: the CRL is for another kid")
    if document.get("method") != "rid":
        raise UpstreamError(f"{where}: unknown CRL method {str(document.get('method'))[:20]!r}")
    ctr = document.get("ctr")
    if not _is_count(ctr):
        raise UpstreamError(f"{where}: ctr is not a non-negative integer")
    if ctr < crl_version:
        raise UpstreamError(f"{where}: ctr {ctr} is older than the key's crlVersion")
    rids = document.get("rids", [])
    if not isinstance(rids, list) or len(rids) > MAX_RIDS:
        raise UpstreamError(f"{where}: rids must be a list of at most {MAX_RIDS:,}")
    if not all(isinstance(rid, str) and RID.match(rid) for rid in rids):
        raise UpstreamError(f"{where}: a rid is not base64url of at most 24 characters")
    return {"kid": kid, "method": "rid", "ctr": ctr, "rids": list(rids)}


def _fetch_crl(client: BackendClient, iss: str, kid: str, crl_version: int) -> dict[str, Any]:
    path = f".well-known/crl/{kid}.json"
    return checked_crl(fetch_json(client, path, MAX_CRL_BYTES), kid, crl_version, f"{iss}/{path}")


def _checked_key(key: Any, where: str) -> dict[str, Any]:
    if not isinstance(key, dict) or not isinstance(key.get("kid"), str):
        raise UpstreamError(f"{where}: every key must be a JSON object with a kid")
    name = f"{where}: key {key['kid'][:64]}"
    if PRIVATE_MEMBERS & set(key):
        raise UpstreamError(f"{name}: refused, it holds private members")
    if (key.get("kty"), key.get("crv")) != ("EC", "P-256") or key.get("alg", "ES256") != "ES256":
        raise UpstreamError(f"{name}: not an ES256 P-256 key")
    if key.get("use", "sig") != "sig":
        raise UpstreamError(f"{name}: not a signing key")
    if "crlVersion" in key and not (_is_count(key["crlVersion"]) and key["crlVersion"] > 0):
        raise UpstreamError(f"{name}: crlVersion is not a positive integer")
    _require_on_curve(key, name)
    if jwk_thumbprint(key) != key["kid"]:
        raise UpstreamError(f"{name}: the kid is not the key's RFC 7638 thumbprint")
    return dict(key)


def _require_on_curve(key: Mapping[str, Any], name: str) -> None:
    """Load the point, so a key no card could ever be checked with is refused here."""
    try:
        x, y = (_coordinate(key.get(member)) for member in ("x", "y"))
        ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except (binascii.Error, ValueError, TypeError) as exc:
        raise UpstreamError(f"{name}: not a valid P-256 public key") from exc


def _coordinate(value: Any) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{43}", value):
        raise ValueError("a coordinate is 32 bytes of base64url")
    return int.from_bytes(base64.urlsafe_b64decode(value + "="), "big")


def _check_iss(iss: str) -> None:
    parts = urlsplit(iss)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UpstreamError(f"{iss[:200]!r}: an issuer is an https URL")
    if iss.endswith("/") or parts.query or parts.fragment or len(iss) > 512:
        raise UpstreamError(f"{iss[:200]}: an iss has no trailing /, query or fragment")


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")
