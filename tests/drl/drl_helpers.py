"""Helpers of the DRL tests: an enrolled station over a real hub, passes to revoke.

The station's client is the real `BackendClient` with two test seams: it records every request
(to count what a sync downloads) and can run a hook before a request or rewrite an answer after
it (to publish between two requests of one sync, or to spoil an answer the hub sent).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.cache.drl import DrlCache
from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import encode_hc1, issue_dcc, vaccination_payload
from station.issuer.pki import Signer
from station.verify import dcc_decode
from station.verify.revocation import HashType, revocation_hashes_for_text
from sync.context import SourceResult, SyncContext
from sync.drl import sync_drl
from sync.enrollment import enroll
from sync.http import BackendClient, HttpResponse
from sync.hub import Hub, HubConfig

NOW = datetime.now(UTC)
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
FAST = HubConfig(kdf_memory_kib=8192, kdf_iterations=1)
_serial = iter(range(1, 10**6))

Hook = Callable[[str, str], None]
Rewrite = Callable[[str, str, HttpResponse], HttpResponse]


class RecordingClient(BackendClient):
    """`BackendClient` that records (method, path) and lets a test hook in around requests."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, str]] = []
        self.before: Hook | None = None
        self.rewrite: Rewrite | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        if self.before is not None:
            self.before(method, path)
        self.calls.append((method, path))
        response = super().request(method, path, **kwargs)
        return response if self.rewrite is None else self.rewrite(method, path, response)

    def slice_calls(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if "/slices" in call[1]]


class DrlStation:
    """An enrolled station: cache, sync context and DRL lookups, over the test's hub."""

    def __init__(self, hub: Hub, url: str, folder: Path) -> None:
        code = hub.create_enrollment_code("gate-drl")
        enrollment = enroll(url, code, hub.key_fingerprint(), now=NOW)
        self.client = RecordingClient(enrollment.hub_url, token=enrollment.token)
        self.cache = open_cache(folder / "cache.sqlite")
        self.ctx = SyncContext(self.client, self.cache, enrollment.pinned_keys(), SystemClock())
        self.drl = DrlCache(self.cache)

    def sync(self, **options: Any) -> SourceResult:
        self.client.calls.clear()
        return sync_drl(self.ctx, **options)

    def find(self, text: str) -> HashType | None:
        kid, hashes = revocation_hashes_for_text(text)
        return self.drl.find(kid or b"", hashes, datetime.now(UTC))

    def close(self) -> None:
        self.client.close()
        self.cache.close()


def issue(signer: Signer) -> str:
    """A valid pass with its own certificate identifier (UCI)."""
    payload = vaccination_payload()
    payload["v"][0]["ci"] = f"URN:UVCI:01:VN:DRL{next(_serial):016d}#4"
    return issue_dcc(
        signer, payload, issued_at=NOW - timedelta(days=10), expires=NOW + timedelta(days=300)
    )


def malleate(text: str) -> str:
    """The same pass with its ECDSA signature re-encoded as (r, n−s): still a valid signature."""
    raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(raw, 65536))
    r, s = cose.signature[:32], int.from_bytes(cose.signature[32:], "big")
    signature = r + (P256_ORDER - s).to_bytes(32, "big")
    return encode_hc1(encode_cbor(Tagged(18, [cose.protected_bytes, {}, cose.payload, signature])))
