"""Pull document signer certificates from an upstream DGCA verifier-service into the hub.

The upstream is a national backend or another hub that speaks the DGCA protocol and signs
every answer with `X-SIGNATURE` (ECDSA over the SHA-256 hex of the body), as this hub does.
The operator pins the upstream's signing key by its SHA-256 fingerprint:

1. `GET /publickey` must hold the pinned key and be signed by it;
2. `GET /signercertificateStatus` (signed) names the kids of the current certificates;
3. `GET /signercertificateUpdate` is paged with `X-RESUME-TOKEN` to its end (204), with the
   station's own client (`sync.trust_list.page_certificates`): every answer's signature is
   checked, every kid recomputed from the DER must equal `X-KID` and be in the signed status;
   every listed kid must have been served.

Only then does one transaction make the hub's upstream-origin signers exactly the pulled set
(the `load_trust_list` model: add what is new, withdraw earlier upstream entries now absent;
signers added by hand or from a trust-list file are never touched). Any failure changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec

from station.errors import TrustImportError
from station.trust.certificate import TrustedCertificate, load_trusted_certificate
from sync.bundle import key_fingerprint, key_id, load_public_key, verify_hash_string
from sync.errors import DataInvalid, NotEnrolled, StationRevoked, SyncError
from sync.http import BackendClient, HttpLimits, HttpResponse
from sync.hub.hub import Hub
from sync.hub.upstream_shc import UpstreamError, failure_text
from sync.trust_list import kid_set, page_certificates

#: The `origin` of signers pulled from an upstream (manual ones are `dscs.MANUAL`).
UPSTREAM = "upstream"
PUBLIC_KEY_PATH = "publickey"
STATUS_PATH = "signercertificateStatus"
MAX_PUBLIC_KEY_BYTES = 4 * 1024
MAX_STATUS_BYTES = 2 * 1024 * 1024
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class DgcaPull:
    """What a pull found upstream and what it changed on this hub."""

    url: str
    pulled: int
    added: int
    removed: int
    version: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def summary(self) -> str:
        return (
            f"{self.url}: {self.pulled} signer certificate(s) pulled, +{self.added} "
            f"-{self.removed}; trust-list version {self.version}"
        )


def pull_dgca(
    hub: Hub,
    url: str,
    *,
    token: str,
    pin: str,
    ca_file: str | None = None,
    limits: HttpLimits | None = None,
) -> DgcaPull:
    """Pull the upstream's signers and make them the hub's upstream set (see module doc)."""
    ders = fetch_dgca_signers(url, token=token, pin=pin, ca_file=ca_file, limits=limits)
    certs = loaded(ders)
    added, removed = replace_upstream_signers(hub, certs)
    return DgcaPull(url, len(certs), added, removed, hub.version("trust-list"))


def fetch_dgca_signers(
    url: str,
    *,
    token: str,
    pin: str,
    ca_file: str | None = None,
    limits: HttpLimits | None = None,
) -> list[bytes]:
    """Every current signer certificate (DER) of the upstream, all answers verified."""
    wanted = normalise_pin(pin)
    if not token.strip():
        raise UpstreamError("an upstream token is needed (--token)")
    try:
        with BackendClient(url, ca_file=ca_file, token=token.strip(), limits=limits) as client:
            return _fetch(client, wanted)
    except (NotEnrolled, StationRevoked) as exc:
        raise UpstreamError(f"{url}: the upstream refused the token ({exc.detail})") from exc
    except SyncError as exc:
        raise UpstreamError(f"{url}: {failure_text(exc)}") from exc


def normalise_pin(pin: str) -> str:
    """A SHA-256 fingerprint typed in lower or upper case, with or without colons."""
    compact = pin.strip().replace(":", "").lower()
    if not _FINGERPRINT.match(compact):
        raise UpstreamError("--pin must be the upstream key's SHA-256 fingerprint (64 hex)")
    return compact


def replace_upstream_signers(hub: Hub, certs: Sequence[TrustedCertificate]) -> tuple[int, int]:
    """In one transaction, make the upstream-origin signers exactly `certs`: (added, removed)."""
    if not certs:
        raise UpstreamError("the upstream lists no signer certificates; nothing changed")
    return hub.load_trust_list([cert.der for cert in certs], origin=UPSTREAM)


def _fetch(client: BackendClient, pin: str) -> list[bytes]:
    key = _pinned_key(client, pin)
    keys = {key_id(key): key}

    def verified(answer: HttpResponse) -> None:
        verify_hash_string(keys, answer.body, answer.header("X-SIGNATURE"))

    status = client.get(STATUS_PATH, max_bytes=MAX_STATUS_BYTES)
    verified(status)
    valid = kid_set(status.json())
    found: dict[bytes, list[bytes]] = {}
    page_certificates(client, valid, None, found, verified)
    never_served = valid - found.keys()
    if never_served:
        raise UpstreamError(
            f"{len(never_served)} listed signer certificate(s) were never served; nothing changed"
        )
    return [der for kid in sorted(found) for der in found[kid]]


def _pinned_key(client: BackendClient, pin: str) -> ec.EllipticCurvePublicKey:
    """The upstream's signing key from `/publickey`, if it is the pinned one and signed by it."""
    answer = client.get(PUBLIC_KEY_PATH, max_bytes=MAX_PUBLIC_KEY_BYTES)
    try:
        key = load_public_key(base64.b64decode(answer.body.strip(), validate=True))
    except (binascii.Error, ValueError, DataInvalid) as exc:
        raise UpstreamError(f"{client.base_url}{PUBLIC_KEY_PATH}: not a P-256 public key") from exc
    served = key_fingerprint(key)
    if served != pin:
        raise UpstreamError(
            f"the upstream signs with key {served}, not the pinned {pin} (if it rotated its "
            "key, confirm the new fingerprint with its operator and pass it as --pin)"
        )
    verify_hash_string({key_id(key): key}, answer.body, answer.header("X-SIGNATURE"))
    return key


def loaded(ders: Sequence[bytes]) -> list[TrustedCertificate]:
    """The DERs as certificates; a damaged one is a refusal, not a crash."""
    try:
        return [load_trusted_certificate(der) for der in ders]
    except TrustImportError as exc:
        raise UpstreamError(f"a pulled signer certificate is damaged: {exc}") from exc
