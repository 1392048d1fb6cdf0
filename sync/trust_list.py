"""Signer certificates: a signed list of valid kids, then the DGCA resume-token download.

The hub's signed `trust-list` bundle says which kids are valid now and carries a version, so a
replayed older list (one that still holds a withdrawn key) is refused. The certificates
themselves come through the DGCA `signercertificateUpdate` paging: one DER per answer, with
`X-KID` and `X-RESUME-TOKEN`. Each kid is recomputed from the DER and must equal `X-KID` and be
in the signed list, so a tampered certificate can never enter the cache. Everything is applied
in one transaction with the sync-state record: a failed run leaves the cache as it was.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from station.cache.signers import SignerCache
from station.cache.sync_state import SyncStateStore
from station.errors import TrustImportError
from station.trust.certificate import load_trusted_certificate
from sync.context import SourceResult, SyncContext, require_not_older
from sync.errors import DataInvalid
from sync.http import BackendClient, HttpResponse
from sync.wire import base64_bytes

SOURCE = "trust-list"
BUNDLE_PATH = "station/v1/bundles/trust-list"
UPDATE_PATH = "signercertificateUpdate"
MAX_DSC_BYTES = 64 * 1024
#: A backend never holds this many signers; the paging loop stops rather than run for ever.
MAX_CERTIFICATES = 20_000


def sync_trust_list(ctx: SyncContext) -> SourceResult:
    state = ctx.state(SOURCE)
    held = state.version if state else None
    bundle = ctx.verified_bundle(ctx.client.get(BUNDLE_PATH).body, SOURCE)
    require_not_older(SOURCE, bundle.version, held)
    valid = kid_set(bundle.payload.get("kids"))
    signers = SignerCache(ctx.cache)
    missing = valid - signers.synced_kids()
    token = state.resume_token if state else None
    downloaded, token = _download(ctx, missing, valid, token) if missing else ([], token)
    with ctx.cache.transaction():
        diff = signers.apply_sync(downloaded, valid, bundle.version, ctx.now())
        SyncStateStore(ctx.cache).record_success(
            SOURCE,
            version=bundle.version,
            now=ctx.now(),
            data_expires_at=bundle.expires_at,
            item_count=len(valid),
            resume_token=token,
        )
    unchanged = held == bundle.version and not diff.added and not diff.removed
    return SourceResult(SOURCE, bundle.version, diff.added, diff.removed, unchanged)


def _download(
    ctx: SyncContext, missing: set[bytes], valid: set[bytes], token: str | None
) -> tuple[list[bytes], str | None]:
    """Page through the update endpoint until every missing kid is fetched (restarting once)."""
    found: dict[bytes, list[bytes]] = {}
    token = page_certificates(ctx.client, valid, token, found)
    if missing - found.keys():
        token = page_certificates(ctx.client, valid, None, found)
    still = missing - found.keys()
    if still:
        raise DataInvalid(f"{len(still)} listed signer certificate(s) were never served")
    return [der for kid in sorted(missing) for der in found[kid]], token


def page_certificates(
    client: BackendClient,
    valid: set[bytes],
    token: str | None,
    found: dict[bytes, list[bytes]],
    check: Callable[[HttpResponse], None] | None = None,
) -> str | None:
    """Page through `signercertificateUpdate` after `token` to its end (204), adding each
    certificate to `found` by kid; returns the last resume token.

    Every answer is first given to `check` (a hub pulling from an upstream verifies each
    answer's `X-SIGNATURE` there), then its kid is recomputed from the DER and must equal
    `X-KID` and be in `valid`. A failing answer raises (whatever `check` raises, else
    `DataInvalid`) before it reaches `found`.
    """
    for _ in range(MAX_CERTIFICATES):
        headers = {"X-RESUME-TOKEN": token} if token else {}
        answer = client.get(UPDATE_PATH, headers=headers, max_bytes=MAX_DSC_BYTES)
        if answer.status == 204:
            return token
        if check is not None:
            check(answer)
        der, kid = _checked_certificate(answer.body, answer.header("X-KID"), valid)
        if der not in found.setdefault(kid, []):
            found[kid].append(der)
        token = _next_token(answer.header("X-RESUME-TOKEN"), token)
    raise DataInvalid("the certificate list does not end")


def _checked_certificate(
    body: bytes, header_kid: str | None, valid: set[bytes]
) -> tuple[bytes, bytes]:
    try:
        der = base64.b64decode(body.strip(), validate=True)
        cert = load_trusted_certificate(der)
    except (binascii.Error, ValueError, TrustImportError) as exc:
        raise DataInvalid("a signer certificate is damaged") from exc
    computed = base64.b64encode(cert.kid).decode("ascii")
    if header_kid != computed:
        raise DataInvalid(f"certificate kid {computed} does not match X-KID {header_kid}")
    if cert.kid not in valid:
        raise DataInvalid(f"certificate {computed} is not in the signed list of valid signers")
    return der, cert.kid


def _next_token(value: str | None, previous: str | None) -> str:
    if value is None or not value.isdigit():
        raise DataInvalid("the answer has no usable X-RESUME-TOKEN")
    if previous is not None and int(value) <= int(previous):
        raise DataInvalid("the resume token went backwards")
    return value


def kid_set(value: object) -> set[bytes]:
    """A JSON list of standard-base64 8-byte kids as a set; `DataInvalid` otherwise."""
    if not isinstance(value, list):
        raise DataInvalid("the trust list has no kid list")
    return {base64_bytes(item, "a kid in the trust list", length=8) for item in value}
